/**
 * Focus and Escape, by keyboard alone: an item opened from the board puts the focus on its
 * heading; Escape in a text field leaves the field before any shortcut acts (n, Escape, s no
 * longer types "s" into the note); Escape on the page goes back to the board, onto the tile of
 * the item that was open; the examiner menu shows the whole key id within the menu, with a
 * button that copies it.
 */
import { expect, test } from "@playwright/test";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { startGeoCase, type GeoCase } from "../support/geoHost.js";
import { makeJpeg } from "../support/mediaCorpus.js";
import { expectNoAxeViolations } from "./axeScan.js";
import { openCase, SCREENSHOTS } from "./caseSetup.js";
import { watch } from "./geolocatePage.js";

const NAMES = ["a-market.jpg", "b-bridge.jpg", "c-school.jpg"];

let geo: GeoCase;

test.beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  geo = await startGeoCase();
  const files = NAMES.map((n) => path.join(geo.root, "incoming", n));
  for (const [i, file] of files.entries()) await makeJpeg(file, { width: 320, height: 240, seed: 40 + i });
  await geo.importFiles(files);
});

test.afterAll(async () => {
  await geo.close();
});

test("focus goes to an item's heading and back to its tile; Escape leaves a field before shortcuts act", async ({
  page,
  context,
}) => {
  const errors = watch(page);
  await context.grantPermissions(["clipboard-write"], { origin: geo.analyst.host.url });
  await openCase(page, geo.analyst.host, geo.caseDir);
  await expect(page.getByLabel("Item count")).toHaveText("3 of 3 items");

  // The board's sort puts the newest first; whichever tile is second, it is the one that comes back.
  const tiles = page.getByRole("gridcell");
  await tiles.first().focus();
  await page.keyboard.press("ArrowRight");
  const second = tiles.nth(1);
  await expect(second).toBeFocused();
  const secondText = (await second.innerText())
    .split("\n")
    .find((l) => NAMES.includes(l.trim()))!
    .trim();
  await page.keyboard.press("Enter");
  const heading = page.getByRole("heading", { level: 2, name: secondText });
  await expect(heading).toBeFocused();

  // n: to the note. Escape leaves the note (the item stays open), then s goes to the status.
  await page.keyboard.press("n");
  const note = page.getByRole("textbox", { name: /Add a note/ });
  await expect(note).toBeFocused();
  await page.keyboard.type("seen at the market");
  await page.keyboard.press("Escape");
  await expect(note).not.toBeFocused();
  await expect(heading).toBeVisible();
  await page.keyboard.press("s");
  await expect(page.getByRole("combobox", { name: "Move to" })).toBeFocused();
  await expect(note).toHaveValue("seen at the market");

  // Escape leaves the status field; Escape again goes back to the board, onto the same tile.
  await page.keyboard.press("Escape");
  await expect(heading).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(heading).toHaveCount(0);
  const back = page.getByRole("gridcell").filter({ hasText: secondText });
  await expect(back).toBeFocused();

  // j / k move between items, the heading taking the focus each time.
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 2, name: secondText })).toBeFocused();
  await page.keyboard.press("j");
  const third = page.getByRole("heading", { level: 2 }).filter({ hasNotText: secondText });
  await expect(third).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("gridcell").nth(2)).toBeFocused();

  // The examiner menu: the whole key id, inside the menu, and a button that copies it.
  const settings = await geo.analyst.api.examinerSettings({ dir: geo.caseDir });
  if (!settings.ok) throw new Error(settings.error.message);
  const keyId = settings.value.examiner.keyId;
  await page.getByRole("button", { name: "examiner settings" }).click();
  const menu = page.getByRole("dialog", { name: "Examiner settings" });
  const shown = menu.getByLabel("Key id");
  await expect(shown).toHaveText(keyId);
  const [menuBox, keyBox] = [await menu.boundingBox(), await shown.boundingBox()];
  expect(keyBox!.x + keyBox!.width).toBeLessThanOrEqual(menuBox!.x + menuBox!.width);
  await expectNoAxeViolations(page, "the examiner menu");
  await page.screenshot({ path: path.join(SCREENSHOTS, "examiner-menu.png") });
  await menu.getByRole("button", { name: "Copy the key id" }).click();
  await expect(menu.getByRole("button", { name: "Key id copied" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(menu).toBeHidden();
  // Pasted where a person would paste it: the board's search field.
  const search = page.getByRole("textbox", { name: "Search" }).first();
  await search.focus();
  await page.keyboard.press("ControlOrMeta+V");
  await expect(search).toHaveValue(keyId);
  expect(errors).toEqual([]);
});
