/** The header's sentence about the last verification, from the case summary alone. */
import type { CaseSummary } from "../../../../shared/api/contract.js";
import { plural } from "../../../../shared/text/plainWords.js";
import { formatTime } from "../../../../shared/text/times.js";

/** The badge's sentence, e.g. "1 problem found at 2026-02-16 09:12:44 UTC; 4 events recorded since". */
export function verificationSentence(summary: CaseSummary): string {
  const v = summary.lastVerification;
  if (!v) return "Not verified yet";
  const when = formatTime(v.ts);
  const found = v.isClean ? `Verified at ${when}` : `${plural(v.problemCount, "problem")} found at ${when}`;
  const since = sinceCount(summary);
  return since > 0 ? `${found}; ${plural(since, "event")} recorded since` : found;
}

/** Events after the last one the run checked, other than the record of the run itself. */
export function sinceCount(summary: CaseSummary): number {
  const v = summary.lastVerification;
  return v && summary.head ? Math.max(0, summary.head.seq - v.verifiedSeq - 1) : 0;
}
