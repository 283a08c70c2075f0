/**
 * Selecting items on the board, by keyboard: Space toggles the focused tile, Shift+arrow grows a
 * range, Ctrl+A selects every item shown, Escape clears; the bar says how many are selected (and
 * how many of them the filters hide) and reports on just those: the report's ledger event names
 * exactly the three items selected. The table selects the same way, and a Shift+click on a row's
 * checkbox selects a range. Axe-clean with a selection; screenshots of the grid and the table.
 */
import { expect, test, type Page } from "@playwright/test";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { makeJpeg } from "../support/mediaCorpus.js";
import { expectNoAxeViolations } from "./axeScan.js";
import { openCase, SCREENSHOTS, startCase, type CaseWorkbench } from "./caseSetup.js";

const COUNT = 7;
const names = Array.from({ length: COUNT }, (_, i) => `shot-${i + 1}.jpg`);
let base: CaseWorkbench;

test.beforeAll(async () => {
  base = await startCase("sightline-e2e-select-", "Selection");
  const media = path.join(base.root, "media");
  for (const [i, name] of names.entries())
    await makeJpeg(path.join(media, name), { width: 160, height: 120, seed: i + 3 });
  await base.importPaths([media]);
});

test.afterAll(async () => {
  await base.close();
});

const tile = (page: Page, name: string) =>
  page.getByRole("gridcell", { name: new RegExp(`^${name.replace(".", "\\.")}`) });
const bar = (page: Page) => page.getByRole("region", { name: "Selection" });

test("select three items by keyboard and report on just them; the table selects the same way", async ({ page }) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await openCase(page, base.host, base.caseDir);
  await expect(page.getByRole("gridcell")).toHaveCount(COUNT, { timeout: 60_000 });
  await expect(bar(page)).toHaveCount(0);

  // Space on the focused tile selects it; Shift+Right twice grows the range to three.
  await tile(page, names[0]!).focus();
  await page.keyboard.press("Space");
  await expect(bar(page).getByRole("status")).toHaveText("1 selected");
  await expect(tile(page, names[0]!)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Shift+ArrowRight");
  await page.keyboard.press("Shift+ArrowRight");
  await expect(bar(page).getByRole("status")).toHaveText("3 selected");
  // Back one with Shift shrinks the range; forward again restores it.
  await page.keyboard.press("Shift+ArrowLeft");
  await expect(bar(page).getByRole("status")).toHaveText("2 selected");
  await page.keyboard.press("Shift+ArrowRight");
  await expect(bar(page).getByRole("status")).toHaveText("3 selected");
  for (const [i, name] of names.entries()) {
    await expect(tile(page, name)).toHaveAttribute("aria-selected", i < 3 ? "true" : "false");
    await expect(page.getByRole("checkbox", { name: `Select ${name}` })).toBeChecked({ checked: i < 3 });
  }
  await expectNoAxeViolations(page, "the grid with three items selected");
  await page.screenshot({ path: path.join(SCREENSHOTS, "board-select-grid.png") });

  // A filter hiding some of them: the bar says so, and the selection keeps them.
  await page.getByLabel("Search").fill("shot-1");
  await expect(bar(page).getByRole("status")).toHaveText("3 selected (2 not shown by the filters)");
  await page.getByLabel("Search").fill("");
  await expect(bar(page).getByRole("status")).toHaveText("3 selected");

  // Report on selected…, reached and pressed by keyboard; the dialog opens on the three.
  await bar(page).getByRole("button", { name: "Report on selected…" }).focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Custody report" });
  await expect(dialog.getByRole("radio", { name: "The 3 selected items" })).toBeChecked();
  await dialog.getByRole("radio", { name: /^JSON/ }).check();
  await dialog.getByRole("button", { name: "Make the report" }).click();
  const made = dialog.getByRole("status");
  await expect(made).toContainText("3 items, up to ledger event", { timeout: 90_000 });
  const event = JSON.parse(
    (await readFile(path.join(base.caseDir, "ledger.jsonl"), "utf8")).trim().split("\n").at(-1)!,
  );
  expect(event.type).toBe("report.generated");
  const listed = await base.service.listItems({ dir: base.caseDir });
  const shaOf = (name: string) => listed.find((i) => i.name === name)!.sha256;
  expect([...event.payload.scope.items].sort()).toEqual(names.slice(0, 3).map(shaOf).sort());
  await dialog.getByRole("button", { name: "Close the report dialog" }).click();

  // Escape on the grid clears; Ctrl+A selects every item shown.
  await tile(page, names[2]!).focus();
  await page.keyboard.press("Escape");
  await expect(bar(page)).toHaveCount(0);
  await page.keyboard.press("Control+a");
  await expect(bar(page).getByRole("status")).toHaveText(`${COUNT} selected`);
  await page.keyboard.press("Escape");
  await expect(bar(page)).toHaveCount(0);

  // The table: Space and Shift+Down select, and the selection shows in both layouts.
  await page.getByText("Table", { exact: true }).click();
  const table = page.getByRole("table", { name: "Items table" });
  const row = (name: string) => table.getByRole("row", { name: new RegExp(name.replace(".", "\\.")) });
  await row(names[1]!).focus();
  await page.keyboard.press("Space");
  await page.keyboard.press("Shift+ArrowDown");
  await expect(bar(page).getByRole("status")).toHaveText("2 selected");
  await expect(table.getByRole("checkbox", { name: `Select ${names[2]}` })).toBeChecked();
  // A Shift+click on a checkbox selects the range from the anchor (the last row moved to).
  await table.getByRole("checkbox", { name: `Select ${names[5]}` }).click({ modifiers: ["Shift"] });
  await expect(bar(page).getByRole("status")).toHaveText("5 selected");
  for (const [i, name] of names.entries())
    await expect(table.getByRole("checkbox", { name: `Select ${name}` })).toBeChecked({ checked: i >= 1 && i <= 5 });
  await expectNoAxeViolations(page, "the table with five items selected");
  await page.screenshot({ path: path.join(SCREENSHOTS, "board-select-table.png") });
  await bar(page).getByRole("button", { name: "Clear selection" }).click();
  await expect(bar(page)).toHaveCount(0);
  expect(errors).toEqual([]);
});
