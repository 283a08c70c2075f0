/**
 * The where-and-when forms check what a person types before anything is sent, in Chromium against
 * the real host: each reason is shown beside its field and is that field's accessible description,
 * Save stays enabled, and a refused Save moves focus to the first field to fix. Nothing reaches
 * the ledger until the form is right.
 */
import { expect, test, type Locator, type Page } from "@playwright/test";
import path from "node:path";
import { REPO_ROOT } from "../support/cli.js";
import { makeJpeg } from "../support/mediaCorpus.js";
import { valueOf, type GeoCase } from "../support/geoHost.js";
import { expectNamedControls, openWorkspace, startMediaCase, watch } from "./geolocatePage.js";

test.use({ viewport: { width: 1920, height: 1080 } });

let geo: GeoCase;
let sha: Record<string, string>;

test.beforeAll(async () => {
  ({ geo, sha } = await startMediaCase(async (media) => {
    const file = path.join(media, "market.jpg");
    await makeJpeg(file, { width: 900, height: 600, seed: 5 });
    return file;
  }));
});

test.afterAll(async () => geo?.close());

/**
 * Types into a field as a person does (select what is there, type over it) and leaves it with Tab.
 * A field the refusal has just put the cursor in is typed into as it is: a click there could land
 * on whatever the refusal's message moved into its place.
 */
async function typeInto(page: Page, field: Locator, text: string): Promise<void> {
  if (!(await field.evaluate((element) => element === document.activeElement))) await field.click();
  await expect(field).toBeFocused();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Backspace");
  if (text) await page.keyboard.type(text);
  await expect(field).toHaveValue(text);
  await page.keyboard.press("Tab");
}

/** Save is refused: the alert gives the first reason, focus lands on `field`, which describes why. */
async function expectRefused(save: Locator, alert: Locator, field: Locator, why: RegExp): Promise<void> {
  await expect(save).toBeEnabled();
  await save.click();
  await expect(alert).toContainText(/^Not saved: /);
  await expect(alert).toContainText(why);
  await expect(field).toBeFocused();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toHaveAccessibleDescription(why);
}

const proposals = async () =>
  valueOf(await geo.analyst.api.listGeolocations({ dir: geo.caseDir, sha256: sha["market.jpg"]! })).geolocations;

