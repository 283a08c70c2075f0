/**
 * Bundles from the workbench in Chromium: a bundle opened from the start view (checked, then
 * opened as a case), and the case exported again from its board, each as a job whose result
 * shows the file's SHA-256 and the head; the case exported as CASE/UCO JSON-LD beside its folder.
 * The card and the dialogs are scanned by axe.
 */
import { expect, test, type Page } from "@playwright/test";
import { AxeBuilder } from "@axe-core/playwright";
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { runCli } from "../support/cli.js";
import { makeExchangeCase, readLedger } from "../support/exchangeCase.js";
import { watch } from "./geolocatePage.js";
import { gotoWorkbench, openCase, SCREENSHOTS, startWorkbench, type Workbench } from "./caseSetup.js";

let c: Awaited<ReturnType<typeof makeExchangeCase>>;
let bundle: string;
let workbench: Workbench;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  c = await makeExchangeCase();
  bundle = path.join(c.root, "sent.zip");
  const r = await runCli(["export", c.caseDir, "--bundle", bundle], c.home);
  expect(r.code, r.stderr).toBe(0);
  workbench = await startWorkbench(c.home);
});

test.afterAll(() => workbench.close());

async function expectAccessible(page: Page, selector: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page })
    .include(selector)
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  expect(violations.map((v) => `${v.id}: ${v.help} — ${v.nodes[0]?.target.join(" ")}`)).toEqual([]);
}

test("open a bundle from the start view, then export the case again from its board", async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watch(page);
  await gotoWorkbench(page, workbench.host);
  const card = page.getByRole("form", { name: "Open a bundle" });
  await card.getByLabel("Bundle file").fill(bundle);
  const target = path.join(c.root, "received");
  await card.getByLabel("New case folder").fill(target);
  await card.getByRole("button", { name: "Check and open" }).click();
  const opened = card.getByRole("status");
  await expect(opened).toContainText("Bundle opened", { timeout: 120_000 });
  const received = await readLedger(target);
  expect(received.at(-1).type).toBe("bundle.opened");
  await expect(opened).toContainText(received.at(-1).payload.file.sha256);
  await expect(opened).toContainText(`Recorded as ledger event ${received.at(-1).seq}.`);
  await expectAccessible(page, '[aria-label="Open a bundle"]');
  await page.screenshot({ path: path.join(SCREENSHOTS, "bundle-open-card.png") });

  await card.getByRole("button", { name: "Open the case" }).click();
  await expect(page.getByRole("gridcell", { name: /^photo\.png / })).toBeVisible();
  await page.getByRole("button", { name: "Export bundle" }).click();
  const dialog = page.getByRole("dialog", { name: "Export a bundle" });
  await expect(dialog.getByRole("radio", { name: "The whole case" })).toBeChecked();
  await expectAccessible(page, '[role="dialog"]');
  await dialog.getByRole("button", { name: "Write the bundle" }).click();
  const written = dialog.getByRole("status");
  await expect(written).toContainText("Bundle written", { timeout: 120_000 });
  const event = (await readLedger(target)).at(-1);
  expect(event.type).toBe("bundle.exported");
  await expect(written).toContainText(event.payload.file.sha256);
  await expect(written).toContainText(event.payload.head.hash);
  const file = path.join(c.root, event.payload.file.name);
  expect((await readFile(file)).length).toBe(event.payload.file.size);
  await expectAccessible(page, '[role="dialog"]');
  await page.screenshot({ path: path.join(SCREENSHOTS, "bundle-export-dialog.png") });
  expect(errors).toEqual([]);
});

test("export the case as CASE/UCO JSON-LD from its board: kept in the case's exports/ and recorded", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = watch(page);
  await openCase(page, workbench.host, c.caseDir);
  await expect(page.getByRole("gridcell", { name: /^photo\.png / })).toBeVisible();
  await page.getByRole("button", { name: "Export CASE/UCO" }).click();
  const dialog = page.getByRole("dialog", { name: "Export as CASE/UCO" });
  await expectAccessible(page, '[role="dialog"]');
  await dialog.getByRole("button", { name: "Write the CASE/UCO file" }).click();
  const written = dialog.getByRole("status");
  await expect(written).toContainText("CASE/UCO file written", { timeout: 120_000 });
  const event = (await readLedger(c.caseDir)).at(-1);
  expect(event.type).toBe("uco.exported");
  await expect(written).toContainText(event.payload.file.sha256);
  await expect(written).toContainText(event.payload.head.hash);
  await expect(written).toContainText(`${event.payload.itemCount} item`);
  // Kept in the case's exports/, by the path the event names, and nothing written beside the case.
  expect(event.payload.path).toMatch(/^exports\/[A-Za-z0-9]+-case-uco-\d{8}T\d{9}Z\.jsonld$/);
  expect(event.payload.file.name).toBe(path.basename(event.payload.path));
  await expect(written).toContainText(event.payload.path);
  const file = path.join(c.caseDir, event.payload.path);
  expect((await readdir(path.dirname(c.caseDir))).filter((n) => n.endsWith(".jsonld"))).toEqual([]);
  const bytes = await readFile(file);
  expect(createHash("sha256").update(bytes).digest("hex")).toBe(event.payload.file.sha256);
  const doc = JSON.parse(bytes.toString("utf8"));
  expect(doc["@graph"].some((n: { "@type": string }) => n["@type"] === "case-investigation:ProvenanceRecord")).toBe(
    true,
  );
  // A copy saved elsewhere for handing on is the same bytes under the kept file's own name; like the
  // report's copy it is not a change to the case, so the ledger is as it was.
  const events = (await readLedger(c.caseDir)).length;
  const saveCopy = dialog.getByRole("link", { name: /^Save a copy of the CASE\/UCO file \(JSON-LD, / });
  await saveCopy.focus();
  const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
  expect(download.suggestedFilename()).toBe(path.basename(event.payload.path));
  const copy = path.join(c.root, "handed-on", download.suggestedFilename());
  await download.saveAs(copy);
  expect(
    createHash("sha256")
      .update(await readFile(copy))
      .digest("hex"),
  ).toBe(event.payload.file.sha256);
  expect((await readLedger(c.caseDir)).length).toBe(events);
  expect(await readFile(file)).toEqual(bytes);
  await expectAccessible(page, '[role="dialog"]');
  await page.screenshot({ path: path.join(SCREENSHOTS, "case-uco-export-dialog.png") });
  expect(errors).toEqual([]);
});
