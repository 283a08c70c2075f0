/**
 * The header's word on integrity: when the case was last verified from the workbench, what that
 * found, and how many events have been recorded since, in one sentence (details in the tooltip).
 */
import { Badge, Tooltip } from "@mantine/core";
import type { CaseSummary } from "../../../../shared/api/contract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { plural } from "../../../../shared/text/plainWords.js";
import { sinceCount, verificationSentence } from "./verificationWords.js";

export function VerificationBadge({ summary }: { summary: CaseSummary }) {
  const v = summary.lastVerification;
  const sentence = verificationSentence(summary);
  const badge = (
    <Badge
      variant={v ? "light" : "outline"}
      color={!v ? "gray" : v.isClean ? "teal" : "red"}
      tt="none"
      // Whole in a usual window; a long sentence is cut short only in a narrow one (the case's
      // title gives way first), and the tooltip says it all.
      maw={{ base: 260, lg: 460 }}
      style={{ flexShrink: 0 }}
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
