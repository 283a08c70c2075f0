/**
 * Verification of a whole case folder: its layout (no links, nothing out of place), the ledger
 * (strict lines, chain, hashes, signatures, payloads, via the pure checker in shared/),
 * `case.json` against the ledger, and every object and derivative re-hashed against what each
 * event recorded. Read-only: it never writes to the case, never follows a link, and reports
 * every problem with its place instead of stopping at the first.
 *
 * Work is spread over the machine (verifyPool.ts): while this thread reads and replays the
 * ledger, worker threads check the signatures it hands over; then the workers re-hash the files
 * while this thread waits for nothing but their answers.
 */
import { restoreNotices } from "../../../shared/ledger/integrity.js";
import { CASE_PATHS, CaseFileSchema, objectPathFor } from "../../../shared/case/caseFile.js";
import { MAX_CASE_FILE_BYTES } from "../vault/caseStore.js";
import type { Examiner } from "../../../shared/ledger/events.js";
import { examinerListKey } from "../../../shared/ledger/examinerTrust.js";
import {
  signatureProblem,
  verifyLedgerBytes,
  type LedgerCheck,
  type PendingSignature,
} from "../../../shared/ledger/ledgerVerify.js";
import type { Notice, Problem } from "../../../shared/ledger/problems.js";
import { nodeLedgerCrypto } from "./nodeLedgerCrypto.js";
import { SightlineError } from "../sightlineError.js";
import { caseLayoutFaults, readCaseText } from "../vault/caseLayout.js";
import { checkExports } from "./verifyExports.js";
import { checkTimestamps } from "./verifyTimestamps.js";
import { checkInside, interruptedImports, listFiles, notRegular, type CaseFileResult } from "./verifyFiles.js";
import { VerifyPool, type FileAlgorithm } from "./verifyPool.js";

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
  /** Files in exports/ that ledger events name, re-hashed. */
  exportsChecked: number;
  /** RFC 3161 tokens in timestamps/ that ledger events name, read and checked. */
  timestampsChecked: number;
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
  /** Worker threads to use (default: one per core). */
  threads?: number;
  /** PEM trust anchors of the verifying examiner's time-stamping authorities; none: tokens are "not trusted". */
  timestampAnchorsPem?: readonly string[];
}

/** Signatures go to the workers in batches this size: large enough that messaging is noise. */
const SIGNATURE_BATCH = 512;

