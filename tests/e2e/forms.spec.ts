/**
 * The import's provenance form says what is wrong, where, as it is typed: an impossible "Collected
 * at" is marked with the reason, the accepted forms are said, a time without a zone asks for one,
 * and Import is refused with the form's words (never the API's internal "importFiles: …") without
 * writing anything. Once corrected, the import records the time as ISO 8601 with its zone.
 */
import { expect, test } from "@playwright/test";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { startGeoCase, type GeoCase } from "../support/geoHost.js";
import { makeJpeg } from "../support/mediaCorpus.js";
import { expectNoAxeViolations } from "./axeScan.js";
import { watch } from "./geolocatePage.js";
import { openCase, SCREENSHOTS } from "./caseSetup.js";

let geo: GeoCase;
let photo: string;

test.beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  geo = await startGeoCase();
  photo = path.join(geo.root, "incoming", "kidal-roof.jpg");
  await makeJpeg(photo, { width: 640, height: 480, seed: 5 });
});

test.afterAll(async () => {
  await geo.close();
});

const importedEvents = async () =>
  (await readFile(path.join(geo.caseDir, "ledger.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l))
    .filter((e) => e.type === "item.imported");

test("collected at: marked as typed, the accepted forms said, the zone asked for, the import refused until right", async ({
  page,
}) => {
  const errors = watch(page);
  await openCase(page, geo.analyst.host, geo.caseDir);
  await expect(page.getByLabel("Item count")).toHaveText("0 of 0 items");

  await page.getByRole("button", { name: "Provenance" }).click();
  const form = page.getByRole("group", { name: "Provenance of the next import" });
  const collectedAt = form.getByRole("textbox", { name: "Collected at" });
  const zone = form.getByRole("combobox", { name: "Time zone" });
  // Before anything is typed, the field says what it takes.
  await expect(form).toContainText("16/02/2026 09:12 (day/month/year), 2026-02-16 09:12 or 2026-02-16T09:12+01:00");

  // An impossible date is marked at once, with the reason and the forms accepted.
  await form.getByLabel("Source URL").fill("https://t.me/kidal_news/4411");
  await form.getByLabel("Method").fill("saved from the Telegram desktop client");
  await collectedAt.fill("31/02/2026 09:12");
  await expect(collectedAt).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText("There is no 31 February 2026 (February 2026 has 28 days).")).toBeVisible();
  await expect(page.getByRole("button", { name: "Provenance (1 to correct)" })).toBeVisible();
  await expectNoAxeViolations(page, "the provenance form with a bad date");
  await page.screenshot({ path: path.join(SCREENSHOTS, "forms-bad-date.png") });

  // Import is refused in the form's words, and nothing is written.
  await page.getByLabel("Path to import").fill(photo);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText(
    "Nothing was imported: the provenance needs correcting first. There is no 31 February 2026",
  );
  await expect(page.getByText(/importFiles|collection\.collectedAt/)).toHaveCount(0);
  expect(await importedEvents()).toEqual([]);

  // A month past 12 says how dates are read; a date with no time asks for the time.
  await collectedAt.fill("02/16/2026 09:12");
  await expect(form.getByText("There is no month 16 (dates are read day/month/year).")).toBeVisible();
  await collectedAt.fill("2026-02-16");
  await expect(form.getByText("Give the time of day as well, e.g. 2026-02-16 09:12.")).toBeVisible();
  // Direction-changing characters are refused, not read.
  await collectedAt.fill("2026-02-16 09:12\u202eZ");
  await expect(form.getByText(/contains control or text-direction characters/)).toBeVisible();

  // A real time without a zone: the field is fine, the zone is asked for.
  await collectedAt.fill("16/02/2026 09:12");
  await expect(collectedAt).not.toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText("Which time zone is 16 February 2026, 09:12 in?")).toBeVisible();
  await expect(zone).toHaveAttribute("aria-invalid", "true");
  await page.screenshot({ path: path.join(SCREENSHOTS, "forms-zone-asked.png") });
  await zone.click();
  await zone.fill("+01");
  await page.getByRole("option", { name: "UTC+01:00", exact: true }).click();
  await expect(form.getByText("Read as 16 February 2026, 09:12 UTC+01:00")).toBeVisible();
  await expect(page.getByRole("button", { name: "Provenance (4)" })).toBeVisible();

  // ISO 8601 with its own zone needs no picker: the picker is set aside, and the text's zone is read.
  await collectedAt.fill("2026-02-16T09:12:30-05:00");
  await expect(form.getByText("Read as 16 February 2026, 09:12:30 UTC-05:00")).toBeVisible();
  await expect(zone).toBeDisabled();
  await collectedAt.fill("2026-02-16 09:12");
  await expect(zone).toBeEnabled();
  await expect(form.getByText("Read as 16 February 2026, 09:12 UTC+01:00")).toBeVisible();
  await expectNoAxeViolations(page, "the provenance form, complete");

  // Escape leaves the field (the board's shortcuts do not act while typing), and Import goes through.
  await collectedAt.focus();
  await page.keyboard.press("Escape");
  await expect(collectedAt).not.toBeFocused();
  await expect(collectedAt).toHaveValue("2026-02-16 09:12");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByText(/^Import finished/)).toContainText("1 imported", { timeout: 120_000 });
  const [event] = await importedEvents();
  expect(event.payload.collection).toMatchObject({
    sourceUrl: "https://t.me/kidal_news/4411",
    collectedAt: "2026-02-16T09:12:00+01:00",
    method: "saved from the Telegram desktop client",
    missing: [],
  });
  expect(errors).toEqual([]);
});
