/**
 * What an import tells its caller about each file, kept to a bounded size: every status is
 * counted, but only the first `KEPT_OUTCOMES` files that came in and the first `KEPT_OUTCOMES`
 * that did not (or whose vault copy is damaged) are listed. An import of a hundred thousand files
 * then holds a few thousand outcomes, not a hundred thousand; the ledger has every acquisition.
 */
import type { ImportOutcome } from "./importPipeline.js";

/** Outcomes listed of each kind: files that came in, and files that did not or need a look. */
export const KEPT_OUTCOMES = 1000;

export type OutcomeCounts = Record<ImportOutcome["status"], number>;

export function noOutcomes(): OutcomeCounts {
  return { imported: 0, duplicate: 0, refused: 0, failed: 0, cancelled: 0 };
}

/** Files not imported, whatever the reason. */
export function missedCount(counts: OutcomeCounts): number {
  return counts.refused + counts.failed + counts.cancelled;
}

export class OutcomeTally {
  readonly counts = noOutcomes();
  /** Outcomes counted but not listed. */
  leftOff = 0;
  private readonly stored: { outcome: ImportOutcome; key: number }[] = [];
  private readonly notable: { outcome: ImportOutcome; key: number }[] = [];

  constructor(private readonly kept = KEPT_OUTCOMES) {}

  /** `order` is where the walk found the file: refusals are listed first, then files in that order. */
  add(outcome: ImportOutcome, order: number): void {
    this.counts[outcome.status]++;
    const isNotable = "reason" in outcome || !!outcome.damaged;
    const list = isNotable ? this.notable : this.stored;
    if (list.length >= this.kept) {
      this.leftOff++;
      return;
    }
    list.push({ outcome, key: outcome.status === "refused" ? order - Number.MAX_SAFE_INTEGER : order });
  }

  /** The listed outcomes: refusals first, then in the order the files were found. */
  list(): ImportOutcome[] {
    return [...this.notable, ...this.stored].sort((a, b) => a.key - b.key).map((k) => k.outcome);
  }
}
