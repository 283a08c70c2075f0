/**
 * Whose keys may sign in a case: the keys its ledger establishes (shared/ledger/examinerTrust.ts),
 * never `case.json` alone (DESIGN rule 5). `case.json` is a copy to check: when it lists other
 * keys the case was edited outside Sightline, and nothing may be written to it.
 */
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import type { Examiner } from "../../../shared/ledger/events.js";
import { establishTrust, examinerListKey } from "../../../shared/ledger/examinerTrust.js";
import { SightlineError } from "../sightlineError.js";
import { assertCaseLayout, readCaseText } from "../vault/caseLayout.js";
import { readCaseFile } from "../vault/caseStore.js";
import { nodeLedgerCrypto } from "./nodeLedgerCrypto.js";

/**
 * The examiners the ledger trusts, after checking that `case.json` lists exactly them.
 * Throws a one-line SightlineError (`tampered`) when the folder or case.json was edited.
 */
export async function trustedExaminers(caseDir: string, ledgerBytes?: Uint8Array): Promise<Examiner[]> {
  await assertCaseLayout(caseDir);
  const caseFile = await readCaseFile(caseDir);
  const bytes = ledgerBytes ?? (await readCaseText(caseDir, CASE_PATHS.ledger));
  const trusted = establishTrust(bytes, nodeLedgerCrypto);
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
