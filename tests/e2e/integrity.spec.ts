/**
 * A damaged original is impossible to miss: one byte of an original changed on disk, "Verify case"
 * run from the ledger view; the finding links to its item, whose page carries the integrity banner;
 * the board marks its tile and table row and filters to it. Then the same file imported again is
 * offered as a restore, the restore is made through the board, and verification is clean.
 */
import { expect, test } from "@playwright/test";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expectNoAxeViolations } from "./axeScan.js";
import { SCREENSHOTS } from "./caseSetup.js";
import { damageVaultCopy, openDamageCase, useDamageCase, verifyFromLedger } from "./damagedOriginal.js";

const damageCase = useDamageCase(
  "sightline-e2e-integrity-",
  "Kidal market",
  ["kidal-market.jpg", "kidal-road.jpg", "mbera-tent.jpg"],
  30,
);

test("a changed original is marked on its tile, row and page, filtered, linked from the ledger, and restored", async ({
  page,
}) => {
  const damage = damageCase();
  const { source: damagedSource, vaultCopy } = damage;
  const errors = await openDamageCase(page, damage, 3);
  await expect(page.getByText("Integrity failed")).toHaveCount(0);

  // Someone changes one byte of the original in the vault.
  await damageVaultCopy(damage, 2000);

  await verifyFromLedger(page, /problem/);
  await expectNoAxeViolations(page, "the ledger view after a failed verification");
  // The finding names its item as a link, which opens the item's page.
  await page.getByLabel("Verification result").getByRole("button", { name: "kidal-market.jpg" }).click();
  const banner = page.getByRole("alert").filter({ hasText: "Integrity failed" });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText("The original's bytes have changed since import");
  await expect(banner).toContainText(/The verification of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(ledger entry \d+\)/);
  await expect(banner).toContainText("object-corrupt");
  await expectNoAxeViolations(page, "an item with the integrity banner");
  await page.screenshot({ path: path.join(SCREENSHOTS, "integrity-item-banner.png") });

  // Back on the board: the tile carries the mark (with what failed in its name), the filter finds it.
  await page.keyboard.press("Escape");
  const tile = page.getByRole("gridcell", { name: /kidal-market\.jpg/ });
  await expect(tile).toContainText("Integrity failed");
  await expect(tile).toHaveAccessibleName(/kidal-market.jpg Integrity failed The original.s bytes have changed/);
  await expect(page.getByRole("gridcell", { name: /kidal-road\.jpg/ })).not.toContainText("Integrity failed");
  await tile.hover();
  await expect(tile.getByText("The original's bytes have changed since import")).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, "integrity-board.png") });
  // The marks read in the light theme too.
  await page.getByRole("button", { name: "Use light theme" }).click();
  await expect(page.locator("html")).toHaveAttribute("data-mantine-color-scheme", "light");
  await tile.hover();
  await expectNoAxeViolations(page, "the board with an integrity mark, light theme");
  await page.screenshot({ path: path.join(SCREENSHOTS, "integrity-board-light.png") });
  await page.getByRole("button", { name: "Use dark theme" }).click();
  await page.getByText(/Integrity problems \(1\)/).click();
  await expect(page.getByRole("checkbox", { name: /Integrity problems/ })).toBeChecked();
  await expect(page.getByLabel("Item count")).toHaveText("1 of 3 items");
  await expect(page.getByRole("gridcell")).toHaveCount(1);
  await expectNoAxeViolations(page, "the board filtered to integrity problems");
  await page.getByText("Table", { exact: true }).click();
  const row = page.getByRole("row", { name: /kidal-market\.jpg/ });
  await expect(row).toContainText("Integrity failed");
  // The name cell (after the row's selection checkbox) says what failed in its title.
  await expect(row.getByRole("cell").filter({ hasText: "kidal-market.jpg" })).toHaveAttribute(
    "title",
    /bytes have changed/,
  );
  await expectNoAxeViolations(page, "the table with an integrity mark");
  await page.getByText(/Integrity problems/).click();
  await page.getByText("Grid", { exact: true }).click();

  // The same file imported again: the board says the vault copy is damaged and offers the restore.
  await page.getByLabel("Path to import").fill(damagedSource);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const offer = page.getByRole("alert", { name: "Damaged original: kidal-market.jpg" });
  await expect(offer).toContainText("the vault copy's bytes have changed since import", { timeout: 60_000 });
  await expectNoAxeViolations(page, "the board offering a restore");
  await page.screenshot({ path: path.join(SCREENSHOTS, "integrity-restore-offer.png") });
  await offer.getByRole("button", { name: "Restore the vault copy from kidal-market.jpg" }).click();
  await expect(page.getByRole("status", { name: "Original restored: kidal-market.jpg" })).toContainText(
    /damaged copy is kept at recovered\//,
  );
  expect((await readFile(vaultCopy)).equals(await readFile(damagedSource))).toBe(true);
  await expect(page.getByText("Integrity failed")).toHaveCount(0);

  // Its page says what happened until a verification confirms it.
  await page.getByRole("gridcell", { name: /^kidal-market\.jpg / }).click();
  await expect(page.getByRole("alert", { name: "Original restored" })).toContainText(
    /found this original damaged \(changed\)\. Its vault copy was restored on .* the damaged copy is kept at recovered\//,
  );
  await expectNoAxeViolations(page, "an item whose original was restored");
  await page.keyboard.press("Escape");

  await verifyFromLedger(page, /Clean/);
  await page.getByText("Evidence", { exact: true }).click();
  await expect(page.getByRole("gridcell")).toHaveCount(3);
  await expect(page.getByText("Integrity failed")).toHaveCount(0);
  await page.getByRole("gridcell", { name: /^kidal-market\.jpg / }).click();
  await expect(page.getByRole("heading", { name: "kidal-market.jpg" })).toBeVisible();
  await expect(page.getByLabel("Integrity")).toHaveCount(0);
  expect(errors).toEqual([]);
});
