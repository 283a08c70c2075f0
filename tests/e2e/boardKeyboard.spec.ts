/**
 * The board by keyboard only: the grid is one tab stop; arrows move by row and column, Home/End
 * to the ends of a row (with Ctrl, of the grid), Page Up/Down by a screenful; F2 reaches the tile's
 * Reveal button, named "Reveal <file name>", and Escape leaves it; Enter opens the item. The table
 * likewise: one tab stop, Up/Down, Home/End, Enter; its column headers are real headers holding
 * their sort buttons. Axe-clean throughout, including the empty grid.
 */
import { expect, test, type Page } from "@playwright/test";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startLoopbackHost, type LoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { SightlineService } from "../../electron/services/sightlineService.js";
import { REPO_ROOT } from "../support/cli.js";
import { makeJpeg } from "../support/mediaCorpus.js";
import { expectNoAxeViolations } from "./axeScan.js";

const SCREENSHOTS = path.join(REPO_ROOT, "tests", "e2e", "screenshots");
const COUNT = 11;
const names = Array.from({ length: COUNT }, (_, i) => `photo-${String(i + 1).padStart(2, "0")}.jpg`);

let root: string;
let host: LoopbackHost;
let service: SightlineService;
let caseDir: string;

test.beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "sightline-e2e-keys-"));
  await mkdir(SCREENSHOTS, { recursive: true });
  service = new SightlineService(new KeyStore(path.join(root, "home")));
  host = await startLoopbackHost({ service });
  caseDir = path.join(root, "case");
  await service.createCase({ dir: caseDir, title: "Keyboard", examiner: "A. Analyst", hashAlgorithms: ["sha256"] });
  const media = path.join(root, "media");
  for (const [i, name] of names.entries())
    await makeJpeg(path.join(media, name), { width: 320, height: 240, seed: i + 1 });
  await service.importFiles({ dir: caseDir, paths: [media], collection: {} });
  await service.jobs.settle();
});

test.afterAll(async () => {
  await service.jobs.settle();
  await host.close();
  await service.close();
  await rm(root, { recursive: true, force: true });
});

/** The accessible name of the focused element, or "" when nothing is focused. */
async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return "";
    const labelled = el.getAttribute("aria-labelledby");
    if (labelled) {
      return labelled
        .split(" ")
        .map((id) => document.getElementById(id)?.textContent ?? "")
        .join(" ");
    }
    return el.getAttribute("aria-label") ?? el.textContent ?? "";
  });
}
const focusedRole = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute("role") ?? "");

/** Tabs forward until focus lands on an element with `role` (bounded). */
async function tabTo(page: Page, role: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    if ((await focusedRole(page)) === role) return;
  }
  throw new Error(`Tab never reached a ${role}`);
}

