/**
 * The chronolocation's offset from UTC, in Chromium against the real host: a spin button typed as
 * text, stepped with the keys, whose one-line reason shows as soon as its text states no offset
 * (hostile text included), and while it does, nothing worked out at the place's clock (the time in
 * UTC, the sun, the claimed and estimated times, the times a shadow fits) is shown as if known.
 */
import { expect, test, type Locator } from "@playwright/test";
import path from "node:path";
import { REPO_ROOT } from "../support/cli.js";
import { makeJpeg } from "../support/mediaCorpus.js";
import type { GeoCase } from "../support/geoHost.js";
import { clickAt, expectNamedControls, openWorkspace, startMediaCase, watch } from "./geolocatePage.js";

test.use({ viewport: { width: 1920, height: 1080 } });

const SCREENSHOTS = path.join(REPO_ROOT, "tests", "e2e", "screenshots");
const WAITING = "waiting for a valid offset from UTC";

let geo: GeoCase;

test.beforeAll(async () => {
  ({ geo } = await startMediaCase(async (media) => {
    const file = path.join(media, "courtyard.jpg");
    await makeJpeg(file, { width: 900, height: 600, seed: 9, exif: true });
    return file;
  }));
});

test.afterAll(async () => geo?.close());

test("while the offset's text states no offset, its reason shows and every figure at the place's clock waits", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = watch(page);
  await openWorkspace(page, geo.analyst.host.url, geo.analyst.host.token, geo.caseDir, "courtyard.jpg");
  await page.getByRole("tab", { name: "Chronolocation" }).click();
  const chrono = page.getByRole("tabpanel", { name: "Chronolocation" });
  await chrono.getByRole("textbox", { name: "Place for the sun" }).fill("18.4411, 1.4078");
  await chrono.getByRole("textbox", { name: "Place for the sun" }).press("Tab");
  await chrono.getByLabel("Date at the place").fill("2026-02-16");

  const offset = chrono.getByRole("spinbutton", { name: "Offset from UTC (minutes)" });
  await expect(offset).toHaveAttribute("aria-valuemin", "-840");
  await expect(offset).toHaveAttribute("aria-valuemax", "840");
  await expect(offset).toHaveAttribute("inputmode", "text"); // a phone's full keyboard has a minus sign
  const sun = chrono.getByLabel("Sun position");
  const clock = chrono.locator("#sun-slider-label");
  const table = chrono.getByRole("table", { name: "Claimed and estimated times" });
  const from = chrono.getByRole("textbox", { name: "Window starts (local)" });

  // A shadow of known height, its base and tip marked on the frame: it fits some times of the day.
  await chrono.getByRole("button", { name: "Add a shadow measurement" }).click();
  await chrono.getByLabel("Shadow 1: what casts it").fill("gate post");
  await chrono.getByText("I know its height").click();
  await chrono.getByRole("spinbutton", { name: "Object height (m)" }).fill("2");
  await chrono.getByRole("spinbutton", { name: "Shadow length (m)" }).fill("3");
  await chrono.getByRole("button", { name: "Measure on the frame" }).click();
  const frameImage = page
    .getByRole("application", { name: /^Frame: photo/ })
    .getByRole("img", { name: /courtyard\.jpg, photo/ });
  await clickAt(page, frameImage, 0.5, 0.7);
  await clickAt(page, frameImage, 0.6, 0.7);
  const result = chrono.getByLabel("Shadow 1 result");
  await typeOver(offset, "60");
  await expect(offset).toHaveAttribute("aria-valuenow", "60");
  await expect(offset).toHaveAccessibleDescription("UTC+01:00");
  await expect(clock).toContainText(/local \(UTC\+01:00\), \d\d:\d\d UTC/);
  await expect(sun).toContainText(/^Sun azimuth \d+\.\d° · elevation \d+\.\d°/);
  await expect(result).toContainText(/local \(UTC\+01:00\)/);
  await typeOver(from, "11:15");
  await typeOver(chrono.getByRole("textbox", { name: "Window ends (local)" }), "11:45");
  await expect(table).toContainText("11:15–11:45 local (UTC+01:00), 10:15–10:45 UTC");

  // The keys step it: a quarter of an hour, an hour with Page Up and Down.
  await offset.focus();
  await page.keyboard.press("ArrowUp");
  await expect(offset).toHaveValue("75");
  await expect(offset).toHaveAttribute("aria-valuenow", "75");
  await page.keyboard.press("PageDown");
  await expect(offset).toHaveValue("60");
  await page.keyboard.press("ArrowDown");
  await expect(offset).toHaveValue("45");
  await expect(offset).toHaveAccessibleDescription("UTC+00:45");
  await typeOver(offset, "60");

  // A shadow direction that states no number: its reason at once, and the times it fits wait.
  const bearing = chrono.getByRole("spinbutton", { name: /^Shadow direction on the map/ });
  await typeOver(bearing, "north-west");
  await expect(bearing).toHaveAccessibleDescription(/The shadow's direction is not a number of degrees/);
  await expect(chrono.getByText(/^Correct its direction on the map, or clear it/)).toBeVisible();
  await expect(result).toHaveCount(0);
  await typeOver(bearing, "");
  await expect(result).toContainText(/local \(UTC\+01:00\)/);

  // A direction is a bearing: the keys go round past north, both ways, and 360 reads as north (0).
  await typeOver(bearing, "355");
  await bearing.focus();
  await page.keyboard.press("ArrowUp");
  await expect(bearing).toHaveValue("0");
  await expect(bearing).toHaveAttribute("aria-valuenow", "0");
  await page.keyboard.press("ArrowDown");
  await expect(bearing).toHaveValue("355");
  await page.keyboard.press("PageUp");
  await expect(bearing).toHaveValue("0");
  await typeOver(bearing, "360");
  await expect(bearing).toHaveAttribute("aria-valuenow", "0");
  await expect(bearing).not.toHaveAttribute("aria-invalid", "true");
  await typeOver(bearing, "");
  await chrono.getByRole("heading", { name: "Where and which day" }).scrollIntoViewIfNeeded();
  await chrono.screenshot({ path: path.join(SCREENSHOTS, "chronolocation-offset-valid.png") });

  // Hours and minutes where minutes are asked for: the reason at once, no save tried, and nothing
  // worked out from the last offset that was valid.
  await typeOver(offset, "+14:00");
  const asMinutes = "The offset from UTC is in minutes, not hours and minutes: for UTC+14:00, type 840.";
  await expect(offset).toHaveAttribute("aria-invalid", "true");
  await expect(offset).toHaveAccessibleDescription(asMinutes);
  await expect(offset).not.toHaveAttribute("aria-valuenow");
  await expect(chrono.getByText(asMinutes)).toBeVisible();
  await expect(chrono.getByRole("alert")).toHaveCount(0); // beside the field, not a refused save
  await expect(clock).toContainText(`the time in UTC is ${WAITING}`);
  await expect(sun).toHaveText(`The sun's position is ${WAITING}.`);
  await expect(result).toContainText(`the times of day it fits are ${WAITING}`);
  await expect(table).toContainText(`Your estimate is ${WAITING}.`);
  await expect(from).toHaveAccessibleDescription(`HH:MM at the place (${WAITING})`);
  await expect(chrono).not.toContainText("UTC+01:00");
  await expect(chrono).not.toContainText(/Sun azimuth|local \(UTC|local = UTC/);
  await offset.focus();
  await page.keyboard.press("ArrowUp"); // no step from text that states no offset
  await expect(offset).toHaveValue("+14:00");
  await expectNamedControls(page, "the chronolocation form waiting for a valid offset");
  await chrono.getByRole("heading", { name: "Where and which day" }).scrollIntoViewIfNeeded();
  await chrono.screenshot({ path: path.join(SCREENSHOTS, "chronolocation-offset-invalid.png") });
  await from.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SCREENSHOTS, "chronolocation-offset-invalid-estimate.png") });

  // Hostile text: each a one-line reason that does not repeat it, shown as text.
  const notANumber = "The offset from UTC is not a number of minutes: type digits, like -300 or 330.";
  const hidden = "The offset from UTC holds control or text-direction characters; type it again.";
  const over = "The offset from UTC is over 840 minutes (UTC+14:00).";
  for (const [text, reason] of [
    ["1e400", notANumber],
    ["--5", notANumber],
    ["<img src=x onerror=alert(1)>", notANumber],
    ["\u20135", notANumber],
    ["9".repeat(400), over],
    ["\u202e06", hidden],
    ["6\u00000", hidden],
    ["", "State the offset from UTC as a number of minutes."],
  ] as const) {
    await offset.fill(text);
    await expect(offset).toHaveAccessibleDescription(reason);
    await expect(sun).toHaveText(`The sun's position is ${WAITING}.`);
  }
  await expect(page.locator("img[src='x']")).toHaveCount(0);

  // The Unicode minus sign is a minus: five minutes behind UTC.
  await typeOver(offset, "\u22125");
  await expect(offset).toHaveAttribute("aria-valuenow", "-5");
  await expect(offset).toHaveAccessibleDescription("UTC\u221200:05");
  await expect(offset).not.toHaveAttribute("aria-invalid", "true");

  // Put right, the figures come back for the offset the field states.
  await typeOver(offset, "60");
  await expect(sun).toContainText(/^Sun azimuth \d+\.\d° · elevation \d+\.\d°/);
  await expect(table).toContainText("11:15–11:45 local (UTC+01:00), 10:15–10:45 UTC");
  await expect(result).toContainText(/local \(UTC\+01:00\)/);
  expect(errors).toEqual([]);
});

/** Types over what a field holds, as a person does, and leaves it with Tab. */
async function typeOver(field: Locator, text: string): Promise<void> {
  await field.click();
  await field.press("ControlOrMeta+A");
  await field.press("Backspace");
  await field.pressSequentially(text);
  await expect(field).toHaveValue(text);
  await field.press("Tab");
}
