/**
 * One uploaded file put together from the pieces the page sends (uploadSession.ts). A browser
 * sends one request's body slowly (Chromium reads and sends a file over loopback at a fraction of
 * the disk's speed), so the page sends a large file as several ranges at once, each its own
 * `PUT /upload?…&offset=&length=`. The ranges may arrive in any order and interleaved; the file
 * is hashed and written strictly in order (streamStager.ts): bytes ahead of the next expected
 * offset wait in memory, and a range that gets too far ahead is read no further until the gap
 * before it is filled (its connection's own flow control then holds the page back), so memory
 * stays bounded whatever the page sends.
 *
 * Ranges must lie inside the announced size and must not overlap one another; a range whose body
 * is shorter or longer than it said, a connection that breaks, a staging thread that dies: any
 * failure fails the whole file, removes what was staged, and every range still arriving is refused
 * with the same reason.
 */
import type { Readable } from "node:stream";
import type { HashAlgorithm } from "../../../shared/ledger/events.js";
import { SightlineError } from "../sightlineError.js";
import { StreamStager } from "../vault/streamStager.js";

/** Bytes received ahead of the next expected offset, at most, before ranges further ahead are held back. */
export const MAX_AHEAD_BYTES = 64 * 1024 * 1024;
const MIN_RANGE_BYTES = 1024 * 1024;
/** Bytes of the next range waiting for the stager, at most, before its connection is read further. */
const CURRENT_QUEUE_BYTES = 4 * 1024 * 1024;

interface Range {
  start: number;
  length: number;
  /** Received, not yet passed to the stager. */
  queue: Buffer[];
  queuedBytes: number;
}

export class UploadAssembly {
  private readonly ranges = new Map<number, Range>();
  /** Ranges announced that end past the frontier (those before it are done, and no range may start there). */
  private declared: { start: number; end: number }[] = [];
  /** Ranges waiting for their next bytes: told when the file fails, so a connection gone quiet cannot keep it open. */
  private readonly reading = new Set<(error: Error) => void>();
  private readonly listeners = new Set<() => void>();
  /** Bytes passed to the stager, in order: everything before this offset is hashed or being hashed. */
  private frontier = 0;
  /** Bytes received and not yet passed to the stager. */
  private queued = 0;
  private current: Range | null = null;
  private pumping = false;
  private finishing: Promise<Partial<Record<HashAlgorithm, string>> & { sha256: string }> | null = null;
  failure: Error | null = null;
  /** Bytes received in all ranges. */
  received = 0;

  constructor(
    readonly size: number,
    private readonly stager: StreamStager,
  ) {}

