/** What the board says of a finished import, from its bounded outcome list and its counts. */
import { type ImportOutcomeInfo, type JobInfo } from "../../../../shared/api/contract.js";

export type MissedOutcome = Extract<ImportOutcomeInfo, { reason: string }>;

export interface ImportCounts {
  imported: number;
  duplicate: number;
  /** Files that did not come in (refused, failed or cancelled), every one counted. */
  missedCount: number;
  /** The ones the job lists, with their reasons. */
  missed: MissedOutcome[];
}

/**
 * An import's job lists a bounded number of outcomes; its counts, once it has finished, cover every
 * file. A job without counts (another kind, or one still running) is counted from its list.
 */
export function importCounts(job: Pick<JobInfo, "outcomes" | "outcomeCounts">): ImportCounts {
  const counts = job.outcomeCounts;
  const count = (...statuses: ImportOutcomeInfo["status"][]) =>
    counts
      ? statuses.reduce((n, s) => n + counts[s], 0)
      : job.outcomes.filter((o) => statuses.includes(o.status)).length;
  const missed = job.outcomes.filter((o): o is MissedOutcome => "reason" in o);
  return {
    imported: count("imported"),
    duplicate: count("duplicate"),
    missedCount: Math.max(missed.length, count("refused", "failed", "cancelled")),
    missed,
  };
}
