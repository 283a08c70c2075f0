/**
 * axe-core (WCAG 2.1 A and AA) over every view of the workbench, in the dark and the light theme:
 * the start page, the board as a grid, as a table and empty, an item's page with each of its tabs,
 * the ledger with an event opened, the where-and-when workspace, the case map, the report and
 * bundle dialogs, the training exercise's start dialog and sample author, and the examiner's
 * settings. Any violation fails, named with its view and theme;
 * every view is scanned before the test fails, so one run lists all there is to fix.
 */
import { expect, test } from "@playwright/test";
import path from "node:path";
import { makeReportCase, type ReportCase } from "../support/reportCase.js";
import { axeViolations } from "./axeScan.js";
import { watch } from "./geolocatePage.js";
import {
  gotoWorkbench,
  openFromStartPage,
  SCREENSHOTS,
  startWorkbench,
  throughItemPage,
  throughMapAndLedger,
  type Workbench,
} from "./caseSetup.js";

let base: ReportCase;
let emptyCase: string;
let workbench: Workbench;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  base = await makeReportCase();
  workbench = await startWorkbench(base.home);
  emptyCase = path.join(base.root, "empty-case");
  const made = await workbench.service.createCase({
    dir: emptyCase,
    title: "Nothing imported yet",
    examiner: "Amélie Durand",
    hashAlgorithms: ["sha256"],
  });
  expect(made.dir).toBe(emptyCase);
});

test.afterAll(() => workbench.close());

for (const theme of ["dark", "light"] as const) {
  test(`no accessibility violations on any view, ${theme} theme`, async ({ page }) => {
    test.setTimeout(300_000);
    const errors = watch(page);
    const found: string[] = [];
    const scan = async (view: string) => {
      // Transitions (menus, dialogs, tab panels) finish before colours are measured.
      await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
      for (const v of await axeViolations(page)) found.push(`${view} (${theme}): ${v}`);
    };
    const shoot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `a11y-${theme}-${name}.png`) });

    await gotoWorkbench(page, workbench.host);
    if (theme === "light") await page.getByRole("button", { name: "Use light theme" }).click();
    await expect(page.locator("html")).toHaveAttribute("data-mantine-color-scheme", theme);
    await expect(page.getByLabel("Open case")).toBeVisible();
    await scan("the start page");
    await page.getByRole("button", { name: "Start a training exercise…" }).click();
    const exercise = page.getByRole("dialog", { name: "Start a training exercise" });
    await expect(exercise).toBeVisible();
    await scan("the training exercise's start dialog");
    await page.keyboard.press("Escape");
    await expect(exercise).toBeHidden();

    // The empty board first (it also puts the case among the recent ones on the start page).
    await openFromStartPage(page, emptyCase);
    await expect(page.getByLabel("Item count")).toHaveText("0 of 0 items");
    await scan("the empty board");
    await page.getByRole("button", { name: "Close case" }).click();
    await expect(page.getByLabel("Recent cases")).toBeVisible();
    await scan("the start page with a recent case");

    await openFromStartPage(page, base.caseDir);
    await expect(page.getByLabel("Item count")).toHaveText("6 of 6 items");
    await page.getByRole("button", { name: "Provenance" }).click();
    await scan("the board as a grid, with the provenance form");
    await shoot("board-grid");
    await page.getByText("Table", { exact: true }).click();
    await expect(page.getByRole("table")).toBeVisible();
    await scan("the board as a table");
    await page.getByText("Grid", { exact: true }).click();

    await page.getByRole("button", { name: "Custody report" }).click();
    await expect(page.getByRole("dialog", { name: "Custody report" })).toBeVisible();
    await scan("the report dialog");
    await page.getByRole("button", { name: "Close the report dialog" }).click();
    await page.getByRole("button", { name: "Export bundle" }).click();
    await expect(page.getByRole("dialog", { name: "Export a bundle" })).toBeVisible();
    await scan("the bundle dialog");
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog", { name: "Export a bundle" })).toBeHidden();

    await page.getByRole("button", { name: "Author a training sample…" }).click();
    const author = page.getByRole("dialog", { name: "Author a training sample" });
    await expect(author).toBeVisible();
    await scan("the training sample author");
    await page.keyboard.press("Escape");
    await expect(author).toBeHidden();

    await page.getByRole("button", { name: "examiner settings" }).click();
    await expect(page.getByRole("dialog", { name: "Examiner settings" })).toBeVisible();
    await scan("the examiner's settings");
    await page.keyboard.press("Escape");

    // An item's page, each tab in turn, and its where-and-when workspace.
    await throughItemPage(page, "photo.jpg", async (screen) => {
      await scan(screen);
      if (screen.endsWith("Reference imagery tab")) await shoot("item");
    });

    await throughMapAndLedger(page, async (screen) => {
      await scan(screen === "map" ? "the case map" : "the ledger with an opened event");
      if (screen === "ledger") await shoot("ledger");
    });

    expect(found, found.join("\n")).toEqual([]);
    // The maps' default online imagery cannot be reached from a machine without a network: those
    // tiles fail to load, and say so in the console; anything else is an error of the page.
    expect(errors.filter((e) => !/net::ERR_NAME_NOT_RESOLVED/.test(e))).toEqual([]);
  });
}
