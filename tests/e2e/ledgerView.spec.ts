/**
 * The ledger view as a reader meets it: a table with real column headers and rows of cells; a
 * row opens to the full signed event (every field of the envelope, the payload pretty-printed),
 * copied as JSON exactly as the ledger holds it; text from the case shown inert (markup as text,
 * a direction override as its escape); the keyboard walks the rows and Escape goes back to the row.
 */
import { expect, test, type Page } from "@playwright/test";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { FRENCH_NOTE, HOSTILE_FILE_NAME, makeReportCase, type ReportCase } from "../support/reportCase.js";
import { expectNoAxeViolations } from "./axeScan.js";
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

const ledgerEvents = async () =>
  (await readFile(path.join(base.caseDir, "ledger.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

async function openLedger(page: Page) {
  await openCase(page, workbench.host, base.caseDir);
  await expect(page.getByLabel("Item count")).toHaveText("6 of 6 items");
  await page.getByText("Ledger", { exact: true }).click();
  return page.getByRole("table", { name: "Ledger events" });
}

test("a ledger row opens to the whole signed event, every field shown and copied as it is signed", async ({
  page,
  context,
}) => {
  const errors = watch(page);
  await context.grantPermissions(["clipboard-write"], { origin: workbench.host.url });
  const events = await ledgerEvents();
  const table = await openLedger(page);

  // Real column headers, and rows made of cells.
  await expect(table.getByRole("columnheader")).toHaveText([
    "No.",
    "Recorded",
    "Event",
    "Signed by",
    "What happened",
    "Hash",
  ]);
  const firstRow = table.getByRole("row").nth(1);
  await expect(firstRow.getByRole("cell")).toHaveCount(6);
  await expect(firstRow.getByRole("cell").nth(1)).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);

  // The note with markup in it: found by search, opened by its number.
  const note = events.find((e) => e.type === "note.added" && e.payload.text === FRENCH_NOTE)!;
  await page.getByLabel("Search the ledger").fill("note on");
  const open = table.getByRole("button", { name: `${note.seq}: open event ${note.seq} in full` });
  await open.click();
  await expect(open).toHaveAttribute("aria-expanded", "true");
  const detail = page.getByRole("region", { name: `Event ${note.seq}: Note added` });
  await expect(detail.getByRole("heading", { name: `Event ${note.seq}: Note added` })).toBeFocused();
  for (const value of [note.id, note.actor, note.prev, note.hash, note.sig, note.ts, "note.added"]) {
    await expect(detail.getByText(value, { exact: false }).first()).toBeVisible();
  }
  const payload = detail.getByLabel("Payload");
  await expect(payload).toHaveText(JSON.stringify(note.payload, null, 2));
  await expect(payload).toContainText("<script>alert('note')</script>");
  await expect(detail.locator("script, b, img")).toHaveCount(0);
  await expectNoAxeViolations(page, "the ledger with an opened event");
  await page.screenshot({ path: path.join(SCREENSHOTS, "ledger-event-open.png") });

  // Copied as JSON: the very event the ledger holds, and its hash on its own. The page may write the
  // clipboard but not read it (its Permissions-Policy), so the copy is pasted into the search field,
  // as a person would (a single-line field drops the line breaks, which JSON does not need).
  const search = page.getByLabel("Search the ledger");
  const pasted = async () => {
    await search.fill("");
    await search.focus();
    await page.keyboard.press("ControlOrMeta+V");
    const text = await search.inputValue();
    await search.fill("note on");
    return text;
  };
  await detail.getByRole("button", { name: "Copy the event (JSON)" }).click();
  await expect(detail.getByRole("button", { name: "Copied the event" })).toBeVisible();
  expect(JSON.parse(await pasted())).toEqual(note);
  await detail.getByRole("button", { name: "Copy hash" }).click();
  expect(await pasted()).toBe(note.hash);
  await open.click();
  await expect(detail.getByRole("heading")).toBeFocused();

  // Escape closes the event and puts the keyboard back on its row; the arrows walk the rows.
  await page.keyboard.press("Escape");
  await expect(detail).toHaveCount(0);
  await expect(open).toBeFocused();
  await expect(open).toHaveAttribute("aria-expanded", "false");
  await page.keyboard.press("Home");
  const shownNotes = events.filter((e) => e.type === "note.added");
  await expect(table.getByRole("button", { name: `${shownNotes[0]!.seq}: open event` })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(table.getByRole("button", { name: `${shownNotes[1]!.seq}: open event` })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("region", { name: `Event ${shownNotes[1]!.seq}: Note added` })).toBeVisible();

  // A file name with markup and a direction override: shown as text, the override as its escape.
  await page.getByLabel("Search the ledger").fill("");
  const hostile = events.find(
    (e) => e.type === "item.imported" && e.payload.source.originalName === HOSTILE_FILE_NAME,
  )!;
  await page.getByLabel("Search the ledger").fill("onerror");
  await table.getByRole("button", { name: `${hostile.seq}: open event ${hostile.seq} in full` }).click();
  const hostileDetail = page.getByRole("region", { name: `Event ${hostile.seq}: Imported` });
  await expect(hostileDetail.getByLabel("Payload")).toContainText("<img src=x onerror=alert(1)>\\u{202E}gpj.exe");
  await expect(hostileDetail.locator("img")).toHaveCount(0);
  await expect(hostileDetail).not.toContainText("\u202e");
  await hostileDetail.getByRole("button", { name: "Close the event" }).click();
  await expect(hostileDetail).toHaveCount(0);
  expect(errors).toEqual([]);
});