test("the grid and the table, driven by keyboard only", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${host.url}/#token=${host.token}`);
  const open = page.getByLabel("Open case", { exact: true });
  await open.getByLabel("Case folder").fill(caseDir);
  await open.getByRole("button", { name: "Open", exact: true }).click();
  await expect(page.getByRole("gridcell")).toHaveCount(COUNT, { timeout: 60_000 });
  const columns = await page.getByRole("row").first().getByRole("gridcell").count();
  expect(columns).toBeGreaterThan(1);
  expect(columns).toBeLessThan(COUNT);
  // Only one tile is in the tab order.
  await expect(page.locator('[role="gridcell"][tabindex="0"]')).toHaveCount(1);

  await tabTo(page, "gridcell");
  expect(await focusedName(page)).toMatch(/^photo-01\.jpg/);
  await page.keyboard.press("ArrowRight");
  expect(await focusedName(page)).toMatch(/^photo-02\.jpg/);
  await page.keyboard.press("ArrowDown");
  expect(await focusedName(page)).toMatch(new RegExp(`^${names[1 + columns]!.replace(".", "\\.")}`));
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("End");
  expect(await focusedName(page)).toMatch(new RegExp(`^${names[columns - 1]!.replace(".", "\\.")}`));
  await page.keyboard.press("Home");
  expect(await focusedName(page)).toMatch(/^photo-01\.jpg/);
  await page.keyboard.press("Control+End");
  expect(await focusedName(page)).toMatch(/^photo-11\.jpg/);
  await page.keyboard.press("Control+Home");
  expect(await focusedName(page)).toMatch(/^photo-01\.jpg/);
  // Page Down moves down a screenful (here past the end: the last tile); Page Up back to the top row, same column.
  const indexOf = async () => names.indexOf((await focusedName(page)).split(" ")[0]!);
  await page.keyboard.press("PageDown");
  const down = await indexOf();
  expect(down).toBeGreaterThanOrEqual(columns);
  await page.keyboard.press("PageUp");
  expect(await indexOf()).toBe(down % columns);
  await page.keyboard.press("Control+Home");
  await expect(page.locator('[role="gridcell"][tabindex="0"]')).toHaveCount(1);

  // F2 reaches the Reveal button, named with the file; Enter presses it; Escape returns to the tile.
  await page.keyboard.press("F2");
  expect(await focusedName(page)).toBe("Reveal photo-01.jpg");
  await page.keyboard.press("Enter");
  expect(await focusedName(page)).toBe("Veil photo-01.jpg");
  await page.keyboard.press("Escape");
  expect(await focusedRole(page)).toBe("gridcell");
  expect(await focusedName(page)).toMatch(/^photo-01\.jpg/);
  await expectNoAxeViolations(page, "the grid with a tile focused");
  await page.screenshot({ path: path.join(SCREENSHOTS, "board-keyboard-grid.png") });

  // Tab leaves the grid in one step.
  await page.keyboard.press("Tab");
  expect(await focusedRole(page)).not.toBe("gridcell");
  await page.keyboard.press("Shift+Tab");
  expect(await focusedName(page)).toMatch(/^photo-01\.jpg/);

  // Enter opens the item.
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "photo-02.jpg" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("gridcell")).toHaveCount(COUNT);

  // The empty grid still has a row (and a cell saying why it is empty).
  await page.getByLabel("Search").fill("no such item");
  await expect(page.getByRole("grid", { name: "Items" }).getByRole("row")).toHaveCount(1);
  await expect(page.getByRole("gridcell")).toHaveText("No items match. Import files or folders above.");
  await expectNoAxeViolations(page, "the empty grid");
  await page.getByLabel("Search").fill("");

  // The table: real column headers holding their sort buttons; rows are one tab stop.
  await page.getByText("Table", { exact: true }).click();
  const table = page.getByRole("table", { name: "Items table" });
  await expect(table.getByRole("columnheader", { name: "Name" }).getByRole("button", { name: /Name/ })).toBeVisible();
  await expect(table.locator('[role="row"][tabindex="0"]')).toHaveCount(1);
  await table.getByRole("columnheader", { name: "Size" }).getByRole("button").focus();
  await tabTo(page, "row");
  expect(await focusedName(page)).toMatch(/photo-01\.jpg/);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  expect(await focusedName(page)).toMatch(/photo-03\.jpg/);
  await page.keyboard.press("End");
  expect(await focusedName(page)).toMatch(/photo-11\.jpg/);
  await page.keyboard.press("Home");
  expect(await focusedName(page)).toMatch(/photo-01\.jpg/);
  await expectNoAxeViolations(page, "the table with a row focused");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "photo-01.jpg" })).toBeVisible();
  // Escape goes back to the table, onto the row of the item that was open (not the grid's tile).
  await page.keyboard.press("Escape");
  await expect(page.getByRole("row", { name: /photo-01\.jpg/ })).toBeFocused();
  // From a row far down the table too, after j moved on to the next item.
  await page.keyboard.press("End");
  await page.keyboard.press("ArrowUp");
  expect(await focusedName(page)).toMatch(/photo-10\.jpg/);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "photo-10.jpg" })).toBeFocused();
  await page.keyboard.press("j");
  await expect(page.getByRole("heading", { name: "photo-11.jpg" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("table", { name: "Items table" })).toBeVisible();
  await expect(page.getByRole("row", { name: /photo-11\.jpg/ })).toBeFocused();
  await expect(page.getByRole("table", { name: "Items table" }).locator('[role="row"][tabindex="0"]')).toHaveCount(1);
  expect(errors).toEqual([]);
});
