/**
 * dNBR of scenes on different pixel grids, in real Chromium against the real host: the before
 * scene of a burn pair with two after scenes that gdalwarp put on other grids (the same UTM zone
 * with a shifted origin and 30 m pixels; the neighbouring UTM zone), each compared on the before
 * scene's grid, the scar read back from the rendered map where it was planted; a scene elsewhere
 * that cannot be paired says why. "North up" turns the view by the grid convergence. Screenshots go
 * to tests/e2e/screenshots/.
 */
import { expect, test } from "@playwright/test";
import path from "node:path";
import { expectNoAxeViolations } from "./axeScan.js";
import { openCase, SCREENSHOTS, startCase, type CaseWorkbench } from "./caseSetup.js";
import { centreIsBurnt, goTo, mapPixels, scarCounts } from "./mapPage.js";
import proj4 from "proj4";
import { makeBurnPair, makeScene, type BurnPair } from "../support/geoFixtures.js";
import { warpAfter } from "../support/geoCrossGrid.js";
import type { BandRole } from "../../shared/ledger/geoEvents.js";

const ROLES: BandRole[] = ["blue", "green", "red", "nir-narrow", "swir1", "swir2"];

let bench: CaseWorkbench;
let pair: BurnPair;

test.beforeAll(async () => {
  bench = await startCase("sightline-map-grid-", "Kidal burn, three providers");
  const scenes = path.join(bench.root, "scenes");
  pair = await makeBurnPair(scenes, { cog: true });
  const shifted = await warpAfter(pair, path.join(scenes, "planet-2026-02-17.tif"), "shifted");
  const zone30 = await warpAfter(pair, path.join(scenes, "landsat-2026-02-17.tif"), "other-zone");
  const elsewhere = await makeScene(path.join(scenes, "gao-2026-02-20.tif"), {
    centre: { lat: 16.27, lon: 0.05 },
    width: 64,
    height: 64,
  });
  const files = [pair.before.path, shifted.path, zone30.path, elsewhere.path];
  await bench.importPaths(files);
  const events = await bench.service.ledgerEvents({ dir: bench.caseDir });
  const shaOf = (file: string) =>
    (
      events.find(
        (x) =>
          x.event.type === "item.imported" &&
          (x.event.payload as { source: { originalName: string } }).source.originalName === path.basename(file),
      )!.event.payload as { sha256: string }
    ).sha256;
  const marks: [string, string, string][] = [
    [pair.before.path, "Copernicus Sentinel-2", pair.beforeDate],
    [shifted.path, "Planet", pair.afterDate],
    [zone30.path, "Landsat", pair.afterDate],
    [elsewhere.path, "Gao provider", "2026-02-20"],
  ];
  for (const [file, provider, acquiredOn] of marks)
    await bench.service.markReference({
      dir: bench.caseDir,
      sha256: shaOf(file),
      kind: "scene",
      provider,
      sceneId: "",
      acquiredOn,
      bands: ROLES.map((role, i) => ({ band: i + 1, role, label: `B${i + 1}` })),
      note: "",
    });
});

test.afterAll(() => bench.close());

test("dNBR of after scenes on another grid and in another UTM zone shows the scar where it was planted", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await openCase(page, bench.host, bench.caseDir);
  await expect(page.getByLabel("Case title")).toBeVisible();
  await page.getByText("Map", { exact: true }).click();
  const layers = page.locator(".layer-panel");

  // A scene of another place pairs with nothing: one plain sentence each, never a blank map.
  await expect(layers.getByText("Cannot be shown: the two scenes do not cover any of the same ground")).toHaveCount(3);
  await expect(
    layers.getByRole("checkbox", { name: `dNBR ${pair.beforeDate} → 2026-02-20 (Gao provider)`, exact: true }),
  ).toBeDisabled();

  for (const [provider, note, shot] of [
    ["Planet", "After scene resampled to the before scene's 20 m grid, bilinear.", "map-05-dnbr-shifted-grid"],
    [
      "Landsat",
      "After scene resampled to the before scene's 20 m grid (reprojected from EPSG:32630), bilinear.",
      "map-06-dnbr-other-zone",
    ],
  ] as const) {
    const dnbr = layers.getByRole("checkbox", {
      name: `dNBR ${pair.beforeDate} → ${pair.afterDate} (${provider})`,
      exact: true,
    });
    await dnbr.check();
    for (const shown of await layers.getByRole("checkbox", { name: /^Visible: / }).all()) {
      const name = (await shown.getAttribute("aria-label")) ?? "";
      if (!name.includes(`(${provider})`)) await shown.uncheck();
    }
    await expect(page.getByRole("list", { name: "dNBR severity classes" })).toBeVisible();
    await expect(layers.getByText(note, { exact: true })).toBeVisible();
    // Out past Web Mercator zoom 14 first ("Go to" keeps a closer view; the case opened on the small scene).
    await page.getByRole("application", { name: /map/i }).first().focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press("-");
    await goTo(page, `${pair.scar.lat.toFixed(6)}, ${pair.scar.lon.toFixed(6)}`);
    await expect.poll(() => centreIsBurnt(page), { timeout: 30_000 }).toBe(true);
    const pixels = await mapPixels(page, path.join(SCREENSHOTS, `${shot}.png`));
    await page.screenshot({ path: path.join(SCREENSHOTS, `${shot}-page.png`) });
    const counts = scarCounts(pixels, pair);
    expect(counts.burntInside, provider).toBeGreaterThan(5000);
    expect(counts.unburntInside, provider).toBe(0);
    expect(counts.burntOutside, provider).toBe(0);
    await dnbr.uncheck();
  }
  await expectNoAxeViolations(page, "the map with cross-grid pairs");
  expect(errors).toEqual([]);
});

