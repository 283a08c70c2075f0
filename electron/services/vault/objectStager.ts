/**
 * Reads one source file once and, from the same read, feeds the hashers and the
 * staged copy in the case's `tmp/` folder (DESIGN rule 4: bounded memory).
 *
 * The source is opened read-only, without following a last-component symlink,
 * non-blocking (so a FIFO swapped in after the scan cannot hang us) and, where
 * the OS allows, without updating its access time. Reading and writing overlap:
 * while one buffer is being written, the next is read and hashed.
 */
import { createHash, randomUUID, type Hash } from "node:crypto";
import { closeSync, constants, fstatSync, fsyncSync, open as openCallback, readSync, rmSync, writeSync } from "node:fs";
import { open, rm, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { HashAlgorithm } from "../../../shared/ledger/events.js";
import type { FsPath, ImportCandidate } from "../import/importScan.js";
import { STAGED_SUFFIX } from "../ledger/ledgerWriter.js";
import { SightlineError, describeIoError } from "../sightlineError.js";

const CHUNK = 4 * 1024 * 1024;
const WRITEBACK_EVERY = 64 * 1024 * 1024;

export interface StagedObject {
  candidate: ImportCandidate;
  /** Where the bytes wait for the commit: a read-only staged copy in tmp/, written during the read. */
  held: { kind: "file"; stagedPath: string };
  digests: Partial<Record<HashAlgorithm, string>> & { sha256: string };
  size: number;
  fileTimes: { modified: string; changed: string; accessed: string; born: string | null };
}

export interface StageOptions {
  stagingDir: string;
  algorithms: readonly HashAlgorithm[];
  signal?: AbortSignal;
  /** Called with the number of bytes just read. */
  onBytes?: (bytes: number) => void;
  /** fsync the staged copy before closing it (when the file system cannot be flushed as a whole per batch). */
  fsync: boolean;
  /** Two buffers reused across files, to spare the allocator. */
  buffers?: [Buffer, Buffer];
}

export function makeBuffers(): [Buffer, Buffer] {
  return [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
}

/** Thrown when the import was cancelled while this file was being read. */
export class StageCancelled extends Error {}

async function openSource(file: FsPath): Promise<FileHandle> {
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  try {
    return await open(file, flags | constants.O_NOATIME);
  } catch (error) {
    // O_NOATIME is refused (EPERM) on files we do not own; read without it.
    if ((error as NodeJS.ErrnoException).code === "EPERM") return open(file, flags);
    throw error;
  }
}

/** Files up to this size are read and written with synchronous calls (see `stageSmallObject`). */
export const SMALL_FILE_BYTES = 1024 * 1024;

export async function stageObject(candidate: ImportCandidate, options: StageOptions): Promise<StagedObject> {
  if (candidate.size <= SMALL_FILE_BYTES) return stageSmallObject(candidate, options);
  let source: FileHandle;
  try {
    source = await openSource(candidate.realPath);
  } catch (error) {
    throw new SightlineError("io-error", `cannot open: ${describeIoError(error)}`);
  }
  const stagedPath = path.join(options.stagingDir, `${randomUUID()}${STAGED_SUFFIX}`);
  let target: FileHandle | null = null;
  try {
    const before = await source.stat({ bigint: false });
    if (!before.isFile()) throw new SightlineError("invalid-input", "not a regular file");
    if (before.ino !== candidate.ino || before.dev !== candidate.dev) {
      throw new SightlineError("io-error", "the file was replaced between scanning and reading");
    }
    target = await open(stagedPath, "wx", 0o600);
    const hashers: [HashAlgorithm, Hash][] = options.algorithms.map((a) => [a, createHash(a)]);
    const buffers = options.buffers ?? makeBuffers();
    let pendingWrite: Promise<unknown> | null = null;
    let size = 0;
    // Start writeback while we read (an fdatasync every WRITEBACK_EVERY bytes, one at a
    // time), so the disk works during the copy instead of all at the final flush.
    let writeback: Promise<void> | null = null;
    let writebackAt = 0;
    for (let turn = 0; ; turn++) {
      if (options.signal?.aborted) throw new StageCancelled();
      const buffer = buffers[turn & 1]!;
      let bytesRead: number;
      try {
        ({ bytesRead } = await source.read(buffer, 0, buffer.length, null));
      } catch (error) {
        throw new SightlineError("io-error", `read failed after ${size} bytes: ${describeIoError(error)}`);
      }
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      for (const [, hasher] of hashers) hasher.update(chunk);
      if (pendingWrite) await pendingWrite;
      pendingWrite = writeFully(target, chunk);
      if (!writeback && size - writebackAt >= WRITEBACK_EVERY) {
        writebackAt = size;
        writeback = target
          .datasync()
          .catch(() => undefined) // the commit's flush reports what failed
          .finally(() => (writeback = null));
      }
      size += bytesRead;
      options.onBytes?.(bytesRead);
    }
    if (pendingWrite) await pendingWrite;
    if (writeback) await writeback;
    const after = await source.stat();
    if (after.size !== size || after.mtimeMs !== before.mtimeMs) {
      throw new SightlineError(
        "io-error",
        "the file changed while it was being read; import it again when nothing is writing to it",
      );
    }
    await target.chmod(0o400);
    if (options.fsync) await target.sync();
    await target.close();
    target = null;
    const digests = Object.fromEntries(hashers.map(([a, h]) => [a, h.digest("hex")])) as StagedObject["digests"];
    return {
      candidate,
      held: { kind: "file", stagedPath },
      digests,
      size,
      fileTimes: {
        modified: before.mtime.toISOString(),
        changed: before.ctime.toISOString(),
        accessed: before.atime.toISOString(),
        born: before.birthtimeMs > 0 ? before.birthtime.toISOString() : null,
      },
    };
  } catch (error) {
    if (target) await target.close().catch(() => undefined);
    await rm(stagedPath, { force: true }).catch(() => undefined);
    throw error;
  } finally {
    await source.close().catch(() => undefined);
  }
}

async function writeFully(handle: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset, null);
    offset += bytesWritten;
  }
}

