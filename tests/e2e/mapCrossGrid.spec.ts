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
import { makeJpeg } from "../support/mediaCorpus.js";

const ROLES: BandRole[] = ["blue", "green", "red", "nir-narrow", "swir1", "swir2"];

let bench: CaseWorkbench;
let pair: BurnPair;
let photo: string;
let shaOf: (file: string) => string;

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
  photo = path.join(bench.root, "media", "kidal-fire.jpg");
  await makeJpeg(photo, { width: 600, height: 400, seed: 11 });
  const files = [pair.before.path, shifted.path, zone30.path, elsewhere.path, photo];
  await bench.importPaths(files);
  const events = await bench.service.ledgerEvents({ dir: bench.caseDir });
  shaOf = (file: string) =>
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

test("a geolocation saved over a cross-grid dNBR keeps a snapshot that says how the after scene was resampled", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await openCase(page, bench.host, bench.caseDir);
  await page.getByRole("gridcell", { name: /^kidal-fire\.jpg( |$)/ }).click();
  await page.getByRole("button", { name: "Where and when" }).click();
  await expect(page.getByRole("heading", { name: "Where and when: kidal-fire.jpg" })).toBeVisible();
  // Media is veiled by default; the snapshot kept with the proposal is shown once it is revealed.
  await page.getByRole("button", { name: "Reveal media" }).click();
  await page.getByRole("button", { name: "Layers", exact: true }).click();
  await page
    .locator(".layer-panel")
    .getByRole("checkbox", { name: `dNBR ${pair.beforeDate} → ${pair.afterDate} (Landsat)`, exact: true })
    .check();
  await page.getByRole("button", { name: "Hide layers" }).click();
  await goTo(page, `${pair.scar.lat.toFixed(6)}, ${pair.scar.lon.toFixed(6)}`);
  const form = page.getByLabel("Geolocation form");
  await form.getByLabel("Place", { exact: true }).fill(`${pair.scar.lat.toFixed(6)}, ${pair.scar.lon.toFixed(6)}`);
  await form.getByLabel("Place", { exact: true }).press("Enter");
  await form.getByLabel("Confidence").click();
  await page.getByRole("option", { name: "Possible" }).click();
  await form.getByLabel("Method and reasoning").fill("The scar of the claimed fire shows in the dNBR.");
  await form.getByRole("button", { name: "Save geolocation" }).click();
  await expect(form.getByRole("status")).toContainText("The map as shown was kept with it.", { timeout: 90_000 });

  // The ledger: the Landsat scene (UTM zone 30) resampled onto the Sentinel-2 scene's 20 m grid in zone 31.
  const events = await bench.service.ledgerEvents({ dir: bench.caseDir });
  const snapshot = events.find(
    (x) => x.event.type === "derivative.created" && (x.event.payload as { role: string }).role === "map-snapshot",
  )!.event.payload as { params: { layers: { view: string; resampling?: unknown }[] } };
  const dnbr = snapshot.params.layers.filter((l) => l.view === "dnbr");
  expect(dnbr).toHaveLength(1);
  expect(dnbr[0]!.resampling).toEqual({
    resampled: { sha256: shaOf(path.join(bench.root, "scenes", "landsat-2026-02-17.tif")), date: pair.afterDate },
    onto: { sha256: shaOf(pair.before.path), date: pair.beforeDate },
    grid: {
      epsg: pair.before.epsg,
      pixelSize: [pair.before.pixelSize, pair.before.pixelSize],
      width: pair.before.width,
      height: pair.before.height,
    },
    fromEpsg: pair.before.epsg - 1,
    method: "bilinear",
  });
  // Layers whose scenes share a grid record none.
  for (const other of snapshot.params.layers.filter((l) => l.view !== "dnbr")) expect(other.resampling).toBeUndefined();

  // The proposal's card says it in words, under the snapshot.
  await page.getByRole("tab", { name: /History and review/ }).click();
  const card = page.getByRole("article", { name: /^Proposal #/ });
  await expect(card.getByRole("img", { name: /Map snapshot kept with proposal/ })).toBeVisible();
  const words = card.getByText(/^Burn index: /);
  await expect(words).toHaveText(
    new RegExp(
      `^Burn index: the .+ scene resampled onto the .+ scene's 20 m grid \\(${pair.before.width} × ${pair.before.height} pixels, reprojected from EPSG:${pair.before.epsg - 1} to EPSG:${pair.before.epsg}; bilinear\\)$`,
    ),
  );
  await words.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SCREENSHOTS, "map-08-snapshot-resampling.png") });
  await expectNoAxeViolations(page, "a proposal whose snapshot records a resampled dNBR");
  // The item's custody timeline says it under "Map snapshot kept" too.
  const said = (await words.textContent())!;
  await page.getByRole("button", { name: "Back to the item" }).click();
  const timeline = page.getByLabel("Custody timeline");
  await expect(timeline).toContainText("Map snapshot kept");
  await expect(timeline.getByText(said, { exact: true })).toHaveCount(1);
  const verified = await bench.service.verifyCase({ dir: bench.caseDir });
  expect(verified.problems).toEqual([]);
  expect(errors).toEqual([]);
});
