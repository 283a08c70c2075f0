/**
 * mapBench's measurements in the page: the first view of a layer (with where its time went: range
 * requests, bytes, Chromium's CPU by process), the colour at the map's centre, and frame intervals
 * while panning.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import type { Page, Request } from "@playwright/test";

/**
 * CPU milliseconds spent so far by the Chromium whose profile is `profile` and all its processes
 * (renderer, GPU process doing the software rendering, network): what the first view costs,
 * which unlike its wall-clock time does not grow when other work shares the machine.
 */
async function chromiumCpuMs(profile: string): Promise<Record<string, number>> {
  const procs = await Promise.all(
    (await readdir("/proc"))
      .filter((d) => /^\d+$/.test(d))
      .map(async (pid) => {
        const [stat, cmd] = await Promise.all([
          readFile(`/proc/${pid}/stat`, "utf8").catch(() => ""),
          readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => ""),
        ]);
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return {
          pid,
          ppid: fields[1] ?? "",
          ticks: Number(fields[11]) + Number(fields[12]),
          mine: cmd.includes(profile),
          // renderer (the page and its workers), gpu-process (SwiftShader), utility (network), browser.
          type: /--type=([a-z-]+)/.exec(cmd)?.[1] ?? "browser",
        };
      }),
  );
  const ours = new Set(procs.filter((p) => p.mine).map((p) => p.pid));
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) if (!ours.has(p.pid) && ours.has(p.ppid)) grew = Boolean(ours.add(p.pid));
  }
  const byType: Record<string, number> = { total: 0 };
  for (const p of procs.filter((x) => ours.has(x.pid))) {
    byType[p.type] = (byType[p.type] ?? 0) + p.ticks * 10;
    byType.total! += p.ticks * 10;
  }
  return byType;
}

/** CPU milliseconds by process type between two readings of chromiumCpuMs. */
function cpuSpent(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)]));
}

export interface FirstView {
  ms: number;
  /** Chromium CPU milliseconds by process type, and their total. */
  cpu: Record<string, number>;
  requests: number;
  bytes: number;
  /** When the last byte of the scene read before the first view arrived, ms after the switch. */
  lastByteMs: number;
  /**
   * When the whole first view was drawn (OpenLayers' loadend: every tile the view needs loaded and
   * drawn, marked on the page's performance timeline by MapWorkspace), ms after the switch.
   */
  completeMs: number;
  /** Frames the map drew between the switch and the complete view. */
  frames: number;
}

const START_MARK = "sightline:map-loadstart";
const COMPLETE_MARK = "sightline:map-loadend";

