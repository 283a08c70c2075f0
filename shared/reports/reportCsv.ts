/**
 * The report as a table, one row per item, for spreadsheets. Pure: csv-stringify turns the rows
 * into text on the Node side. A cell a spreadsheet would take as a formula (starting with = + - @,
 * a tab or a carriage return) is prefixed with ' so it stays text (OWASP's CSV injection advice).
 */
import { csvSafe } from "../text/csvSafe.js";
import type { CustodyReport } from "./reportModel.js";
import { placeWords } from "./reportPlaces.js";

export const CSV_COLUMNS = [
  "sha256",
  "md5",
  "sha1",
  "size_bytes",
  "names",
  "mime",
  "kind",
  "status",
  "tags",
  "first_acquired_utc",
  "source_urls",
  "not_recorded",
  "capture_time_in_file",
  "gps_in_file",
  "gps_source",
  "warnings",
  "geolocation",
  "geolocation_confidence",
  "geolocation_reviews",
  "chronolocation_window_utc",
  "notes",
  "events",
  "ledger_head_seq",
  "ledger_head_hash",
  "verification",
] as const;

/** A cell that starts like a formula, made text (csvSafe). */
export function csvCell(value: string | number | null): string {
  return csvSafe(value === null ? "" : String(value));
}

export function reportCsvRows(report: CustodyReport): string[][] {
  const head = report.ledger.head;
  const verdict = report.verification.isClean ? "clean" : `failed (${report.verification.problems.length} problems)`;
  const rows = report.items.map((it) => {
    const geo = it.geolocations.find((g) => g.isCurrent);
    const chrono = it.chronolocations.find((c) => c.isCurrent);
    return [
      it.sha256,
      it.md5,
      it.sha1,
      it.size,
      it.names.join(" | "),
      it.mime,
      it.kind,
      it.status,
      it.tags.join(" "),
      it.acquisitions[0]?.at ?? null,
      [...new Set(it.acquisitions.map((a) => a.sourceUrl).filter((u) => u !== null))].join(" | "),
      [...new Set(it.acquisitions.flatMap((a) => a.notRecorded))].join("; "),
      it.metadata?.capturedAt ?? null,
      // The position the file itself carries (as the sensitive choice allows), and the tags it was read from.
      it.metadata?.gps ? placeWords(it.metadata.gps) : null,
      it.metadata?.gps ? it.metadata.gpsSource : null,
      it.warnings.map((w) => w.code).join(" "),
      geo ? (geo.outcome === "located" && geo.place ? placeWords(geo.place) : "cannot be geolocated") : null,
      geo?.confidence ?? null,
      geo ? geo.reviews.map((r) => r.verdict).join(" ") : null,
      chrono?.window ? `${chrono.window.from} / ${chrono.window.to}` : null,
      it.notes.length,
      it.timeline.length,
      head?.seq ?? null,
      head?.hash ?? null,
      verdict,
    ].map(csvCell);
  });
  return [[...CSV_COLUMNS], ...rows];
}