export async function verifyCase(caseDir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const problems: Problem[] = [];
  const notices: Notice[] = [];
  const cancelled = () => {
    if (options.signal?.aborted) throw new SightlineError("cancelled", "verification was cancelled");
  };

  // Entries inside shard folders are reported more precisely below (not regular, or unreferenced).
  const layout = (await caseLayoutFaults(caseDir)).filter(
    (f) => !(f.file.startsWith(`${CASE_PATHS.objects}/`) && f.file.split("/").length === 4),
  );
  const unsafe = new Set(layout.map((f) => f.file));
  if (
    unsafe.has(CASE_PATHS.caseFile) &&
    layout.some((f) => f.file === CASE_PATHS.caseFile && f.reason === "is missing")
  ) {
    throw new SightlineError("not-a-case", `${caseDir} is not a Sightline case (it has no case.json)`);
  }
  for (const fault of layout) {
    problems.push({
      code: "case-layout-invalid",
      file: fault.file,
      message: `${fault.file} ${fault.reason}: it is not read or followed`,
    });
  }

  const caseText = unsafe.has(CASE_PATHS.caseFile)
    ? null
    : await readCaseText(caseDir, CASE_PATHS.caseFile, MAX_CASE_FILE_BYTES).then(
        (bytes) => bytes.toString("utf8"),
        () => null,
      );
  let ledgerBytes: Buffer | null = null;
  if (!unsafe.has(CASE_PATHS.ledger)) {
    try {
      ledgerBytes = await readCaseText(caseDir, CASE_PATHS.ledger);
    } catch (error) {
      problems.push({
        code: "ledger-missing",
        file: CASE_PATHS.ledger,
        message: `the ledger cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }

  const pool = VerifyPool.create(options.threads !== undefined ? { threads: options.threads } : {});
  try {
    // The ledger, with the signatures that decide no trust checked on the workers meanwhile.
    const signatureRuns: Promise<void>[] = [];
    let batch: PendingSignature[] = [];
    const flush = () => {
      const sent = batch;
      batch = [];
      const run = pool
        .checkSignatures(sent.map((p) => ({ publicKey: p.signer.publicKey, hash: p.hash, sig: p.sig })))
        .then((valid) => {
          valid.forEach((isValid, i) => {
            if (!isValid) problems.push(signatureProblem(sent[i]!));
          });
        });
      // Awaited below; when verification ends early (cancelled) the closed pool rejects it, and that is no news.
      run.catch(() => undefined);
      signatureRuns.push(run);
    };
    const ledger: LedgerCheck | null = ledgerBytes
      ? verifyLedgerBytes(ledgerBytes, nodeLedgerCrypto, {
          deferSignature: (pending) => {
            batch.push(pending);
            if (batch.length === SIGNATURE_BATCH) flush();
          },
        })
      : null;
    if (batch.length > 0) flush();
    if (ledger) {
      problems.push(...ledger.problems);
      notices.push(...ledger.notices);
    }
    const state = ledger?.state;
    checkCaseFile(caseText, state, problems);
    if (state) notices.push(...restoreNotices(state));
    cancelled();

    // Objects: each one the ledger names re-hashed with every algorithm any acquisition recorded.
    const items = state ? [...state.items.values()] : [];
    const vaultPath = new Map(items.map((item) => [item.sha256, objectPathFor(item.sha256)]));
    const algorithms = new Map<string, Set<FileAlgorithm>>();
    for (const a of ledger?.acquisitions ?? []) {
      const set = algorithms.get(a.sha256) ?? algorithms.set(a.sha256, new Set(["sha256"])).get(a.sha256)!;
      if (a.md5 !== undefined) set.add("md5");
      if (a.sha1 !== undefined) set.add("sha1");
    }
    const progress: VerifyProgress = {
      objectsDone: 0,
      objectsTotal: items.length,
      bytesDone: 0,
      bytesTotal: items.reduce((n, i) => n + i.size, 0),
    };
    const objectResults = await checkInside(
      pool,
      caseDir,
      unsafe,
      items.map((item) => ({
        file: vaultPath.get(item.sha256)!,
        algorithms: [...(algorithms.get(item.sha256) ?? ["sha256"])],
      })),
      {
        ...(options.signal ? { signal: options.signal } : {}),
        onBytes: (n) => {
          progress.bytesDone += n;
          options.onProgress?.({ ...progress });
        },
      },
    );
    const found = new Map<string, CaseFileResult>();
    items.forEach((item, i) => found.set(item.sha256, objectResults[i]!));
    for (const item of items) {
      const result = found.get(item.sha256)!;
      const file = vaultPath.get(item.sha256)!;
      const at = { item: item.sha256, file };
      const name = `the original of ${item.displayName} (${item.sha256.slice(0, 12)}…)`;
      if (result.kind === "missing") {
        problems.push({ code: "object-missing", ...at, message: `${name} is missing from the vault` });
      } else if (result.kind === "not-regular") {
        problems.push({
          code: "object-not-regular",
          ...at,
          message: notRegular(name, result.what),
        });
      } else if (result.kind === "error") {
        problems.push({ code: "object-missing", ...at, message: `${name} cannot be read: ${result.message}` });
      } else if (result.digests.sha256 !== item.sha256) {
        problems.push({
          code: "object-corrupt",
          ...at,
          message: `${name} no longer matches its SHA-256: its bytes changed`,
        });
      }
      if (result.kind === "file") progress.objectsDone++;
    }
    options.onProgress?.({ ...progress });
    // Each acquisition, against the object as it is: size, MD5 and SHA-1 as that line recorded them.
    for (const a of ledger?.acquisitions ?? []) {
      const result = found.get(a.sha256);
      if (result?.kind !== "file" || result.digests.sha256 !== a.sha256) continue;
      const at = { line: a.line, seq: a.seq, item: a.sha256, file: vaultPath.get(a.sha256)! };
      if (result.size !== a.size) {
        problems.push({
          code: "object-size-mismatch",
          ...at,
          message: `line ${a.line} records ${a.size} bytes for ${a.sha256.slice(0, 12)}…; the stored object has ${result.size}`,
        });
      }
      const wrong = (["md5", "sha1"] as const).filter((h) => a[h] !== undefined && result.digests[h] !== a[h]);
      if (wrong.length > 0) {
        problems.push({
          code: "object-corrupt",
          ...at,
          message: `line ${a.line} records a ${wrong.map((h) => h.toUpperCase().replace("SHA", "SHA-")).join(" and ")} that the stored object ${a.sha256.slice(0, 12)}… does not have`,
        });
      }
    }
    cancelled();

    // Files in the vault that no event names (read by name only: nothing is opened or followed).
    const named = new Set(vaultPath.values());
    const interrupted = await interruptedImports(caseDir, notices, unsafe.has(CASE_PATHS.staging));
    // All of objects/, not only its sha256/ part: a file anywhere in the vault that no event names is reported.
    for (const relative of await listFiles(caseDir, "objects", unsafe)) {
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

    // Derivatives: each one the ledger names (the latest event for a path), re-hashed.
    const derivatives = items.flatMap((item) => item.derivatives.map((d) => ({ item, d })));
    const derivativeResults = await checkInside(
      pool,
      caseDir,
      unsafe,
      derivatives.map(({ d }) => ({ file: d.path, algorithms: ["sha256"] })),
      options.signal ? { signal: options.signal } : {},
    );
    let derivativesChecked = 0;
    derivatives.forEach(({ item, d }, i) => {
      const result = derivativeResults[i]!;
      const at = { item: item.sha256, file: d.path, seq: d.seq };
      const name = `the ${d.role} ${d.path} of ${item.displayName}`;
      if (result.kind === "missing" || result.kind === "error") {
        const why = result.kind === "error" ? `cannot be read: ${result.message}` : "is missing";
        problems.push({ code: "derivative-missing", ...at, message: `${name} ${why}` });
      } else if (result.kind === "not-regular") {
        problems.push({
          code: "derivative-not-regular",
          ...at,
          message: notRegular(name, result.what),
        });
      } else {
        derivativesChecked++;
        if (result.digests.sha256 !== d.sha256) {
          problems.push({
            code: "derivative-corrupt",
            ...at,
            message: `${name} no longer matches the SHA-256 its event recorded`,
          });
        }
      }
    });
    const namedDerivatives = new Set(derivatives.map(({ d }) => d.path));
    for (const relative of await listFiles(caseDir, CASE_PATHS.derived, unsafe)) {
      if (namedDerivatives.has(relative)) continue;
      notices.push({
        code: "derivative-unreferenced",
        file: relative,
        message: `${relative} is not named by any ledger event (left by an interrupted analysis, or added by hand); it is not evidence`,
      });
    }

    const exportsChecked = await checkExports(pool, caseDir, unsafe, ledger?.exports ?? [], {
      problems,
      notices,
      ...(options.signal ? { signal: options.signal } : {}),
    });

    const timestampsChecked = await checkTimestamps(
      caseDir,
      unsafe,
      ledger?.timestamps ?? [],
      options.timestampAnchorsPem ?? [],
      { problems, notices },
    );

    await Promise.all(signatureRuns);
    problems.sort(byPlace);
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
      exportsChecked,
      timestampsChecked,
      examiners: state ? [...state.examiners.values()] : [],
      checkedAt: new Date().toISOString(),
    };
  } finally {
    await pool.close();
  }
}

/** case.json must agree with what the ledger established. */
function checkCaseFile(caseText: string | null, state: LedgerCheck["state"] | undefined, problems: Problem[]): void {
  const caseFile = (() => {
    try {
      return caseText === null ? null : CaseFileSchema.safeParse(JSON.parse(caseText));
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
    return;
  }
  if (!state || state.caseId === null) return;
  if (caseFile.data.id !== state.caseId) {
    problems.push({
      code: "case-id-mismatch",
      file: CASE_PATHS.caseFile,
      message: `case.json names case ${caseFile.data.id} but the ledger was created for ${state.caseId}`,
    });
  }
  if (caseFile.data.title !== state.title) {
    problems.push({
      code: "case-title-mismatch",
      file: CASE_PATHS.caseFile,
      message: "case.json's title differs from the title the ledger recorded",
    });
  }
  if (examinerListKey(caseFile.data.examiners) !== examinerListKey(state.examiners.values())) {
    problems.push({
      code: "case-keys-mismatch",
      file: CASE_PATHS.caseFile,
      message: "case.json's examiner key list differs from the keys the ledger established",
    });
  }
}

/** Ledger problems in line order first, then the rest as found: a report reads top to bottom. */
function byPlace(a: Problem, b: Problem): number {
  return (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER);
}