test("North up turns the view by the grid convergence at its centre, and the arrow shows true north", async ({
  page,
}) => {
  await openCase(page, bench.host, bench.caseDir);
  await expect(page.getByLabel("Case title")).toBeVisible();
  await page.getByText("Map", { exact: true }).click();
  const layers = page.locator(".layer-panel");
  await layers.getByRole("checkbox", { name: "Copernicus Sentinel-2 2026-02-15 — true colour", exact: true }).check();
  for (const shown of await layers.getByRole("checkbox", { name: /^Visible: / }).all()) {
    const name = (await shown.getAttribute("aria-label")) ?? "";
    if (!name.includes("Copernicus")) await shown.uncheck();
  }
  const { lat, lon } = pair.scar;
  await goTo(page, `${lat.toFixed(6)}, ${lon.toFixed(6)}`);
  // Drawn in the scene's grid (UTM zone 31): true north, by proj4 on the centre and a point 0.01° north of it.
  const utm = "+proj=utm +zone=31 +datum=WGS84 +units=m +no_defs";
  const [x0 = 0, y0 = 0] = proj4("EPSG:4326", utm, [Number(lon.toFixed(6)), Number(lat.toFixed(6))]);
  const [x1 = 0, y1 = 0] = proj4("EPSG:4326", utm, [Number(lon.toFixed(6)), Number(lat.toFixed(6)) + 0.01]);
  const northDeg = (Math.atan2(x1 - x0, y1 - y0) * 180) / Math.PI;
  // The textbook convergence of transverse Mercator, atan(tan(λ − λ0) sin φ), agrees (zone 31: λ0 = 3°E).
  const rad = Math.PI / 180;
  const textbook = Math.atan(Math.tan((lon - 3) * rad) * Math.sin(lat * rad)) / rad;
  expect(Math.abs(Math.abs(northDeg) - Math.abs(textbook))).toBeLessThan(0.01);
  expect(Math.abs(northDeg)).toBeGreaterThan(0.3);

  const arrow = page.getByRole("img", { name: /^True north: / });
  const rotation = async () => Number(await arrow.getAttribute("data-view-rotation-deg"));
  expect(await rotation()).toBe(0);
  await expect(arrow).toHaveAttribute(
    "aria-label",
    `True north: ${Math.abs(northDeg).toFixed(1)}° ${northDeg > 0 ? "right" : "left"} of up`,
  );
  await page.getByText("North up", { exact: true }).click();
  await expect.poll(async () => Math.abs((await rotation()) + northDeg)).toBeLessThan(0.01);
  await expect(arrow).toHaveAttribute("aria-label", "True north: straight up");
  await page.screenshot({ path: path.join(SCREENSHOTS, "map-07-north-up-page.png") });
  await expectNoAxeViolations(page, "the map turned north up");
  // Back to grid up by keyboard.
  await page.getByRole("radio", { name: "North up" }).focus();
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByRole("radio", { name: "Grid up" })).toBeChecked();
  await expect.poll(rotation).toBe(0);
  // OpenLayers' turn gesture (Alt+Shift held while dragging) leaves Grid up where it is.
  const box = (await page.locator(".ol-viewport").boundingBox())!;
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.keyboard.down("Alt");
  await page.keyboard.down("Shift");
  await page.mouse.move(cx + 120, cy);
  await page.mouse.down();
  await page.mouse.move(cx + 60, cy - 100, { steps: 8 });
  await page.mouse.move(cx, cy - 120, { steps: 8 });
  await page.mouse.up();
  await page.keyboard.up("Shift");
  await page.keyboard.up("Alt");
  expect(await rotation()).toBe(0);
  await expect(page.getByRole("radio", { name: "Grid up" })).toBeChecked();
});
