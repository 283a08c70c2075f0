/**
 * For the import tests that make many small cases: a temporary root with an examiner's profile in
 * its home/, and new cases under it (case-1, case-2, ...), each made by that examiner with its
 * ledger open for the time the test uses it.
 */
import path from "node:path";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { LedgerWriter } from "../../electron/services/ledger/ledgerWriter.js";
import { createCase } from "../../electron/services/vault/caseStore.js";
import type { CaseFile } from "../../shared/case/caseFile.js";
import type { HashAlgorithm } from "../../shared/ledger/events.js";
import { tempDir } from "./fixtures.js";

/** A new case, its ledger open for appending. */
export interface OpenCase {
  dir: string;
  caseFile: CaseFile;
  writer: LedgerWriter;
}

export interface CaseRoot {
  /** The temporary folder; the examiner's profile is root/home. */
  readonly root: string;
  readonly keys: KeyStore;
  /** The folder of the case made last: where a test whose import threw looks. */
  readonly latestDir: string;
  /** A new case at root/case-N, titled `title`, hashing with `hashAlgorithms`. */
  newCase(title: string, hashAlgorithms: HashAlgorithm[]): Promise<{ dir: string; caseFile: CaseFile }>;
  /** Makes a new case as `newCase` does, opens its ledger for `use`, and closes it after. */
  withNewCase<T>(
    title: string,
    hashAlgorithms: HashAlgorithm[],
    use: (open: OpenCase) => Promise<T>,
  ): Promise<{ dir: string; value: T }>;
}

/** A temporary root whose cases are all made by `examiner`. */
export async function makeCaseRoot(examiner: string): Promise<CaseRoot> {
  const root = await tempDir();
  const keys = new KeyStore(path.join(root, "home"));
  let caseNo = 0;
  const newCase = async (title: string, hashAlgorithms: HashAlgorithm[]) => {
    const dir = path.join(root, `case-${++caseNo}`);
    const key = await keys.getOrCreate(examiner);
    return { dir, caseFile: await createCase({ dir, title, key, hashAlgorithms }) };
  };
  return {
    root,
    keys,
    get latestDir() {
      return path.join(root, `case-${caseNo}`);
    },
    newCase,
    async withNewCase(title, hashAlgorithms, use) {
      const { dir, caseFile } = await newCase(title, hashAlgorithms);
      const writer = await LedgerWriter.open(dir, { key: await keys.getOrCreate(examiner) });
      try {
        return { dir, value: await use({ dir, caseFile, writer }) };
      } finally {
        await writer.close();
      }
    },
  };
}