test("the geolocation form refuses what it cannot send, beside the field, and moves focus there", async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watch(page);
  await openWorkspace(page, geo.analyst.host.url, geo.analyst.host.token, geo.caseDir, "market.jpg");
  const form = page.getByLabel("Geolocation form");
  const save = form.getByRole("button", { name: "Save geolocation" });
  const alert = form.getByRole("alert");
  const place = form.getByRole("textbox", { name: "Place", exact: true });

  // Nothing filled in: the place first, the confidence marked too.
  await expectRefused(save, alert, place, /Pick the place on the map or type its coordinates/);
  await expect(alert).toContainText("And 1 more thing to fix, marked beside its field.");
  await expect(form.getByRole("combobox", { name: "Confidence" })).toHaveAccessibleDescription(/Say how sure you are/);

  // Coordinates out of range or unreadable, typed and left with Tab, then Save.
  await typeInto(page, place, "95, 10");
  await expect(place).toHaveAccessibleDescription(/latitude beyond 90°/);
  await expectRefused(save, alert, place, /latitude beyond 90°/);
  await typeInto(page, place, "-10, 200");
  await expectRefused(save, alert, place, /longitude beyond 180°/);
  await typeInto(page, place, "north of the market");
  await expectRefused(save, alert, place, /not a coordinate/);
  await typeInto(page, place, "18.4411, 1.4078");
  await expect(form.getByLabel("Place in other notations")).toContainText("18.441100, 1.407800");

  // The confidence is next; chosen, its reason goes.
  await expectRefused(
    save,
    alert,
    form.getByRole("combobox", { name: "Confidence" }),
    /Say how sure you are \(confidence\)/,
  );
  await form.getByRole("combobox", { name: "Confidence" }).click();
  await page.getByRole("option", { name: "Possible", exact: true }).click();
  await expect(form.getByRole("combobox", { name: "Confidence" })).not.toHaveAttribute("aria-invalid", "true");

  // A stated radius: zero, over 1,000 km, empty.
  await form.getByRole("combobox", { name: "Precision" }).click();
  await page.getByRole("option", { name: "Within a radius I state" }).click();
  // A spin button typed as text: its range is known, and it has a value only while its text states one.
  const radius = form.getByRole("spinbutton", { name: "Radius in metres" });
  await expect(radius).toHaveAttribute("inputmode", "decimal");
  await expect(radius).toHaveAttribute("aria-valuemin", "0");
  await expect(radius).toHaveAttribute("aria-valuemax", "1000000");
  await typeInto(page, radius, "0");
  await expectRefused(save, alert, radius, /State the radius as a positive number of metres/);
  await typeInto(page, radius, "2000000");
  await expect(radius).toHaveValue("2000000"); // kept as typed, not quietly cut to the limit
  await expectRefused(save, alert, radius, /The radius is over 1,000 km/);
  await typeInto(page, radius, "");
  await expectRefused(save, alert, radius, /positive number of metres/);
  await typeInto(page, radius, "750 m");
  await expectRefused(save, alert, radius, /The radius is not a number of metres: type digits/);
  await expect(radius).not.toHaveAttribute("aria-valuenow");
  await page.keyboard.press("ArrowUp"); // no step from text that states no number
  await expect(radius).toHaveValue("750 m");
  await typeInto(page, radius, "750");
  await expect(radius).not.toHaveAttribute("aria-invalid", "true");
  await radius.focus();
  await page.keyboard.press("ArrowUp");
  await expect(radius).toHaveValue("760");
  await expect(radius).toHaveAttribute("aria-valuenow", "760");
  await page.keyboard.press("ArrowDown");
  await expect(radius).toHaveValue("750");
  await expect(radius).toHaveAttribute("aria-valuenow", "750");

  // A clue: a name over 200 characters, then none, then not marked on the frame.
  await form.getByRole("button", { name: "Add a clue" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  const clueName = form.getByRole("textbox", { name: "Clue 1: what it is" });
  await clueName.fill("a long white wall ".repeat(12)); // 216 characters, pasted
  await expectRefused(save, alert, clueName, /Clue 1's name is 216 characters long; 200 at most/);
  await typeInto(page, clueName, "");
  await expectRefused(save, alert, clueName, /Clue 1: say what it is/);
  await typeInto(page, clueName, "water tower <b>east</b>");
  const markFrame = form.getByRole("button", { name: "Mark on frame" });
  await expectRefused(save, alert, markFrame, /Clue 1: mark it on the frame/);
  await expect(alert).toContainText("And 1 more thing to fix, marked beside its field."); // the map point too
  await expectNamedControls(page, "the geolocation form with its refusals");
  await page.screenshot({ path: path.join(REPO_ROOT, "tests", "e2e", "screenshots", "geolocate-form-refused.png") });
  await form.getByRole("button", { name: "Remove clue 1" }).click();
  await expect(alert).toHaveCount(0); // everything put right: the refusal goes

  // Cannot be geolocated, without a why.
  await form.getByLabel("Outcome").getByText("Cannot be geolocated").click();
  const why = form.getByRole("textbox", { name: "Why it cannot be geolocated" });
  await expectRefused(save, alert, why, /Say why the item cannot be geolocated/);
  await typeInto(page, why, "   ");
  await expectRefused(save, alert, why, /Say why the item cannot be geolocated/);
  expect(await proposals()).toEqual([]); // nothing reached the ledger while refused
  await typeInto(page, why, "Only a wall and the sky: nothing to match.");
  await save.click();
  await expect(form.getByRole("status")).toContainText("Recorded as event", { timeout: 60_000 });
  const [recorded] = await proposals();
  expect(recorded!.payload).toMatchObject({
    outcome: "cannot-geolocate",
    cannotReason: "Only a wall and the sky: nothing to match.",
    place: null,
  });
  expect(errors).toEqual([]);
});

test("a chronolocation's window must end after it starts", async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watch(page);
  await openWorkspace(page, geo.analyst.host.url, geo.analyst.host.token, geo.caseDir, "market.jpg");
  await page.getByRole("tab", { name: "Chronolocation" }).click();
  const chrono = page.getByLabel("Chronolocation");
  const record = chrono.getByRole("button", { name: /Record chronolocation|Save chronolocation revision/ });
  const alert = chrono.getByRole("alert");
  const place = chrono.getByRole("textbox", { name: "Place for the sun" });
  const date = chrono.getByLabel("Date at the place");

  // The item cannot be geolocated, so the place is the verifier's to give.
  await expectRefused(record, alert, place, /Set the place/);
  await typeInto(page, place, "18.4411, 1.4078");
  await date.fill("2026-02-16");
  const offset = chrono.getByRole("spinbutton", { name: "Offset from UTC (minutes)" });
  await typeInto(page, offset, "+1h");
  await expectRefused(record, alert, offset, /The offset from UTC is not a number of minutes/);
  await typeInto(page, offset, "900");
  await expectRefused(record, alert, offset, /The offset from UTC is over 840 minutes \(UTC\+14:00\)/);
  await typeInto(page, offset, "60");
  await expect(offset).toHaveAccessibleDescription("UTC+01:00");
  const from = chrono.getByRole("textbox", { name: "Window starts (local)" });
  const to = chrono.getByRole("textbox", { name: "Window ends (local)" });
  await typeInto(page, from, "11:15");
  await typeInto(page, to, "10:30");
  await expectRefused(record, alert, to, /The window ends \(10:30\) before it starts \(11:15\)/);
  await typeInto(page, to, "7pm");
  await expectRefused(record, alert, to, /The window's end is a time HH:MM/);
  await typeInto(page, from, "");
  await expectRefused(record, alert, from, /Give the window's start as well as its end/);
  await typeInto(page, from, "11:15");
  await typeInto(page, to, "11:45");
  await expect(chrono.getByRole("table", { name: "Claimed and estimated times" })).toContainText(
    "11:15–11:45 local (UTC+01:00), 10:15–10:45 UTC",
  );
  await expectNamedControls(page, "the chronolocation form");
  const before = valueOf(await geo.analyst.api.listGeolocations({ dir: geo.caseDir })).chronolocations;
  expect(before).toEqual([]);
  await record.click();
  await expect(chrono.getByRole("status")).toContainText("Recorded as event", { timeout: 60_000 });
  const [chronolocation] = valueOf(await geo.analyst.api.listGeolocations({ dir: geo.caseDir })).chronolocations;
  expect(chronolocation!.payload.window).toEqual({ from: "2026-02-16T10:15:00.000Z", to: "2026-02-16T10:45:00.000Z" });
  expect(errors).toEqual([]);
});

test("the board, the item and the where-and-when screens pass axe in the light scheme too, which is remembered", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = watch(page);
  const { url, token } = geo.analyst.host;
  // The dark scheme is the default, scanned by every other run; the header's switch gives the light one.
  await page.goto(`${url}/#token=${token}`);
  await page.getByRole("button", { name: "Use light theme" }).click();
  await expect(page.getByRole("button", { name: "Use dark theme" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("data-mantine-color-scheme", "light");
  // Opened again, the page keeps the examiner's choice.
  await page.goto("about:blank");
  await openWorkspace(page, url, token, geo.caseDir, "market.jpg");
  await expect(page.locator("html")).toHaveAttribute("data-mantine-color-scheme", "light");
  const form = page.getByLabel("Geolocation form");
  await form.getByRole("button", { name: "Add a clue" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  await form.getByRole("button", { name: /^Save (geolocation|revision)$/ }).click();
  await expect(form.getByRole("alert")).toContainText("Not saved: ");
  await expectNamedControls(page, "the geolocation form with its refusals, light");
  await page.screenshot({ path: path.join(REPO_ROOT, "tests", "e2e", "screenshots", "geolocate-form-light.png") });
  await page.getByRole("tab", { name: /History and review/ }).click();
  await expectNamedControls(page, "the geolocation history, light");
  await page.getByRole("tab", { name: "Chronolocation" }).click();
  await page
    .getByLabel("Chronolocation")
    .getByRole("button", { name: /Record chronolocation|Save chronolocation/ })
    .click();
  await expectNamedControls(page, "the chronolocation form, light");
  await page.getByRole("button", { name: "Back to the item" }).click();
  await expectNamedControls(page, "the item view, light");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("gridcell", { name: /^market\.jpg / })).toBeVisible();
  await expectNamedControls(page, "the evidence board, light");
  await page.screenshot({ path: path.join(REPO_ROOT, "tests", "e2e", "screenshots", "board-light.png") });
  expect(errors).toEqual([]);
});
