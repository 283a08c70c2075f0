/**
 * A walk through every screen of the workbench at the two window sizes examiners use most
 * (1280×800 and 1024×700): the start page, the board, an item's page on each tab, the
 * where-and-when workspace, the case map, the ledger, the report, bundle and CASE/UCO dialogs and
 * the training dialogs. Each screen is photographed (tests/e2e/screenshots/walk-<size>-<screen>.png)
 * for a person to look at, and checked for what can be checked by machine: no axe-core finding, no
 * page error, and focus back on the control that opened a dialog once it closes.
 */
import { expect, test, type Locator, type Page } from "@playwright/test";
import path from "node:path";
import { axeViolations } from "./axeScan.js";
import {
  gotoWorkbench,
  openFromStartPage,
  SCREENSHOTS,
  throughItemPage,
  throughMapAndLedger,
  useReportWorkbench,
} from "./caseSetup.js";
import { watch } from "./geolocatePage.js";

const setup = useReportWorkbench();

/** Opens a dialog by its button, photographs it, closes it with Escape and expects focus back on the button. */
async function throughDialog(
  page: Page,
  opener: Locator,
  name: string,
  shoot: (n: string) => Promise<unknown>,
  inside: (dialog: Locator) => Promise<unknown> = async () => undefined,
) {
  await opener.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name });
  await expect(dialog).toBeVisible();
  await shoot(name.toLowerCase().replace(/[^a-z]+/g, "-"));
  await inside(dialog);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(opener, `focus goes back to the button that opened "${name}"`).toBeFocused();
}

for (const size of [
  { width: 1280, height: 800 },
  { width: 1024, height: 700 },
]) {
  test(`every screen at ${size.width}×${size.height}`, async ({ page }) => {
    test.setTimeout(300_000);
    await page.setViewportSize(size);
    const errors = watch(page);
    const found: string[] = [];
    const shoot = async (screen: string) => {
      await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
      for (const v of await axeViolations(page)) found.push(`${screen}: ${v}`);
      await page.screenshot({ path: path.join(SCREENSHOTS, `walk-${size.width}x${size.height}-${screen}.png`) });
    };

    await gotoWorkbench(page, setup.workbench.host);
    await expect(page.getByLabel("Open case")).toBeVisible();
    await shoot("start");
    await throughDialog(
      page,
      page.getByRole("button", { name: "Start a training exercise…" }),
      "Start a training exercise",
      shoot,
      // The sample that comes with the workbench says so in plain words.
      (dialog) => expect(dialog.getByText("comes with Sightline")).toBeVisible(),
    );

    await openFromStartPage(page, setup.base.caseDir);
    await expect(page.getByLabel("Item count")).toHaveText("6 of 6 items");
    // The header keeps to its one line: the view switch, the examiner's menu and the case's and
    // theme's buttons sit inside it.
    const header = (await page.getByRole("banner").boundingBox())!;
    for (const control of [
      page.getByText("Ledger", { exact: true }),
      page.getByRole("button", { name: "Close case" }),
      page.getByRole("button", { name: /^Use (light|dark) theme$/ }),
    ]) {
      const box = (await control.boundingBox())!;
      expect(box.y, "inside the header").toBeGreaterThanOrEqual(header.y);
      expect(box.y + box.height, "inside the header").toBeLessThanOrEqual(header.y + header.height);
    }
    await shoot("board");
    await throughDialog(page, page.getByRole("button", { name: "Custody report" }), "Custody report", shoot);
    await throughDialog(page, page.getByRole("button", { name: "Export bundle" }), "Export a bundle", shoot);
    await throughDialog(page, page.getByRole("button", { name: "Export CASE/UCO" }), "Export as CASE/UCO", shoot);
    await throughDialog(
      page,
      page.getByRole("button", { name: "Author a training sample…" }),
      "Author a training sample",
      shoot,
    );

    await throughItemPage(page, "photo.jpg", async (screen) => {
      await shoot(
        screen
          .replace(/^the /, "")
          .replace(/[^a-z]+/gi, "-")
          .toLowerCase(),
      );
      if (screen.endsWith("Review tab")) {
        // The empty status field says what it wants, not a bare word.
        await expect(page.getByRole("combobox", { name: "Move to" })).toHaveAttribute("placeholder", "Choose a status");
      }
      if (!screen.includes("where-and-when")) return;
      // Below the map, its tools can be reached in a short window (they scroll, not cut off).
      const lastTool = page.getByRole("button", { name: "Measure from the cross-hair" });
      await lastTool.scrollIntoViewIfNeeded();
      await expect(lastTool).toBeInViewport();
    });

    await throughMapAndLedger(page, shoot);

    expect(found, found.join("\n")).toEqual([]);
    expect(errors.filter((e) => !/net::ERR_NAME_NOT_RESOLVED/.test(e))).toEqual([]);
  });
}
