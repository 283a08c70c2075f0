/**
 * Authoring a training sample from an ordinary case, in Chromium against the real loopback host:
 * the form says what is wrong beside each field as it is typed (and lists it all when writing is
 * tried too early), keeps hostile text as text, and writes a package whose manifest and answer
 * key, read back from the zip by the test, hold exactly what was typed; the case records it.
 */
import { expect, test } from "@playwright/test";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { startGeoCase, valueOf, type GeoCase } from "../support/geoHost.js";
import { makeJpeg } from "../support/mediaCorpus.js";
import { expectNamedControls, watch } from "./geolocatePage.js";
import { openCase, SCREENSHOTS } from "./caseSetup.js";
import { readAnswerKey } from "./trainingPage.js";

const HOSTILE_TITLE = "<b>Wadi</b> fire \u202eexe.gpj";
const HOSTILE_HINT = "Look <img src=x onerror=alert(1)> at the ridge";

test.use({ viewport: { width: 1600, height: 1000 } });

let geo: GeoCase;
let sha: Record<string, string>;

test.beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  geo = await startGeoCase();
  const media = path.join(geo.root, "media");
  await makeJpeg(path.join(media, "wadi-photo.jpg"), { width: 800, height: 600, seed: 5, exif: true });
  await makeJpeg(path.join(media, "forwarded.jpg"), { width: 400, height: 300, seed: 9 });
  sha = await geo.importFiles([path.join(media, "wadi-photo.jpg"), path.join(media, "forwarded.jpg")]);
});

test.afterAll(async () => geo?.close());

