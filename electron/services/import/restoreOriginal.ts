/**
 * Restoring a damaged original (docs/LEDGER.md, "Restoring a damaged original"): an acquisition
 * of the same bytes as an item whose vault copy is damaged supplies the bytes again. Its file is
 * read again from where it was acquired (a file the workbench page sent: from the copy held in
 * tmp/ when it arrived) and hashed; only the item's exact bytes are accepted.
 *
 * Order, so that a crash at any point loses nothing and leaves the case as before or restored:
 *   1. stage the new copy in tmp/ (read-only, fsynced) and check its SHA-256
 *   2. write + fsync a restore intent (tmp/<id>.restore: the object path, where the damaged copy
 *      goes, the head before)
 *   3. set the damaged copy aside: a file or link is hard-linked into recovered/ first and then
 *      replaced by one rename (the vault path is never empty); a folder is renamed aside
 *   4. rename the staged copy into the vault path; fsync both folders
 *   5. append `original.restored`, fsync
 *   6. delete the intent
 * An intent left behind is rolled back by the next writer (restoreRecovery.ts): the damaged copy
 * goes back where it was, and the case is as it was before the restore began.
 */
import { randomUUID } from "node:crypto";
import { link, lstat, mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { CASE_PATHS, type CaseFile } from "../../../shared/case/caseFile.js";
import type { CaseState } from "../../../shared/ledger/caseState.js";
import type { PayloadOf } from "../../../shared/ledger/events.js";
import type { DamageKind } from "../../../shared/ledger/restoreEvents.js";
import { TOOL } from "../appInfo.js";
import type { LedgerWriter } from "../ledger/ledgerWriter.js";
import { SightlineError, describeIoError } from "../sightlineError.js";
import { fsyncDir, writeFileDurably } from "../vault/durableFs.js";
import { stageObject } from "../vault/objectStager.js";
import type { ImportOutcome } from "./importPipeline.js";
import { scanImportPaths, type ImportCandidate, type ScanResult } from "./importScan.js";
import { RESTORE_INTENT_SUFFIX, type RestoreIntent } from "./restoreRecovery.js";
import { DAMAGE_WORDS, fingerprintOf, vaultDamage } from "./vaultDamage.js";

export interface RestoreResult {
  sha256: string;
  /** The `original.restored` event. */
  seq: number;
  damaged: DamageKind;
  /** Case-relative path the damaged copy was moved to; null when nothing was there. */
  setAside: string | null;
}

/**
 * Restores item `sha256` of the case `writer` holds from the acquisition recorded at `acquisitionSeq`.
 * `state` is the case replayed up to the writer's head.
 */
export async function restoreOriginal(
  writer: LedgerWriter,
  caseFile: CaseFile,
  state: CaseState,
  sha256: string,
  acquisitionSeq: number,
): Promise<RestoreResult> {
  const caseDir = writer.caseDir;
  const item = state.items.get(sha256);
  if (!item) throw new SightlineError("not-found", `no item ${sha256} in this case`);
  const acquisition = item.acquisitions.find((a) => a.seq === acquisitionSeq);
  if (!acquisition) {
    throw new SightlineError("invalid-input", `ledger entry ${acquisitionSeq} is not an acquisition of this item`);
  }
  // Asked to restore: the copy is re-read, so an intact one is never replaced.
  const damaged = await vaultDamage(caseDir, state, sha256, { rehash: true });
  if (damaged === null) {
    throw new SightlineError(
      "invalid-input",
      "the vault copy of this item looks intact (run Verify case if you think it has changed); nothing was restored",
    );
  }

  // 1. The bytes again, from where they were acquired; only the item's exact bytes will do.
  const stagingDir = path.join(caseDir, CASE_PATHS.staging);
  await mkdir(stagingDir, { recursive: true, mode: 0o700 });
  // A file the page sent has no path to read again: its bytes were held in the case when it arrived.
  const candidate =
    acquisition.source.channel === "upload"
      ? await heldUploadCandidate(caseDir, sha256)
      : await candidateAt(acquisition.source.path);
  const staged = await stageObject(candidate, { stagingDir, algorithms: caseFile.hashAlgorithms, fsync: true });
  const stagedPath = staged.held.stagedPath;
  try {
    if (staged.digests.sha256 !== sha256 || staged.size !== item.size) {
      throw new SightlineError(
        "invalid-input",
        `${acquisition.source.path} no longer holds this item's bytes (its SHA-256 is ${staged.digests.sha256}); nothing was restored`,
      );
    }
    // The verification that found the damage, when one did (an import can find a copy missing or cut short itself).
    const foundBySeq = item.integrity && !item.integrity.restored ? item.integrity.foundSeq : null;
    const result = await swapIn(writer, item.objectPath, stagedPath, {
      sha256,
      damaged,
      acquisitionSeq,
      collection: acquisition.collection,
      foundBySeq,
    });
    // Restored: bytes held from an upload are no longer needed, whichever acquisition supplied them.
    await rm(path.join(caseDir, heldUploadPath(sha256)), { force: true }).catch(() => undefined);
    return result;
  } finally {
    await rm(stagedPath, { force: true }).catch(() => undefined);
  }
}

async function candidateAt(sourcePath: string): Promise<ImportCandidate> {
  const scan = await scanImportPaths([sourcePath]);
  const candidate = scan.files.length === 1 ? scan.files[0]! : null;
  if (!candidate) {
    const why = scan.refused[0]?.reason ?? "it is no longer a single file";
    throw new SightlineError("invalid-input", `cannot read ${sourcePath} again: ${why}`);
  }
  return candidate;
}

/**
 * Case-relative path where the bytes of a file sent by the workbench page wait for a restore of
 * item `sha256` (see `holdUploadsForRestore`). Not a staging name (`.partial`), so no writer's
 * clean-up removes it; verify does not read it.
 */
export function heldUploadPath(sha256: string): string {
  return `${CASE_PATHS.staging}/restorable-${sha256}`;
}

/** The held bytes of an upload, as a file to stage: a regular file in tmp/, never followed through a link. */
async function heldUploadCandidate(caseDir: string, sha256: string): Promise<ImportCandidate> {
  const relative = heldUploadPath(sha256);
  const info = await lstat(path.join(caseDir, relative)).catch(() => null);
  if (!info?.isFile()) {
    throw new SightlineError(
      "invalid-input",
      info
        ? `${relative} is not a plain file, so it is not read; nothing was restored`
        : "the bytes that acquisition sent are no longer held in this case: drop or import the file again to restore from it",
    );
  }
  return {
    realPath: path.join(caseDir, relative),
    displayPath: relative,
    relativePath: null,
    originalName: path.basename(relative),
    size: info.size,
    mtimeMs: info.mtimeMs,
    dev: info.dev,
    ino: info.ino,
    changedSince: "the held bytes changed on disk since the restore began",
  };
}

/**
 * Keeps, for a later restore, the bytes of each uploaded file whose item's vault copy is damaged:
 * the page never gives the host a path to read them again, and its staged copy (hashed as it
 * arrived) is removed once the import ends. The staged copy is hard-linked to `heldUploadPath`
 * (no copy; one per item, and the first one held stays: a restore hashes it again anyway).
 */
export async function holdUploadsForRestore(caseDir: string, state: CaseState, scanned: ScanResult): Promise<void> {
  for (const file of scanned.files) {
    const staged = file.uploaded?.staged;
    if (!staged || typeof file.realPath !== "string") continue;
    if ((await vaultDamage(caseDir, state, staged.digests.sha256)) === null) continue;
    // Not held (a file system without hard links, say): the restore then asks for the file again.
    await link(file.realPath, path.join(caseDir, heldUploadPath(staged.digests.sha256))).catch(() => undefined);
  }
}

async function swapIn(
  writer: LedgerWriter,
  objectPath: string,
  stagedPath: string,
  facts: {
    sha256: string;
    damaged: DamageKind;
    acquisitionSeq: number;
    collection: PayloadOf<"original.restored">["collection"];
    foundBySeq: number | null;
  },
): Promise<RestoreResult> {
  const { sha256, damaged, acquisitionSeq, collection, foundBySeq } = facts;
  const caseDir = writer.caseDir;
  const target = path.join(caseDir, objectPath);
  const before = await lstat(target).catch(() => null);
  // What the damaged copy was: its hash and size when it is a file (read without following a link).
  const fingerprint = before?.isFile() ? await fingerprintOf(target) : null;
  const setAside =
    before === null
      ? null
      : `${CASE_PATHS.recovered}/damaged-${sha256}-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  const recoveredDir = path.join(caseDir, CASE_PATHS.recovered);
  await mkdir(recoveredDir, { recursive: true, mode: 0o700 });

  // 2. The intent, so a crash from here to the event can be rolled back.
  const intent = path.join(caseDir, CASE_PATHS.staging, `${randomUUID()}${RESTORE_INTENT_SUFFIX}`);
  const record: RestoreIntent = { objectPath, setAside, sha256, headSeq: writer.currentHead.seq };
  await writeFileDurably(intent, JSON.stringify(record), path.dirname(intent));

  try {
    // 3 and 4. Set aside, then restore.
    const folder = path.dirname(target);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    if (setAside && before && !before.isDirectory()) {
      await link(target, path.join(caseDir, setAside));
      await fsyncDir(recoveredDir);
      await rename(stagedPath, target);
    } else {
      if (setAside) await rename(target, path.join(caseDir, setAside));
      await fsyncDir(recoveredDir);
      await rename(stagedPath, target);
    }
    await fsyncDir(folder);
  } catch (error) {
    throw new SightlineError("io-error", `could not restore the vault copy: ${describeIoError(error)}`);
  }

  // 5. The event: from here on the restore is part of the case.
  const [event] = await writer.append([
    {
      type: "original.restored",
      payload: {
        sha256,
        objectPath,
        acquisitionSeq,
        collection,
        damaged: {
          kind: damaged,
          sha256: fingerprint?.sha256 ?? null,
          size: fingerprint?.size ?? null,
          setAside,
        },
        foundBySeq,
        tool: { ...TOOL },
      },
    },
  ]);
  // 6. Done.
  await rm(intent, { force: true });
  return { sha256, seq: event!.seq, damaged, setAside };
}

/** The import's warning for each file whose item's vault copy is damaged, with what to do. */
export function damageWarnings(outcomes: readonly ImportOutcome[]): string[] {
  return outcomes.flatMap((o) =>
    "damaged" in o && o.damaged
      ? [
          `${o.displayPath}: the case holds these bytes, but ${DAMAGE_WORDS[o.damaged]}; restore the vault copy from this file (ledger entry ${o.seq})`,
        ]
      : [],
  );
}
