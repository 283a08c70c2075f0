/**
 * Verification of a whole case folder: the ledger (chain, hashes, signatures,
 * via the pure checker in shared/), `case.json` against the ledger, and every
 * object in the vault re-hashed against what the ledger recorded. Read-only:
 * it never writes to the case.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { CASE_PATHS, CaseFileSchema, objectPathFor } from "../../../shared/case/caseFile.js";
import type { Examiner } from "../../../shared/ledger/events.js";
import { verifyLedgerText } from "../../../shared/ledger/ledgerVerify.js";
import type { Notice, Problem } from "../../../shared/ledger/problems.js";
import { INTENT_SUFFIX, STAGED_SUFFIX } from "./ledgerWriter.js";
import { nodeLedgerCrypto } from "./nodeLedgerCrypto.js";
import { SightlineError, describeIoError } from "../sightlineError.js";
import { sha256File } from "../vault/fileDigest.js";

export interface VerifyReport {
  caseDir: string;
  caseId: string | null;
  title: string;
  isClean: boolean;
  problems: Problem[];
  notices: Notice[];
  /** The ledger head as found: compare it with the head printed in earlier reports. */
  head: { seq: number; hash: string } | null;
  eventCount: number;
  itemCount: number;
  objectsChecked: number;
  bytesChecked: number;
  derivativesChecked: number;
  examiners: Examiner[];
  checkedAt: string;
}

