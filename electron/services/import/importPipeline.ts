/**
 * Import: scan the named paths, read each file once (the same read feeds the
 * hashers and the copy), then commit in batches so that a thousand small files
 * do not cost a thousand ledger fsyncs. Every file is copied into tmp/ as it
 * is read (small ones, up to 1 MiB, with synchronous calls from one buffer).
 *
 * Commit order, chosen so that a process killed at any instant leaves a case
 * that verifies clean (at worst without the files in flight):
 *   1. flush the staged copies             (syncfs once, or each was fsynced)
 *   2. write + fsync an intent file        (names the objects about to appear)
 *   3. rename the staged (read-only) copies into the vault, flush again
 *                                          (or fsync each folder)
 *   4. append the batch's events, fsync    (the objects are now part of the case)
 *   5. delete the intent file
 * A crash before 4 leaves an intent: the next writer removes the objects it
 * lists that the ledger does not name (`ledgerWriter.ts`), and `verify` reports
 * them as an interrupted import, not as tampering.
 */
import { mkdir, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { emptyProgress } from "../../../shared/api/contract.js";
import { CASE_PATHS, type CaseFile } from "../../../shared/case/caseFile.js";
import { missingCollectionFields, missingFieldsWarning } from "../../../shared/case/collection.js";
import type { CollectionRecord } from "../../../shared/ledger/events.js";
import { TOOL } from "../appInfo.js";
import { canSyncFileSystem as probeSyncFileSystem } from "../vault/durableFs.js";
import { walkImportPaths, type ScanEntry, type ScanResult } from "./importScan.js";
import { OutcomeTally, unlistedDamage } from "./importOutcomes.js";
import { openNotImportedLog } from "./notImportedLog.js";
import { ScanQueue } from "./scanQueue.js";
import type { LedgerWriter } from "../ledger/ledgerWriter.js";
import {
  commitBatch,
  discard,
  dropBatchFlush,
  prestaged,
  safeUserName,
  startBatchFlush,
  type BatchFlush,
} from "./importCommit.js";
import {
  SMALL_FILE_BYTES,
  StageBufferPool,
  StageCancelled,
  stageObject,
  type StagedObject,
} from "../vault/objectStager.js";
import { StageThreads } from "../vault/stageThreads.js";
import type { MediaStageSummary } from "../media/mediaStage.js";
import { SightlineError, describeIoError } from "../sightlineError.js";
import type { ImportOutcome, ImportProgress, ImportReport, ImportRequest } from "./importTypes.js";

export type { ImportOutcome, ImportProgress, ImportReport, ImportRequest } from "./importTypes.js";

const PROGRESS_INTERVAL_MS = 100;
/** Files staged at once without staging threads; and large files at most (each holds a ring of chunks). */
const STAGERS = 4;
/**
 * Small files out on each staging thread at once. With one or two, a thread waited for this one
 * whenever it signed, renamed or checked a batch (tens of milliseconds each): queued, the thread
 * stages on meanwhile.
 */
const SMALL_FILES_PER_THREAD = 8;
/** Staged files from this size on are fsynced each; smaller ones by one flush per batch. */
const FSYNC_EACH_BYTES = 64 * 1024 * 1024;
/** Batches filled ahead of the one being committed, at most. */
const COMMITS_AHEAD = 2;
/** Fewer small files than this are staged without starting the staging threads. */
export const FEW_FILES = 16;

export async function importIntoCase(
  writer: LedgerWriter,
  caseFile: CaseFile,
  request: ImportRequest,
): Promise<ImportReport> {
  const caseDir = writer.caseDir;
  const stagingDir = path.join(caseDir, CASE_PATHS.staging);
  // Asked while the walk starts, not after it (a process is started the first time).
  const syncProbe = probeSyncFileSystem();
  await mkdir(stagingDir, { recursive: true, mode: 0o700 });
  const progress: ImportProgress = emptyProgress("scanning");
  let lastReport = 0;
  const report = (force = false) => {
    const now = Date.now();
    if (!force && now - lastReport < PROGRESS_INTERVAL_MS) return;
    lastReport = now;
    request.onProgress?.({ ...progress });
  };
  report(true);

  // The walk runs ahead of the stagers by a bounded number of entries: files are stored as they
  // are found, and the totals grow until the walk ends (progress.isScanComplete).
  const source = request.scanned ? listed(request.scanned) : walkImportPaths(request.paths);
  const queue = new ScanQueue(source, request.walkAhead ?? 4096, () => {
    progress.filesTotal = queue.found;
    progress.bytesTotal = queue.bytes;
    progress.isScanComplete = queue.isDone;
    report(queue.isDone);
  });
  const listWarnings: string[] = [];
  const notImported = request.notImportedId ? await openNotImportedLog(request.notImportedId, listWarnings) : null;
  const tally = new OutcomeTally(request.outcomesKept, notImported ?? undefined);
  await queue.filled(FEW_FILES);
  progress.phase = "copying";
  report(true);

  // A few files are staged at once. Small files are staged whole on the staging threads, and
  // large files hashed there while this thread reads and writes them (objectStager.ts), so this
  // thread is left to hand out files and commit batches. The threads start as soon as the walk
  // shows they are needed, so that they load while the rest is set up.
  // A handful of small files is staged here: starting threads would cost more than it saves.
  const waiting = queue.waitingFiles().map((e) => ("file" in e ? e.file : null)!);
  const toRead = waiting.filter((f) => !f.uploaded?.staged);
  const needsThreads = !queue.isDone || toRead.length >= FEW_FILES || toRead.some((f) => f.size > SMALL_FILE_BYTES);
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

  const threads = request.threads ?? request.threadsToStop ?? (needsThreads ? new StageThreads() : undefined);
  // A stop that fails (a thread that would not end) costs a warning, never the files committed.
  const threadWarnings: string[] = [];
  const stopThreads = () =>
    threads && !request.threads
      ? threads.close().catch(() => {
          threadWarnings.push("the import's staging threads could not be stopped cleanly");
        })
      : Promise.resolve();
  // Threads this import started, or was handed (request.threadsToStop), are stopped once the
  // stagers have ended, or where anything throws first (live threads keep the process up): until
  // the stagers' `try` nothing below throws but these awaits, which stop them first.
  // With a whole-file-system flush per batch, staged copies need no fsync of their own; the vault's
  // shard folders the commits have made or found are at first those there now.
  const [canSyncFileSystem, folders] = await Promise.all([syncProbe, shardFolders(caseDir)]).catch(
    async (error: unknown) => {
      await stopThreads();
      throw error;
    },
  );

  const seen = { folders };
  const vaultDir = path.join(caseDir, CASE_PATHS.objects);

  // A quarter of a thousand: small enough that one batch's flush overlaps the next batch's reading
  // (measured faster than one batch of a thousand), large enough that flushes stay few.
  const batchFiles = request.batchFiles ?? 256;
  const batchBytes = request.batchBytes ?? 512 * 1024 * 1024;
  let batch: { staged: StagedObject; acquiredAt: string; order: number }[] = [];
  let batchSize = 0;
  let isCancelled = false;
  // The first unexpected error (the walk's, a commit's): the stagers stop taking files, the batches
  // not yet committed are discarded, and the import ends with it once nothing is running.
  const failure: { error?: unknown; isFailed: boolean } = { isFailed: false };
  const fail = (error: unknown) => {
    if (!failure.isFailed) Object.assign(failure, { error, isFailed: true });
    queue.stop();
  };
  // A cancel ends the walk: the folders not walked yet are not read, what was found is counted.
  const stopWalk = () => queue.stop();
  request.signal?.addEventListener("abort", stopWalk, { once: true });
  if (request.signal?.aborted) stopWalk();
  // Commits run one after another, in the order batches fill, whatever the stagers do meanwhile.
  let commits: Promise<void> = Promise.resolve();
  // Batches filled and not yet committed. The stagers wait while there are COMMITS_AHEAD of them,
  // so staged copies (in memory and in tmp/) do not pile up when the disk flushes slower than
  // files are read.
  const waitingCommits: Promise<void>[] = [];

  const commit = () => {
    if (batch.length === 0) return commits;
    const current = batch;
    batch = [];
    batchSize = 0;
    // Its bytes start for the disk now, while the batches before it are committed.
    const flush = failure.isFailed ? undefined : startBatchFlush(caseDir, current, canSyncFileSystem);
    commits = commits.then(async () => {
      if (failure.isFailed) return discardAll(current, flush);
      try {
        await commitOne(current, flush);
      } catch (error) {
        // Anything but the store failing (commitBatch's own errors are outcomes): the import stops.
        fail(error);
        await discardAll(current, flush);
      }
    });
    const done = commits;
    waitingCommits.push(done);
    void done.then(() => waitingCommits.splice(waitingCommits.indexOf(done), 1));
    return commits;
  };
  const commitOne = async (current: typeof batch, flush: BatchFlush | undefined) => {
    progress.phase = "committing";
    report(true);
    const committed = await commitBatch(
      writer,
      current,
      collection,
      machine,
      canSyncFileSystem,
      request.damageOf,
      flush,
      request.channel,
      seen,
    ).catch(async (error: unknown) => {
      await Promise.all(current.map(({ staged }) => discard(staged)));
      const reason = error instanceof SightlineError ? error.message : `could not store: ${describeIoError(error)}`;
      return current.map(({ staged }): ImportOutcome => ({
        status: "failed",
        displayPath: staged.candidate.displayPath,
        reason,
      }));
    });
    // commitBatch answers in the batch's order (sorted by `order`).
    current.forEach(({ order }, i) => tally.add(committed[i]!, order));
    if (request.media) {
      const entries = new Map(current.map(({ staged }) => [staged.candidate.displayPath, staged]));
      for (const o of committed) {
        const staged = entries.get(o.displayPath);
        if (!staged || (o.status !== "imported" && o.status !== "duplicate")) continue;
        request.media.add({
          sha256: o.sha256,
          objectPath: o.objectPath,
          originalName: staged.candidate.originalName,
          displayPath: o.displayPath,
          modifiedAt: new Date(staged.candidate.uploaded?.modified ?? staged.fileTimes.modified),
        });
      }
      progress.analysing = request.media.queued;
    }
    request.onCommitted?.(committed);
    progress.phase = "copying";
  };

  // Buffers for at most STAGERS files at once: those read on this thread (large ones, or every
  // one without threads). Small files on the threads need none here.
  const buffers = new StageBufferPool(STAGERS);
  const stager = async () => {
    while (!failure.isFailed) {
      const entry = await queue.take();
      if (!entry || failure.isFailed) return;
      const index = entry.order;
      if ("refused" in entry) {
        tally.add({ status: "refused", ...entry.refused }, index);
        continue;
      }
      const candidate = entry.file;
      if (request.signal?.aborted) {
        isCancelled = true;
        tally.add(
          { status: "cancelled", displayPath: candidate.displayPath, reason: "not imported: the import was cancelled" },
          index,
        );
        continue;
      }
      progress.currentFile = candidate.displayPath;
      report();
      let bytesSeen = 0;
      const isReadHere = !candidate.uploaded?.staged && (!threads || candidate.size > SMALL_FILE_BYTES);
      const held = isReadHere ? await buffers.take() : undefined;
      try {
        const staged = candidate.uploaded?.staged
          ? prestaged(candidate, candidate.uploaded.staged.digests, (n) => (progress.bytesDone += n))
          : await stageObject(candidate, {
              stagingDir,
              algorithms: caseFile.hashAlgorithms,
              ...(held ? { buffers: held } : {}),
              ...(threads ? { threads } : {}),
              vaultDir,
              // A large file is fsynced as it is staged (its writeback has run all along, so
              // little is left); small ones are flushed together by the commit.
              fsync: !canSyncFileSystem || candidate.size >= FSYNC_EACH_BYTES,
              ...(request.signal ? { signal: request.signal } : {}),
              onBytes: (n) => {
                bytesSeen += n;
                progress.bytesDone += n;
                report();
              },
            });
        batch.push({ staged, acquiredAt: new Date().toISOString(), order: index });
        batchSize += staged.size;
      } catch (error) {
        progress.bytesDone += candidate.size - bytesSeen;
        if (error instanceof StageCancelled) {
          isCancelled = true;
          const reason = "not imported: the import was cancelled while it was being read";
          tally.add({ status: "cancelled", displayPath: candidate.displayPath, reason }, index);
          continue;
        }
        const reason = error instanceof SightlineError ? error.message : describeIoError(error);
        tally.add({ status: "failed", displayPath: candidate.displayPath, reason }, index);
      } finally {
        if (held) buffers.give(held);
      }
      progress.filesDone++;
      if (batch.length >= batchFiles || batchSize >= batchBytes) void commit();
      while (waitingCommits.length >= COMMITS_AHEAD) await waitingCommits[0];
      // Without threads small files are read synchronously: let I/O, progress and Ctrl-C through.
      if (!threads) await new Promise((resolve) => setImmediate(resolve));
    }
  };
  try {
    // Each stager ends on its own: one failing stops the others at their next file, and every one
    // has ended (nothing staging, nothing committing) before the import answers.
    const stagers = threads ? Math.max(STAGERS, threads.size * SMALL_FILES_PER_THREAD) : STAGERS;
    await Promise.all(Array.from({ length: stagers }, () => stager().catch(fail)));
  } catch (error) {
    await stopThreads();
    throw error;
  } finally {
    request.signal?.removeEventListener("abort", stopWalk);
  }
  // Nothing is staged any more: the threads stop while the last batch is committed (stopping
  // takes some 20 ms, which the commit used to wait for). What was fully read before a cancel is
  // kept: cancelling loses nothing already done. After a failure, this and every batch queued
  // behind it are discarded instead.
  await Promise.all([
    commit().finally(() => {
      const incomplete = notImported?.close();
      if (incomplete) listWarnings.push(incomplete);
    }),
    stopThreads(),
  ]);
  if (failure.isFailed) {
    // Nothing is left running or staged: the analysis of what was committed ends too.
    await request.media?.finish().catch(() => undefined);
    throw failure.error;
  }
  let media: MediaStageSummary | null = null;
  if (request.media) {
    progress.phase = "analysing";
    progress.currentFile = null;
    progress.analysing = request.media.queued;
    report(true);
    const timer = setInterval(() => {
      progress.analysing = request.media!.queued;
      report(true);
    }, 250);
    try {
      media = await request.media.finish();
    } finally {
      clearInterval(timer);
    }
    progress.analysing = 0;
  }
  progress.phase = "finished";
  progress.currentFile = null;
  report(true);
  return {
    // In the order the files were found (refusals first), not the order stagers finished.
    outcomes: tally.list(),
    counts: tally.counts,
    outcomesLeftOff: tally.leftOff,
    hasNotImportedList: notImported !== null && listWarnings.length === 0,
    warnings: [
      ...(warning ? [warning] : []),
      ...unlistedDamage(tally.damagedLeftOff),
      ...listWarnings,
      ...threadWarnings,
    ],
    isCancelled,
    head: writer.currentHead,
    media,
  };
}

async function discardAll(staged: readonly { staged: StagedObject }[], flush?: BatchFlush): Promise<void> {
  await Promise.all(staged.map((s) => discard(s.staged)));
  await dropBatchFlush(flush);
}

/**
 * The vault's shard folders that exist (folders, not links to them), listed once, so the commits
 * do not ask for each again; a shard missing or of another kind is made or refused by the commit.
 */
async function shardFolders(caseDir: string): Promise<Set<string>> {
  const objects = path.join(caseDir, CASE_PATHS.objects);
  const entries = await readdir(objects, { withFileTypes: true }).catch(() => []);
  return new Set(entries.filter((e) => e.isDirectory()).map((e) => path.join(objects, e.name)));
}

/** Files already listed (uploads held in staging), refusals first, as the walk would give them. */
async function* listed(scan: ScanResult): AsyncGenerator<ScanEntry> {
  for (const refused of scan.refused) yield { refused };
  for (const file of scan.files) yield { file };
}
