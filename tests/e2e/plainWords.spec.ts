/**
 * Plain words first, codes second, on an item's page in Chromium: warnings by their titles ("GPS at
 * 0, 0") with the code beside them and on hover, a capture time without a zone said to have none,
 * GPS written only in XMP said so, a collection record's gaps shown as gaps (not as values), and
 * a custody timeline whose tag and status changes say what changed. Both tabs are scanned by axe
 * and photographed.
 */
import { expect, test } from "@playwright/test";
import { execFile } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { runCli } from "../support/cli.js";
import { tempDir } from "../support/fixtures.js";
import { appendAs } from "../support/reportCase.js";
import { expectNoAxeViolations } from "./axeScan.js";
import { watch } from "./geolocatePage.js";
import { openCase, SCREENSHOTS, startWorkbench, type Workbench } from "./caseSetup.js";

const run = promisify(execFile);
const NAME = "market <b>fire.jpg";

let workbench: Workbench | undefined;
let caseDir: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const root = await tempDir("sightline-words-");
  const home = path.join(root, "home");
  caseDir = path.join(root, "case");
  const media = path.join(root, "media");
  await mkdir(media, { recursive: true });
  const photo = path.join(media, NAME);
  const pixels = Buffer.alloc(640 * 480 * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 13 + (i >> 11) * 7) % 256;
  await sharp(pixels, { raw: { width: 640, height: 480, channels: 3 } })
    .jpeg()
    .toFile(photo);
  // A capture time with no zone, GPS at 0, 0 in EXIF, editing software; a second GPS only in XMP on the PNG.
  await run("exiftool", [
    "-q",
    "-overwrite_original",
    "-EXIF:DateTimeOriginal=2026:02:16 09:12:44",
    "-EXIF:GPSLatitude=0",
    "-EXIF:GPSLatitudeRef=N",
    "-EXIF:GPSLongitude=0",
    "-EXIF:GPSLongitudeRef=E",
    "-EXIF:Software=Adobe Photoshop 25.0",
    photo,
  ]);
  const png = path.join(media, "rooftop.png");
  await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 90, g: 110, b: 140 } } })
    .png()
    .toFile(png);
  await run("exiftool", [
    "-q",
    "-overwrite_original",
    "-XMP-exif:GPSLatitude=16,30.0N",
    "-XMP-exif:GPSLongitude=1,12.5W",
    png,
  ]);

  const init = await runCli(["init", caseDir, "--title", "Plain words", "--examiner", "Amélie Durand"], home);
  expect(init.code, init.stderr).toBe(0);
  // No collection record at all: every field of it is a gap.
  const imported = await runCli(["import", caseDir, media], home);
  expect(imported.code, imported.stderr + imported.stdout).toBe(0);
  const sha256 = createHash("sha256")
    .update(await readFile(photo))
    .digest("hex");
  await appendAs(home, caseDir, [
    { type: "tags.changed", payload: { sha256, added: ["smoke"], removed: [] } },
    { type: "tags.changed", payload: { sha256, added: ["fire"], removed: ["smoke"] } },
    { type: "status.changed", payload: { sha256, from: "unverified", to: "in-review", reason: "Checking the smoke" } },
  ]);
  workbench = await startWorkbench(home);
});

test.afterAll(() => workbench?.close());

