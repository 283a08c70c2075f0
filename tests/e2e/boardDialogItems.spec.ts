/**
 * The board's custody report and bundle dialogs keep the items the board showed when they opened:
 * while one is open, files are imported into the case and the board behind it shows more, yet the
 * dialog still says the count it opened with and its report or bundle covers exactly those items.
 * Opened again, it takes what the board shows then.
 */
import { expect, test, type Page } from "@playwright/test";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { writeRandomFile } from "../support/fixtures.js";
import { readLedger } from "../support/exchangeCase.js";
import { watch } from "./geolocatePage.js";
import { openCase, startCase, type CaseWorkbench } from "./caseSetup.js";

let base: CaseWorkbench;
/** The SHA-256s of the two items the search shows when the dialogs first open. */
let shown: string[];
const media = () => path.join(base.root, "media");

/** Writes `names` into the media folder and returns their SHA-256s by name. */
async function writeFiles(names: string[]): Promise<Map<string, string>> {
  const shas = new Map<string, string>();
  for (const [i, name] of names.entries()) {
    const file = path.join(media(), name);
    await writeRandomFile(file, 2_000 + i);
    shas.set(
      name,
      createHash("sha256")
        .update(await readFile(file))
        .digest("hex"),
    );
  }
  return shas;
}

/** Imports `names` (written first) into the case while the page is open, as another window would. */
async function importMore(names: string[]): Promise<void> {
  await writeFiles(names);
  await base.importPaths(names.map((name) => path.join(media(), name)));
}

test.beforeAll(async () => {
  base = await startCase("sightline-e2e-dialog-items-", "Dialog items");
  const first = await writeFiles(["kidal-1.bin", "kidal-2.bin", "mbera.bin"]);
  shown = [first.get("kidal-1.bin")!, first.get("kidal-2.bin")!];
  await base.importPaths([media()]);
});

test.afterAll(() => base.close());

const itemCount = (page: Page) => page.getByLabel("Item count");

test("report and bundle dialogs keep the items shown when they opened while the board changes behind them", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = watch(page);
  await openCase(page, base.host, base.caseDir);
  await expect(itemCount(page)).toHaveText("3 of 3 items", { timeout: 60_000 });
  await page.getByLabel("Search").fill("kidal");
  await expect(itemCount(page)).toHaveText("2 of 3 items");

  // The report dialog, opened by keyboard on the two items shown.
  await page.getByRole("button", { name: "Custody report" }).focus();
  await page.keyboard.press("Enter");
  const report = page.getByRole("dialog", { name: "Custody report" });
  await expect(report.getByRole("radio", { name: "The 2 items the board shows now" })).toBeChecked();
  await importMore(["kidal-3.bin", "kidal-4.bin"]);
  await expect(itemCount(page)).toHaveText("4 of 5 items", { timeout: 60_000 });
  // A choice in the dialog draws it again: it still says two, and reports on those two.
  await report.getByRole("radio", { name: /^HTML/ }).check();
  await expect(report.getByRole("radio", { name: "The 2 items the board shows now" })).toBeChecked();
  await expect(report.getByRole("radio", { name: /^The \d+ items the board shows now$/ })).toHaveCount(1);
  await report.getByRole("button", { name: "Make the report" }).click();
  await expect(report.getByRole("status")).toContainText("2 items, up to ledger event", { timeout: 90_000 });
  const reported = (await readLedger(base.caseDir)).at(-1);
  expect(reported.type).toBe("report.generated");
  expect([...reported.payload.scope.items].sort()).toEqual([...shown].sort());
  await report.getByRole("button", { name: "Close the report dialog" }).click();

  // Opened again, the report dialog takes what the board shows now.
  await page.getByRole("button", { name: "Custody report" }).click();
  await expect(report.getByRole("radio", { name: "The 4 items the board shows now" })).toBeChecked();
  await report.getByRole("button", { name: "Close the report dialog" }).click();

  // The bundle dialog, opened on the four shown; a fifth arrives while it is open.
  await page.getByRole("button", { name: "Export bundle" }).click();
  const bundle = page.getByRole("dialog", { name: "Export a bundle" });
  const four = bundle.getByRole("radio", { name: /^The 4 items the board shows now, with a proof/ });
  await expect(four).toBeVisible();
  await importMore(["kidal-5.bin"]);
  await expect(itemCount(page)).toHaveText("5 of 6 items", { timeout: 60_000 });
  await four.check();
  await expect(four).toBeChecked();
  await bundle.getByRole("button", { name: "Write the bundle" }).click();
  const written = bundle.getByRole("status");
  await expect(written).toContainText("Bundle written", { timeout: 120_000 });
  await expect(written).toContainText("4 item(s) with the proof of their events");
  const exported = (await readLedger(base.caseDir)).at(-1);
  expect(exported.type).toBe("bundle.exported");
  expect(exported.payload.items).toHaveLength(4);
  expect(exported.payload.items).toEqual(expect.arrayContaining(shown));
  expect(errors).toEqual([]);
});