const openFd = promisify(openCallback);

async function openSourceFd(file: FsPath): Promise<number> {
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  try {
    return await openFd(file, flags | constants.O_NOATIME);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EPERM") return openFd(file, flags);
    throw error;
  }
}

/**
 * A file of at most SMALL_FILE_BYTES. Opening and creating go through the thread pool, where
 * they overlap with the other stagers' hashing (a create costs more than a round trip there);
 * the reads and writes are synchronous, from one reused buffer, because for files this small a
 * round trip through the pool costs more than the call itself. The copy goes to staging
 * read-only from the start (the commit only renames it), so memory stays bounded by one
 * file whatever the batch holds. Progress and cancellation get through between files.
 */
async function stageSmallObject(candidate: ImportCandidate, options: StageOptions): Promise<StagedObject> {
  if (options.signal?.aborted) throw new StageCancelled();
  let source: number;
  try {
    source = await openSourceFd(candidate.realPath);
  } catch (error) {
    throw new SightlineError("io-error", `cannot open: ${describeIoError(error)}`);
  }
  const stagedPath = path.join(options.stagingDir, `${randomUUID()}${STAGED_SUFFIX}`);
  let target: number | null = null;
  try {
    const before = fstatSync(source);
    if (!before.isFile()) throw new SightlineError("invalid-input", "not a regular file");
    if (before.ino !== candidate.ino || before.dev !== candidate.dev) {
      throw new SightlineError("io-error", "the file was replaced between scanning and reading");
    }
    try {
      target = await openFd(stagedPath, "wx", 0o400);
    } catch (error) {
      throw new SightlineError("io-error", `cannot write the staged copy: ${describeIoError(error)}`);
    }
    const buffer = (options.buffers ?? makeBuffers())[0];
    let size = 0;
    try {
      // One read more than the expected size tells a file that grew meanwhile.
      for (let n; (n = readSync(source, buffer, size, buffer.length - size, null)) > 0;) size += n;
    } catch (error) {
      throw new SightlineError("io-error", `read failed after ${size} bytes: ${describeIoError(error)}`);
    }
    const after = fstatSync(source);
    if (size > SMALL_FILE_BYTES || after.size !== size || after.mtimeMs !== before.mtimeMs) {
      throw new SightlineError(
        "io-error",
        "the file changed while it was being read; import it again when nothing is writing to it",
      );
    }
    const bytes = buffer.subarray(0, size);
    const digests = Object.fromEntries(options.algorithms.map((a) => [a, createHash(a).update(bytes).digest("hex")]));
    try {
      for (let written = 0; written < size;) written += writeSync(target, bytes, written, size - written);
      if (options.fsync) fsyncSync(target);
    } catch (error) {
      throw new SightlineError("io-error", `cannot write the staged copy: ${describeIoError(error)}`);
    }
    closeSync(target);
    target = null;
    options.onBytes?.(size);
    return {
      candidate,
      held: { kind: "file", stagedPath },
      digests: digests as StagedObject["digests"],
      size,
      fileTimes: {
        modified: before.mtime.toISOString(),
        changed: before.ctime.toISOString(),
        accessed: before.atime.toISOString(),
        born: before.birthtimeMs > 0 ? before.birthtime.toISOString() : null,
      },
    };
  } catch (error) {
    if (target !== null) closeSync(target);
    rmSync(stagedPath, { force: true });
    throw error;
  } finally {
    closeSync(source);
  }
}
