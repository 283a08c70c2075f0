/**
 * Coming back from the where-and-when workspace puts the examiner where they were on the item's
 * page: the tab they had chosen, the panel scrolled as they left it, and the keyboard on the
 * "Where and when" button that took them away. Driven by the keyboard, controls found by role
 * and name.
 */
import { expect, test, type Page } from "@playwright/test";
import { openCase, useReportWorkbench } from "./caseSetup.js";
import { watch } from "./geolocatePage.js";

const setup = useReportWorkbench();

/** The scrolling box the item's tab panels sit in. */
function panelScroller(page: Page) {
  return page.getByRole("tabpanel").locator("xpath=ancestor::*[contains(@class, 'ScrollArea-viewport')][1]");
}

test.use({ viewport: { width: 1024, height: 700 } });

test("back from Where and when, the item is on the tab, scroll and button the examiner left", async ({ page }) => {
  const errors = watch(page);
  await openCase(page, setup.workbench.host, setup.base.caseDir);
  await page.getByRole("gridcell").filter({ hasText: "photo.jpg" }).first().click();
  await expect(page.getByRole("heading", { level: 2, name: "photo.jpg" })).toBeVisible();

  // To the Custody tab by the keyboard: the tab list is reached with Tab, arrows move along it.
  const metadataTab = page.getByRole("tab", { name: /^Metadata/ });
  await metadataTab.focus();
  await page.keyboard.press("ArrowRight");
  const custodyTab = page.getByRole("tab", { name: "Custody" });
  await expect(custodyTab).toHaveAttribute("aria-selected", "true");
  const scroller = panelScroller(page);
  const room = await scroller.evaluate((el) => el.scrollHeight - el.clientHeight);
  expect(room, "the custody timeline is longer than its panel").toBeGreaterThan(100);
  await scroller.evaluate((el) => (el.scrollTop = Math.round((el.scrollHeight - el.clientHeight) / 2)));
  const scrolled = await scroller.evaluate((el) => el.scrollTop);
  expect(scrolled).toBeGreaterThan(50);

  const whereAndWhen = page.getByRole("button", { name: "Where and when" });
  await whereAndWhen.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 2, name: "Where and when: photo.jpg" })).toBeVisible();
  await page.getByRole("button", { name: "Back to the item" }).focus();
  await page.keyboard.press("Enter");

  await expect(page.getByRole("heading", { level: 2, name: "photo.jpg" })).toBeVisible();
  await expect(custodyTab).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("tabpanel", { name: "Custody" })).toBeVisible();
  await expect.poll(() => panelScroller(page).evaluate((el) => el.scrollTop)).toBe(scrolled);
  await expect(page.getByRole("button", { name: "Where and when" })).toBeFocused();

  // Going again and coming back, by the keyboard again, keeps it too.
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 2, name: "Where and when: photo.jpg" })).toBeVisible();
  await page.getByRole("button", { name: "Back to the item" }).focus();
  await page.keyboard.press("Enter");
  await expect(custodyTab).toHaveAttribute("aria-selected", "true");
  await expect.poll(() => panelScroller(page).evaluate((el) => el.scrollTop)).toBe(scrolled);
  await expect(page.getByRole("button", { name: "Where and when" })).toBeFocused();
  expect(errors.filter((e) => !/net::ERR_NAME_NOT_RESOLVED/.test(e))).toEqual([]);
});