/** Milliseconds from switching a layer on until the map's centre shows something other than the empty map. */
export async function firstView(page: Page, layerName: RegExp, profile: string): Promise<FirstView> {
  const empty = await centrePixel(page);
  const cpu0 = await chromiumCpuMs(profile);
  const requests: { start: number; end: number; range: string; bytes: number }[] = [];
  const t0 = Date.now();
  const onDone = (request: Request) => {
    if (!request.url().includes("/files?")) return;
    const timing = request.timing();
    const start = timing.startTime - t0;
    void request.response().then(async (r) => {
      requests.push({
        start,
        end: start + timing.responseEnd,
        range: (await request.allHeaders()).range ?? "whole",
        bytes: Number((await r?.headerValue("content-length")) ?? 0),
      });
    });
  };
  page.on("requestfinished", onDone);
  const profiler = process.env.BENCH_MAP_PROFILE ? await page.context().newCDPSession(page) : null;
  if (profiler) {
    await profiler.send("Profiler.enable");
    await profiler.send("Profiler.setSamplingInterval", { interval: 500 });
    await profiler.send("Profiler.start");
  }
  const tracer = process.env.BENCH_MAP_CHROME_TRACE ? await page.context().newCDPSession(page) : null;
  await tracer?.send("Tracing.start", {
    transferMode: "ReturnAsStream",
    traceConfig: { includedCategories: ["toplevel", "devtools.timeline", "gpu", "v8", "blink", "cc", "viz"] },
  });
  const p0 = await page.evaluate(() => performance.now());
  await page.locator(".layer-panel").getByRole("checkbox", { name: layerName }).check();
  let ms: number;
  for (;;) {
    const px = await centrePixel(page);
    ms = Date.now() - t0;
    if (px.some((v, i) => Math.abs(v - empty[i]!) > 12)) break;
    if (ms > 60_000) throw new Error("the scene did not show within a minute");
  }
  // The complete view: the load that ends with the scene's tiles drawn and no other load after it
  // (the map may start and end a load before the scene's own tiles are asked for).
  let marks: { complete: number | null; frames: number; longTasks: [number, number][]; all: string[] };
  for (;;) {
    marks = await page.evaluate(
      ({ p0, started, ended }) => {
        const all = performance
          .getEntriesByType("mark")
          .filter((m) => m.startTime > p0 && (m.name === started || m.name === ended)) as PerformanceMark[];
        const last = all.at(-1);
        const detail = (last?.detail ?? {}) as { frames?: number; tiles?: number };
        const done = last?.name === ended && detail.tiles && performance.now() - last.startTime > 1000 ? last : null;
        const end = done?.startTime ?? Infinity;
        const longTasks = ((window as unknown as { __longTasks?: PerformanceEntry[] }).__longTasks ?? [])
          .filter((t) => t.startTime > p0 && t.startTime <= end)
          .map((t): [number, number] => [Math.round(t.startTime - p0), Math.round(t.duration)]);
        return {
          complete: done ? done.startTime - p0 : null,
          frames: detail.frames ?? 0,
          longTasks,
          all: all.map((m) => `${m.name.slice(16)} ${Math.round(m.startTime - p0)} ${JSON.stringify(m.detail ?? "")}`),
        };
      },
      { p0, started: START_MARK, ended: COMPLETE_MARK },
    );
    if (marks.complete !== null || Date.now() - t0 > 30_000) break;
    await page.waitForTimeout(100);
  }
  const cpu = cpuSpent(cpu0, await chromiumCpuMs(profile));
  page.off("requestfinished", onDone);
  if (process.env.BENCH_MAP_TRACE) {
    console.log(`  loads: ${marks.all.join(", ")}`);
    console.log(
      `  main-thread tasks over 50 ms (start, duration): ${marks.longTasks.map((t) => t.join("+")).join(" ")}`,
    );
  }
  if (tracer) {
    // A Chromium trace of the first view, for chrome://tracing or Perfetto.
    const complete = new Promise<{ stream?: string }>((resolve) => tracer.once("Tracing.tracingComplete", resolve));
    await tracer.send("Tracing.end");
    const { stream } = await complete;
    const chunks: string[] = [];
    for (let eof = false; stream && !eof;) {
      const r = await tracer.send("IO.read", { handle: stream });
      chunks.push(r.base64Encoded ? Buffer.from(r.data, "base64").toString() : r.data);
      eof = r.eof;
    }
    const file = path.join(os.tmpdir(), `map-${Date.now()}.trace.json`);
    await writeFile(file, chunks.join(""));
    console.log(`  trace: ${file}`);
  }
  if (profiler) {
    const { profile } = await profiler.send("Profiler.stop");
    const self = new Map<string, number>();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const dt = profile.timeDeltas ?? [];
    (profile.samples ?? []).forEach((id, i) => {
      const f = byId.get(id)!.callFrame;
      const key = `${f.functionName || "(anon)"} ${f.url.split("/").pop()}:${f.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
    });
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
      console.log(`  ${v.toFixed(0).padStart(6)} ms  ${k}`);
    }
    await writeFile(path.join(os.tmpdir(), `map-${Date.now()}.cpuprofile`), JSON.stringify(profile));
  }
  const read = requests.filter((r) => r.end <= ms);
  if (process.env.BENCH_MAP_TRACE) {
    for (const r of read.sort((a, b) => a.start - b.start)) {
      console.log(`  ${r.start.toFixed(0).padStart(5)}–${r.end.toFixed(0).padStart(5)} ms  ${r.range}  ${r.bytes} B`);
    }
  }
  return {
    ms,
    cpu,
    requests: read.length,
    bytes: read.reduce((sum, r) => sum + r.bytes, 0),
    lastByteMs: Math.round(Math.max(0, ...read.map((r) => r.end))),
    completeMs: Math.round(marks.complete ?? NaN),
    frames: marks.frames,
  };
}

/**
 * The pixel at the centre of the map as shown, from a screenshot of just that pixel: a screenshot
 * of the whole map (encoded, then decoded) costs the page more than the map's own work on a slow
 * machine, and the polling would measure itself.
 */
async function centrePixel(page: Page): Promise<number[]> {
  const box = (await page.locator(".map-target").boundingBox())!;
  const clip = { x: Math.floor(box.x + box.width / 2), y: Math.floor(box.y + box.height / 2), width: 1, height: 1 };
  const png = await page.screenshot({ clip, animations: "allow", caret: "initial" });
  const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return [data[0]!, data[1]!, data[2]!];
}

/** Frame intervals (ms) while the map is dragged left and right across the scene for `ms`. */
export async function panFrames(page: Page, ms: number): Promise<number[]> {
  const box = (await page.locator(".map-target").boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stop: boolean };
    w.__frames = [];
    w.__stop = false;
    let last = performance.now();
    const tick = (now: number) => {
      w.__frames.push(now - last);
      last = now;
      if (!w.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  const start = Date.now();
  let step = 0;
  while (Date.now() - start < ms) {
    const phase = (step++ % 80) / 80;
    const dx = Math.sin(phase * 2 * Math.PI) * box.width * 0.3;
    await page.mouse.move(cx + dx, cy + dx * 0.2);
  }
  await page.mouse.up();
  return page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stop: boolean };
    w.__stop = true;
    return w.__frames.slice(2);
  });
}
