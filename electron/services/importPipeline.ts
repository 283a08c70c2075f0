/**
 * Import: scan the named paths, stream each file into staging (hash + copy in
 * one read), then commit in batches so that a thousand small files do not cost
 * a thousand ledger fsyncs.
 *
 * Commit order, chosen so that a process killed at any instant leaves a case
 * that verifies clean (at worst without the files in flight):
 *   1. fsync every staged copy            (the bytes are on disk)
 *   2. write + fsync an intent file        (names the objects about to appear)
 *   3. rename staged copies into the vault, fsync their folders
 *   4. append the batch's events, fsync    (the objects are now part of the case)
 *   5. delete the intent file
 * A crash before 4 leaves an intent: the next writer removes the objects it
 * lists that the ledger does not name (`ledgerWriter.ts`), and `verify` reports
 * them as an interrupted import, not as tampering.
 */
import { mkdir, rename, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CASE_PATHS, objectPathFor, type CaseFile } from "../../shared/case/caseFile.js";
import { missingCollectionFields, missingFieldsWarning, type CollectionInput } from "../../shared/case/collection.js";
import type { CollectionRecord, EventDraft } from "../../shared/ledger/events.js";
import { TOOL } from "./appInfo.js";
import { fsyncDir, writeFileDurably } from "./durableFs.js";
import { scanImportPaths } from "./importScan.js";
import { INTENT_SUFFIX, type LedgerWriter } from "./ledgerWriter.js";
import { makeBuffers, StageCancelled, stageObject, type StagedObject } from "./objectStager.js";
import { SightlineError, describeIoError } from "./sightlineError.js";
import { randomUUID } from "node:crypto";

export type ImportOutcome =
  | {
      status: "imported" | "duplicate";
      displayPath: string;
      sha256: string;
      size: number;
      seq: number;
      objectPath: string;
    }
  | { status: "refused" | "failed" | "cancelled"; displayPath: string; reason: string };

export interface ImportProgress {
  phase: "scanning" | "copying" | "committing" | "finished";
  filesTotal: number;
  bytesTotal: number;
  filesDone: number;
  bytesDone: number;
  currentFile: string | null;
}

export interface ImportRequest {
  paths: readonly string[];
  collection: CollectionInput;
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** Called as soon as a batch's events are in the ledger. */
  onCommitted?: (outcomes: ImportOutcome[]) => void;
  /** Commit after this many files or bytes, whichever comes first. */
  batchFiles?: number;
  batchBytes?: number;
}

export interface ImportReport {
  outcomes: ImportOutcome[];
  warnings: string[];
  isCancelled: boolean;
  head: { seq: number; hash: string };
}

const PROGRESS_INTERVAL_MS = 100;

export async function importIntoCase(
  writer: LedgerWriter,
  caseFile: CaseFile,
  request: ImportRequest,
): Promise<ImportReport> {
  const caseDir = writer.caseDir;
  const stagingDir = path.join(caseDir, CASE_PATHS.staging);
  await mkdir(stagingDir, { recursive: true });
  const progress: ImportProgress = {
    phase: "scanning",
    filesTotal: 0,
    bytesTotal: 0,
    filesDone: 0,
    bytesDone: 0,
    currentFile: null,
  };
  let lastReport = 0;
  const report = (force = false) => {
    const now = Date.now();
    if (!force && now - lastReport < PROGRESS_INTERVAL_MS) return;
    lastReport = now;
    request.onProgress?.({ ...progress });
  };
  report(true);

  const scan = await scanImportPaths(request.paths);
  const outcomes: ImportOutcome[] = scan.refused.map((r) => ({
    status: "refused",
    displayPath: r.displayPath,
    reason: r.reason,
  }));
  progress.phase = "copying";
  progress.filesTotal = scan.files.length;
  progress.bytesTotal = scan.totalBytes;
  report(true);

  const missing = missingCollectionFields(request.collection);
  const warning = missingFieldsWarning(missing);
  const collection: CollectionRecord = {
    sourceUrl: request.collection.sourceUrl ?? null,
    sourceAccount: request.collection.sourceAccount ?? null,
    collectedAt: request.collection.collectedAt ?? null,
    collectedBy: { name: writer.examinerKey.name, keyId: writer.examinerKey.keyId },
    tool: { ...TOOL },
    method: request.collection.method ?? null,
    note: request.collection.note ?? null,
    missing,
  };
  const machine = { host: os.hostname(), user: safeUserName(), platform: `${process.platform} ${os.release()}` };

  const batchFiles = request.batchFiles ?? 256;
  const batchBytes = request.batchBytes ?? 256 * 1024 * 1024;
  const buffers = makeBuffers();
  let batch: { staged: StagedObject; acquiredAt: string }[] = [];
  let batchSize = 0;
  let isCancelled = false;

  const commit = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    batchSize = 0;
    progress.phase = "committing";
    report(true);
    const committed = await commitBatch(writer, current, collection, machine).catch(async (error: unknown) => {
      await Promise.all(current.map(({ staged }) => discard(staged)));
      const reason = error instanceof SightlineError ? error.message : `could not store: ${describeIoError(error)}`;
      return current.map(({ staged }): ImportOutcome => ({
        status: "failed",
        displayPath: staged.candidate.displayPath,
        reason,
      }));
    });
    outcomes.push(...committed);
    request.onCommitted?.(committed);
    progress.phase = "copying";
  };

  for (let index = 0; index < scan.files.length; index++) {
    const candidate = scan.files[index]!;
    if (request.signal?.aborted) {
      isCancelled = true;
      for (const rest of scan.files.slice(index)) {
        outcomes.push({
          status: "cancelled",
          displayPath: rest.displayPath,
          reason: "not imported: the import was cancelled",
        });
      }
      break;
    }
    progress.currentFile = candidate.displayPath;
    report(true);
    const bytesBefore = progress.bytesDone;
    try {
      const staged = await stageObject(candidate, {
        stagingDir,
        algorithms: caseFile.hashAlgorithms,
        buffers,
        ...(request.signal ? { signal: request.signal } : {}),
        onBytes: (n) => {
          progress.bytesDone += n;
          report();
        },
      });
      batch.push({ staged, acquiredAt: new Date().toISOString() });
      batchSize += staged.size;
    } catch (error) {
      progress.bytesDone = bytesBefore + candidate.size;
      if (error instanceof StageCancelled) {
        index--; // report this file among the cancelled ones
        continue;
      }
      const reason = error instanceof SightlineError ? error.message : describeIoError(error);
      outcomes.push({ status: "failed", displayPath: candidate.displayPath, reason });
    }
    progress.filesDone++;
    if (batch.length >= batchFiles || batchSize >= batchBytes) await commit();
  }
  // What was fully read before a cancel is kept: cancelling loses nothing already done.
  await commit();
  progress.phase = "finished";
  progress.currentFile = null;
  report(true);
  return { outcomes, warnings: warning ? [warning] : [], isCancelled, head: writer.currentHead };
}

