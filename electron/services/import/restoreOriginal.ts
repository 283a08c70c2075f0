/**
 * Restoring a damaged original (docs/LEDGER.md, "Restoring a damaged original"): an acquisition
 * of the same bytes as an item whose vault copy is damaged supplies the bytes again. Its file is
 * read again from where it was acquired and hashed; only the item's exact bytes are accepted.
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
import { scanImportPaths } from "./importScan.js";
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
  if (acquisition.source.channel === "upload") {
    throw new SightlineError(
      "invalid-input",
      "that acquisition was sent by the workbench page, so its file cannot be read again here: import the file by its path (or with sightline import --restore) to restore from it",
    );
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
  const scan = await scanImportPaths([acquisition.source.path]);
  const candidate = scan.files.length === 1 ? scan.files[0]! : null;
  if (!candidate) {
    const why = scan.refused[0]?.reason ?? "it is no longer a single file";
    throw new SightlineError("invalid-input", `cannot read ${acquisition.source.path} again: ${why}`);
  }
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
    return await swapIn(writer, item.objectPath, stagedPath, {
      sha256,
      damaged,
      acquisitionSeq,
      collection: acquisition.collection,
      foundBySeq,
    });
  } finally {
    await rm(stagedPath, { force: true }).catch(() => undefined);
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
