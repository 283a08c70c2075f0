/** One line saying what a ledger event did, in words, from fields every version of the format writes. */
import type { TimelineEntry } from "../../../../shared/api/contract.js";
import { formatTime } from "../../../../shared/text/times.js";
import { describeGeoEvent } from "../geolocate/geoEventText.js";

/** What an event did; the code stays in the event column's title and the filter. */
export function describe(entry: TimelineEntry, names: Map<string, string>): string {
  const p = entry.event.payload as Record<string, any>;
  const name = (sha: unknown) => (typeof sha === "string" ? (names.get(sha) ?? `${sha.slice(0, 12)}…`) : "?");
  switch (entry.event.type) {
    case "case.created":
      return `case "${p.title}" created`;
    case "examiner.added":
      return `examiner ${p.examiner?.name} added`;
    case "item.imported":
      return `${p.isNewObject ? "imported" : "acquired again"} ${p.source?.originalName} (${p.size} bytes)`;
    case "metadata.extracted":
      return `metadata of ${name(p.sha256)}: ${p.kind}${p.warnings?.length ? `, ${p.warnings.length} warning(s)` : ""}`;
    case "derivative.created":
      return p.role === "map-snapshot"
        ? `map snapshot of ${name(p.parent)}, ${p.width}×${p.height} pixels`
        : `${p.role} of ${name(p.parent)}`;
    case "note.added":
      return `note on ${name(p.sha256)}`;
    case "tags.changed":
      return `tags of ${name(p.sha256)}: +${(p.added ?? []).join(" +")} -${(p.removed ?? []).join(" -")}`;
    case "status.changed":
      return `${name(p.sha256)}: ${p.from} → ${p.to}, "${p.reason}"`;
    case "warning.acknowledged":
      return `${name(p.sha256)}: warning ${p.code} acknowledged, "${p.remark}"`;
    case "verification.run":
      return `case verified up to event ${p.head?.seq ?? "?"}: ${p.isClean ? "clean" : `${p.problemCount} problem(s)`}, ${p.objectsChecked} originals and ${p.derivativesChecked} derivatives re-hashed`;
    case "timestamp.recorded":
      return `head ${p.head?.seq} timestamped at ${formatTime(String(p.genTime))} by ${p.tsaName} (RFC 3161 token ${p.token?.path})`;
    case "timestamp.requested":
      return `timestamp of head ${p.head?.seq} asked of ${p.tsaUrl}, queued: ${p.reason}`;
    default:
      return describeGeoEvent(entry.event.type, p, name) ?? "";
  }
}
