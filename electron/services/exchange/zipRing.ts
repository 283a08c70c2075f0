/**
 * A single-producer, single-consumer ring of bytes in shared memory, from the thread writing a
 * bundle to the thread hashing it (zipDigest.ts, zipHashThread.ts). Node offers no such channel
 * (a MessagePort message per chunk costs about as much as hashing it), hence this small one.
 *
 * Layout: `control` holds two byte counters (Int32, wrapping at 2^32): [0] written, [1] read.
 * `data` holds pieces, each at a 16-byte boundary: a 16-byte header (Int32 tag, Int32 length,
 * Float64 the tagged file's whole size) and `length` bytes, padded to 16. A piece never wraps
 * around the ring's end; a header always fits before it, since every piece is a multiple of 16.
 * Tags: TAG_ZIP bytes of the zip only, TAG_END the end of the zip, 0.. bytes of that file (and of
 * the zip).
 */

export const TAG_ZIP = -1;
export const TAG_END = -2;
export const HEADER = 16;
export const RING_BYTES = 32 << 20;

export interface SharedRing {
  control: SharedArrayBuffer;
  data: SharedArrayBuffer;
}

export type ThreadMessage = { file: number; sha256: string } | { sha256: string } | { error: string };

const pad = (n: number) => (n + 15) & ~15;

// Atomics.waitAsync is in Node since 16; TypeScript's lib declares it only from ES2024.
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
      timeout: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

export class RingWriter {
  readonly shared: SharedRing = {
    control: new SharedArrayBuffer(8),
    data: new SharedArrayBuffer(RING_BYTES),
  };
  private readonly counters = new Int32Array(this.shared.control);
  private readonly bytes = new Uint8Array(this.shared.data);
  private readonly ints = new Int32Array(this.shared.data);
  private readonly floats = new Float64Array(this.shared.data);
  private written = 0;
  private failure: Error | null = null;

  /** Once failed, every `put` (and any waiting) rejects with this reason. */
  fail(error: Error): void {
    this.failure ??= error;
    Atomics.notify(this.counters, 1);
  }

  /** Copies `chunk` into the ring under `tag`, waiting while the ring is too full. */
  async put(tag: number, fileSize: number, chunk: Uint8Array): Promise<void> {
    let offset = 0;
    do {
      const free = await this.room(Math.min(HEADER + pad(chunk.length - offset), RING_BYTES / 4));
      const at = this.written % RING_BYTES;
      const piece = Math.min(chunk.length - offset, RING_BYTES - at - HEADER, free - HEADER);
      this.ints[at / 4] = tag;
      this.ints[at / 4 + 1] = piece;
      this.floats[at / 8 + 1] = fileSize;
      this.bytes.set(chunk.subarray(offset, offset + piece), at + HEADER);
      offset += piece;
      this.written = (this.written + HEADER + pad(piece)) >>> 0;
      Atomics.store(this.counters, 0, this.written | 0);
      Atomics.notify(this.counters, 0);
    } while (offset < chunk.length);
  }

  /** Waits until at least `wanted` bytes are free; resolves with the bytes free. */
  private async room(wanted: number): Promise<number> {
    for (;;) {
      if (this.failure) throw this.failure;
      const read = Atomics.load(this.counters, 1);
      const free = RING_BYTES - ((this.written - read) >>> 0);
      if (free >= wanted) return free;
      const waiting = waitAsync(this.counters, 1, read, 250);
      if (!waiting.async) continue;
      // A pending waitAsync does not keep Node's event loop alive; this timer does.
      const alive = setTimeout(() => undefined, 1000);
      await waiting.value;
      clearTimeout(alive);
    }
  }
}

/**
 * Reads pieces in order on the hashing thread, blocking while the ring is empty (in short waits,
 * so a terminated thread stops promptly). `onPiece` returns false to stop.
 */
export function readRing(
  shared: SharedRing,
  onPiece: (tag: number, fileSize: number, bytes: Uint8Array) => boolean,
): void {
  const counters = new Int32Array(shared.control);
  const bytes = new Uint8Array(shared.data);
  const ints = new Int32Array(shared.data);
  const floats = new Float64Array(shared.data);
  let read = 0;
  for (;;) {
    const written = Atomics.load(counters, 0) >>> 0;
    if (written === read) {
      Atomics.wait(counters, 0, written | 0, 250);
      continue;
    }
    while (read !== written) {
      const at = read % RING_BYTES;
      const length = ints[at / 4 + 1]!;
      const more = onPiece(ints[at / 4]!, floats[at / 8 + 1]!, bytes.subarray(at + HEADER, at + HEADER + length));
      read = (read + HEADER + pad(length)) >>> 0;
      Atomics.store(counters, 1, read | 0);
      Atomics.notify(counters, 1);
      if (!more) return;
    }
  }
}
