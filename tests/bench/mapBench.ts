/**
 * The map with full-size scenes, in Debian's Chromium (software rendering: SwiftShader) driven by
 * Playwright against the real host:
 *
 *   first view   from switching a 1 GB Cloud-Optimised GeoTIFF on to its pixels on screen    target < 2 s
 *   pan          frame intervals while the map is dragged across the scene (fps = 1000 / median)  target ≥ 30 fps
 *   dNBR         the same two figures for dNBR of two 10,980 × 10,980 scenes (one GeoTIFF source, both dates)
 *
 * The scenes (made by GDAL, see tests/support/geoFixtures.ts makeLargeCog) and the case are cached
 * in $TMPDIR/sightline-bench-data/map-g1. BENCH_MAP_BYTES changes the scene size. Figures also go to
 * bench-results/map.json.
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
async function chromiumCpuMs(profile: string): Promise<number> {
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
        };
      }),
  );
  const ours = new Set(procs.filter((p) => p.mine).map((p) => p.pid));
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) if (!ours.has(p.pid) && ours.has(p.ppid)) grew = Boolean(ours.add(p.pid));
  }
  return procs.filter((p) => ours.has(p.pid)).reduce((sum, p) => sum + p.ticks * 10, 0);
}

/** Milliseconds from switching a layer on until the map's centre shows something other than the empty map. */
async function firstView(page: Page, layerName: RegExp, profile: string): Promise<{ ms: number; cpuMs: number }> {
  const empty = await centrePixel(page);
  const cpu0 = await chromiumCpuMs(profile);
  const requests: { start: number; end: number; range: string; bytes: number }[] = [];
  const t0 = Date.now();
  const onDone = (request: Request) => {
    if (!request.url().includes("/files?")) return;
    const timing = request.timing();
    const start = timing.startTime - t0;
    void request.response().then(async (r) => {
      const body = await r?.body().catch(() => null);
      requests.push({
        start,
        end: start + timing.responseEnd,
        range: (await request.allHeaders()).range ?? "whole",
        bytes: body?.length ?? 0,
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
  await page.locator(".layer-panel").getByRole("checkbox", { name: layerName }).check();
  let ms: number;
  for (;;) {
    const px = await centrePixel(page);
    ms = Date.now() - t0;
    if (px.some((v, i) => Math.abs(v - empty[i]!) > 12)) break;
    if (ms > 60_000) throw new Error("the scene did not show within a minute");
  }
  page.off("requestfinished", onDone);
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
  if (process.env.BENCH_MAP_TRACE) {
    for (const r of requests.sort((a, b) => a.start - b.start)) {
      console.log(`  ${r.start.toFixed(0).padStart(5)}–${r.end.toFixed(0).padStart(5)} ms  ${r.range}  ${r.bytes} B`);
    }
  }
  return { ms, cpuMs: (await chromiumCpuMs(profile)) - cpu0 };
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

async function main(): Promise<void> {
  const service = new SightlineService(new KeyStore(home));
  const { after } = await prepare(service);
  // BENCH_MAP_APP_DIR: another build of the UI, to compare figures before and after a change.
  const host = await startLoopbackHost({ service, appDir: process.env.BENCH_MAP_APP_DIR });
  const { context, page, profile } = await launchChromium();
  const results: Record<string, unknown> = { bytes: BYTES, side: after.width, bands: after.bandCount };
  try {
    await page.goto(`${host.url}/#token=${host.token}`);
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

    for (const [name, layer] of [
      ["scene", /^Copernicus Sentinel-2 2026-02-17 — false colour \(burnt ground\)$/],
      ["dnbr", /^dNBR 2026-02-15 → 2026-02-17/],
    ] as const) {
      const { ms: firstMs, cpuMs } = await firstView(page, layer, profile);
      await page.waitForTimeout(1500);
      const frames = await panFrames(page, 5000);
      const s = stats(frames);
      const fps = 1000 / s.median;
      results[name] = { firstViewMs: firstMs, firstViewCpuMs: cpuMs, frameMedianMs: s.median, frameP95Ms: s.p95, fps };
      console.log(
        `${name === "scene" ? "1 GB COG (false colour)" : "dNBR of two scenes"}: first view ${firstMs} ms (target < 2000; ` +
          `Chromium CPU ${cpuMs} ms, load average ${os.loadavg()[0]!.toFixed(1)}), ` +
          `pan ${fps.toFixed(1)} fps (median frame ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms; target ≥ 30 fps)`,
      );
      await page
        .locator(".layer-panel")
        .getByRole("checkbox", { name: /^Visible: / })
        .last()
        .uncheck();
    }
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
    await host.close();
  }
  const out = path.join(REPO_ROOT, "bench-results");
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, "map.json"), JSON.stringify(results, null, 2));
}

await main();
