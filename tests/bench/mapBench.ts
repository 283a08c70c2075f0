/**
 * The map with full-size scenes, in Debian's Chromium (software rendering: SwiftShader) driven by
 * Playwright against the real host:
 *
 *   first view   from switching a 1 GB Cloud-Optimised GeoTIFF on to its pixels on screen    target < 2 s
 *   pan          frame intervals while the map is dragged across the scene (fps = 1000 / median)  target ≥ 30 fps
 *   dNBR         the same two figures for dNBR of two 10,980 × 10,980 scenes (one GeoTIFF source, both dates)
 *
 * The scenes (made by GDAL, see tests/support/geoFixtures.ts makeLargeCog) and the case are cached
 * in $TMPDIR/sightline-bench-data/map-<bytes>-g1. BENCH_MAP_BYTES changes the scene size. Each of
 * BENCH_MAP_ROUNDS (3) rounds opens the map afresh, so every first view is cold; the figures are
 * medians, with where the first view's time went: range requests and bytes read, when the last
 * byte arrived, and Chromium's CPU by process (renderer: script, decoding workers; gpu-process:
 * SwiftShader's drawing). Panning is measured in the first round. Figures also go to
 * bench-results/map.json. BENCH_MAP_TRACE lists the range requests, BENCH_MAP_PROFILE profiles the page.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import type { Page, Request } from "@playwright/test";
import { startLoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { SightlineService } from "../../electron/services/sightlineService.js";
import { REPO_ROOT } from "../support/cli.js";
import { makeLargeCog, pixelToLatLon, SENTINEL_BANDS, type SceneInfo } from "../support/geoFixtures.js";
import { launchChromium, stats } from "./boardProbe.js";

const BYTES = Number(process.env.BENCH_MAP_BYTES ?? 1024 ** 3);
const cacheRoot = path.join(os.tmpdir(), "sightline-bench-data", `map-${BYTES}-g1`);
const caseDir = path.join(cacheRoot, "case");
const home = path.join(cacheRoot, "home");

/** The band roles of a large scene: makeLargeCog writes the burn bands first (B04, B8A, B12, …) in band order. */
function roles(scene: SceneInfo) {
  const order = [2, 3, 5, 1, 0, 4].slice(0, scene.bandCount).sort((a, b) => a - b);
  return order.map((i, n) => ({ band: n + 1, role: SENTINEL_BANDS[i]!.role, label: SENTINEL_BANDS[i]!.name }));
}

async function prepare(service: SightlineService): Promise<{ before: SceneInfo; after: SceneInfo }> {
  await mkdir(cacheRoot, { recursive: true });
  console.log(`making two ${(BYTES / 1024 ** 3).toFixed(1)} GB COGs with GDAL (cached for later runs)…`);
  const before = await makeLargeCog(path.join(cacheRoot, "before.tif"), BYTES, false);
  const after = await makeLargeCog(path.join(cacheRoot, "after.tif"), BYTES, true);
  if (!existsSync(path.join(caseDir, "case.json"))) {
    await rm(caseDir, { recursive: true, force: true });
    await service.createCase({ dir: caseDir, title: "Map benchmark", examiner: "Bench", hashAlgorithms: ["sha256"] });
    await service.importFiles({ dir: caseDir, paths: [before.path, after.path], collection: {} });
    await service.jobs.settle();
    const events = await service.ledgerEvents({ dir: caseDir });
    for (const [scene, date] of [
      [before, "2026-02-15"],
      [after, "2026-02-17"],
    ] as const) {
      const imported = events.find(
        (e) =>
          e.event.type === "item.imported" &&
          (e.event.payload as { source: { originalName: string } }).source.originalName === path.basename(scene.path),
      )!;
      await service.markReference({
        dir: caseDir,
        sha256: (imported.event.payload as { sha256: string }).sha256,
        kind: "scene",
        provider: "Copernicus Sentinel-2",
        sceneId: "",
        acquiredOn: date,
        bands: roles(scene) as { band: number; role: "red"; label: string }[],
        note: "",
      });
    }
  }
  return { before, after };
}

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

