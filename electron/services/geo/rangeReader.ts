/**
 * Bounded byte-range reads of one opened vault object, for the readers of reference imagery
 * (geotiff, pmtiles). A scene may be gigabytes: only the ranges a reader asks for are read, and
 * every inspection has a budget of bytes and of time, so a file crafted to make a reader fetch
 * its whole length, or to loop, is refused in a bounded time and memory.
 */
import type { FileHandle } from "node:fs/promises";
import { SightlineError } from "../sightlineError.js";

export interface RangeBudget {
  /** The most bytes all reads of one inspection may return together. */
  maxBytes: number;
  /** The most bytes one read may ask for. */
  maxReadBytes: number;
  /** Aborted when the inspection's time is up. */
  signal: AbortSignal;
}

export const DEFAULT_BUDGET_BYTES = 48 * 1024 * 1024;

export class RangeReader {
  private bytesRead = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    private readonly budget: RangeBudget,
  ) {}

  /**
   * Bytes [offset, offset + length) of the file; fewer when the range runs past its end (a reader
   * probing a header asks for more than a small file holds).
   */
  async read(offset: number, length: number): Promise<Uint8Array> {
    this.budget.signal.throwIfAborted();
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new SightlineError("invalid-input", "the file points outside itself (a damaged or crafted header)");
    }
    if (length > this.budget.maxReadBytes) {
      throw new SightlineError(
        "invalid-input",
        `the file asks for a single read of ${length} bytes (the limit is ${this.budget.maxReadBytes}); refused`,
      );
    }
    const available = Math.max(0, Math.min(length, this.size - offset));
    this.bytesRead += available;
    if (this.bytesRead > this.budget.maxBytes) {
      throw new SightlineError(
        "invalid-input",
        `reading the file's header and index needed more than ${this.budget.maxBytes / 1024 / 1024} MB; refused`,
      );
    }
    const bytes = new Uint8Array(available);
    if (available > 0) await this.handle.read(bytes, 0, available, offset);
    return bytes;
  }

  /** The same bytes as a fresh ArrayBuffer of exactly `length` bytes, zero past the file's end. */
  async readPadded(offset: number, length: number): Promise<ArrayBuffer> {
    const got = await this.read(offset, length);
    const out = new Uint8Array(length);
    out.set(got);
    return out.buffer;
  }
}

/** Runs `work` with a signal that aborts after `ms`, and turns the abort into a one-line refusal. */
export async function withTimeLimit<T>(
  ms: number,
  what: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new SightlineError("invalid-input", `${what} took longer than ${ms / 1000} s; refused`));
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
