/**
 * Committing one batch of staged files (the order and why: see importPipeline.ts): flush, intent,
 * renames into the vault, the batch's events, intent removed. Also the staged-upload stand-in
 * for a read, and the checks on what already sits at an object's path.
 */
import { lstatSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { CASE_PATHS, objectPathFor } from "../../../shared/case/caseFile.js";
import type { CollectionRecord, EventDraft } from "../../../shared/ledger/events.js";
import type { DamageKind } from "../../../shared/ledger/restoreEvents.js";
import { fsyncDir, fsyncPath, syncFileSystem, writeFileDurably } from "../vault/durableFs.js";
import type { StagedObject } from "../vault/objectStager.js";
import { isNothingAt } from "../vault/smallObject.js";
import { INTENT_SUFFIX, type LedgerWriter } from "../ledger/ledgerWriter.js";
import { SightlineError } from "../sightlineError.js";
import type { ImportCandidate } from "./importScan.js";
import type { ImportOutcome } from "./importPipeline.js";

/** Up to this many new vault folders in a batch are fsynced each rather than with a file-system flush. */
const FEW_FOLDERS = 8;

type BatchEntry = { staged: StagedObject; acquiredAt: string; order: number };

/** What one import has learnt of its case's vault, so that later batches do not ask again. */
export interface VaultSeen {
  /** The vault's shard folders made or found (at first, those listed when the import began). */
  folders: Set<string>;
}

/** A batch's flush, started as soon as the batch is full (`startBatchFlush`). */
export interface BatchFlush {
  /** The intent written before the flush, naming every object the batch may add; null if none was written. */
  intent: string | null;
  /** The objects that intent names. */
  listed: ReadonlySet<string>;
  /** True once the staged copies and the intent are durable by one flush; false where each was fsynced instead. */
  flushed: Promise<boolean>;
}

/**
 * Starts making a full batch durable while the batches before it are still being committed, so
 * the disk writes this batch's bytes while the one before is renamed, signed and appended. The
 * intent goes out in the same flush as the staged copies, instead of with two fsyncs of its own.
 *
 * The intent names every object of the batch not in the vault now: a superset of those the commit
 * will add (an earlier batch may add some first). That is safe, because recovery removes only the
 * listed objects the ledger does not name: those an earlier batch recorded stay. Until the flush
 * has finished nothing is renamed, so an intent cut short by a crash names nothing that exists.
 */
export function startBatchFlush(caseDir: string, batch: readonly BatchEntry[], canSyncFileSystem: boolean): BatchFlush {
  const isEachDurable = batch.every(({ staged }) => staged.isDurable);
  if (!canSyncFileSystem || isEachDurable) return { intent: null, listed: new Set(), flushed: Promise.resolve(false) };
  const listed = new Set<string>();
  for (const { staged } of batch) {
    const objectPath = objectPathFor(staged.digests.sha256);
    if (staged.isNewToVault || isNothingAt(path.join(caseDir, objectPath))) listed.add(objectPath);
  }
  let intent: string | null = path.join(caseDir, CASE_PATHS.staging, `${randomUUID()}${INTENT_SUFFIX}`);
  try {
    if (listed.size > 0) writeFileSync(intent, [...listed].join("\n") + "\n", { flag: "wx", mode: 0o600 });
    else intent = null;
  } catch {
    // The commit writes its own intent, durably, as where the file system cannot be flushed.
    intent = null;
    listed.clear();
  }
  // Where the flush fails (`sync -f` refused on this disk, or the disk's writeback failed), each
  // staged copy and the intent are fsynced instead, as where the file system cannot be flushed:
  // the batch goes on or fails on its own files, and later flushes are not tried (durableFs.ts).
  const flushed = syncFileSystem(caseDir).then(async (isSynced) => {
    if (isSynced) return true;
    const copies = batch.filter(({ staged }) => !staged.isDurable).map(({ staged }) => staged.held.stagedPath);
    for (const file of [...copies, ...(intent ? [intent] : [])]) await fsyncPath(file);
    await fsyncDir(path.join(caseDir, CASE_PATHS.staging));
    return false;
  });
  flushed.catch(() => undefined); // the commit awaits it and reports the failure
  return { intent, listed, flushed };
}

/** Removes a batch's intent when nothing of the batch was renamed into the vault (a discarded batch). */
export async function dropBatchFlush(flush: BatchFlush | undefined): Promise<void> {
  if (!flush?.intent) return;
  await flush.flushed.catch(() => undefined);
  await rm(flush.intent, { force: true }).catch(() => undefined);
}

export async function commitBatch(
  writer: LedgerWriter,
  batch: BatchEntry[],
  collection: CollectionRecord,
  machine: { host: string; user: string; platform: string },
  canSyncFileSystem: boolean,
  damageOf?: (sha256: string) => Promise<DamageKind | null>,
  started?: BatchFlush,
  /** How files read by path were handed over (the ledger's `source.channel`; absent: named by path). */
  channel?: "window",
  /** What the import has learnt of the vault so far (filled in here). */
  seen: VaultSeen = { folders: new Set() },
): Promise<ImportOutcome[]> {
  const caseDir = writer.caseDir;
  const stagingDir = path.join(caseDir, CASE_PATHS.staging);
  // 1. The staged bytes are durable before anything names them (else each was fsynced when staged).
  // A batch of large files, each fsynced as it was staged, needs no flush of the whole file
  // system (which would also write out every other program's pending writes on that disk).
  const flush = started ?? startBatchFlush(caseDir, batch, canSyncFileSystem);
  const isFsSynced = await flush.flushed;

  // Within a batch, events follow the order the files were found, whichever stager finished first.
  batch.sort((a, b) => a.order - b.order);
  const newPaths = new Set<string>();
  const plan = [];
  for (const entry of batch) {
    const objectPath = objectPathFor(entry.staged.digests.sha256);
    const damaged = (await damageOf?.(entry.staged.digests.sha256)) ?? null;
    // Looked at again here, however it was when staged: anything put at the object's path since
    // (a link, a folder) is refused before anything is renamed, never replaced or followed.
    const isNewObject = damaged === null && !newPaths.has(objectPath) && !isStoredObject(caseDir, objectPath);
    if (isNewObject) newPaths.add(objectPath);
    // A folder made (or found) by an earlier batch of the import is not asked for again (the case
    // is created with all 256 shard folders, so this was a refused mkdir and a stat a folder).
    const folder = path.dirname(path.join(caseDir, objectPath));
    if (isNewObject && !seen.folders.has(folder)) {
      makeVaultFolder(caseDir, path.dirname(objectPath));
      seen.folders.add(folder);
    }
    plan.push({ ...entry, objectPath, isNewObject, damaged });
  }

  // 2. The intent, so a crash between 3 and 4 can be told from tampering and undone: the one
  // flushed with the staged copies, or else (no flush, or an object gone from the vault since)
  // one written durably now.
  const isListed = [...newPaths].every((p) => flush.listed.has(p));
  const intent = path.join(stagingDir, `${randomUUID()}${INTENT_SUFFIX}`);
  const hasOwnIntent = newPaths.size > 0 && !isListed;
  if (hasOwnIntent) await writeFileDurably(intent, [...newPaths].join("\n") + "\n", stagingDir);

  // 3. Into the vault, read-only (the staged copy was made read-only when it was written).
  const folders = new Set<string>();
  for (const item of plan) {
    const held = item.staged.held;
    if (!item.isNewObject) {
      await rm(held.stagedPath, { force: true });
      continue;
    }
    const final = path.join(caseDir, item.objectPath);
    const folder = path.dirname(final);
    // Looked at again just before the rename, with no wait between them: something put at the
    // object's place since the plan looked (while the batch's other files were checked, or its
    // intent written) stops the batch rather than being replaced. What this batch had renamed by
    // then is named by its intent, so the next writer removes it (ledgerWriter.ts).
    if (!isNothingAt(final)) {
      throw new SightlineError(
        "tampered",
        `something was put at ${item.objectPath} while it was being imported, so it was left as it is and this batch was not recorded; run "sightline verify" to see every difference`,
      );
    }
    // Metadata calls, a thousand to a batch: synchronous, each costs less than a trip through the thread pool.
    folders.add(folder);
    renameSync(held.stagedPath, final);
  }
  // A few folders are fsynced one by one; many, with one flush of the file system.
  const isFewFolders = folders.size <= FEW_FOLDERS;
  if (isFewFolders || !(isFsSynced && (await syncFileSystem(caseDir)))) {
    await Promise.all([...folders].map((dir) => fsyncDir(dir)));
  }

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
      source: staged.candidate.uploaded
        ? {
            originalName: staged.candidate.originalName,
            path: staged.candidate.uploaded.name,
            relativePath: staged.candidate.relativePath,
            fileTimes: { modified: staged.candidate.uploaded.modified, changed: null, accessed: null, born: null },
            channel: "upload" as const,
          }
        : {
            originalName: staged.candidate.originalName,
            path: path.resolve(staged.candidate.displayPath),
            relativePath: staged.candidate.relativePath,
            fileTimes: staged.fileTimes,
            ...(channel ? { channel } : {}),
          },
      acquisition: { acquiredAt, ...machine },
      collection,
    },
  }));
  const events = await writer.append(drafts);

  // 5. Done: the intents are no longer needed.
  if (hasOwnIntent) await rm(intent, { force: true });
  if (flush.intent) await rm(flush.intent, { force: true });
  return plan.map((item, i) => ({
    status: item.isNewObject ? "imported" : "duplicate",
    displayPath: item.staged.candidate.displayPath,
    sha256: item.staged.digests.sha256,
    size: item.staged.size,
    seq: events[i]!.seq,
    objectPath: item.objectPath,
    ...(item.damaged ? { damaged: item.damaged } : {}),
  }));
}