test("a trainer authors a sample from a case, told what is wrong where, and the package holds it", async ({ page }) => {
  test.setTimeout(300_000);
  const errors = watch(page);
  await openCase(page, geo.analyst.host, geo.caseDir);
  await page.getByRole("button", { name: "Author a training sample…" }).click();
  const dialog = page.getByRole("dialog", { name: "Author a training sample" });
  await expect(dialog.getByRole("checkbox", { name: /^wadi-photo\.jpg/ })).toBeVisible();

  // Written too early: every problem listed, each beside its field.
  await dialog.getByRole("button", { name: "Write the sample" }).click();
  const problems = dialog.getByRole("status", { name: "Not ready to write" });
  await expect(problems).toContainText("Items: choose at least one item");
  await expect(problems).toContainText("Model answer: write the model answer");
  await expect(problems).toContainText("Where to write the package");
  await expect(dialog.getByRole("textbox", { name: "Title" })).toHaveAttribute("aria-invalid", "true");

  await dialog.getByRole("textbox", { name: "Title" }).fill(HOSTILE_TITLE);
  await dialog.getByRole("textbox", { name: "Sample id" }).fill("Wadi Fire");
  await expect(dialog.getByRole("textbox", { name: "Sample id" })).toHaveAccessibleDescription(
    /lower-case letters, digits and '-'/,
  );
  await dialog.getByRole("textbox", { name: "Sample id" }).fill("wadi-fire");
  const out = path.join(geo.root, "wadi-fire.sightline-sample");
  await dialog.getByRole("textbox", { name: "Where to write the package" }).fill(path.join(geo.root, "wadi.zip"));
  await expect(dialog.getByRole("textbox", { name: "Where to write the package" })).toHaveAccessibleDescription(
    /ends in \.sightline-sample/,
  );
  await dialog.getByRole("textbox", { name: "Where to write the package" }).fill(out);
  await dialog.getByRole("checkbox", { name: /^wadi-photo\.jpg/ }).check();
  await dialog.getByRole("checkbox", { name: /^forwarded\.jpg/ }).check();
  await dialog.getByRole("textbox", { name: "The task" }).fill("Where and when was the wadi photo taken?");
  await dialog.getByRole("textbox", { name: "What is claimed" }).fill("Taken in Gao\nPosted the same day");
  await dialog.getByLabel("Time allowed (minutes)").fill("45");

  await dialog.getByRole("button", { name: "Add a hint" }).click();
  await dialog.getByRole("textbox", { name: "Hint 1: title" }).fill("The ridge");
  await dialog.getByRole("textbox", { name: "Hint 1: text" }).fill(HOSTILE_HINT);

  await dialog.getByRole("button", { name: "Add a location answer" }).click();
  const place = dialog.getByRole("textbox", { name: "Location answer 1: true place" });
  await place.fill("18°26'28\"N 1°24'28\"E");
  await place.press("Enter");
  await expect(dialog.getByLabel("Location answer 1: true place in other notations")).toContainText(
    "18.441111, 1.407778",
  );
  await dialog.getByLabel("Location answer 1: tolerance (metres)").fill("1500");
  await dialog.getByRole("textbox", { name: "Location answer 1: what a verifier should match" }).fill("Ridge, wadi.");

  await dialog.getByRole("button", { name: "Add a time answer" }).click();
  await dialog.getByRole("textbox", { name: "Time answer 1: window starts" }).fill("2026-02-16T10:00Z");
  await dialog.getByRole("textbox", { name: "Time answer 1: window ends" }).fill("2026-02-16T09:00Z");
  await expect(problems).toContainText("Time answer 1, its window: a window ends after it starts");
  await dialog.getByRole("textbox", { name: "Time answer 1: window ends" }).fill("2026-02-16T11:00+01:00");
  await expect(problems).not.toContainText("its window");
  await dialog.getByRole("textbox", { name: "Time answer 1: how it is found" }).fill("Shadows.");

  await dialog.getByRole("button", { name: "Add a trap" }).click();
  await dialog.getByLabel("Trap 1: item", { exact: true }).click();
  await page.getByRole("option", { name: "forwarded.jpg" }).click();
  await dialog.getByLabel("Trap 1: kind", { exact: true }).click();
  await page.getByRole("option", { name: "Stripped re-upload" }).click();
  await dialog.getByRole("textbox", { name: "Trap 1: title" }).fill("A stripped copy");
  await dialog.getByRole("textbox", { name: "Trap 1: keywords that catch it" }).fill("stripped, re-upload");
  await dialog.getByRole("textbox", { name: "Trap 1: explanation" }).fill("No metadata at all.");
  // The kind brings the warning it raises; the trainer adds another, by keyboard alone.
  const warnings = dialog.getByRole("group", { name: "Trap 1" });
  await expect(warnings.getByText("No metadata in the file", { exact: true })).toBeVisible();
  const warningField = dialog.getByLabel("Trap 1: warnings whose acknowledgement catches it", { exact: true });
  await warningField.focus();
  await page.keyboard.type("Edited");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await expect(warnings.getByText("Edited with software", { exact: true })).toBeVisible();
  await expect(dialog).toBeVisible();
  await dialog.getByRole("textbox", { name: "Model answer" }).fill("At the wadi bend, about 09:30 UTC.");
  await expect(problems).toHaveCount(0);
  await expect(page.locator("img[src='x']")).toHaveCount(0);
  await expectNamedControls(page, "the sample author");
  await page.screenshot({ path: path.join(SCREENSHOTS, "training-author.png"), fullPage: true });

  await dialog.getByRole("button", { name: "Write the sample" }).click();
  const written = dialog.getByRole("status", { name: "Sample written" });
  await expect(written).toBeVisible({ timeout: 120_000 });
  await expect(written.getByLabel("Sample package file")).toContainText("wadi-fire.sightline-sample");

  // The package, read back by the test: exactly what was typed, with a key the case holds the hash of.
  const { key, manifest } = (await readAnswerKey(out)) as Awaited<ReturnType<typeof readAnswerKey>> & {
    manifest: { title: string; hints: { title: string; text: string }[]; briefing: { claims: string[] } };
  };
  expect(manifest.title).toBe(HOSTILE_TITLE);
  expect(manifest.hints).toEqual([{ title: "The ridge", text: HOSTILE_HINT }]);
  expect(manifest.briefing.claims).toEqual(["Taken in Gao", "Posted the same day"]);
  expect(key.locations).toEqual([
    {
      sha256: sha["wadi-photo.jpg"],
      place: { lat: 18.441111, lon: 1.407778 },
      toleranceM: 1500,
      explanation: "Ridge, wadi.",
    },
  ]);
  expect(key.times[0]!.window).toEqual({ from: "2026-02-16T10:00Z", to: "2026-02-16T11:00+01:00" });
  expect(key.traps[0]).toMatchObject({
    sha256: sha["forwarded.jpg"],
    kind: "stripped-reupload",
    keywords: ["stripped", "re-upload"],
    warnings: ["no-metadata", "editing-software"],
  });
  const inspected = valueOf(await geo.analyst.api.inspectSample({ path: out }));
  expect(inspected).toMatchObject({ id: "wadi-fire", hintCount: 1, fileCount: 2 });
  expect(await geo.ledgerText()).toContain('"type":"sample.authored"');
  expect(errors).toEqual([]);
});
