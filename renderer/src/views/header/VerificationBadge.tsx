/**
 * The header's word on integrity: when the case was last verified from the workbench, what that
 * found, and how many events have been recorded since, in one sentence (details in the tooltip).
 */
import { Badge, Tooltip } from "@mantine/core";
import type { CaseSummary } from "../../../../shared/api/contract.js";
import { inertText } from "../../../../shared/text/inertText.js";
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
function sinceCount(summary: CaseSummary): number {
  const v = summary.lastVerification;
  return v && summary.head ? Math.max(0, summary.head.seq - v.verifiedSeq - 1) : 0;
}

export function VerificationBadge({ summary }: { summary: CaseSummary }) {
  const v = summary.lastVerification;
  const sentence = verificationSentence(summary);
  const badge = (
    <Badge
      variant={v ? "light" : "outline"}
      color={!v ? "gray" : v.isClean ? "teal" : "red"}
      tt="none"
      maw={460}
      role="status"
      aria-label="Last verification"
    >
      {sentence}
    </Badge>
  );
  if (!v) return badge;
  const since = sinceCount(summary);
  return (
    <Tooltip
      multiline
      w={320}
      label={`Verify case re-hashed every original and checked events 1 to ${v.verifiedSeq}, signed by ${inertText(v.examiner)}.${since > 0 ? ` The ${plural(since, "event")} recorded since have not been checked yet: verify again to cover them.` : ""}`}
    >
      {badge}
    </Tooltip>
  );
}