export async function discard(staged: StagedObject): Promise<void> {
  await rm(staged.held.stagedPath, { force: true }).catch(() => undefined);
}

/**
 * A file the host received, hashed and staged itself (an upload): nothing to read again. Its
 * source record comes from what the page said (see commitBatch), not from these file times.
 */
export function prestaged(
  candidate: ImportCandidate,
  digests: StagedObject["digests"],
  onBytes: (n: number) => void,
): StagedObject {
  // The host names its staged copies (text); a path of bytes here is not one of them.
  const stagedPath = candidate.realPath;
  if (typeof stagedPath !== "string") throw new SightlineError("invalid-input", "not a staged upload");
  onBytes(candidate.size);
  const modified = candidate.uploaded!.modified;
  return {
    candidate,
    held: { kind: "file", stagedPath },
    digests,
    size: candidate.size,
    fileTimes: { modified, changed: modified, accessed: modified, born: null },
    // Flushed when it arrived (uploadSession.ts).
    isDurable: true,
  };
}

export function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return "unknown";
  }
}

/**
 * Makes a vault folder (`objects/sha256/ab`) and those above it, or finds them there. Anything else
 * in the place of one (a link to a folder elsewhere, which `mkdir -p` would follow, or a file) is
 * refused before anything is moved, so no original is renamed out of the case.
 */
function makeVaultFolder(caseDir: string, relative: string): void {
  const parts = relative.split("/");
  for (let i = 1; i <= parts.length; i++) {
    const name = parts.slice(0, i).join("/");
    const dir = path.join(caseDir, name);
    try {
      mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (!lstatSync(dir).isDirectory()) {
      throw new SightlineError(
        "tampered",
        `${name} is not a folder, so nothing was moved into it; run "sightline verify" to see every difference`,
      );
    }
  }
}

/**
 * True when the vault already holds this object as a regular file. Anything else in its place
 * (a planted link, a folder, a FIFO) is refused: a link would pass off its target as the original.
 */
function isStoredObject(caseDir: string, objectPath: string): boolean {
  let info;
  try {
    info = lstatSync(path.join(caseDir, objectPath), { throwIfNoEntry: false });
  } catch {
    return false;
  }
  if (!info) return false;
  if (!info.isFile()) {
    throw new SightlineError("tampered", `${objectPath} is not a regular file; nothing was written to this case`);
  }
  return true;
}
