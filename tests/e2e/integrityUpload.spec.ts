/**
 * Restoring a damaged original in browser mode, where the page never gives the host a path: one
 * byte of an original changed on disk, "Verify case" finds it, and the same file dragged onto the
 * window from the desktop is offered as a restore; the restore comes from the bytes the upload
 * brought (held in the case as they arrived), and verification is clean again.
 */
import { expect, test, type Page } from "@playwright/test";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { expectNoAxeViolations } from "./axeScan.js";
import { SCREENSHOTS } from "./caseSetup.js";
import { damageVaultCopy, openDamageCase, useDamageCase, verifyFromLedger } from "./damagedOriginal.js";
import { dropFromDesktop } from "./desktopDrop.js";

const damageCase = useDamageCase(
  "sightline-e2e-integrity-upload-",
  "Mbera camp",
  ["mbera-tent.jpg", "mbera-water-point.jpg"],
  50,
);

/** Verifies from the ledger view and goes back to the board. */
async function verifyToBoard(page: Page, expected: RegExp): Promise<void> {
  await verifyFromLedger(page, expected);
  await page.getByText("Evidence", { exact: true }).click();
}

test("a file dropped in browser mode restores a damaged original from the bytes it brought", async ({ page }) => {
  const damage = damageCase();
  const { source, vaultCopy, workbench } = damage;
  const errors = await openDamageCase(page, damage, 2);
  await damageVaultCopy(damage, 3000);
  await verifyToBoard(page, /problem/);
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
  expect(await readdir(path.join(workbench.caseDir, "tmp"))).toEqual([]);
  const events = (await workbench.service.ledgerEvents({ dir: workbench.caseDir })).map((e) => e.event);
  const restore = events.at(-1)!;
  expect(restore.type).toBe("original.restored");
  const from = events.find((e) => e.seq === (restore.payload as { acquisitionSeq: number }).acquisitionSeq)!;
  expect(from.payload).toMatchObject({ source: { path: "mbera-tent.jpg", channel: "upload" }, isNewObject: false });

  await verifyToBoard(page, /Clean/);
  await expect(page.getByRole("gridcell")).toHaveCount(2);
  await expect(page.getByText("Integrity failed")).toHaveCount(0);
  expect(errors).toEqual([]);
});
