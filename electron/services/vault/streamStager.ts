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
import { RingWriter, hashInPlace, makeRing } from "./objectStager.js";
import type { ChunkHashing, StageThreads } from "./stageThreads.js";

type Staged = { digests: Partial<Record<HashAlgorithm, string>> & { sha256: string }; size: number };

export class StreamStager {
  private readonly ring: Uint8Array[];
  private readonly writer: RingWriter;
  private slot = 0;
  private fill = 0;
  private handle: FileHandle | null;
  /** A `finish` under way: `abort` waits for it before closing the file under it. */
  private finishing: Promise<Staged> | null = null;

  private constructor(
    readonly file: string,
    handle: FileHandle,
    size: number,
    private readonly hashing: ChunkHashing,
  ) {
    this.handle = handle;
    // No larger than the file: a small upload does not hold a whole ring.
    this.ring = makeRing(size);
    this.writer = new RingWriter(handle, hashing);
  }

  /**
   * Creates `file` (it must not exist), read-only from the start: the bytes go in through this
   * handle. `size` is the most it will hold (the ring is no larger).
   */
  static async create(
    file: string,
    size: number,
    algorithms: readonly HashAlgorithm[],
    threads?: StageThreads,
  ): Promise<StreamStager> {
    const handle = await open(file, "wx", 0o400);
    return new StreamStager(file, handle, size, threads ? threads.hashFile(algorithms) : hashInPlace(algorithms));
  }

  get size(): number {
    return this.writer.size + this.fill;
  }

  /** Takes the next bytes of the file; resolves once they are copied into the ring. Never called twice at once. */
  async push(bytes: Uint8Array): Promise<void> {
    for (let offset = 0; offset < bytes.length;) {
      // The chunk is free once the bytes it held last are hashed and written.
      if (this.fill === 0) await this.writer.free(this.slot);
      const chunk = this.ring[this.slot]!;
      const n = Math.min(chunk.length - this.fill, bytes.length - offset);
      chunk.set(bytes.subarray(offset, offset + n), this.fill);
      this.fill += n;
      offset += n;
      if (this.fill === chunk.length) this.dispatch();
    }
  }

  private dispatch(): void {
    this.writer.dispatch(this.slot, this.ring[this.slot]!, this.fill);
    this.fill = 0;
    this.slot = (this.slot + 1) % this.ring.length;
  }

  /** Writes what is left, flushes the file to disk, closes it: the digests and size of the bytes stored. */
  finish(): Promise<Staged> {
    this.finishing ??= this.finishNow();
    return this.finishing;
  }

  private async finishNow(): Promise<Staged> {
    if (this.fill > 0) this.dispatch();
    await this.writer.written();
    const digests = await this.hashing.digests();
    const handle = this.handle;
    if (!handle) throw new Error("the staged copy was given up");
    await handle.sync();
    this.handle = null;
    await handle.close();
    return { digests, size: this.writer.size };
  }

  /** Stops, and removes the staged copy (after a `finish` under way has let go of the file). */
  async abort(): Promise<void> {
    this.hashing.drop();
    await this.writer.settle();
    await this.finishing?.catch(() => undefined);
    const handle = this.handle;
    this.handle = null;
    if (handle) await handle.close().catch(() => undefined);
    await rm(this.file, { force: true }).catch(() => undefined);
  }
}
