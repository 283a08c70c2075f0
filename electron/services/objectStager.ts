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
import { constants } from "node:fs";
import { open, rm, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { HashAlgorithm } from "../../shared/ledger/events.js";
import type { ImportCandidate } from "./importScan.js";
import { STAGED_SUFFIX } from "./ledgerWriter.js";
import { SightlineError, describeIoError } from "./sightlineError.js";

const CHUNK = 4 * 1024 * 1024;

export interface StagedObject {
  candidate: ImportCandidate;
  stagedPath: string;
  /** Open for writing until the batch is committed (so it can be fsynced with the others). */
  handle: FileHandle;
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
  /** Two buffers reused across files, to spare the allocator. */
  buffers?: [Buffer, Buffer];
}

export function makeBuffers(): [Buffer, Buffer] {
  return [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
}

/** Thrown when the import was cancelled while this file was being read. */
export class StageCancelled extends Error {}

async function openSource(file: string): Promise<FileHandle> {
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  try {
    return await open(file, flags | constants.O_NOATIME);
  } catch (error) {
    // O_NOATIME is refused (EPERM) on files we do not own; read without it.
    if ((error as NodeJS.ErrnoException).code === "EPERM") return open(file, flags);
    throw error;
  }
}

export async function stageObject(candidate: ImportCandidate, options: StageOptions): Promise<StagedObject> {
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
      size += bytesRead;
      options.onBytes?.(bytesRead);
    }
    if (pendingWrite) await pendingWrite;
    const after = await source.stat();
    if (after.size !== size || after.mtimeMs !== before.mtimeMs) {
      throw new SightlineError(
        "io-error",
        "the file changed while it was being read; import it again when nothing is writing to it",
      );
    }
    await target.chmod(0o444);
    const digests = Object.fromEntries(hashers.map(([a, h]) => [a, h.digest("hex")])) as StagedObject["digests"];
    return {
      candidate,
      stagedPath,
      handle: target,
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