interface FirstView {
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
async function firstView(page: Page, layerName: RegExp, profile: string): Promise<FirstView> {
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
async function panFrames(page: Page, ms: number): Promise<number[]> {
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

const ROUNDS = Math.max(1, Number(process.env.BENCH_MAP_ROUNDS ?? 3));
const VIEWS = [
  {
    name: "scene",
    title: "1 GB COG (false colour)",
    layer: /^Copernicus Sentinel-2 2026-02-17 — false colour \(burnt ground\)$/,
  },
  { name: "dnbr", title: "dNBR of two 10,980² scenes", layer: /^dNBR 2026-02-15 → 2026-02-17/ },
] as const;

const median = (xs: number[]) => stats(xs).median;
const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;
const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");

/** A fresh page on the case's map with nothing shown, at the planted scar: each round starts cold. */
async function openMap(page: Page, url: string, after: SceneInfo): Promise<void> {
  await page.goto("about:blank");
  await page.goto(url);
  // Main-thread tasks over 50 ms, listed with BENCH_MAP_TRACE.
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: PerformanceEntry[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => w.__longTasks.push(...list.getEntries())).observe({ entryTypes: ["longtask"] });
  });
  const open = page.getByLabel("Open case");
  await open.getByLabel("Case folder").fill(caseDir);
  await open.getByRole("button", { name: "Open" }).click();
  await page.getByText("Map", { exact: true }).click();
  // Only the scenes: the online presets cannot be reached here and would only add failing requests.
  for (const shown of await page
    .locator(".layer-panel")
    .getByRole("checkbox", { name: /^Visible: / })
    .all()) {
    await shown.uncheck();
  }
  const scar = pixelToLatLon(after, 0.36 * after.width, 0.34 * after.height);
  await page.getByLabel("Go to").fill(`${scar.lat.toFixed(6)}, ${scar.lon.toFixed(6)}`);
  await page.getByRole("button", { name: "Go", exact: true }).click();
  await page.waitForTimeout(500);
}

async function main(): Promise<void> {
  const service = new SightlineService(new KeyStore(home));
  const { after } = await prepare(service);
  // BENCH_MAP_APP_DIR: another build of the UI, to compare figures before and after a change.
  const host = await startLoopbackHost({ service, appDir: process.env.BENCH_MAP_APP_DIR });
  const { context, page, profile } = await launchChromium();
  const results: Record<string, unknown> = { bytes: BYTES, side: after.width, bands: after.bandCount, rounds: ROUNDS };
  const views = new Map<string, FirstView[]>(VIEWS.map((v) => [v.name, []]));
  const pans = new Map<string, number[]>();
  const loads: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      await openMap(page, `${host.url}/#token=${host.token}`, after);
      for (const v of VIEWS) {
        loads.push(os.loadavg()[0]!);
        const first = await firstView(page, v.layer, profile);
        views.get(v.name)!.push(first);
        console.log(
          `  round ${round + 1}, ${v.name}: first view ${first.ms} ms, complete ${first.completeMs} ms ` +
            `(${first.frames} frames), Chromium CPU ${first.cpu.total} ms, ` +
            `load average ${os.loadavg()[0]!.toFixed(1)}`,
        );
        if (round === 0) {
          await page.waitForTimeout(1500);
          pans.set(v.name, await panFrames(page, 5000));
        }
        await page
          .locator(".layer-panel")
          .getByRole("checkbox", { name: /^Visible: / })
          .last()
          .uncheck();
      }
    }
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
    await host.close();
  }
  console.log(
    `\nMap, medians of ${ROUNDS} cold first views (load average ${median(loads).toFixed(1)} on ${os.cpus().length} cores):`,
  );
  for (const v of VIEWS) {
    const runs = views.get(v.name)!;
    const ms = median(runs.map((r) => r.ms));
    const cpuBy = (k: string) => median(runs.map((r) => r.cpu[k] ?? 0));
    const frames = stats(pans.get(v.name)!);
    const fps = 1000 / frames.median;
    const where = {
      requests: median(runs.map((r) => r.requests)),
      bytes: median(runs.map((r) => r.bytes)),
      lastByteMs: median(runs.map((r) => r.lastByteMs)),
      completeMs: median(runs.map((r) => r.completeMs)),
      frames: median(runs.map((r) => r.frames)),
    };
    const cpu = Object.fromEntries(Object.keys(runs[0]!.cpu).map((k) => [k, cpuBy(k)]));
    results[v.name] = {
      firstViewMs: ms,
      firstViewRunsMs: runs.map((r) => r.ms),
      firstViewCpuMs: cpu.total,
      cpuByProcessMs: cpu,
      ...where,
      frameMedianMs: frames.median,
      frameP95Ms: frames.p95,
      fps,
    };
    console.log(
      `${v.title}: first view ${ms} ms ${verdict(ms < 2000)} (target < 2000; runs ${runs.map((r) => r.ms).join(", ")}), ` +
        `pan ${fps.toFixed(1)} fps ${verdict(fps >= 30)} (median frame ${frames.median.toFixed(1)} ms, p95 ${frames.p95.toFixed(1)} ms; target ≥ 30)`,
    );
    const processes = Object.entries(cpu)
      .filter(([k]) => k !== "total")
      .map(([k, n]) => `${k} ${n}`)
      .join(", ");
    console.log(
      `  complete first view (every tile drawn) ${where.completeMs} ms ${verdict(where.completeMs < 2000)} ` +
        `(target < 2000; runs ${runs.map((r) => r.completeMs).join(", ")}), ${where.frames} frames drawn on the way`,
    );
    console.log(
      `  where the first view goes: ${where.requests} range requests, ${mb(where.bytes)}, last byte at ${where.lastByteMs} ms, ` +
        `on screen ${Math.max(0, ms - where.lastByteMs)} ms later (decode, compose, draw); ` +
        `Chromium CPU ${cpu.total} ms (${processes})`,
    );
  }
  const out = path.join(REPO_ROOT, "bench-results");
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, "map.json"), JSON.stringify(results, null, 2));
}

await main();
