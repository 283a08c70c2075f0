/**
 * The one source of the words a person reads for Sightline's codes: warning titles, item statuses
 * and ledger event types. Screens, reports and the terminal show these words first and keep the
 * code beside them (a tooltip, the raw view) for those who want it. A code with no words here is
 * shown as itself, so a newer ledger still reads.
 */
import type { WarningCode } from "../media/metadata.js";

/** Words and the code they stand for. */
export interface Worded {
  /** What a person reads. */
  words: string;
  /** The code a program tests, shown second. */
  code: string;
}

/** A title per warning code: what is wrong, in a few words a person reads. */
export const WARNING_TITLES: Record<WarningCode, string> = {
  "empty-file": "Empty file",
  "unknown-format": "Format not recognised",
  "extension-mismatch": "Name does not match contents",
  "no-metadata": "No metadata in the file",
  "metadata-unreadable": "Metadata could not be read",
  "metadata-truncated": "Metadata too large, cut short",
  "editing-software": "Edited with software",
  "captured-after-modified": "Capture time after last change",
  "gps-zero": "GPS at 0, 0",
  "thumbnail-mismatch": "Embedded thumbnail differs",
  "suspicious-text": "Hidden characters or markup in text",
  "image-undecodable": "Picture damaged or unreadable",
  "video-unreadable": "Video could not be read",
  "no-keyframes": "Too few keyframes for the length",
  "tool-missing": "A tool is missing",
};

/** The title of a warning code; an unknown code (from a newer version) is shown as itself. */
export function warningTitle(code: string): string {
  return (WARNING_TITLES as Record<string, string>)[code] ?? code;
}

/**
 * A file's warnings (or their codes, as `ItemSummary.warningCodes` holds them) for a table cell or
 * a tile: how many, and their titles in order (each code once), with the codes kept for a tooltip
 * or the raw view.
 */
export function warningsInWords(warnings: readonly (string | { code: string })[]): {
  count: number;
  /** "No warnings", "1 warning", "3 warnings". */
  countWords: string;
  titles: Worded[];
  /** The titles in one line, "GPS at 0, 0 · Edited with software", for a hover or a wrap. */
  summary: string;
} {
  const codes = [...new Set(warnings.map((w) => (typeof w === "string" ? w : w.code)))];
  const titles = codes.map((code) => ({ words: warningTitle(code), code }));
  const count = warnings.length;
  return {
    count,
    countWords: count === 0 ? "No warnings" : plural(count, "warning"),
    titles,
    summary: titles.map((t) => t.words).join(" · "),
  };
}

/** Item statuses as a person says them, capitalised for a badge or a label. */
export const STATUS_LABELS: Record<string, string> = {
  unverified: "Unverified",
  "in-review": "In review",
  verified: "Verified",
  disputed: "Disputed",
  rejected: "Rejected",
};

/** "In review" for `in-review`; an unknown status is shown as itself. */
export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

/** "in review" for `in-review`, for the middle of a sentence. */
export function statusWords(status: string): string {
  const label = STATUS_LABELS[status];
  return label ? label.toLowerCase() : status;
}

/** A short title for each ledger event type. */
export const EVENT_TITLES: Record<string, string> = {
  "case.created": "Case created",
  "examiner.added": "Examiner added",
  "item.imported": "Imported",
  "original.restored": "Original restored from a new acquisition",
  "metadata.extracted": "Metadata read",
  "derivative.created": "Derivative made",
  "note.added": "Note added",
  "tags.changed": "Tags changed",
  "status.changed": "Status changed",
  "warning.acknowledged": "Warning acknowledged",
  "verification.run": "Case verified",
  "ledger.recovered": "Unfinished append set aside",
  "reference.marked": "Marked as reference imagery",
  "geolocation.proposed": "Geolocation proposed",
  "geolocation.reviewed": "Geolocation reviewed",
  "chronolocation.recorded": "Chronolocation recorded",
  "geolocations.exported": "Geolocations exported",
  "report.generated": "Custody report generated",
  "timestamp.recorded": "Timestamp granted",
  "timestamp.requested": "Timestamp queued",
  "bundle.exported": "Bundle exported",
  "bundle.opened": "Bundle opened",
  "bag.exported": "BagIt bag exported",
  "uco.exported": "CASE/UCO exported",
  "exercise.started": "Exercise started",
  "hint.opened": "Hint opened",
  "exercise.submitted": "Exercise submitted",
  "exercise.scored": "Exercise scored",
  "scorecard.exported": "Scorecard exported",
  "sample.authored": "Training sample authored",
};

/** What a `derivative.created` made, by its role. */
const DERIVATIVE_TITLES: Record<string, string> = {
  thumbnail: "Thumbnail made",
  keyframe: "Keyframe taken",
  poster: "Poster frame taken",
  proxy: "Playable copy made",
  "map-snapshot": "Map snapshot kept",
};

/**
 * The title of an event: a derivative by what it is (a thumbnail, a map snapshot…), a revision
 * from a first proposal. An unknown type is shown as itself.
 */
export function eventTitle(type: string, payload: Record<string, unknown> = {}): string {
  if (type === "derivative.created" && typeof payload.role === "string" && DERIVATIVE_TITLES[payload.role]) {
    return DERIVATIVE_TITLES[payload.role]!;
  }
  if (type === "geolocation.proposed" && payload.replaces) return "Geolocation revised";
  if (type === "chronolocation.recorded" && payload.replaces) return "Chronolocation revised";
  return EVENT_TITLES[type] ?? type;
}

/** "+fire −smoke": tags added, then removed (with a true minus sign). */
export function tagChangeWords(added: readonly string[], removed: readonly string[]): string {
  return [...added.map((t) => `+${t}`), ...removed.map((t) => `−${t}`)].join(" ");
}

const asStrings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/**
 * The headline of an event for a timeline: its title, and for a change of tags or status what
 * changed ("Tags changed: +fire −smoke", "Status changed: Unverified → In review"). Tags come back
 * as written, for the caller to show inert.
 */
export function eventHeadline(type: string, payload: Record<string, unknown> = {}): string {
  const title = eventTitle(type, payload);
  if (type === "tags.changed") {
    const change = tagChangeWords(asStrings(payload.added), asStrings(payload.removed));
    return change ? `${title}: ${change}` : title;
  }
  if (type === "status.changed" && typeof payload.from === "string" && typeof payload.to === "string") {
    return `${title}: ${statusLabel(payload.from)} → ${statusLabel(payload.to)}`;
  }
  return title;
}

/** An event type in words with its code. */
export function eventWorded(type: string, payload: Record<string, unknown> = {}): Worded {
  return { words: eventHeadline(type, payload), code: type };
}

/** "1 warning", "2 warnings". */
/**
 * Where an item's position was read, in words first and the tags after:
 * `the EXIF GPS tags (EXIF:GPSLatitude/GPSLongitude)`, `the XMP packet, not the EXIF GPS tags
 * (XMP:exif:GPSLatitude/GPSLongitude)`, `the video's location tag (QuickTime:…)`. The source comes
 * from the ledger: show the result inert.
 */
export function gpsSourceWords(source: string | null | undefined): string {
  if (!source) return "tags not named";
  const family = source.slice(0, source.indexOf(":"));
  const words =
    family === "EXIF"
      ? "the EXIF GPS tags"
      : family === "XMP"
        ? "the XMP packet, not the EXIF GPS tags"
        : family === "QuickTime"
          ? "the video's location tag"
          : "a tag";
  return `${words} (${source})`;
}

export function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}
