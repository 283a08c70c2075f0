/**
 * The map in real Chromium against the real host: a before/after pair of Sentinel-2-like scenes
 * with a planted burn scar, one marked through the reference imagery panel and one through the
 * API; dNBR read back from the rendered map, pixel by pixel, where the scar was planted and
 * elsewhere; compare modes; a hostile scene; failing and slow tile servers; the case map filtering
 * the evidence board. Screenshots of each go to tests/e2e/screenshots/.
 */
import { expectNoAxeViolations } from "./axeScan.js";
import { expect, test, type Page } from "@playwright/test";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startLoopbackHost, type LoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { SightlineService } from "../../electron/services/sightlineService.js";
import { REPO_ROOT } from "../support/cli.js";
import { makeBurnPair, makeNotGeoTiff, type BurnPair } from "../support/geoFixtures.js";
import { makeImageCorpus } from "../support/formatCorpus.js";
import { makeJpeg } from "../support/mediaCorpus.js";
import { makeBasemap, startTileServer, type TileServer } from "../support/tileServer.js";
import { centreIsBurnt, goTo, mapPixels, near, scarCounts, UNBURNED } from "./mapPage.js";

const SCREENSHOTS = path.join(REPO_ROOT, "tests", "e2e", "screenshots");
const HOSTILE_SCENE = "<img src=x onerror=alert(1)>\u202e.tif";

let root: string;
let host: LoopbackHost;
let service: SightlineService;
let pair: BurnPair;
const servers: TileServer[] = [];

test.beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "sightline-map-e2e-"));
  await mkdir(SCREENSHOTS, { recursive: true });
  service = new SightlineService(new KeyStore(path.join(root, "home")));
  host = await startLoopbackHost({ service });
  pair = await makeBurnPair(path.join(root, "scenes"), { cog: true });
  await makeNotGeoTiff(path.join(root, "hostile", HOSTILE_SCENE));
  await makeJpeg(path.join(root, "photos", "kidal-fire.jpg"), { width: 1200, height: 800, seed: 5 });
  await makeImageCorpus(path.join(root, "corpus"));
});

test.afterAll(async () => {
  await service.jobs.settle();
  await host.close();
  await Promise.all(servers.map((s) => s.close()));
  await service.close();
  await rm(root, { recursive: true, force: true });
});

async function makeCase(title: string, paths: string[]): Promise<string> {
  const dir = path.join(root, title.replace(/\W+/g, "-"));
  await service.createCase({ dir, title, examiner: "A. Analyst", hashAlgorithms: ["sha256"] });
  await service.importFiles({ dir, paths, collection: {} });
  await service.jobs.settle();
  return dir;
}

async function shaOf(dir: string, name: string): Promise<string> {
  const events = await service.ledgerEvents({ dir });
  const e = events.find(
    (x) =>
      x.event.type === "item.imported" &&
      (x.event.payload as { source: { originalName: string } }).source.originalName === name,
  );
  if (!e) throw new Error(`${name} was not imported`);
  return (e.event.payload as { sha256: string }).sha256;
}

async function openCase(page: Page, dir: string, errors: string[]): Promise<void> {
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${host.url}/#token=${host.token}`);
  const open = page.getByRole("region", { name: "Open case" }).or(page.getByLabel("Open case"));
  await open.getByLabel("Case folder").fill(dir);
  await open.getByRole("button", { name: "Open" }).click();
  await expect(page.getByLabel("Case title")).toBeVisible();
}

