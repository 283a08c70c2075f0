/**
 * Restoring a damaged original in browser mode, where the page never gives the host a path: one
 * byte of an original changed on disk, "Verify case" finds it, and the same file dragged onto the
 * window from the desktop is offered as a restore; the restore comes from the bytes the upload
 * brought (held in the case as they arrived), and verification is clean again.
 */
import { expect, test, type Page } from "@playwright/test";
import { createHash } from "node:crypto";
import { chmod, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { LoopbackHost } from "../../electron/host/loopbackHost.js";
import type { SightlineService } from "../../electron/services/sightlineService.js";
import { makeJpeg } from "../support/mediaCorpus.js";
import { expectNoAxeViolations } from "./axeScan.js";
import { SCREENSHOTS, startCase, type CaseWorkbench } from "./caseSetup.js";
import { dropFromDesktop } from "./desktopDrop.js";

let workbench: CaseWorkbench;
let host: LoopbackHost;
let service: SightlineService;
let caseDir: string;
let source: string;
let vaultCopy: string;

test.beforeAll(async () => {
  workbench = await startCase("sightline-e2e-integrity-upload-", "Mbera camp");
  ({ service, host, caseDir } = workbench);
  const media = path.join(workbench.root, "media");
  for (const [i, name] of ["mbera-tent.jpg", "mbera-water-point.jpg"].entries()) {
    await makeJpeg(path.join(media, name), { width: 800, height: 600, seed: 50 + i });
  }
  source = path.join(media, "mbera-tent.jpg");
  await workbench.importPaths([media]);
  const sha = createHash("sha256")
    .update(await readFile(source))
    .digest("hex");
  vaultCopy = path.join(caseDir, "objects", "sha256", sha.slice(0, 2), sha.slice(2));
});

test.afterAll(async () => {
  await workbench.close();
});

async function verifyFromLedger(page: Page, expected: RegExp): Promise<void> {
  await page.getByText("Ledger", { exact: true }).click();
  await page.getByRole("button", { name: "Verify case" }).click();
  await expect(page.getByLabel("Verification result")).toContainText(expected, { timeout: 60_000 });
  await page.getByText("Evidence", { exact: true }).click();
}

test("a file dropped in browser mode restores a damaged original from the bytes it brought", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(`${host.url}/#token=${host.token}`);
  const open = page.getByLabel("Open case", { exact: true });
  await open.getByLabel("Case folder").fill(caseDir);
  await open.getByRole("button", { name: "Open", exact: true }).click();
  await expect(page.getByRole("gridcell")).toHaveCount(2, { timeout: 60_000 });

  await chmod(vaultCopy, 0o600);
  const damaged = await readFile(vaultCopy);
  damaged[3000] = damaged[3000]! ^ 0xff;
  await writeFile(vaultCopy, damaged);
  await verifyFromLedger(page, /problem/);
  await expect(page.getByRole("gridcell", { name: /^mbera-tent\.jpg / })).toContainText("Integrity failed");

  // The same file dragged onto the window: sent by the page, with no path the host could read again.
  await dropFromDesktop(page, [source]);
  const offer = page.getByRole("alert", { name: "Damaged original: mbera-tent.jpg" });
  await expect(offer).toContainText("the vault copy's bytes have changed since import", { timeout: 60_000 });
  await expectNoAxeViolations(page, "the board offering a restore from a dropped file");
  await page.screenshot({ path: path.join(SCREENSHOTS, "integrity-upload-restore-offer.png") });
  await offer.getByRole("button", { name: "Restore the vault copy from mbera-tent.jpg" }).click();
  const done = page.getByRole("status", { name: "Original restored: mbera-tent.jpg" });
  await expect(done).toContainText(/damaged copy is kept at recovered\//);
  await expect(page.getByText("Integrity failed")).toHaveCount(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, "integrity-upload-restored.png") });
  expect((await readFile(vaultCopy)).equals(await readFile(source))).toBe(true);
  expect(await readdir(path.join(caseDir, "tmp"))).toEqual([]);
  const events = (await service.ledgerEvents({ dir: caseDir })).map((e) => e.event);
  const restore = events.at(-1)!;
  expect(restore.type).toBe("original.restored");
  const from = events.find((e) => e.seq === (restore.payload as { acquisitionSeq: number }).acquisitionSeq)!;
  expect(from.payload).toMatchObject({ source: { path: "mbera-tent.jpg", channel: "upload" }, isNewObject: false });

  await verifyFromLedger(page, /Clean/);
  await expect(page.getByRole("gridcell")).toHaveCount(2);
  await expect(page.getByText("Integrity failed")).toHaveCount(0);
  expect(errors).toEqual([]);
});