export interface VerifyProgress {
  objectsDone: number;
  objectsTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface VerifyOptions {
  signal?: AbortSignal;
  onProgress?: (progress: VerifyProgress) => void;
}

export async function verifyCase(caseDir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const problems: Problem[] = [];
  const notices: Notice[] = [];

  let caseText: string | null = null;
  try {
    caseText = await readFile(path.join(caseDir, CASE_PATHS.caseFile), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new SightlineError("not-a-case", `${caseDir} is not a Sightline case (it has no case.json)`);
    }
    throw new SightlineError("io-error", `cannot read case.json: ${describeIoError(error)}`);
  }

  let ledgerText: string;
  try {
    ledgerText = await readFile(path.join(caseDir, CASE_PATHS.ledger), "utf8");
  } catch (error) {
    problems.push({
      code: "ledger-missing",
      file: CASE_PATHS.ledger,
      message: `the ledger cannot be read: ${describeIoError(error)}`,
    });
    ledgerText = "";
  }
  const ledger = ledgerText || problems.length === 0 ? verifyLedgerText(ledgerText, nodeLedgerCrypto) : null;
  if (ledger) {
    problems.push(...ledger.problems);
    notices.push(...ledger.notices);
  }
  const state = ledger?.state;

  // case.json must agree with what the ledger established.
  const caseFile = (() => {
    try {
      return CaseFileSchema.safeParse(JSON.parse(caseText));
    } catch {
      return null;
    }
  })();
  if (!caseFile?.success) {
    problems.push({
      code: "case-file-invalid",
      file: CASE_PATHS.caseFile,
      message: "case.json is not a valid case file",
    });
  } else if (state) {
    if (state.caseId !== null && caseFile.data.id !== state.caseId) {
      problems.push({
        code: "case-id-mismatch",
        file: CASE_PATHS.caseFile,
        message: `case.json names case ${caseFile.data.id} but the ledger was created for ${state.caseId}`,
      });
    }
    if (state.caseId !== null && caseFile.data.title !== state.title) {
      problems.push({
        code: "case-title-mismatch",
        file: CASE_PATHS.caseFile,
        message: "case.json's title differs from the title the ledger recorded",
      });
    }
    const describe = (list: readonly Examiner[]) =>
      list
        .map((e) => `${e.keyId}|${e.publicKey}|${e.name}`)
        .sort()
        .join("\n");
    if (describe(caseFile.data.examiners) !== describe([...state.examiners.values()])) {
      problems.push({
        code: "case-keys-mismatch",
        file: CASE_PATHS.caseFile,
        message: "case.json's examiner key list differs from the keys the ledger established",
      });
    }
  }

  // Objects: each one the ledger names, re-hashed; each file in the vault, named.
  const items = state ? [...state.items.values()] : [];
  const named = new Set<string>();
  const progress: VerifyProgress = {
    objectsDone: 0,
    objectsTotal: items.length,
    bytesDone: 0,
    bytesTotal: items.reduce((n, i) => n + i.size, 0),
  };
  for (const item of items) {
    if (options.signal?.aborted) throw new SightlineError("cancelled", "verification was cancelled");
    const expectedPath = objectPathFor(item.sha256);
    named.add(expectedPath);
    const at = { item: item.sha256, file: expectedPath };
    if (item.objectPath !== expectedPath) {
      problems.push({
        code: "object-path-invalid",
        ...at,
        message: `the ledger stores item ${item.sha256.slice(0, 12)}… at ${item.objectPath}, not at its hash's path`,
      });
    }
    const full = path.join(caseDir, expectedPath);
    let size: number;
    try {
      size = (await stat(full)).size;
    } catch {
      problems.push({
        code: "object-missing",
        ...at,
        message: `the original of ${item.displayName} (${item.sha256.slice(0, 12)}…) is missing from the vault`,
      });
      continue;
    }
    if (size !== item.size) {
      problems.push({
        code: "object-size-mismatch",
        ...at,
        message: `the original of ${item.displayName} is ${size} bytes; the ledger recorded ${item.size}`,
      });
    }
    const digests = await hashFile(full, (n) => {
      progress.bytesDone += n;
      options.onProgress?.({ ...progress });
    });
    const wrong = (["sha256", "md5", "sha1"] as const).filter((a) => item[a] !== undefined && digests[a] !== item[a]);
    if (wrong.length > 0) {
      problems.push({
        code: "object-corrupt",
        ...at,
        message: `the original of ${item.displayName} no longer matches its recorded ${wrong.map((a) => a.toUpperCase().replace("SHA", "SHA-")).join(" and ")}: its bytes changed`,
      });
    }
    progress.objectsDone++;
    options.onProgress?.({ ...progress });
  }

  const interrupted = await interruptedImports(caseDir, notices);
  for (const file of await listFiles(path.join(caseDir, CASE_PATHS.objects))) {
    const relative = path.relative(caseDir, file).split(path.sep).join("/");
    if (named.has(relative)) continue;
    if (interrupted.has(relative)) {
      notices.push({
        code: "import-interrupted",
        file: relative,
        message: `${relative} was stored by an import that was interrupted before recording it; the next import removes it`,
      });
    } else {
      problems.push({
        code: "object-unreferenced",
        file: relative,
        message: `${relative} is in the vault but no ledger event names it`,
      });
    }
  }

  // Derivatives: each one the ledger names, re-hashed; anything else under derived/ is noted.
  const namedDerivatives = new Set<string>();
  let derivativesChecked = 0;
  for (const item of items) {
    for (const d of item.derivatives) {
      if (options.signal?.aborted) throw new SightlineError("cancelled", "verification was cancelled");
      namedDerivatives.add(d.path);
      const at = { item: item.sha256, file: d.path, seq: d.seq };
      let digest: string;
      try {
        // SHA-256 only: that is what a derivative event records.
        digest = (await sha256File(path.join(caseDir, d.path))).sha256;
      } catch {
        problems.push({
          code: "derivative-missing",
          ...at,
          message: `the ${d.role} ${d.path} of ${item.displayName} is missing`,
        });
        continue;
      }
      derivativesChecked++;
      if (digest !== d.sha256) {
        problems.push({
          code: "derivative-corrupt",
          ...at,
          message: `the ${d.role} ${d.path} of ${item.displayName} no longer matches the SHA-256 its event recorded`,
        });
      }
    }
  }
  for (const file of await listFiles(path.join(caseDir, CASE_PATHS.derived))) {
    const relative = path.relative(caseDir, file).split(path.sep).join("/");
    if (namedDerivatives.has(relative)) continue;
    notices.push({
      code: "derivative-unreferenced",
      file: relative,
      message: `${relative} is not named by any ledger event (left by an interrupted analysis, or added by hand); it is not evidence`,
    });
  }

  return {
    caseDir,
    caseId: state?.caseId ?? null,
    title: state?.title ?? "",
    isClean: problems.length === 0,
    problems,
    notices,
    head: ledger?.head ?? null,
    eventCount: state?.eventCount ?? 0,
    itemCount: items.length,
    objectsChecked: progress.objectsDone,
    bytesChecked: progress.bytesDone,
    derivativesChecked,
    examiners: state ? [...state.examiners.values()] : [],
    checkedAt: new Date().toISOString(),
  };
}

async function hashFile(
  file: string,
  onBytes: (n: number) => void,
): Promise<{ sha256: string; md5: string; sha1: string }> {
  const hashers = { sha256: createHash("sha256"), md5: createHash("md5"), sha1: createHash("sha1") };
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * 1024 * 1024 })) {
    const bytes = chunk as Buffer;
    hashers.sha256.update(bytes);
    hashers.md5.update(bytes);
    hashers.sha1.update(bytes);
    onBytes(bytes.length);
  }
  return { sha256: hashers.sha256.digest("hex"), md5: hashers.md5.digest("hex"), sha1: hashers.sha1.digest("hex") };
}

/** Object paths listed by intent files an interrupted import left, plus notices for staged leftovers. */
async function interruptedImports(caseDir: string, notices: Notice[]): Promise<Set<string>> {
  const listed = new Set<string>();
  const stagingDir = path.join(caseDir, CASE_PATHS.staging);
  let names: string[] = [];
  try {
    names = await readdir(stagingDir);
  } catch {
    return listed;
  }
  for (const name of names) {
    if (name.endsWith(INTENT_SUFFIX)) {
      const text = await readFile(path.join(stagingDir, name), "utf8").catch(() => "");
      for (const line of text.split("\n")) if (line) listed.add(line);
    } else if (name.endsWith(STAGED_SUFFIX)) {
      notices.push({
        code: "import-interrupted",
        file: `${CASE_PATHS.staging}/${name}`,
        message: `an interrupted import left a partial copy in ${CASE_PATHS.staging}/; it is not evidence and the next import removes it`,
      });
    }
  }
  return listed;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else out.push(full);
  }
  return out;
}
