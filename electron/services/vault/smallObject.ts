/**
 * Staging one small file (at most SMALL_FILE_BYTES) with synchronous calls, from one reused
 * buffer: for files this small a round trip through a thread pool costs more than the call
 * itself. It runs on a staging thread (stageThreads.ts), so the main thread only hands out files
 * and commits them; where no thread is at hand (a restore) it runs in place.
 *
 * The same guarantees as the large-file path (objectStager.ts): the source is opened read-only,
 * without following a last-component link, non-blocking (a FIFO swapped in after the scan cannot
 * hang it) and, where allowed, without updating its access time; it must be the very file the
 * scan found; the copy goes to staging read-only from the start and is removed if anything fails;
 * the digests are of exactly the bytes written.
 */
import { createHash } from "node:crypto";
import { closeSync, constants, fstatSync, fsyncSync, lstatSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import type { HashAlgorithm } from "../../../shared/ledger/events.js";
import type { ErrorCode } from "../../../shared/api/result.js";
import { objectPathInVault } from "../../../shared/case/objectPath.js";
import { describeIoError } from "../sightlineError.js";

/** Files up to this size are read and written in one go (see `stageSmallSync`). */
export const SMALL_FILE_BYTES = 1024 * 1024;

export interface SmallStageRequest {
  realPath: string | Buffer;
  dev: number;
  ino: number;
  /** The size and time the scan (or the window's check) saw: a file changed since is refused. */
  size: number;
  mtimeMs: number;
  /** The one-line reason given when it has changed (ImportCandidate's `changedSince`). */
  changedSince: string;
  stagedPath: string;
  algorithms: readonly HashAlgorithm[];
  fsync: boolean;
  /**
   * The case's `objects/sha256` folder: where given, the file's object path in it is looked at
   * once the digest is known, here rather than on the import's main thread when the batch's
   * intent is written.
   */
  vaultDir?: string;
}

export interface FileTimes {
  modified: string;
  changed: string;
  accessed: string;
  born: string | null;
}

export type SmallStageResult =
  | {
      ok: true;
      size: number;
      digests: Partial<Record<HashAlgorithm, string>> & { sha256: string };
      fileTimes: FileTimes;
      /** Nothing at all was at the object's path when staged (false: not looked at, or something was). */
      isNewToVault: boolean;
    }
  | { ok: false; code: ErrorCode; message: string };

function openSource(file: string | Buffer): number {
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  try {
    return openSync(file, flags | constants.O_NOATIME);
  } catch (error) {
    // O_NOATIME is refused (EPERM) on files we do not own; read without it.
    if ((error as NodeJS.ErrnoException).code === "EPERM") return openSync(file, flags);
    throw error;
  }
}

const failed = (code: ErrorCode, message: string): SmallStageResult => ({ ok: false, code, message });

/** Stages one small file; never throws (a failure is a result with its one-line reason). */
export function stageSmallSync(request: SmallStageRequest, buffer: Buffer): SmallStageResult {
  let source: number;
  try {
    source = openSource(request.realPath);
  } catch (error) {
    return failed("io-error", `cannot open: ${describeIoError(error)}`);
  }
  let target: number | null = null;
  let isCreated = false;
  try {
    const before = fstatSync(source);
    if (!before.isFile()) return failed("invalid-input", "not a regular file");
    if (before.ino !== request.ino || before.dev !== request.dev) {
      return failed("io-error", "the file was replaced between scanning and reading");
    }
    if (before.size !== request.size || before.mtimeMs !== request.mtimeMs) {
      return failed("io-error", request.changedSince);
    }
    try {
      target = openSync(request.stagedPath, "wx", 0o400);
      isCreated = true;
    } catch (error) {
      return failed("io-error", `cannot write the staged copy: ${describeIoError(error)}`);
    }
    let size = 0;
    try {
      // Up to the size the file had when opened: no read is spent to find the end, since the
      // check below tells a file that grew (its size, or a read past SMALL_FILE_BYTES) or changed.
      for (let n; size < buffer.length && (n = readSync(source, buffer, size, buffer.length - size, null)) > 0;) {
        size += n;
        if (size === before.size) break;
      }
    } catch (error) {
      return failed("io-error", `read failed after ${size} bytes: ${describeIoError(error)}`);
    }
    const after = fstatSync(source);
    if (size > SMALL_FILE_BYTES || after.size !== size || after.mtimeMs !== before.mtimeMs) {
      return failed(
        "io-error",
        "the file changed while it was being read; import it again when nothing is writing to it",
      );
    }
    const bytes = buffer.subarray(0, size);
    const digests = Object.fromEntries(request.algorithms.map((a) => [a, createHash(a).update(bytes).digest("hex")]));
    try {
      for (let written = 0; written < size;) written += writeSync(target, bytes, written, size - written);
      if (request.fsync) fsyncSync(target);
    } catch (error) {
      return failed("io-error", `cannot write the staged copy: ${describeIoError(error)}`);
    }
    closeSync(target);
    target = null;
    isCreated = false;
    return {
      ok: true,
      size,
      digests: digests as { sha256: string },
      isNewToVault: request.vaultDir !== undefined && isAbsent(request.vaultDir, digests.sha256!),
      fileTimes: {
        modified: before.mtime.toISOString(),
        changed: before.ctime.toISOString(),
        accessed: before.atime.toISOString(),
        born: before.birthtimeMs > 0 ? before.birthtime.toISOString() : null,
      },
    };
  } catch (error) {
    return failed("io-error", describeIoError(error));
  } finally {
    if (target !== null) closeSync(target);
    if (isCreated) rmSync(request.stagedPath, { force: true });
    closeSync(source);
  }
}

/** True when nothing is at the object's path under `vaultDir` (the case's OBJECTS_DIR). */
function isAbsent(vaultDir: string, sha256: string): boolean {
  return isNothingAt(`${vaultDir}/${objectPathInVault(sha256)}`);
}

/**
 * True when nothing at all is at `file` (not even a link or a folder). Asked without an exception
 * for the usual answer (an error object and its stack cost more than the call); any other failure
 * to look counts as something there.
 */
export function isNothingAt(file: string): boolean {
  try {
    return lstatSync(file, { throwIfNoEntry: false }) === undefined;
  } catch {
    return false;
  }
}

/** The buffer `stageSmallSync` needs: one byte more than the largest small file. */
export function smallBuffer(): Buffer {
  return Buffer.allocUnsafe(SMALL_FILE_BYTES + 1);
}
