/**
 * Stages bytes that arrive in order from somewhere other than a file on disk (an upload from the
 * page): as objectStager.ts does for a file, they are gathered into a ring of 1 MiB chunks in
 * shared memory, each chunk hashed on the staging threads (or here, without threads) while it is
 * written at its place with one large write, with writeback started every 64 MiB and one fsync at
 * the end. The digests are of exactly the bytes written. A chunk is reused only once it is both
 * hashed and written; a failure anywhere fails the next `push` or `finish`, and `abort` removes
 * the staged copy.
 */
import { open, rm, type FileHandle } from "node:fs/promises";
import type { HashAlgorithm } from "../../../shared/ledger/events.js";
import { CHUNK, RING_CHUNKS, WRITEBACK_EVERY, hashInPlace, writeFully } from "./objectStager.js";
import type { ChunkHashing, StageThreads } from "./stageThreads.js";

export class StreamStager {
  private readonly ring: Uint8Array[];
  private readonly inFlight: (Promise<void> | undefined)[] = [];
  private slot = 0;
  private fill = 0;
  /** Bytes handed to the ring so far (the file position of the current chunk's start). */
  private written = 0;
  private writes: Promise<void> = Promise.resolve();
  private writeback: Promise<void> | null = null;
  private writebackAt = 0;
  private handle: FileHandle | null;

  private constructor(
    readonly file: string,
    handle: FileHandle,
    private readonly hashing: ChunkHashing,
  ) {
    this.handle = handle;
    const memory = new SharedArrayBuffer(RING_CHUNKS * CHUNK);
    this.ring = Array.from({ length: RING_CHUNKS }, (_, i) => new Uint8Array(memory, i * CHUNK, CHUNK));
  }

  /** Creates `file` (it must not exist), read-only from the start: the bytes go in through this handle. */
  static async create(
    file: string,
    algorithms: readonly HashAlgorithm[],
    threads?: StageThreads,
  ): Promise<StreamStager> {
    const handle = await open(file, "wx", 0o400);
    return new StreamStager(file, handle, threads ? threads.hashFile(algorithms) : hashInPlace(algorithms));
  }

  get size(): number {
    return this.written + this.fill;
  }

  /** Takes the next bytes of the file; resolves once they are copied into the ring. Never called twice at once. */
  async push(bytes: Uint8Array): Promise<void> {
    for (let offset = 0; offset < bytes.length;) {
      // The chunk is free once the bytes it held last are hashed and written.
      if (this.fill === 0 && this.inFlight[this.slot]) await this.inFlight[this.slot];
      const n = Math.min(CHUNK - this.fill, bytes.length - offset);
      this.ring[this.slot]!.set(bytes.subarray(offset, offset + n), this.fill);
      this.fill += n;
      offset += n;
      if (this.fill === CHUNK) this.dispatch();
    }
  }

  private dispatch(): void {
    const output = this.handle!;
    const chunk = this.ring[this.slot]!;
    const length = this.fill;
    const at = this.written;
    const hashed = this.hashing.update(chunk, length);
    this.writes = this.writes.then(() => writeFully(output, chunk.subarray(0, length), at));
    const done = Promise.all([hashed, this.writes]).then(() => undefined);
    done.catch(() => undefined); // awaited when the chunk comes round again, or at the end
    this.inFlight[this.slot] = done;
    this.written += length;
    this.fill = 0;
    this.slot = (this.slot + 1) % this.ring.length;
    if (!this.writeback && this.written - this.writebackAt >= WRITEBACK_EVERY) {
      // Start writeback during the copy (one fdatasync at a time), so the disk works meanwhile.
      this.writebackAt = this.written;
      this.writeback = this.writes
        .then(() => output.datasync())
        .catch(() => undefined) // the final fsync reports what failed
        .finally(() => (this.writeback = null));
    }
  }

  /** Writes what is left, flushes the file to disk, closes it: the digests and size of the bytes stored. */
  async finish(): Promise<{ digests: Partial<Record<HashAlgorithm, string>> & { sha256: string }; size: number }> {
    if (this.fill > 0) this.dispatch();
    await Promise.all(this.inFlight);
    const digests = await this.hashing.digests();
    if (this.writeback) await this.writeback;
    const handle = this.handle!;
    await handle.sync();
    this.handle = null;
    await handle.close();
    return { digests, size: this.written };
  }

  /** Stops, and removes the staged copy. */
  async abort(): Promise<void> {
    this.hashing.drop();
    await Promise.allSettled(this.inFlight);
    if (this.writeback) await this.writeback;
    const handle = this.handle;
    this.handle = null;
    if (handle) await handle.close().catch(() => undefined);
    await rm(this.file, { force: true }).catch(() => undefined);
  }
}