test("an item's page shows warnings, times, gaps and its timeline in words, with the codes second", async ({
  page,
}) => {
  const errors = watch(page);
  await openCase(page, workbench!.host, caseDir);
  const tile = page.getByRole("gridcell", { name: new RegExp(`^${NAME.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`) });
  await expect(tile).toBeVisible();
  // The board: status and warnings in words, the tags on the tile, the time with its zone (or none).
  await expect(tile).toContainText("In review");
  await expect(tile).toContainText("fire");
  await expect(tile).not.toContainText("smoke");
  // Shown, not only present: the tag and the warnings pill lie inside the tile, not clipped away.
  const tileBox = (await tile.boundingBox())!;
  for (const pill of [tile.getByText("fire", { exact: true }), tile.getByText("2 warnings", { exact: true })]) {
    const box = (await pill.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(tileBox.x + tileBox.width);
    expect(box.y + box.height).toBeLessThanOrEqual(tileBox.y + tileBox.height);
  }
  await expect(tile).toContainText("2026-02-16 09:12 (no zone)");
  await expect(tile.getByText("2026-02-16 09:12 (no zone)")).toHaveAttribute(
    "title",
    "2026-02-16 09:12:44 (no time zone recorded)",
  );
  await page.screenshot({ path: path.join(SCREENSHOTS, "plain-words-board.png") });
  await expect(tile.getByText("2 warnings", { exact: true })).toHaveAttribute("title", /GPS at 0, 0/);
  await page.getByLabel("Layout").getByText("Table", { exact: true }).click();
  const warningsCell = page.getByRole("cell", { name: "2 warnings", exact: true });
  await expect(warningsCell).toHaveAttribute("title", "Edited with software · GPS at 0, 0");
  await expect(page.getByRole("cell", { name: "2026-02-16 09:12 (no zone)", exact: true })).toHaveAttribute(
    "title",
    "2026-02-16 09:12:44 (no time zone recorded)",
  );
  await expect(page.getByText("gps-zero, editing-software")).toHaveCount(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, "plain-words-table.png") });
  await page.getByLabel("Layout").getByText("Grid", { exact: true }).click();
  await tile.click();
  await expect(page.getByRole("heading", { name: NAME })).toBeVisible();

  // Warnings: titles in words, the code beside each, and on hover.
  const warnings = page.getByLabel("Warnings");
  await expect(warnings.getByText("GPS at 0, 0", { exact: true })).toBeVisible();
  await expect(warnings.getByText("Edited with software", { exact: true })).toBeVisible();
  await expect(warnings.getByText("gps-zero", { exact: true })).toBeVisible();
  await expect(page.getByText(/^2 things in this file to look at twice/)).toBeVisible();
  await warnings.getByText("GPS at 0, 0", { exact: true }).hover();
  await expect(page.getByRole("tooltip")).toHaveText("Code: gps-zero");
  await page.mouse.move(0, 0);
  // A capture time with no zone is said to have none; where it came from is named.
  await expect(page.getByText("2026-02-16 09:12:44 (no time zone recorded)")).toBeVisible();
  await expect(page.getByText("EXIF:DateTimeOriginal", { exact: true })).toBeVisible();
  await expect(page.getByText("gps-zero, editing-software")).toHaveCount(0);
  await expectNoAxeViolations(page, "item page, metadata");
  await page.screenshot({ path: path.join(SCREENSHOTS, "plain-words-metadata.png") });

  // Custody: the collection record's gaps are gaps; the timeline says what changed.
  await page.getByRole("tab", { name: "Custody" }).click();
  const acquisitions = page.getByLabel("Acquisitions", { exact: true });
  const gap = acquisitions.locator("[data-missing]").first();
  await expect(gap).toHaveText("(not given at import)");
  await expect(gap).toHaveCSS("font-style", "italic");
  await expect(acquisitions.getByText(/The collection record lacks source, collected at, method/)).toBeVisible();
  const timeline = page.getByLabel("Custody timeline");
  await expect(timeline.getByText("Tags changed: +fire −smoke", { exact: true })).toBeVisible();
  await expect(timeline.getByText("Tags changed: +smoke", { exact: true })).toBeVisible();
  await expect(timeline.getByText("Status changed: Unverified → In review", { exact: true })).toBeVisible();
  await expect(timeline.getByText(/ UTC$/).first()).toBeVisible();
  await expect(timeline.getByText(/^read as image\/jpeg; 2 warnings: .*GPS at 0, 0/)).toBeVisible();
  await timeline.getByText("Tags changed: +fire −smoke", { exact: true }).hover();
  await expect(page.getByRole("tooltip")).toHaveText("Event type: tags.changed");
  await page.mouse.move(0, 0);
  await expect(timeline.getByText(/tags\.changed #\d+/).first()).toBeVisible();
  await expectNoAxeViolations(page, "item page, custody");
  await page.screenshot({ path: path.join(SCREENSHOTS, "plain-words-timeline.png") });
  // The other theme: the same words, still readable by axe's measure.
  await page.getByRole("button", { name: "Use light theme" }).click();
  await expectNoAxeViolations(page, "item page, custody, light theme");
  await page.getByRole("tab", { name: /^Metadata/ }).click();
  await expect(page.getByLabel("Warnings").getByText("GPS at 0, 0", { exact: true })).toBeVisible();
  await expectNoAxeViolations(page, "item page, metadata, light theme");
  await page.screenshot({ path: path.join(SCREENSHOTS, "plain-words-metadata-light.png") });
  await page.getByRole("button", { name: "Use dark theme" }).click();

  // The PNG's GPS was written only in XMP: read, and said to come from there.
  await page.getByRole("button", { name: "Back to the board" }).click();
  await page.getByRole("gridcell", { name: /^rooftop\.png/ }).click();
  await expect(page.getByText("16.500000, -1.208333")).toBeVisible();
  await expect(page.getByText("(written only in XMP)")).toBeVisible();
  await expect(page.getByText("XMP:exif:GPSLatitude/GPSLongitude")).toBeVisible();
  expect(errors).toEqual([]);
});
