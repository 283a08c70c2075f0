/**
 * Custody reports from the workbench in Chromium: from the board (the items it shows, or the whole
 * case) and from an item's page, as a job with progress; the finished report offered as a
 * download whose bytes have the SHA-256 the ledger records. The dialog is scanned by axe.
 */
import { expect, test, type Page } from "@playwright/test";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { makeReportCase, type ReportCase } from "../support/reportCase.js";
import { startLocalTsa } from "../support/localTsa.js";
import { AxeBuilder } from "@axe-core/playwright";
import { watch } from "./geolocatePage.js";
import { openCase, SCREENSHOTS, startWorkbench, type Workbench } from "./caseSetup.js";

let base: ReportCase;
let workbench: Workbench;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  base = await makeReportCase();
  workbench = await startWorkbench(base.home);
});

test.afterAll(() => workbench.close());

/** axe (WCAG 2.1 A and AA) over the report dialog alone: the board behind it is scanned by its own runs. */
async function expectAccessibleDialog(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page })
    .include('[role="dialog"]')
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  expect(violations.map((v) => `${v.id}: ${v.help} — ${v.nodes[0]?.target.join(" ")}`)).toEqual([]);
}

const lastEvent = async () =>
  JSON.parse((await readFile(path.join(base.caseDir, "ledger.jsonl"), "utf8")).trim().split("\n").at(-1)!);

test("a report of the items the board shows, then of one item from its page, each saved as a download", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = watch(page);
  await openCase(page, workbench.host, base.caseDir);
  await expect(page.getByRole("gridcell", { name: /^photo\.jpg / })).toBeVisible();

  await page.getByRole("button", { name: "Custody report" }).click();
  const dialog = page.getByRole("dialog", { name: "Custody report" });
  await expect(dialog.getByRole("radio", { name: "The 6 items the board shows now" })).toBeChecked();
  await dialog.getByRole("radio", { name: /^HTML/ }).check();
  await expectAccessibleDialog(page);
  await dialog.getByRole("button", { name: "Make the report" }).click();
  const made = dialog.getByRole("status");
  await expect(made).toContainText("Verification at report time: clean.", { timeout: 120_000 });
  await expect(made).toContainText("6 items");
  await page.screenshot({ path: path.join(SCREENSHOTS, "report-dialog-board.png") });
  const event = await lastEvent();
  expect(event.type).toBe("report.generated");
  await expect(made).toContainText(event.payload.sha256);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    dialog.getByRole("link", { name: /Save a copy of the report \(HTML/ }).click(),
  ]);
  const saved = await readFile((await download.path())!);
  expect(createHash("sha256").update(saved).digest("hex")).toBe(event.payload.sha256);
  expect(download.suggestedFilename()).toBe(event.payload.path.slice("exports/".length));
  await dialog.getByRole("button", { name: "Close the report dialog" }).click();

  // One item, from its page.
  await page.getByRole("gridcell", { name: /^photo\.jpg / }).click();
  await page.getByRole("button", { name: "Custody report" }).click();
  const itemDialog = page.getByRole("dialog", { name: "Custody report" });
  await expect(itemDialog.getByRole("radio", { name: "This item only" })).toBeChecked();
  await itemDialog.getByRole("radio", { name: "Withheld" }).check();
  await itemDialog.getByRole("button", { name: "Make the report" }).click();
  await expect(itemDialog.getByRole("status")).toContainText("1 item,", { timeout: 120_000 });
  const itemEvent = await lastEvent();
  expect(itemEvent.payload.scope).toEqual({ kind: "items", items: [base.items.photo] });
  expect(itemEvent.payload.choices).toEqual({ sensitive: "withheld", graphic: "veiled" });
  expect(itemEvent.payload.format).toBe("pdf");
  await expectAccessibleDialog(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, "report-dialog-item.png") });
  expect(errors).toEqual([]);
});

test("Timestamp this report: unavailable without an authority; granted by the local authority, then queued when it is down", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const tsa = await startLocalTsa();
  try {
    const errors = watch(page);
    await openCase(page, workbench.host, base.caseDir);
    await page.getByRole("button", { name: "Custody report" }).click();
    const dialog = page.getByRole("dialog", { name: "Custody report" });
    const stamp = dialog.getByRole("checkbox", { name: "Timestamp this report" });
    await expect(stamp).toBeDisabled();
    await expect(dialog.getByText(/Not available: no time-stamping authority is set up for you/)).toBeVisible();
    await dialog.getByRole("button", { name: "Close the report dialog" }).click();
    // The API refuses it too, before any work.
    await expect(
      workbench.service.generateReport({
        dir: base.caseDir,
        format: "json",
        sensitive: "rounded",
        graphic: "veiled",
        timestamp: true,
      }),
    ).rejects.toThrow(/no time-stamping authority is configured for this examiner/);

    // The examiner sets up the authority (the ledger view's form, tested in timestamp.spec.ts).
    await workbench.service.saveTimestampAuthority({
      dir: base.caseDir,
      url: tsa.url,
      name: "Local <i>TSA</i>",
      anchorsPem: tsa.caPem,
    });
    await page.getByRole("button", { name: "Custody report" }).click();
    await expect(stamp).toBeEnabled();
    await stamp.check();
    await dialog.getByRole("radio", { name: /^JSON/ }).check();
    await dialog.getByRole("radio", { name: "The whole case" }).check();
    await dialog.getByRole("button", { name: "Make the report" }).click();
    const made = dialog.getByRole("status");
    await expect(made).toContainText(/Head \d+ timestamped at .* by CN=Local Time-Stamping Authority/, {
      timeout: 120_000,
    });
    const [generated, recorded] = (await readFile(path.join(base.caseDir, "ledger.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .slice(-2)
      .map((l) => JSON.parse(l));
    expect(generated.type).toBe("report.generated");
    expect(recorded.type).toBe("timestamp.recorded");
    expect(recorded.payload.head).toEqual({ seq: generated.seq, hash: generated.hash });
    await expect(made).toContainText(`Head ${generated.seq} timestamped`);
    await expectAccessibleDialog(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, "report-dialog-timestamp.png") });

    tsa.setMode({ kind: "status", status: 503 });
    await dialog.getByRole("button", { name: "Make the report" }).click();
    await expect(made).toContainText(/queued and proves no time until it is sent/, { timeout: 120_000 });
    const last = await lastEvent();
    expect(last.type).toBe("timestamp.requested");
    await page.screenshot({ path: path.join(SCREENSHOTS, "report-dialog-timestamp-queued.png") });
    expect(errors).toEqual([]);
  } finally {
    await tsa.close();
  }
});
