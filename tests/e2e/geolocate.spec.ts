/**
 * Where and when, driven through the UI in Chromium against the real loopback host: a photo and a
 * before/after pair of Sentinel-2-like scenes (made with GDAL) and an offline basemap are imported
 * with the CLI and marked; the photo is geolocated with three clues (by mouse and by keyboard),
 * saved with a map snapshot that verify re-hashes, reviewed by a second examiner, chronolocated
 * from a shadow measured on the frame, and exported as GeoJSON and KML that are checked against
 * the GeoJSON schema and parsed back. Hostile clue names and method text stay text.
 */
import { expect, test } from "@playwright/test";
import { Ajv } from "ajv";
import { XMLParser } from "fast-xml-parser";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { makeJpeg } from "../support/mediaCorpus.js";
import { clickAt, expectNamedControls, openWorkspace, watch } from "./geolocatePage.js";
import { REPO_ROOT } from "../support/cli.js";
import { makeBurnPair, SENTINEL_BANDS, type BurnPair } from "../support/geoFixtures.js";
import { startGeoCase, valueOf, type GeoCase } from "../support/geoHost.js";
import { makeBasemap } from "../support/tileServer.js";

const SCREENSHOTS = path.join(REPO_ROOT, "tests", "e2e", "screenshots");
const HOSTILE_CLUE = "<img src=x onerror=alert(1)> \u202eenim\u202c minaret";
const HOSTILE_METHOD = "Matched **three** features. <script>alert('m')</script> \u2067ridge\u2069 then the wadi.";
const PLACE = { lat: 18.441111, lon: 1.407778 };
const BEFORE_SCENE_ID = "S2A_MSIL2A_20260215_T31QCV";
const AFTER_SCENE_ID = "S2B_MSIL2A_20260217_T31QCV";

// The workspace sets frame, map and form side by side: an investigator's wide screen.
test.use({ viewport: { width: 1920, height: 1080 } });

let geo: GeoCase;
let pair: BurnPair;
let sha: Record<string, string>;

test.beforeAll(async () => {
  geo = await startGeoCase();
  const media = path.join(geo.root, "media");
  await makeJpeg(path.join(media, "kidal-roof.jpg"), { width: 1200, height: 800, seed: 3, exif: true });
  pair = await makeBurnPair(path.join(geo.root, "scenes"));
  await makeBasemap(path.join(geo.root, "scenes", "kidal-basemap.pmtiles"), { name: "Kidal offline" });
  sha = await geo.importFiles([
    path.join(media, "kidal-roof.jpg"),
    pair.before.path,
    pair.after.path,
    path.join(geo.root, "scenes", "kidal-basemap.pmtiles"),
  ]);
  const api = geo.analyst.api;
  const bands = SENTINEL_BANDS.map((b, i) => ({ band: i + 1, role: b.role, label: b.name }));
  for (const [name, acquiredOn, sceneId] of [
    ["before-2026-02-15.tif", pair.beforeDate, BEFORE_SCENE_ID],
    ["after-2026-02-17.tif", pair.afterDate, AFTER_SCENE_ID],
  ] as const) {
    valueOf(
      await api.markReference({
        dir: geo.caseDir,
        sha256: sha[name]!,
        kind: "scene",
        provider: "Sentinel-2 L2A",
        sceneId,
        acquiredOn,
        bands,
      }),
    );
  }
  valueOf(
    await api.markReference({
      dir: geo.caseDir,
      sha256: sha["kidal-basemap.pmtiles"]!,
      kind: "basemap",
      provider: "Kidal offline",
    }),
  );
});

test.afterAll(async () => geo?.close());

