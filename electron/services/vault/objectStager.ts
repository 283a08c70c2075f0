/**
 * Reads one source file once and, from the same read, feeds the hashers and the
 * staged copy in the case's `tmp/` folder (DESIGN rule 4: bounded memory).
 *
 * The source is opened read-only, without following a last-component symlink,
 * non-blocking (so a FIFO swapped in after the scan cannot hang us) and, where
 * the OS allows, without updating its access time. A large file goes through a
 * ring of chunks in shared memory: while one chunk is read, the ones before it
 * are hashed (on the staging threads, stageThreads.ts) and written, so reading,
 * hashing and writing proceed at once; a chunk is reused only once it is both
 * hashed and written. Small files are staged whole (smallObject.ts).
 */
import { createHash, randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { open, rm, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { HashAlgorithm } from "../../../shared/ledger/events.js";
import type { FsPath, ImportCandidate } from "../import/importScan.js";
import { STAGED_SUFFIX } from "../ledger/ledgerWriter.js";
import { SightlineError, describeIoError } from "../sightlineError.js";
import { SMALL_FILE_BYTES, smallBuffer, stageSmallSync, type FileTimes } from "./smallObject.js";
import type { ChunkHashing, StageThreads } from "./stageThreads.js";

export { SMALL_FILE_BYTES } from "./smallObject.js";

/** Chunks in a ring, and each chunk's size: chosen by measuring a 1 GiB import (docs/PERFORMANCE.md). */
export const RING_CHUNKS = 8;
export const CHUNK = 1024 * 1024;
export const WRITEBACK_EVERY = 64 * 1024 * 1024;

export interface StagedObject {
  candidate: ImportCandidate;
  /** Where the bytes wait for the commit: a read-only staged copy in tmp/, written during the read. */
  held: { kind: "file"; stagedPath: string };
  digests: Partial<Record<HashAlgorithm, string>> & { sha256: string };
  size: number;
  fileTimes: FileTimes;
  /** The staged copy was fsynced (the commit then need not flush the file system for it). */
  isDurable: boolean;
  /**
   * Nothing was at the object's path in the vault when the file was staged (looked at on a staging
   * thread; false where not looked at): the batch's intent names it without a look on the main
   * thread. The commit looks again before it renames anything.
   */
  isNewToVault?: boolean;
}

export interface StageOptions {
  stagingDir: string;
  algorithms: readonly HashAlgorithm[];
  signal?: AbortSignal;
  /** Called with the number of bytes just read. */
  onBytes?: (bytes: number) => void;
  /** fsync the staged copy before closing it (when the file system cannot be flushed as a whole per batch). */
  fsync: boolean;
  /** Buffers reused across files, to spare the allocator (see `makeBuffers`). */
  buffers?: StageBuffers;
  /** Where hashing and small files run; without threads, on this thread. */
  threads?: StageThreads;
  /** The case's `objects/sha256` folder, for a small file to be looked for there as it is staged. */
  vaultDir?: string;
}

export interface StageBuffers {
  /** The large-file ring, in shared memory so the staging threads hash it where it lies. */
  ring: Uint8Array[];
  /** For small files staged on this thread. */
  small: Buffer;
}

export function makeBuffers(): StageBuffers {
  return { ring: makeRing(), small: smallBuffer() };
}

/**
 * Buffers handed from one file to the next, made only when first needed and at most `limit` sets:
 * so the files staged at once that need them (large files, and small ones staged on this thread)
 * are at most `limit`, however many small files are out on the staging threads.
 */
export class StageBufferPool {
  private readonly free: StageBuffers[] = [];
  private readonly waiting: ((buffers: StageBuffers) => void)[] = [];
  private made = 0;

  constructor(private readonly limit: number) {}

  /** A free set, or a new one while fewer than `limit` exist, or the next one given back. */
  take(): Promise<StageBuffers> {
    const free = this.free.pop();
    if (free) return Promise.resolve(free);
    if (this.made < this.limit) {
      this.made++;
      return Promise.resolve(makeBuffers());
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  give(buffers: StageBuffers): void {
    const next = this.waiting.shift();
    if (next) next(buffers);
    else this.free.push(buffers);
  }
}

/** A ring in shared memory for a file of at most `fileSize` bytes: no more chunks than the file fills. */
export function makeRing(fileSize = Infinity): Uint8Array[] {
  const chunks = Math.max(1, Math.min(RING_CHUNKS, Math.ceil(fileSize / CHUNK)));
  const chunk = Math.max(1, Math.min(CHUNK, fileSize));
  const memory = new SharedArrayBuffer(chunks * chunk);
  return Array.from({ length: chunks }, (_, i) => new Uint8Array(memory, i * chunk, chunk));
}

/**
 * Hashes each chunk of a ring while writing it at its place in the file (writes in order, one
 * after another), with writeback started every WRITEBACK_EVERY bytes (one fdatasync at a time) so
 * the disk works during the copy instead of all at the final flush. A chunk is free again once
 * both are done.
 */
export class RingWriter {
  private readonly inFlight: (Promise<void> | undefined)[] = [];
  private writes: Promise<void> = Promise.resolve();
  private writeback: Promise<void> | null = null;
  private writebackAt = 0;
  /** Bytes dispatched so far: the file position of the next chunk. */
  size = 0;

  constructor(
    private readonly output: FileHandle,
    private readonly hashing: ChunkHashing,
  ) {}

  /** Resolves once ring slot `slot` is free (rejects if its last chunk failed). */
  async free(slot: number): Promise<void> {
    if (this.inFlight[slot]) await this.inFlight[slot];
  }

  dispatch(slot: number, chunk: Uint8Array, length: number): void {
    const at = this.size;
    const output = this.output;
    const hashed = this.hashing.update(chunk, length);
    this.writes = this.writes.then(() => writeFully(output, chunk.subarray(0, length), at));
    const done = Promise.all([hashed, this.writes]).then(() => undefined);
    done.catch(() => undefined); // awaited when the chunk comes round again, or at the end
    this.inFlight[slot] = done;
    this.size += length;
    if (!this.writeback && this.size - this.writebackAt >= WRITEBACK_EVERY) {
      this.writebackAt = this.size;
      this.writeback = this.writes
        .then(() => output.datasync())
        .catch(() => undefined) // the final flush reports what failed
        .finally(() => (this.writeback = null));
    }
  }

  /** Every chunk hashed and written; rejects with the first failure. */
  async written(): Promise<void> {
    await Promise.all(this.inFlight);
    if (this.writeback) await this.writeback;
  }

  /** Waits out whatever is in flight, failed or not (before closing the file on a failure). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.inFlight);
    if (this.writeback) await this.writeback;
  }
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

/** Hashing on this thread, for a stage without threads (a restore, a small upload). */
export function hashInPlace(algorithms: readonly HashAlgorithm[]): ChunkHashing {
  const hashers = algorithms.map((a) => [a, createHash(a)] as const);
  return {
    update: (chunk, length) => {
      for (const [, h] of hashers) h.update(chunk.subarray(0, length));
      return Promise.resolve();
    },
    digests: () =>
      Promise.resolve(Object.fromEntries(hashers.map(([a, h]) => [a, h.digest("hex")])) as { sha256: string }),
    drop: () => undefined,
  };
}

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
  let writer: RingWriter | null = null;
  let hashing: ChunkHashing | null = null;
  try {
    const before = await source.stat({ bigint: false });
    if (!before.isFile()) throw new SightlineError("invalid-input", "not a regular file");
    if (before.ino !== candidate.ino || before.dev !== candidate.dev) {
      throw new SightlineError("io-error", "the file was replaced between scanning and reading");
    }
    if (before.size !== candidate.size || before.mtimeMs !== candidate.mtimeMs) {
      throw new SightlineError("io-error", candidate.changedSince);
    }
    target = await open(stagedPath, "wx", 0o600);
    const ring = (options.buffers ?? makeBuffers()).ring;
    hashing = options.threads ? options.threads.hashFile(options.algorithms) : hashInPlace(options.algorithms);
    const ringWriter = new RingWriter(target, hashing);
    writer = ringWriter;
    for (let turn = 0; ; turn++) {
      if (options.signal?.aborted) throw new StageCancelled();
      const slot = turn % ring.length;
      await ringWriter.free(slot);
      const chunk = ring[slot]!;
      let bytesRead: number;
      try {
        ({ bytesRead } = await source.read(chunk, 0, chunk.length, ringWriter.size));
      } catch (error) {
        throw new SightlineError("io-error", `read failed after ${ringWriter.size} bytes: ${describeIoError(error)}`);
      }
      if (bytesRead === 0) break;
      ringWriter.dispatch(slot, chunk, bytesRead);
      options.onBytes?.(bytesRead);
    }
    await ringWriter.written();
    const digests = await hashing.digests();
    hashing = null;
    const size = ringWriter.size;
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
    return {
      candidate,
      held: { kind: "file", stagedPath },
      digests,
      size,
      fileTimes: timesOf(before),
      isDurable: options.fsync,
    };
  } catch (error) {
    hashing?.drop();
    await writer?.settle();
    if (target) await target.close().catch(() => undefined);
    await rm(stagedPath, { force: true }).catch(() => undefined);
    throw error;
  } finally {
    await source.close().catch(() => undefined);
  }
}

function timesOf(info: { mtime: Date; ctime: Date; atime: Date; birthtime: Date; birthtimeMs: number }): FileTimes {
  return {
    modified: info.mtime.toISOString(),
    changed: info.ctime.toISOString(),
    accessed: info.atime.toISOString(),
    born: info.birthtimeMs > 0 ? info.birthtime.toISOString() : null,
  };
}

export async function writeFully(handle: FileHandle, chunk: Uint8Array, position: number): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset, position + offset);
    offset += bytesWritten;
  }
}

/**
 * A file of at most SMALL_FILE_BYTES, staged whole on a staging thread (or here, without
 * threads): see smallObject.ts. Progress and cancellation get through between files.
 */
async function stageSmallObject(candidate: ImportCandidate, options: StageOptions): Promise<StagedObject> {
  if (options.signal?.aborted) throw new StageCancelled();
  const stagedPath = path.join(options.stagingDir, `${randomUUID()}${STAGED_SUFFIX}`);
  const request = {
    realPath: candidate.realPath,
    dev: candidate.dev,
    ino: candidate.ino,
    size: candidate.size,
    mtimeMs: candidate.mtimeMs,
    changedSince: candidate.changedSince,
    stagedPath,
    algorithms: options.algorithms,
    fsync: options.fsync,
    ...(options.vaultDir ? { vaultDir: options.vaultDir } : {}),
  };
  let result;
  try {
    result = options.threads
      ? await options.threads.stageSmall(request)
      : stageSmallSync(request, (options.buffers ?? makeBuffers()).small);
  } catch (error) {
    // The thread died mid-file: whatever it had staged goes.
    await rm(stagedPath, { force: true }).catch(() => undefined);
    throw error;
  }
  if (!result.ok) throw new SightlineError(result.code, result.message);
  options.onBytes?.(result.size);
  return {
    candidate,
    held: { kind: "file", stagedPath },
    digests: result.digests,
    size: result.size,
    fileTimes: result.fileTimes,
    isDurable: options.fsync,
    isNewToVault: result.isNewToVault,
  };
}
