/**
 * Every file an import did not bring in, on screen and saved: a folder of 1,206 links to nothing
 * (hostile names among them: markup, a newline, bidi override, formulas) and three good files,
 * imported from the board by path in the real renderer. The full list is paged in as it scrolls
 * (past the thousand the job itself lists) down to the last file and its reason, names shown as
 * inert text; "Save the list…" downloads a CSV with a row for every file, every cell quoted and
 * formulas made text. The dialog is scanned by axe.
 */
import { expect, test } from "@playwright/test";
import { symlinkSync, writeFileSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { expectNoAxeViolations } from "./axeScan.js";
import { openCase, SCREENSHOTS, startCase, type CaseWorkbench } from "./caseSetup.js";
import { watch } from "./geolocatePage.js";

const HOSTILE = [
  "<img src=x onerror=alert(1)>.jpg",
  "new\nline.jpg",
  "\u202egpj.exe",
  '=HYPERLINK("x").jpg',
  "@SUM(1).jpg",
  "-2+3.jpg",
];
const BROKEN = 1_200 + HOSTILE.length;
/** The count as the board shows it, with a thousands separator. */
const SHOWN = BROKEN.toLocaleString("en");
/** The list's rows are this tall (NotImportedDialog.tsx). */
const ROW_HEIGHT = 44;

let workbench: CaseWorkbench;
let media: string;

test.beforeAll(async () => {
  workbench = await startCase("sightline-e2e-notimported-", "Dump");
  media = path.join(workbench.root, "dump");
  await mkdir(media);
  for (let i = 0; i < BROKEN; i++) {
    const name = HOSTILE[i] ?? `gone-${String(i).padStart(5, "0")}.jpg`;
    symlinkSync(path.join(workbench.root, "nowhere", name), path.join(media, name));
  }
  for (let i = 0; i < 3; i++) writeFileSync(path.join(media, `kept-${i}.jpg`), `bytes ${i}`);
});

test.afterAll(() => workbench.close());

test("all files not imported: listed as the list scrolls, to the last one, and saved as CSV", async ({ page }) => {
  const errors = watch(page);
  await openCase(page, workbench.host, workbench.caseDir);
  await page.getByLabel("Path to import").fill(media);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByText(/^Import finished/)).toContainText(
    `3 imported, 0 already in the case, ${SHOWN} not imported`,
    { timeout: 120_000 },
  );

  // Saved first: the CSV gives the list's order, so the rows to look for on screen are known.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Save the list…" }).click(),
  ]);
  await expect(page.getByText(`Saved the list of ${SHOWN} files not imported.`)).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, "import-not-imported-summary.png") });
  const csv = await readFile((await download.path())!, "utf8");
  const lines = csv.split("\r\n").filter((l) => l !== "");
  expect(lines).toHaveLength(BROKEN + 1);
  expect(lines[0]).toBe('"name","path","reason"');
  // Every cell is quoted and no cell holds a line break, so a line is one row of quoted cells.
  const cells = (line: string) => [...line.matchAll(/"((?:[^"]|"")*)"(?:,|$)/g)].map((m) => m[1]!.replace(/""/g, '"'));
  const rows = lines.slice(1).map(cells);
  for (const [name, where, reason] of rows) {
    expect(where!.endsWith(name!.replace(/^'/, ""))).toBe(true);
    expect(reason).toMatch(/^broken symbolic link: /);
  }
  expect(csv).toContain('"<img src=x onerror=alert(1)>.jpg"');
  expect(csv).toContain('"\'=HYPERLINK(""x"").jpg"');
  expect(csv).toContain('"\'@SUM(1).jpg"');
  expect(csv).toContain('"\'-2+3.jpg"');
  expect(csv).toContain('"new\\u{000A}line.jpg"');
  expect(csv).toContain('"\\u{202E}gpj.exe"');
  expect(csv).not.toMatch(/[\u202e\u0000-\u0009\u000b\u000c\u000e-\u001f]/);

  await page.getByRole("button", { name: `Show all ${SHOWN} files not imported` }).click();
  const dialog = page.getByRole("dialog", { name: `All ${SHOWN} files not imported` });
  const list = dialog.getByRole("list", { name: "Files not imported" });
  await expect(list.getByRole("listitem").first()).toContainText("broken symbolic link");

  // By keyboard to the end: each End reaches as far as the list has been read, and reading goes on.
  await list.focus();
  const last = list.locator(`[aria-posinset="${BROKEN}"]`);
  await expect(async () => {
    await page.keyboard.press("End");
    await expect(last).toContainText("broken symbolic link", { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(dialog.getByText(`${SHOWN} files`, { exact: true })).toBeVisible();
  const [lastName] = rows.at(-1)!;
  await expect(last).toContainText(lastName!);
  await page.screenshot({ path: path.join(SCREENSHOTS, "import-not-imported-end.png") });

  // The hostile names, where the list has them: text, never markup or a reversed extension.
  for (const [shown, raw] of [
    ["\\u{202E}gpj.exe", "\u202egpj.exe"],
    ["new\\u{000A}line.jpg", "new\u{000A}line.jpg"],
    ["<img src=x onerror=alert(1)>.jpg", HOSTILE[0]],
  ] as const) {
    const index = rows.findIndex(([name]) => name === shown);
    expect(index, raw).toBeGreaterThanOrEqual(0);
    await list.evaluate((el, top) => (el.scrollTop = top), index * ROW_HEIGHT);
    await expect(list.locator(`[aria-posinset="${index + 1}"]`)).toContainText(shown);
  }
  await expect(dialog.locator("img")).toHaveCount(0);
  expect(await dialog.textContent()).not.toMatch(/[\u202e\n]/);
  await page.screenshot({ path: path.join(SCREENSHOTS, "import-not-imported-hostile.png") });
  await expectNoAxeViolations(page, "the list of files not imported");

  await dialog.getByRole("button", { name: "Close the list of files not imported" }).click();
  await expect(dialog).toHaveCount(0);
  expect(errors).toEqual([]);
});
