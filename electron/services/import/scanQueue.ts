/**
 * The walk of the imported folders, run ahead of the stagers by at most `limit` entries: the
 * stagers take files as they are found, the walk waits while that many are pending, so memory
 * stays the same whatever the folder holds, and the count found so far runs ahead of the count
 * stored (the progress shows it until the walk ends).
 */
import type { ScanEntry } from "./importScan.js";

/** An entry with its place in the order the walk found it (events and outcomes follow that order). */
export type QueuedEntry = ScanEntry & { order: number };

export class ScanQueue {
  /** Files found so far, and their bytes. */
  found = 0;
  bytes = 0;
  /** The walk has ended: `found` and `bytes` are the totals. */
  isDone = false;
  private readonly pending: ScanEntry[] = [];
  private head = 0;
  private taken = 0;
  private wakeTakers: (() => void)[] = [];
  private wakeWalk: (() => void) | null = null;
  private failure: unknown = null;
  private isStopped = false;

  constructor(
    source: AsyncIterable<ScanEntry>,
    private readonly limit: number,
    private readonly onFound: () => void = () => undefined,
  ) {
    void this.walk(source);
  }

  /** The next entry in walk order, or null once the walk has ended and every entry was taken. */
  async take(): Promise<QueuedEntry | null> {
    for (;;) {
      if (this.head < this.pending.length) {
        const entry = this.pending[this.head]!;
        this.pending[this.head++] = undefined as never;
        if (this.head > 1024 && this.head * 2 > this.pending.length) {
          this.pending.splice(0, this.head);
          this.head = 0;
        }
        this.wakeWalk?.();
        return { ...entry, order: this.taken++ };
      }
      if (this.isDone) {
        if (this.failure) throw this.failure;
        return null;
      }
      await new Promise<void>((resolve) => this.wakeTakers.push(resolve));
    }
  }

  /**
   * Resolves once `count` files are found, the walk has ended, or the walk waits for entries to be
   * taken (it stops at `limit` pending entries, refusals included: a tree that starts with thousands
   * of links out or FIFOs would otherwise never be started on).
   */
  async filled(count: number): Promise<void> {
    while (!this.isDone && this.found < count && this.pending.length - this.head < this.limit) {
      await new Promise<void>((resolve) => this.wakeTakers.push(resolve));
    }
  }

  /**
   * Ends the walk at the next entry (a cancel, or the import failing): the folders not walked yet
   * are not read, and the entries already found are still given out by `take`.
   */
  stop(): void {
    this.isStopped = true;
    this.wakeWalk?.();
  }

  /** Files found and not taken yet. */
  waitingFiles(): ScanEntry[] {
    return this.pending.slice(this.head).filter((e) => "file" in e);
  }

  private async walk(source: AsyncIterable<ScanEntry>): Promise<void> {
    try {
      for await (const entry of source) {
        if ("file" in entry) {
          this.found++;
          this.bytes += entry.file.size;
        }
        this.pending.push(entry);
        this.wake();
        this.onFound();
        while (!this.isStopped && this.pending.length - this.head >= this.limit) {
          await new Promise<void>((resolve) => (this.wakeWalk = resolve));
          this.wakeWalk = null;
        }
        // Leaving the loop ends the walk through the generator's return(): no further folder is read.
        if (this.isStopped) break;
      }
    } catch (error) {
      // The walk turns every file-system error into a refusal; anything else ends the import.
      this.failure = error;
    } finally {
      this.isDone = true;
      this.wake();
      this.onFound();
    }
  }

  private wake(): void {
    const takers = this.wakeTakers;
    this.wakeTakers = [];
    for (const resolve of takers) resolve();
  }
}
