/**
 * Opening a case from the start page says so while the host reads it (a large case opened for the
 * first time is read in full first): a status with the folder's name, the Open button busy and
 * not pressable twice, then the board; a folder that is not a case ends the status with its reason.
 */
import { expect, test, type Route } from "@playwright/test";
import path from "node:path";
import { axeViolations } from "./axeScan.js";
import { gotoWorkbench, openFromStartPage, SCREENSHOTS, startWorkbenchIn, type WorkbenchRoot } from "./caseSetup.js";

let workbench: WorkbenchRoot;
let caseDir: string;

test.beforeAll(async () => {
  workbench = await startWorkbenchIn("sightline-open-");
  caseDir = path.join(workbench.root, "Kidal <b>night</b> footage");
  await workbench.service.createCase({
    dir: caseDir,
    title: "Kidal night footage",
    examiner: "Amélie Durand",
    hashAlgorithms: ["sha256"],
  });
});

test.afterAll(() => workbench.close());

test("the start page shows the case being opened until the host answers", async ({ page }) => {
  await gotoWorkbench(page, workbench.host);
  // The host's answer to the opening waits here until released, as a large case's reading would.
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const held: Route[] = [];
  await page.route("**/api/openCase", async (route) => {
    held.push(route);
    await released;
    await route.continue();
  });

  // The live region is in the page, empty, before anything is opening: what is put into it is announced.
  const region = page.locator('[role="status"]:empty');
  await expect(region).toHaveCount(1);
  const form = page.getByLabel("Open case", { exact: true });
  await form.getByLabel("Case folder").fill(caseDir);
  // Pressed twice in one moment (before the page draws again): the case is asked for once.
  await form.getByRole("button", { name: "Open", exact: true }).evaluate((button: HTMLElement) => {
    button.click();
    button.click();
  });
  const status = page.getByRole("status").filter({ hasText: "Opening the case" });
  await expect(status).toBeVisible();
  // The folder's name is shown as text, markup and all.
  await expect(status).toContainText("Kidal <b>night</b> footage");
  const open = page.getByLabel("Open case", { exact: true }).getByRole("button", { name: "Open", exact: true });
  await expect(open).toBeDisabled();
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(SCREENSHOTS, "start-opening.png") });
  expect(held).toHaveLength(1);

  release();
  await expect(page.getByLabel("Item count")).toHaveText("0 of 0 items");
  await expect(status).toBeHidden();
});

test("a folder that is not a case ends the status with its reason", async ({ page }) => {
  await gotoWorkbench(page, workbench.host);
  await openFromStartPage(page, path.join(workbench.root, "not-a-case"));
  await expect(page.getByRole("alert")).toContainText(/not-a-case|no case/i);
  await expect(page.getByRole("status").filter({ hasText: "Opening the case" })).toBeHidden();
  const open = page.getByLabel("Open case", { exact: true }).getByRole("button", { name: "Open", exact: true });
  await expect(open).toBeEnabled();
});
