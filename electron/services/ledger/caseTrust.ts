/**
 * Whose keys may sign in a case: the keys its ledger establishes (shared/ledger/examinerTrust.ts),
 * never `case.json` alone (DESIGN rule 5). `case.json` is a copy to check: when it lists other
 * keys the case was edited outside Sightline, and nothing may be written to it.
 */
import { constants } from "node:fs";
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import type { Examiner } from "../../../shared/ledger/events.js";
import { establishTrust, examinerListKey } from "../../../shared/ledger/examinerTrust.js";
import { SightlineError } from "../sightlineError.js";
import { assertCaseLayout, openCaseOwnFile } from "../vault/caseLayout.js";
import { readCaseFile } from "../vault/caseStore.js";
import { nodeLedgerCrypto } from "./nodeLedgerCrypto.js";

/**
 * The examiners the ledger trusts, after checking that `case.json` lists exactly them.
 * Throws a one-line SightlineError (`tampered`) when the folder or case.json was edited.
 */
export async function trustedExaminers(
  caseDir: string,
  /** For a restore: a damaged object in the vault does not stop it (see LedgerWriterOptions.isRestoring). */
  layout: { allowDamagedObjects?: boolean } = {},
): Promise<Examiner[]> {
  await assertCaseLayout(caseDir, layout);
  const caseFile = await readCaseFile(caseDir);
  const trusted = await ledgerTrust(caseDir);
  if (trusted.size === 0) {
    throw new SightlineError(
      "tampered",
      `the ledger of ${caseDir} does not begin with a valid case.created event, so no key is trusted; run "sightline verify"`,
    );
  }
  if (examinerListKey(caseFile.examiners) !== examinerListKey(trusted.values())) {
    throw new SightlineError(
      "tampered",
      `case.json's examiner list differs from the keys the ledger establishes: the case was edited outside Sightline, so nothing was written; run "sightline verify" to see the difference`,
    );
  }
  return [...trusted.values()];
}

/**
 * The keys a ledger establishes, remembered per case while the file stays as it was: a write asks
 * twice (to choose the key, then as the writer opens), and on a large case reading the ledger
 * is the cost. The file's identity includes its ctime, which no one can set back after an edit.
 */
const remembered = new Map<string, { stamp: string; trusted: Map<string, Examiner> }>();
const MAX_REMEMBERED = 4;

async function ledgerTrust(caseDir: string): Promise<Map<string, Examiner>> {
  const handle = await openCaseOwnFile(caseDir, CASE_PATHS.ledger, constants.O_RDONLY);
  try {
    const info = await handle.stat({ bigint: true });
    const stamp = [info.dev, info.ino, info.size, info.mtimeNs, info.ctimeNs].join(":");
    const known = remembered.get(caseDir);
    if (known?.stamp === stamp) return known.trusted;
    const trusted = establishTrust(await handle.readFile(), nodeLedgerCrypto);
    remembered.delete(caseDir);
    if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
    remembered.set(caseDir, { stamp, trusted });
    return trusted;
  } finally {
    await handle.close();
  }
}