test("dNBR of a before/after pair shows the burn scar where it was planted; compare modes; a hostile scene; failing and slow tiles", async ({
  page,
}) => {
  const errors: string[] = [];
  const failing = await startTileServer({ kind: "fail" });
  const slow = await startTileServer({ kind: "slow", delayMs: 20_000 });
  servers.push(failing, slow);
  const dir = await makeCase("Kidal burn pair", [
    pair.before.path,
    pair.after.path,
    path.join(root, "hostile"),
    path.join(root, "photos"),
  ]);
  const after = await shaOf(dir, path.basename(pair.after.path));
  await service.markReference({
    dir,
    sha256: after,
    kind: "scene",
    provider: "Copernicus Sentinel-2",
    sceneId: "S2B_MSIL2A_20260217",
    acquiredOn: pair.afterDate,
    bands: ["blue", "green", "red", "nir-narrow", "swir1", "swir2"].map((role, i) => ({
      band: i + 1,
      role: role as "blue",
      label: `B${i}`,
    })),
    note: "",
  });
  for (const [name, s] of [
    ["Failing tiles", failing],
    ["Slow tiles", slow],
  ] as const) {
    await service.saveTileSource({
      dir,
      name,
      template: s.template,
      attribution: "test server",
      terms: "",
      maxZoom: 19,
    });
  }
  await openCase(page, dir, errors);

  // The before scene marked through the reference imagery panel: the file's own tags, then the verifier's statement.
  await page.getByRole("gridcell", { name: path.basename(pair.before.path) }).click();
  await page.getByRole("tab", { name: "Reference imagery" }).click();
  const panel = page.getByRole("region", { name: "Reference imagery" });
  await panel.getByRole("button", { name: "Use as reference imagery" }).click();
  const tags = panel.getByRole("table", { name: "What the file says about itself" });
  await expect(tags).toContainText(`EPSG:${pair.before.epsg}`);
  await expect(tags).toContainText(`${pair.before.width} × ${pair.before.height} pixels, 6 band(s)`);
  await panel.getByLabel("Provider").fill("Copernicus Sentinel-2");
  await expect(panel.getByLabel("Acquisition date")).toHaveValue(pair.beforeDate); // from the file's DateTime
  await expect(panel.getByLabel("Band 6")).toHaveValue("swir2"); // the Sentinel-2 L2A preset for six bands
  await page.screenshot({ path: path.join(SCREENSHOTS, "map-01-reference-panel.png") });
  await expectNoAxeViolations(page, "the reference imagery panel");
  await panel.getByRole("button", { name: "Record as reference imagery" }).click();
  await expect(panel.getByRole("status")).toContainText("Recorded in the ledger");

  // A JPEG named .tif with markup in its name: one line, the name shown as text.
  await page.keyboard.press("Escape");
  // Shown inert: the right-to-left override as a visible \u{202E}, the markup as text.
  await page.getByRole("gridcell", { name: "<img src=x onerror=alert(1)>\\u{202E}.tif" }).click();
  await page.getByRole("tab", { name: "Reference imagery" }).click();
  await panel.getByRole("button", { name: "Use as reference imagery" }).click();
  const refusal = panel.getByRole("alert");
  await expect(refusal).toContainText("This file cannot be used as reference imagery:");
  expect((await refusal.innerText()).trim().split("\n")).toHaveLength(1);
  await expect(page.locator("img[src='x']")).toHaveCount(0);
  await page.keyboard.press("Escape");

  // The map: dNBR alone, the scar centred.
  await page.getByText("Map", { exact: true }).click();
  const layers = page.locator(".layer-panel");
  const dnbr = layers.getByRole("checkbox", {
    name: `dNBR ${pair.beforeDate} → ${pair.afterDate} (Copernicus Sentinel-2)`,
    exact: true,
  });
  await dnbr.check();
  for (const shown of await layers.getByRole("checkbox", { name: /^Visible: / }).all()) {
    const name = (await shown.getAttribute("aria-label")) ?? "";
    if (!name.includes("dNBR")) await shown.uncheck();
  }
  await expect(page.getByText("Burn indices are unreliable for small, village-scale fires")).toBeVisible();
  await expect(page.getByRole("list", { name: "dNBR severity classes" })).toContainText("High severity");
  // Go to the scar's centre: the view lands at Web Mercator zoom 14's ground scale (9.5 m of Web
  // Mercator per pixel), drawn in the scene's own UTM grid.
  await goTo(page, `${pair.scar.lat.toFixed(6)}, ${pair.scar.lon.toFixed(6)}`);
  await expect.poll(() => centreIsBurnt(page), { timeout: 30_000 }).toBe(true);
  const shot = await mapPixels(page, path.join(SCREENSHOTS, "map-02-dnbr.png"));
  await page.screenshot({ path: path.join(SCREENSHOTS, "map-02-dnbr-page.png") });
  await expectNoAxeViolations(page, "the dNBR view");
  // Each screen pixel back to a scene pixel: the map is drawn in the scene's grid, so the axes are the scene's.
  const { burntInside, unburntInside, burntOutside } = scarCounts(shot, pair);
  expect(burntInside).toBeGreaterThan(5000);
  expect(unburntInside).toBe(0);
  expect(burntOutside).toBe(0);
  // Unburnt soil in both scenes, where the fixture says: the unburned class.
  await goTo(page, `${pair.unburnt.lat.toFixed(6)}, ${pair.unburnt.lon.toFixed(6)}`);
  await expect
    .poll(async () => {
      const s = await mapPixels(page);
      return near(s.at(s.width / 2, s.height / 2), UNBURNED, 30);
    })
    .toBe(true);

  // Compare: the true-colour scenes of both dates over the scar, each mode.
  await dnbr.uncheck();
  await goTo(page, `${pair.scar.lat.toFixed(6)}, ${pair.scar.lon.toFixed(6)}`, 1);
  const trueColour = layers.getByRole("checkbox", { name: /^Copernicus Sentinel-2 2026-02-1\d.* — true colour$/ });
  await trueColour.nth(0).check();
  await trueColour.nth(1).check();
  const scarPixel: Record<string, readonly number[]> = {};
  for (const mode of ["Single", "Swipe", "Opacity"]) {
    await page.getByText(mode, { exact: true }).click();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(SCREENSHOTS, `map-03-compare-${mode.toLowerCase()}.png`) });
    const s = await mapPixels(page);
    scarPixel[mode] = s.at(s.width / 2 - 20, s.height / 2); // just left of the swipe line, inside the scar
  }
  // The after scene is on top: its scar shows in single mode and left of the swipe line; faded to
  // half over the before scene, the same place is visibly lighter.
  expect(near(scarPixel.Swipe!, scarPixel.Single!, 8)).toBe(true);
  expect(near(scarPixel.Opacity!, scarPixel.Single!, 8)).toBe(false);
  await expect(page.getByText(/^Left of the slider: /).or(page.getByText(/faded over/))).toBeVisible();

  // Tile servers that fail or stall: one line each, the map still there.
  await layers.getByRole("checkbox", { name: "Failing tiles", exact: true }).check();
  const failHost = new URL(failing.origin).host;
  await expect(
    page.getByText(new RegExp(`^Tiles from ${failHost.replace(/\./g, "\\.")} are failing \\(\\d+ errors?\\)$`)),
  ).toBeVisible({
    timeout: 20_000,
  });
  await layers.getByRole("checkbox", { name: "Slow tiles", exact: true }).check();
  await expect(page.getByText(`Tiles from ${new URL(slow.origin).host} are slow`, { exact: true })).toBeVisible({
    timeout: 20_000,
  });
  await page.screenshot({ path: path.join(SCREENSHOTS, "map-04-tiles-failing-slow.png") });

  // Overlay: the photo over the after scene in its "Where and when" workspace, rotated, scaled and moved by keyboard.
  await page.getByText("Evidence", { exact: true }).click();
  await page.getByRole("gridcell", { name: /^kidal-fire\.jpg / }).click();
  await page.getByRole("button", { name: "Where and when" }).click();
  // Veiled, the frame is not offered to overlay: it is once revealed, and not again when veiled.
  const overlayFrame = page.getByRole("radio", { name: "Overlay frame" });
  await page.getByRole("button", { name: "Reveal media" }).click();
  await expect(overlayFrame).toBeEnabled();
  await page.getByRole("button", { name: "Veil media" }).click();
  await expect(overlayFrame).toBeDisabled();
  await page.getByRole("button", { name: "Reveal media" }).click();
  await expect(overlayFrame).toBeEnabled();
  // The workspace is narrow: the layer list opens on request.
  await page.getByRole("button", { name: "Layers", exact: true }).click();
  const workspaceLayers = page.locator(".layer-panel");
  await workspaceLayers.getByRole("checkbox", { name: /^Copernicus Sentinel-2 2026-02-17.* — true colour$/ }).check();
  await page.getByRole("button", { name: "Hide layers" }).click();
  await goTo(page, `${pair.scar.lat.toFixed(6)}, ${pair.scar.lon.toFixed(6)}`, 1);
  await page.getByText("Overlay frame", { exact: true }).click();
  await page.getByRole("slider", { name: "Frame rotation" }).focus();
  for (let i = 0; i < 12; i++) await page.keyboard.press("ArrowRight");
  await page.getByRole("slider", { name: "Frame opacity" }).focus();
  await page.keyboard.press("ArrowLeft");
  await page.getByRole("button", { name: "Move frame right" }).click();
  await page.getByRole("button", { name: "Move frame down" }).click();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(SCREENSHOTS, "map-03-compare-overlay.png") });
  expect(errors).toEqual([]);
});