async function commitBatch(
  writer: LedgerWriter,
  batch: { staged: StagedObject; acquiredAt: string }[],
  collection: CollectionRecord,
  machine: { host: string; user: string; platform: string },
): Promise<ImportOutcome[]> {
  const caseDir = writer.caseDir;
  const stagingDir = path.join(caseDir, CASE_PATHS.staging);
  // 1. The staged bytes are durable before anything names them.
  await Promise.all(batch.map(({ staged }) => staged.handle.sync()));
  await Promise.all(batch.map(({ staged }) => staged.handle.close()));

  const newPaths = new Set<string>();
  const plan = [];
  for (const entry of batch) {
    const objectPath = objectPathFor(entry.staged.digests.sha256);
    const isNewObject = !newPaths.has(objectPath) && !(await exists(path.join(caseDir, objectPath)));
    if (isNewObject) newPaths.add(objectPath);
    plan.push({ ...entry, objectPath, isNewObject });
  }

  // 2. The intent, so a crash between 3 and 4 can be told from tampering and undone.
  const intent = path.join(stagingDir, `${randomUUID()}${INTENT_SUFFIX}`);
  if (newPaths.size > 0) await writeFileDurably(intent, [...newPaths].join("\n") + "\n", stagingDir);

  // 3. Into the vault, read-only (the staged copy was made read-only when it was written).
  const folders = new Set<string>();
  for (const item of plan) {
    if (item.isNewObject) {
      const final = path.join(caseDir, item.objectPath);
      await mkdir(path.dirname(final), { recursive: true });
      await rename(item.staged.stagedPath, final);
      folders.add(path.dirname(final));
    } else {
      await rm(item.staged.stagedPath, { force: true });
    }
  }
  await Promise.all([...folders].map((dir) => fsyncDir(dir)));

  // 4. The events.
  const drafts: EventDraft<"item.imported">[] = plan.map(({ staged, acquiredAt, objectPath, isNewObject }) => ({
    type: "item.imported",
    payload: {
      sha256: staged.digests.sha256,
      ...(staged.digests.md5 ? { md5: staged.digests.md5 } : {}),
      ...(staged.digests.sha1 ? { sha1: staged.digests.sha1 } : {}),
      size: staged.size,
      objectPath,
      isNewObject,
      source: {
        originalName: staged.candidate.originalName,
        path: path.resolve(staged.candidate.displayPath),
        relativePath: staged.candidate.relativePath,
        fileTimes: staged.fileTimes,
      },
      acquisition: { acquiredAt, ...machine },
      collection,
    },
  }));
  const events = await writer.append(drafts);

  // 5. Done: the intent is no longer needed.
  if (newPaths.size > 0) await rm(intent, { force: true });
  return plan.map((item, i) => ({
    status: item.isNewObject ? "imported" : "duplicate",
    displayPath: item.staged.candidate.displayPath,
    sha256: item.staged.digests.sha256,
    size: item.staged.size,
    seq: events[i]!.seq,
    objectPath: item.objectPath,
  }));
}

async function discard(staged: StagedObject): Promise<void> {
  await staged.handle.close().catch(() => undefined);
  await rm(staged.stagedPath, { force: true }).catch(() => undefined);
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return "unknown";
  }
}
