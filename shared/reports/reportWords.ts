/**
 * Ledger events in plain words for a report's custody timeline: a title for every event type and
 * one line on what the event recorded. Reads only fields every version writes; text from payloads
 * comes back as written, for the renderer to escape.
 */
import { eventTitle, STATUS_LABELS, statusWords } from "../text/plainWords.js";
import type { ReportChoices } from "./reportModel.js";

/** Item statuses for the middle of a sentence ("from unverified to in review"). */
export const STATUS_WORDS: Record<string, string> = Object.fromEntries(
  Object.keys(STATUS_LABELS).map((status) => [status, statusWords(status)]),
);

export const CONFIDENCE_WORDS: Record<string, string> = {
  verified: "verified",
  "strong-possibility": "strong possibility",
  possible: "possible",
  unverified: "unverified",
  false: "false (the claimed place is wrong)",
};

export const CLAIM_SOURCE_WORDS: Record<string, string> = {
  metadata: "the file's metadata",
  uploader: "the uploader",
  caption: "a caption",
  "post-time": "the time it was posted",
  other: "another source",
};

const short = (sha: string) => `${sha.slice(0, 12)}…`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The line a report's timeline gives an event. */
export function describeEvent(type: string, payload: Record<string, unknown>): { title: string; detail: string } {
  const p = payload as Record<string, any>;
  const title = eventTitle(type, p);
  return { title, detail: detail(type, p) };
}

function detail(type: string, p: Record<string, any>): string {
  switch (type) {
    case "item.imported":
      return `${p.isNewObject ? "first acquisition" : "acquired again (same bytes)"} of ${String(p.source?.originalName)} from ${String(p.source?.path)}, ${p.size} bytes`;
    case "metadata.extracted":
      return `read as ${String(p.mime)} by ${(p.tools as { name: string; version: string }[]).map((t) => `${t.name} ${t.version}`).join(", ")}; ${plural((p.warnings as unknown[]).length, "warning")}`;
    case "derivative.created":
      return `${String(p.role)} ${String(p.path)} (${String(p.sha256)}) made by ${String(p.tool?.name)} ${String(p.tool?.version)}`;
    case "note.added":
      return String(p.text).length > 200 ? `${String(p.text).slice(0, 200)}…` : String(p.text);
    case "tags.changed": {
      const parts = [];
      if (p.added.length) parts.push(`added ${p.added.join(", ")}`);
      if (p.removed.length) parts.push(`removed ${p.removed.join(", ")}`);
      return parts.join("; ");
    }
    case "status.changed":
      return `from ${statusWords(p.from)} to ${statusWords(p.to)}: ${String(p.reason)}`;
    case "warning.acknowledged":
      return `${String(p.code)}: ${String(p.remark)}`;
    case "verification.run":
      return p.isClean
        ? `clean: ${p.objectsChecked} objects and ${p.derivativesChecked} derivatives re-hashed`
        : `${plural(p.problemCount, "problem")} found`;
    case "reference.marked":
      return p.kind === "scene"
        ? `a ${String(p.provider)} scene acquired ${String(p.acquiredOn)}`
        : `an offline basemap from ${String(p.provider)}`;
    case "geolocation.proposed":
      return p.outcome === "located"
        ? `located, ${CONFIDENCE_WORDS[p.confidence] ?? p.confidence}, ${plural(p.clues.length, "clue")}${p.sensitive ? "; the place is marked sensitive" : ""}${p.replaces ? `; revises #${p.replaces.seq}` : ""}`
        : `cannot be geolocated: ${String(p.cannotReason)}`;
    case "geolocation.reviewed":
      return `${p.verdict === "agree" ? "agrees with" : "disagrees with"} geolocation #${p.geolocation.seq}: ${String(p.reason)}`;
    case "chronolocation.recorded":
      return p.window
        ? `between ${p.window.from} and ${p.window.to} on ${p.date}`
        : `on ${p.date}, the window not narrowed`;
    case "geolocations.exported":
      return `${plural(p.geolocations.length, "geolocation")} to ${String(p.path)} as ${String(p.format).toUpperCase()} (${String(p.sha256)})`;
    case "report.generated":
      return reportGeneratedWords(p);
    default:
      return "";
  }
}

/** The timeline line of a `report.generated` event. */
export function reportGeneratedWords(p: Record<string, any>): string {
  const scope = p.scope?.kind === "items" ? plural(p.scope.items.length, "item") : "the whole case";
  const choices = p.choices as ReportChoices | undefined;
  return `${String(p.format).toUpperCase()} report of ${scope} up to event #${p.head?.seq} (file SHA-256 ${String(p.sha256)}; sensitive places ${choices?.sensitive}, graphic pictures ${choices?.graphic})`;
}

export { short as shortHash };

/** After an acquisition's path: how the file reached the case (a typed or command-line path says nothing more). */
export const CHANNEL_WORDS: Record<"file" | "upload" | "window", string> = {
  file: "",
  upload: " (sent by the workbench page)",
  window: " (dropped in the workbench window, read from disk)",
};