test("the case map shows items by status and a drawn box filters the evidence board", async ({ page }) => {
  const errors: string[] = [];
  const basemap = await makeBasemap(path.join(root, "basemap", "kidal-offline.pmtiles"), { maxZoom: 6 });
  const dir = await makeCase("Case map", [path.join(root, "corpus"), basemap.path]);
  await service.markReference({
    dir,
    sha256: await shaOf(dir, "kidal-offline.pmtiles"),
    kind: "basemap",
    provider: "Offline test basemap",
    note: "",
  });
  await openCase(page, dir, errors);
  await page.getByText("Map", { exact: true }).click();
  await expect(page.getByRole("list", { name: "Status colours" })).toContainText("unverified");
  // A case with an offline basemap opens on it: no network needed, nothing failing.
  await expect(page.getByRole("checkbox", { name: "Visible: Offline test basemap (offline)" })).toBeChecked();
  await expect(page.getByText(/^Tiles from .* are (failing|slow)/)).toHaveCount(0);
  const entries = await service.caseMap({ dir });
  expect(entries.length).toBeGreaterThan(2);
  await goTo(page, "17, -2", 9);
  await page.getByRole("button", { name: "Select a box" }).click();
  const box = (await page.locator(".map-target").boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.click(cx - 150, cy - 110);
  await page.mouse.click(cx + 150, cy + 110);
  const inMali = entries.filter((e) => e.lat > 10 && e.lat < 24 && e.lon > -10 && e.lon < 6);
  expect(inMali.length).toBeGreaterThan(0);
  await expect(page.getByRole("status").filter({ hasText: "in the selected area" })).toContainText(
    `${inMali.length} item${inMali.length === 1 ? "" : "s"} in the selected area`,
  );
  await page.screenshot({ path: path.join(SCREENSHOTS, "map-05-case-map.png") });
  await expectNoAxeViolations(page, "the case map");
  await page.getByRole("button", { name: "Show them on the evidence board" }).click();
  await expect(page.getByLabel("Item count")).toHaveText(new RegExp(`^${inMali.length} of \\d+ items$`));
  for (const e of inMali)
    await expect(
      page.getByRole("gridcell", { name: new RegExp(`^${e.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} `) }),
    ).toBeVisible();
  await page.getByRole("button", { name: "clear", exact: true }).click();
  await expect(page.getByText("in the selected area")).toHaveCount(0);
  expect(errors).toEqual([]);
});