test("geolocate a photo with clues, review it as a second examiner, chronolocate it and export", async ({
  page,
  browser,
}) => {
  test.setTimeout(300_000);
  const errors = watch(page);
  const { host } = geo.analyst;
  await openWorkspace(page, host.url, host.token, geo.caseDir, "kidal-roof.jpg");
  const frame = page.getByRole("application", { name: /^Frame: photo/ });
  const map = page.getByRole("application", { name: "Map", exact: true });
  const form = page.getByLabel("Geolocation form");
  const frameImage = frame.getByRole("img", { name: /kidal-roof\.jpg, photo/ });
  await expect(frameImage).toBeVisible();

  // The file's metadata is the first claim, kept apart from the finding.
  await expect(form.getByLabel("Claim 1: who says so")).toHaveValue("The file's metadata");
  await expect(form.getByRole("textbox", { name: "Claim 1 position" })).toHaveValue("18.441100, 1.407800");

  // Clues are matched on the layer on top: the after scene in true colour, over the scar, above
  // the case's offline basemap (which the map opens on).
  await page.getByRole("button", { name: "Layers", exact: true }).click();
  await page
    .locator(".layer-panel")
    .getByRole("checkbox", { name: `Sentinel-2 L2A ${pair.afterDate} · ${AFTER_SCENE_ID} — true colour`, exact: true })
    .check();
  await page.getByRole("button", { name: "Hide layers" }).click();
  await page.getByLabel("Go to").fill(`${pair.scar.lat.toFixed(6)}, ${pair.scar.lon.toFixed(6)}`);
  await page.getByRole("button", { name: "Go", exact: true }).click();
  const sceneLabel = `Sentinel-2 L2A · ${AFTER_SCENE_ID} · ${pair.afterDate}`;

  // Clue 1 by mouse: a point on the frame, then on the map.
  await form.getByRole("button", { name: "Add a clue" }).click();
  await expect(page.getByText("to mark clue 1.")).toBeVisible();
  await clickAt(page, frameImage, 0.25, 0.4);
  await expect(page.getByText(/to mark clue 1 on the map/)).toBeVisible();
  await clickAt(page, map, 0.4, 0.45);
  await form.getByLabel("Clue 1: what it is").fill("ridge line south of the town");
  await expect(form.getByRole("group", { name: "Clue 1", exact: true })).toContainText(`matched on ${sceneLabel}`);

  // Clue 2 by keyboard: the cross-hair on the frame moved with the arrow keys, Enter picks; then
  // the map panned with the arrows and Enter picks the point under its cross-hair.
  await form.getByRole("button", { name: "Add a clue" }).click();
  await frame.focus();
  await page.keyboard.press("ArrowRight");
  const at = /Cross-hair at pixel (\d+), (\d+)/.exec((await page.getByText(/^Cross-hair at pixel/).textContent())!)!;
  // One step is 1 % of the image's width (12 px), ten with Shift.
  const crossHair = { x: Number(at[1]) + 12 - 120, y: Number(at[2]) + 12 };
  for (const key of ["ArrowRight", "ArrowDown", "Shift+ArrowLeft"]) await page.keyboard.press(key);
  await expect(page.getByText(`Cross-hair at pixel ${crossHair.x}, ${crossHair.y}`)).toBeVisible();
  await page.keyboard.press("Enter");
  await map.focus();
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Enter");
  await form.getByLabel("Clue 2: what it is").fill("road bend at the wadi");

  // Clue 3 with a hostile name.
  await form.getByRole("button", { name: "Add a clue" }).click();
  await clickAt(page, frameImage, 0.7, 0.3);
  await clickAt(page, map, 0.6, 0.55);
  await form.getByLabel("Clue 3: what it is").fill(HOSTILE_CLUE);
  await expect(frame.getByText("3", { exact: true })).toBeVisible();

  // Hostile text pasted as a place: one line saying why, shown as text.
  await form.getByLabel("Place", { exact: true }).fill("<b>18</b>\u202e N, 1 E");
  await form.getByLabel("Place", { exact: true }).press("Enter");
  await expect(form.getByRole("textbox", { name: "Place", exact: true })).toHaveAccessibleDescription(
    /contains control or invisible characters/,
  );
  await expect(page.locator("b", { hasText: "18" })).toHaveCount(0);
  // The place typed in degrees, minutes and seconds, shown back in three notations.
  await form.getByLabel("Place", { exact: true }).fill(`18°26'28"N 1°24'28"E`);
  await form.getByLabel("Place", { exact: true }).press("Enter");
  await expect(form.getByLabel("Place in other notations")).toContainText("18.441111, 1.407778");
  await expect(form.getByLabel("Place in other notations")).toContainText(/31Q \w+/);
  await form.getByLabel("Confidence").click();
  await page.getByRole("option", { name: "Strong possibility" }).click();
  await form.getByRole("button", { name: "Add a place considered and eliminated" }).click();
  await form.getByLabel("Place 1 considered").fill("Anéfis market");
  await form.getByLabel("Why place 1 was eliminated").fill("No wadi runs east of the market.");
  await form.getByLabel("Method and reasoning").fill(HOSTILE_METHOD);
  await form.getByLabel("Sensitive location").check();
  await expectNamedControls(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, "geolocate-form.png") });

  await form.getByRole("button", { name: "Save geolocation" }).click();
  await expect(form.getByRole("status")).toContainText("Recorded as event", { timeout: 90_000 });
  await expect(form.getByRole("status")).toContainText("The map as shown was kept with it.");
  await expect(form.getByRole("button", { name: "Save revision" })).toBeVisible();

  const listed = valueOf(await geo.analyst.api.listGeolocations({ dir: geo.caseDir, sha256: sha["kidal-roof.jpg"]! }));
  expect(listed.geolocations).toHaveLength(1);
  const proposal = listed.geolocations[0]!.payload;
  expect(proposal.clues.map((c) => c.what)).toEqual([
    "ridge line south of the town",
    "road bend at the wadi",
    HOSTILE_CLUE,
  ]);
  expect(proposal.clues[1]!.frame).toEqual({ image: "original", ...crossHair, timestampS: null });
  // The ledger names the scene each clue was matched on: its file, provider, scene id and date.
  for (const c of proposal.clues) {
    expect(c.layer).toEqual({
      kind: "scene",
      sha256: sha["after-2026-02-17.tif"],
      provider: "Sentinel-2 L2A",
      sceneId: AFTER_SCENE_ID,
      date: pair.afterDate,
      template: null,
    });
  }
  expect(proposal.place).toEqual({ shape: "point", ...PLACE });
  expect(proposal).toMatchObject({ confidence: "strong-possibility", sensitive: true, method: HOSTILE_METHOD });
  expect(proposal.claims[0]).toMatchObject({ source: "metadata", location: { lat: 18.4411, lon: 1.4078 } });
  // The snapshot is a derivative of the item, and verify re-hashes it clean.
  const item = valueOf(await geo.analyst.api.getItem({ dir: geo.caseDir, sha256: sha["kidal-roof.jpg"]! }));
  const snapshot = item.derivatives.find((d) => d.role === "map-snapshot")!;
  expect(snapshot.path).toBe(proposal.snapshot!.path);
  const png = await readFile(path.join(geo.caseDir, snapshot.path));
  expect(createHash("sha256").update(png).digest("hex")).toBe(proposal.snapshot!.sha256);
  expect(png.subarray(1, 4).toString()).toBe("PNG");
  const verified = valueOf(await geo.analyst.api.verifyCase({ dir: geo.caseDir }));
  expect(verified.problems).toEqual([]);

  // A change saved again is a revision: it names the proposal it replaces, which stays.
  await form.getByLabel("Confidence").click();
  await page.getByRole("option", { name: "Verified", exact: true }).click();
  await form.getByRole("button", { name: "Save revision" }).click();
  await expect(form.getByRole("status")).toContainText(`a revision of #${listed.geolocations[0]!.ref.seq}`, {
    timeout: 90_000,
  });
  const revised = valueOf(await geo.analyst.api.listGeolocations({ dir: geo.caseDir, sha256: sha["kidal-roof.jpg"]! }));
  expect(revised.geolocations).toHaveLength(2);
  const [original, revision] = revised.geolocations;
  expect(revision!.payload.replaces).toEqual(original!.ref);
  expect(original!.replacedBy).toEqual(revision!.ref);
  expect(revision!.payload).toMatchObject({ confidence: "verified", clues: proposal.clues, method: HOSTILE_METHOD });

  // History, newest first: the revision current, the first replaced; its snapshot from the case;
  // no review form for its own examiner.
  await page.getByRole("tab", { name: /History and review/ }).click();
  const cards = page.getByRole("article", { name: /Proposal #\d+/ });
  await expect(cards).toHaveCount(2);
  await expect(cards.nth(1)).toContainText(`replaced by #${revision!.ref.seq}`);
  await expect(cards.nth(1)).toContainText("Strong possibility");
  const card = cards.first();
  await expect(card).toContainText(`revises #${original!.ref.seq}`);
  await expect(card).toContainText("Verified");
  await expect(card).toContainText("3 clues");
  await expect(card.getByRole("img", { name: /Map snapshot kept with proposal/ })).toBeVisible();
  // A snapshot may show the frame overlaid on the map: veiled with the media, revealed with it.
  await page.getByRole("button", { name: "Veil media" }).click();
  await expect(card.getByRole("img", { name: /Map snapshot kept with proposal/ })).toHaveCount(0);
  await expect(card).toContainText("hidden while the media is veiled");
  await page.getByRole("button", { name: "Reveal media" }).click();
  await expect(card.getByRole("img", { name: /Map snapshot kept with proposal/ })).toBeVisible();
  // The current proposal's clues: numbered on the photo and the map, and listed as text.
  const clueList = card.getByRole("list", { name: `Clues of proposal #${revision!.ref.seq}` });
  await expect(clueList.getByRole("listitem")).toHaveCount(3);
  await expect(clueList.getByRole("listitem").nth(1)).toContainText(
    `road bend at the wadi — on the photo at pixel ${crossHair.x}, ${crossHair.y}; on the map at `,
  );
  await expect(clueList).toContainText(`matched on ${sceneLabel}`);
  for (const n of ["1", "2", "3"]) await expect(frame.getByText(n, { exact: true })).toBeVisible();
  // The replaced proposal's clues on request, in its own card.
  await cards
    .nth(1)
    .getByRole("button", { name: `Show the clues of #${original!.ref.seq} on the frame and the map` })
    .click();
  await expect(cards.nth(1).getByRole("list", { name: `Clues of proposal #${original!.ref.seq}` })).toBeVisible();
  await expect(clueList).toHaveCount(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, "geolocate-history-clues.png") });
  await expect(card).toContainText("a second examiner must open the case and review it");
  await expect(card.getByRole("button", { name: "Record review" })).toHaveCount(0);
  // Hostile text is shown as itself, never as markup.
  await expect(card.getByText(HOSTILE_METHOD.slice(0, 20))).toBeVisible();
  await expect(card).toContainText("<script>alert('m')</script>");
  await expect(page.locator("img[src='x']")).toHaveCount(0);
  await expectNamedControls(page);

  // Chronolocation: the place from the geolocation, a shadow measured on the frame.
  await page.getByRole("tab", { name: "Chronolocation" }).click();
  const chrono = page.getByLabel("Chronolocation");
  await expect(chrono.getByRole("textbox", { name: "Place for the sun" })).toHaveValue("18.441111, 1.407778");
  await expect(chrono.getByLabel("Date at the place")).toHaveValue("2026-02-16");
  await chrono.getByRole("slider", { name: "Time of day" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(chrono.getByLabel("Sun position")).toContainText(/Sun azimuth \d+\.\d° · elevation \d+\.\d°/);
  await chrono.getByRole("button", { name: "Add a shadow measurement" }).click();
  await chrono.getByLabel("Shadow 1: what casts it").fill("lamp post by the wall");
  await chrono.getByRole("button", { name: "Measure on the frame" }).click();
  for (const [fx, fy] of [
    [0.5, 0.7],
    [0.5, 0.5],
    [0.5, 0.7],
    [0.62, 0.7],
  ] as const) {
    await clickAt(page, frameImage, fx, fy);
  }
  const result = chrono.getByLabel("Shadow 1 result");
  await expect(result).toContainText(/Shadow ÷ height = 0\.\d\d → sun \d+\.\d° above the horizon/);
  await chrono.getByLabel("Your estimated window").click();
  await page.getByRole("option").first().click();
  await chrono.getByLabel("Method (chronolocation)").fill("Shadow of the lamp post against its height.");
  await expectNamedControls(page);
  await chrono.getByRole("heading", { name: "Shadows on the frame" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SCREENSHOTS, "geolocate-chronolocation.png") });
  await chrono.getByRole("button", { name: "Record chronolocation" }).click();
  await expect(chrono.getByRole("status")).toContainText("Recorded as event");
  const chronos = valueOf(await geo.analyst.api.listGeolocations({ dir: geo.caseDir })).chronolocations;
  expect(chronos).toHaveLength(1);
  const shadow = chronos[0]!.payload.shadows[0]!;
  expect(shadow.windows.length).toBeGreaterThan(0);
  expect(chronos[0]!.payload.window).toEqual(shadow.windows[0]);
  expect(shadow.elevationDeg).toBeGreaterThan(45);

  // Export: GeoJSON and KML with the sensitive place included (after the warning).
  for (const format of ["GeoJSON", "KML"] as const) {
    await page.getByRole("button", { name: "Export geolocations" }).click();
    const dialog = page.getByRole("dialog", { name: "Export geolocations" });
    await dialog.getByLabel(new RegExp(`^${format} `)).check();
    await dialog.getByLabel("Include them as recorded").check();
    await expect(dialog.getByRole("alert")).toContainText("The exact places will be in the file");
    await dialog.getByRole("button", { name: "Export", exact: true }).click();
    await expect(dialog.getByRole("status")).toContainText("Export written");
    const written = (await dialog.getByLabel("Exported file").textContent())!;
    const hash = (await dialog.getByLabel("SHA-256 of the export").textContent())!.replace("SHA-256 ", "");
    const bytes = await readFile(path.join(geo.caseDir, written));
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(hash);
    // A copy saved from the page is the same bytes, under the export's own name.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      dialog.getByRole("link", { name: new RegExp(`^Save a copy of the export \\(${format}, `) }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(written.slice("exports/".length));
    const saved = await readFile((await download.path())!);
    expect(createHash("sha256").update(saved).digest("hex")).toBe(hash);
    if (format === "GeoJSON") {
      await expectNamedControls(page);
      await page.screenshot({ path: path.join(SCREENSHOTS, "geolocate-export.png") });
      checkGeoJson(JSON.parse(bytes.toString("utf8")));
    } else checkKml(bytes.toString("utf8"));
    await dialog.getByRole("button", { name: "Close", exact: true }).click();
  }
  // The custody timeline and the ledger say what happened in plain words, codes beside them.
  await page.getByRole("button", { name: "Back to the item" }).click();
  await page.getByRole("tab", { name: "Custody" }).click();
  const timeline = page.getByLabel("Custody timeline");
  await expect(timeline).toContainText("Geolocation proposed");
  await expect(timeline).toContainText("Geolocation revised");
  await expect(timeline).toContainText(
    "this item at 18.441111, 1.407778, Vicinity (±100 m), verified, 3 clues, sensitive location, with a map snapshot, revising #",
  );
  await expect(timeline).toContainText("Map snapshot kept");
  await expect(timeline).toContainText("Chronolocation recorded");
  await expect(timeline).toContainText("chronolocation.recorded");
  await page.getByText("Ledger", { exact: true }).click();
  const ledger = page.getByLabel("Ledger", { exact: true });
  await expect(ledger.getByText("Geolocations exported").first()).toBeVisible();
  await expect(ledger.getByText(/1 geolocation as KML to exports\/.*\.kml, sensitive places included/)).toBeVisible();
  await expect(ledger.getByText("Marked as reference imagery").first()).toBeVisible();
  expect(errors).toEqual([]);

  // A second examiner, in their own profile and host, reviews the proposal.
  const reviewer = await geo.reviewer();
  // A context of its own (the axe scan needs one): the reviewer's host, cookie and storage apart.
  const second = await (await browser.newContext()).newPage();
  const secondErrors = watch(second);
  await openWorkspace(second, reviewer.host.url, reviewer.host.token, geo.caseDir, "kidal-roof.jpg");
  await second.getByRole("tab", { name: /History and review/ }).click();
  const review = second.getByRole("group", { name: /Review proposal #\d+/ });
  await review.getByText("I agree").click();
  await review.getByLabel("Why").fill("The ridge and the wadi bend match the 17 February scene.");
  await expectNamedControls(second);
  await review.getByRole("button", { name: "Record review" }).click();
  await expect(second.getByRole("article", { name: /Proposal #\d+/ }).first()).toContainText("B. Reviewer, 20");
  await expect(second.getByText(/^You reviewed this proposal on /)).toBeVisible();
  await second.screenshot({ path: path.join(SCREENSHOTS, "geolocate-history-reviewed.png") });
  const reviews = valueOf(await reviewer.api.listGeolocations({ dir: geo.caseDir })).geolocations.find(
    (g) => g.replacedBy === null,
  )!.reviews;
  expect(reviews.map((r) => [r.actorName, r.payload.verdict])).toEqual([["B. Reviewer", "agree"]]);
  expect(valueOf(await reviewer.api.verifyCase({ dir: geo.caseDir })).problems).toEqual([]);
  expect(secondErrors).toEqual([]);
  await second.close();
});

const require = createRequire(import.meta.url);

function checkGeoJson(json: unknown): void {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(require("geojson-schema/FeatureCollection.json") as object);
  expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
  const features = (json as { features: { geometry: { type: string; coordinates: number[] } }[] }).features;
  expect(features).toHaveLength(1);
  const [lon, lat] = features[0]!.geometry.coordinates;
  expect(Math.abs(lon! - PLACE.lon)).toBeLessThan(1e-6);
  expect(Math.abs(lat! - PLACE.lat)).toBeLessThan(1e-6);
  expect(features[0]).toMatchObject({
    properties: { itemName: "kidal-roof.jpg", clueCount: 3, sensitive: true, coordinatesRounded: false },
  });
}

function checkKml(text: string): void {
  const kml = new XMLParser({ ignoreAttributes: false }).parse(text) as {
    kml: { Document: { Placemark: unknown } };
  };
  const placemarks = [kml.kml.Document.Placemark].flat() as { Point?: { coordinates: string } }[];
  const point = placemarks
    .find((p) => p.Point)!
    .Point!.coordinates.trim()
    .split(",")
    .map(Number);
  expect(Math.abs(point[0]! - PLACE.lon)).toBeLessThan(1e-6);
  expect(Math.abs(point[1]! - PLACE.lat)).toBeLessThan(1e-6);
  expect(text).not.toContain("<img src=x"); // escaped for Google Earth, which shows descriptions as HTML
}
