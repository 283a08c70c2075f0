/**
 * What an import tells its caller about each file, kept to a bounded size: every status is
 * counted, but only the first `KEPT_OUTCOMES` files found that came in, the first that did not,
 * and the first whose vault copy is damaged are listed ("first" in the walk's order, refusals
 * before files, whatever order the stagers finish in). An import of a hundred thousand files then
 * holds a few thousand outcomes, not a hundred thousand; the ledger has every acquisition.
 */
import type { ImportOutcome } from "./importPipeline.js";
import type { NotImportedLog } from "./notImportedLog.js";

/** Outcomes listed of each kind: files that came in, files that did not, files with a damaged vault copy. */
export const KEPT_OUTCOMES = 1000;

export type OutcomeCounts = Record<ImportOutcome["status"], number>;

export function noOutcomes(): OutcomeCounts {
  return { imported: 0, duplicate: 0, refused: 0, failed: 0, cancelled: 0 };
}

/** Files not imported, whatever the reason. */
export function missedCount(counts: OutcomeCounts): number {
  return counts.refused + counts.failed + counts.cancelled;
}

type Keyed = { outcome: ImportOutcome; key: number };

/**
 * The `kept` entries of lowest key among all added, in at most twice that memory: entries are
 * gathered until there are twice as many, then sorted and cut back (each add costs O(log kept)
 * on average, whatever the order they arrive in).
 */
class LowestKept {
  private entries: Keyed[] = [];

  constructor(private readonly kept: number) {}

  add(entry: Keyed): void {
    this.entries.push(entry);
    if (this.entries.length >= 2 * this.kept) this.trim();
  }

  get length(): number {
    return Math.min(this.entries.length, this.kept);
  }

  list(): Keyed[] {
    this.trim();
    return this.entries;
  }

  private trim(): void {
    this.entries.sort((a, b) => a.key - b.key);
    this.entries.length = Math.min(this.entries.length, this.kept);
  }
}

export class OutcomeTally {
  readonly counts = noOutcomes();
  /** Files whose vault copy is damaged, every one counted (listed or not). */
  damaged = 0;
  private added = 0;
  private readonly stored: LowestKept;
  private readonly notable: LowestKept;
  private readonly damagedKept: LowestKept;

  /** `log`, where given, receives every file not imported, listed here or not. */
  constructor(
    kept = KEPT_OUTCOMES,
    private readonly log?: NotImportedLog,
  ) {
    this.stored = new LowestKept(kept);
    this.notable = new LowestKept(kept);
    this.damagedKept = new LowestKept(kept);
  }

  /** `order` is where the walk found the file: refusals are listed first, then files in that order. */
  add(outcome: ImportOutcome, order: number): void {
    this.counts[outcome.status]++;
    this.added++;
    const isDamaged = "damaged" in outcome && !!outcome.damaged;
    if (isDamaged) this.damaged++;
    if ("reason" in outcome) this.log?.add(outcome);
    const list = isDamaged ? this.damagedKept : "reason" in outcome ? this.notable : this.stored;
    list.add({ outcome, key: outcome.status === "refused" ? order - Number.MAX_SAFE_INTEGER : order });
  }

  /** Outcomes counted but not listed. */
  get leftOff(): number {
    return this.added - this.stored.length - this.notable.length - this.damagedKept.length;
  }

  /** Damaged copies counted but not listed. */
  get damagedLeftOff(): number {
    return this.damaged - this.damagedKept.length;
  }

  /** The listed outcomes: refusals first, then in the order the files were found. */
  list(): ImportOutcome[] {
    return [...this.notable.list(), ...this.stored.list(), ...this.damagedKept.list()]
      .sort((a, b) => a.key - b.key)
      .map((k) => k.outcome);
  }
}

/** The damaged vault copies past those listed (each listed one has its own warning: restoreOriginal.ts). */
export function unlistedDamage(count: number): string[] {
  if (count === 0) return [];
  const files = count === 1 ? "1 more file holds" : `${count} more files hold`;
  return [
    `${files} bytes whose vault copy in the case is damaged (not listed here; each is in the ledger): verify the case to list them, then restore each from its file`,
  ];
}
