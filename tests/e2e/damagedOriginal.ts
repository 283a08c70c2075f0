/**
 * What the damaged-original runs share (integrity.spec.ts, integrityUpload.spec.ts): a case of
 * freshly made photos imported by path, one of whose vault copies has a byte changed on disk
 * while the workbench shows the case, and "Verify case" run from the ledger view.
 */
import { expect, test, type Page } from "@playwright/test";
import { createHash } from "node:crypto";
import { chmod, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { makeJpeg } from "../support/mediaCorpus.js";
import { openCase, startCase, type CaseWorkbench } from "./caseSetup.js";

export interface DamageCase {
  workbench: CaseWorkbench;
  /** The photo whose vault copy the run damages (the first named), as made on disk. */
  source: string;
  /** Its copy in the case's vault. */
  vaultCopy: string;
}

/** A case titled `title` holding JPEGs by `names` (seeds from `seed` on); the first is the one to damage. */
export async function startDamageCase(
  prefix: string,
  title: string,
  names: readonly string[],
  seed: number,
): Promise<DamageCase> {
  const workbench = await startCase(prefix, title);
  const media = path.join(workbench.root, "media");
  for (const [i, name] of names.entries()) {
    await makeJpeg(path.join(media, name), { width: 800, height: 600, seed: seed + i });
  }
  const source = path.join(media, names[0]!);
  await workbench.importPaths([media]);
  const sha = createHash("sha256")
    .update(await readFile(source))
    .digest("hex");
  const vaultCopy = path.join(workbench.caseDir, "objects", "sha256", sha.slice(0, 2), sha.slice(2));
  return { workbench, source, vaultCopy };
}

/**
 * The damage case of `startDamageCase`, made before the file's tests and closed after them; call
 * the function inside a test.
 */
export function useDamageCase(...args: Parameters<typeof startDamageCase>): () => DamageCase {
  let damage: DamageCase | undefined;
  test.beforeAll(async () => {
    damage = await startDamageCase(...args);
  });
  test.afterAll(async () => {
    await damage?.workbench.close();
  });
  return () => damage!;
}

/**
 * Opens the case on `page` and waits for its `tiles`; returns the page's errors and console errors
 * as they come, for the run to find empty at its end.
 */
export async function openDamageCase(page: Page, { workbench }: DamageCase, tiles: number): Promise<string[]> {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await openCase(page, workbench.host, workbench.caseDir);
  await expect(page.getByRole("gridcell")).toHaveCount(tiles, { timeout: 60_000 });
  return errors;
}

/** Someone changes the byte at `offset` of the vault copy (it is read-only: made writable first). */
export async function damageVaultCopy({ vaultCopy }: DamageCase, offset: number): Promise<void> {
  await chmod(vaultCopy, 0o600);
  const bytes = await readFile(vaultCopy);
  bytes[offset] = bytes[offset]! ^ 0xff;
  await writeFile(vaultCopy, bytes);
}

/** Runs "Verify case" from the ledger view and waits for its result to say `expected`. */
export async function verifyFromLedger(page: Page, expected: RegExp): Promise<void> {
  await page.getByText("Ledger", { exact: true }).click();
  await page.getByRole("button", { name: "Verify case" }).click();
  await expect(page.getByLabel("Verification result")).toContainText(expected, { timeout: 60_000 });
}
