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
import { mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import type { Page } from "@playwright/test";
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

/** Milliseconds from switching a layer on until the map's centre shows something other than the empty map. */
async function firstView(page: Page, layerName: RegExp): Promise<number> {
  const target = page.locator(".map-target");
  const empty = await centrePixel(page);
  const t0 = Date.now();
  await page.locator(".layer-panel").getByRole("checkbox", { name: layerName }).check();
  for (;;) {
    const px = await centrePixel(page);
    if (px.some((v, i) => Math.abs(v - empty[i]!) > 12)) return Date.now() - t0;
    if (Date.now() - t0 > 60_000) throw new Error("the scene did not show within a minute");
    void target;
  }
}

async function centrePixel(page: Page): Promise<number[]> {
  const png = await page.locator(".map-target").screenshot();
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const i = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
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
  const host = await startLoopbackHost({ service });
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
      const firstMs = await firstView(page, layer);
      await page.waitForTimeout(1500);
      const frames = await panFrames(page, 5000);
      const s = stats(frames);
      const fps = 1000 / s.median;
      results[name] = { firstViewMs: firstMs, frameMedianMs: s.median, frameP95Ms: s.p95, fps };
      console.log(
        `${name === "scene" ? "1 GB COG (false colour)" : "dNBR of two scenes"}: first view ${firstMs} ms (target < 2000), ` +
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
