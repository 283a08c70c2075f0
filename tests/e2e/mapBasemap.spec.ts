/**
 * Offline basemaps where the archive has gaps, in real Chromium against the real host: a PMTiles
 * basemap that covers only the area around Kidal from zoom 3 up, over a second one that covers
 * the whole region. Where the top archive has no tile the one beneath shows through (never black),
 * and the map says when the top archive has nothing in view at the current zoom.
 */
import { expectNoAxeViolations } from "./axeScan.js";
import { expect, test } from "@playwright/test";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { startLoopbackHost, type LoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { SightlineService } from "../../electron/services/sightlineService.js";
import { REPO_ROOT } from "../support/cli.js";
import { makeBasemap } from "../support/tileServer.js";
import { goTo as goToPlace } from "./mapPage.js";

const SCREENSHOTS = path.join(REPO_ROOT, "tests", "e2e", "screenshots");
const MAGENTA = [208, 32, 208];
const near = (c: readonly number[], ref: readonly number[], tol = 40) =>
  c.every((v, i) => Math.abs(v - ref[i]!) <= tol);

let root: string;
let host: LoopbackHost;
let service: SightlineService;

test.beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "sightline-basemap-e2e-"));
  await mkdir(SCREENSHOTS, { recursive: true });
  service = new SightlineService(new KeyStore(path.join(root, "home")));
  host = await startLoopbackHost({ service });
});

test.afterAll(async () => {
  await service.jobs.settle();
  await host.close();
  await service.close();
  await rm(root, { recursive: true, force: true });
});

test("a tile missing from an offline basemap is clear, not black, and the map says when there are none in view", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const regionMap = await makeBasemap(path.join(root, "maps", "region.pmtiles"), {
    maxZoom: 6,
    bounds84: [-20, 5, 20, 30],
    style: { land: "#d020d0", grid: "#d020d0" },
  });
  const kidal = await makeBasemap(path.join(root, "maps", "kidal.pmtiles"), { maxZoom: 6 });
  const dir = path.join(root, "case");
  await service.createCase({ dir, title: "Basemap gaps", examiner: "A. Analyst", hashAlgorithms: ["sha256"] });
  await service.importFiles({ dir, paths: [regionMap.path, kidal.path], collection: {} });
  await service.jobs.settle();
  for (const [name, provider] of [
    ["region.pmtiles", "Region beneath"],
    ["kidal.pmtiles", "Kidal only"],
  ] as const) {
    const item = (await service.listItems({ dir })).find((i) => i.name === name)!;
    await service.markReference({ dir, sha256: item.sha256, kind: "basemap", provider, note: "" });
  }

  await page.goto(`${host.url}/#token=${host.token}`);
  const open = page.getByLabel("Open case");
  await open.getByLabel("Case folder").fill(dir);
  await open.getByRole("button", { name: "Open" }).click();
  await page.getByText("Map", { exact: true }).click();
  const panel = page.locator(".layer-panel");
  // Off the map, then the region first (beneath) and Kidal on top.
  const region = panel.getByRole("checkbox", { name: "Region beneath (offline)", exact: true });
  const top = panel.getByRole("checkbox", { name: "Kidal only (offline)", exact: true });
  await region.uncheck();
  await top.uncheck();
  await region.check();
  await top.check();
  const shown = panel.getByRole("checkbox", { name: /^Visible: / });
  await expect(shown).toHaveCount(2);
  await expect(shown.last()).toHaveAccessibleName("Visible: Kidal only (offline)");

  // A view from Kidal westwards: the top archive has Kidal's tile, and nothing west of it.
  const goTo = async (where: string, zoomOuts = 9) => {
    await goToPlace(page, where, zoomOuts);
    await page.waitForTimeout(1500);
  };
  await goTo("17, -2");
  const png = await page.locator(".map-target").screenshot({ path: path.join(SCREENSHOTS, "map-06-basemap-gaps.png") });
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (fx: number, fy: number) => {
    const i = (Math.round(fy * (info.height - 1)) * info.width + Math.round(fx * (info.width - 1))) * 3;
    return [data[i]!, data[i + 1]!, data[i + 2]!];
  };
  // West of Kidal the region beneath shows through the top archive's missing tiles.
  for (const fy of [0.3, 0.5, 0.7]) expect(near(at(0.1, fy), MAGENTA), `west at ${fy}: ${at(0.1, fy)}`).toBe(true);
  // Nowhere is the map black, and Kidal's own tile (sand, not magenta) is on top where it exists.
  let black = 0;
  let sand = 0;
  for (let fx = 0.02; fx < 1; fx += 0.04) {
    for (let fy = 0.02; fy < 1; fy += 0.04) {
      const c = at(fx, fy);
      if (c.every((v) => v < 30)) black++;
      if (near(c, [232, 220, 192], 30)) sand++;
    }
  }
  expect(black).toBe(0);
  expect(sand).toBeGreaterThan(0);
  await expect(page.getByText(/Kidal only has no tiles here/)).toHaveCount(0);

  // Far from Kidal the top archive has nothing in view: said once, plainly, as a notice.
  await goTo("10, -12", 4);
  const notice = page.getByText(/^Kidal only has no tiles here at zoom \d+ \(it holds zooms 0–6\); it is left clear$/);
  await expect(notice).toBeVisible();
  await expect(page.getByText(/Region beneath has no tiles here/)).toHaveCount(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, "map-06-basemap-notice.png") });
  await expectNoAxeViolations(page, "the map with a basemap notice");
  // Back over Kidal the notice goes.
  await goTo("18.44, 1.4", 4);
  await expect(notice).toHaveCount(0);
  expect(errors).toEqual([]);
});