  /**
   * Receives one range's body. `range` absent: the whole file in one body. Resolves once the
   * range's bytes have arrived; for the range that completes the file, once the whole file is
   * hashed, written and flushed to disk (then `digests` is set).
   */
  async receive(
    body: Readable,
    range: { start: number; length: number } | null,
    onBytes: (n: number) => void,
  ): Promise<{ bytes: number; digests?: Partial<Record<HashAlgorithm, string>> & { sha256: string } }> {
    if (this.failure) throw this.failure;
    const whole = range === null;
    const { start, length } = range ?? { start: 0, length: this.size };
    if (!whole && (!Number.isSafeInteger(start) || !Number.isSafeInteger(length) || start < 0 || length < 1)) {
      throw new SightlineError("invalid-input", "a range needs offset >= 0 and length >= 1");
    }
    if (start + length > this.size) {
      throw new SightlineError(
        "invalid-input",
        `the range ${start}+${length} goes past the ${this.size} bytes announced`,
      );
    }
    const end = start + length;
    // Tiny ranges would make the list of ranges (searched for overlaps) as long as the file.
    if (!whole && length < MIN_RANGE_BYTES && end !== this.size) {
      throw new SightlineError("invalid-input", "a range must be at least 1 MiB long, except the file's last");
    }
    this.declared = this.declared.filter((d) => d.end > this.frontier);
    if (start < this.frontier || this.declared.some((d) => start < d.end && d.start < end)) {
      throw new SightlineError("invalid-input", `the range ${start}+${length} overlaps bytes already sent`);
    }
    this.declared.push({ start, end });
    const own: Range = { start, length, queue: [], queuedBytes: 0 };
    this.ranges.set(start, own);
    let got = 0;
    const chunks = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await this.nextChunk(chunks);
        if (next.done) break;
        const chunk = next.value;
        if (this.failure) throw this.failure;
        if (got + chunk.length > length) {
          throw new SightlineError(
            "invalid-input",
            whole
              ? `more bytes arrived than the ${this.size} announced`
              : `more bytes arrived than the range's ${length}`,
          );
        }
        got += chunk.length;
        this.received += chunk.length;
        own.queue.push(chunk);
        own.queuedBytes += chunk.length;
        this.queued += chunk.length;
        onBytes(chunk.length);
        this.pump();
        // The next range is read no faster than it is hashed and written; a range ahead of the
        // bytes still missing is held back while too much waits in memory.
        if (!this.isReadable(own)) await this.until(() => this.isReadable(own));
      }
      if (this.failure) throw this.failure;
      if (got !== length) {
        throw new SightlineError(
          "invalid-input",
          whole
            ? `the upload ended after ${got} of ${this.size} bytes`
            : `the range at ${start} ended after ${got} of its ${length} bytes`,
        );
      }
      // A range is answered once it has arrived, so the page sends the next while this one waits
      // to be hashed (memory stays bounded by holding ranges back, above); the range that brings
      // the file's last bytes is answered once the whole file is hashed, written and flushed.
      if (this.received < this.size) return { bytes: length };
      await this.until(() => this.frontier >= this.size);
      this.finishing ??= this.stager.finish().then((r) => r.digests);
      const digests = await this.finishing;
      // A failure of this file meanwhile (a duplicate range, an abandon) wins over the digests.
      if (this.failure) throw this.failure;
      return { bytes: length, digests };
    } catch (error) {
      await this.fail(error instanceof Error ? error : new Error(String(error)));
      throw this.failure ?? error;
    } finally {
      // As `for await` would: the rest of the body is not read (the host drains it before answering).
      void chunks.return?.().catch(() => undefined);
    }
  }

  /**
   * The body's next bytes, or the file's failure if it comes first. (Not `Promise.race` with one
   * lasting promise: each race would leave a reaction on it holding its chunk until the file ends.)
   */
  private nextChunk(chunks: AsyncIterator<Buffer>): Promise<IteratorResult<Buffer>> {
    return new Promise((resolve, reject) => {
      const stop = (error: Error) => reject(error);
      this.reading.add(stop);
      chunks.next().then(
        (result) => {
          this.reading.delete(stop);
          resolve(result);
        },
        (error: unknown) => {
          this.reading.delete(stop);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /** The range holding the next expected offset, once it has been announced. */
  private currentRange(): Range | undefined {
    this.current ??= this.ranges.get(this.frontier) ?? null;
    return this.current ?? undefined;
  }

  private isReadable(range: Range): boolean {
    return this.currentRange() === range ? range.queuedBytes <= CURRENT_QUEUE_BYTES : this.queued <= MAX_AHEAD_BYTES;
  }

  /** Passes queued bytes to the stager, in order, one call at a time. */
  private pump(): void {
    if (this.pumping || this.failure) return;
    this.pumping = true;
    void (async () => {
      try {
        for (;;) {
          const current = this.failure ? undefined : this.currentRange();
          const chunk = current?.queue.shift();
          if (!current || !chunk) break;
          await this.stager.push(chunk);
          current.queuedBytes -= chunk.length;
          this.queued -= chunk.length;
          this.frontier += chunk.length;
          if (this.frontier === current.start + current.length) {
            this.ranges.delete(current.start);
            this.current = null;
          }
          this.notify();
        }
      } catch (error) {
        await this.fail(error instanceof Error ? error : new Error(String(error)));
      } finally {
        this.pumping = false;
        this.notify();
      }
    })();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves once `condition` holds; rejects if the file fails first. */
  private until(condition: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.failure) {
          this.listeners.delete(check);
          reject(this.failure);
        } else if (condition()) {
          this.listeners.delete(check);
          resolve();
        }
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Fails the whole file (once): later and waiting ranges get the same reason; the staged copy goes. */
  async fail(error: Error): Promise<void> {
    if (this.failure) return;
    this.failure = error;
    this.notify();
    for (const stop of this.reading) stop(error);
    this.reading.clear();
    for (const range of this.ranges.values()) range.queue.length = 0;
    this.queued = 0;
    await this.stager.abort();
  }
}
