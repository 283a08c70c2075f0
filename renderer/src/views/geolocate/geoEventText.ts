/**
 * The where-and-when ledger events in plain words, for the custody timeline and the ledger view.
 * Reads only fields every version writes; text from payloads comes back as written, for the
 * caller to show inert.
 */
import { formatDecimal } from "../../../../shared/geo/coordinates.js";
import type {
  ChronolocationRecorded,
  GeolocationProposed,
  GeolocationReviewed,
  GeolocationsExported,
  ReferenceMarked,
} from "../../../../shared/ledger/geoEvents.js";
import { CONFIDENCE_LABELS, precisionLabel } from "./geoLabels.js";
import { formatTime } from "../../../../shared/text/times.js";

// Event titles live with the other plain words, one source for screens and reports.
export { EVENT_TITLES, eventTitle } from "../../../../shared/text/plainWords.js";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * One line on what a where-and-when event recorded, or null for other events. `name` gives an
 * item's name from its SHA-256.
 */
export function describeGeoEvent(type: string, payload: unknown, name: (sha: string) => string): string | null {
  switch (type) {
    case "reference.marked": {
      const p = payload as ReferenceMarked;
      return p.kind === "scene"
        ? `${name(p.sha256)}: a ${p.provider} scene${p.sceneId ? ` (${p.sceneId})` : ""} acquired ${p.acquiredOn}`
        : `${name(p.sha256)}: an offline basemap from ${p.provider}`;
    }
    case "geolocation.proposed": {
      const p = payload as GeolocationProposed;
      const revises = p.replaces ? `, revising #${p.replaces.seq}` : "";
      if (p.outcome !== "located" || !p.place) {
        return `${name(p.sha256)} cannot be geolocated: ${p.cannotReason ?? ""}${revises}`;
      }
      const where = p.place.shape === "point" ? formatDecimal(p.place) : `an area of ${p.place.ring.length} corners`;
      const precision = p.precision ? precisionLabel(p.precision) : "";
      return [
        `${name(p.sha256)} at ${where}`,
        precision,
        p.confidence ? CONFIDENCE_LABELS[p.confidence].toLowerCase() : "",
        plural(p.clues.length, "clue"),
        p.sensitive ? "sensitive location" : "",
      ]
        .filter(Boolean)
        .join(", ")
        .concat(p.snapshot ? ", with a map snapshot" : "", revises);
    }
    case "geolocation.reviewed": {
      const p = payload as GeolocationReviewed;
      return `${p.verdict === "agree" ? "Agrees with" : "Disagrees with"} geolocation #${p.geolocation.seq} of ${name(p.sha256)}: ${p.reason}`;
    }
    case "chronolocation.recorded": {
      const p = payload as ChronolocationRecorded;
      const window = p.window
        ? `between ${formatTime(p.window.from, { isShort: true })} and ${formatTime(p.window.to, { isShort: true })}`
        : "no window narrowed";
      return `${name(p.sha256)} on ${p.date}: ${window}, ${plural(p.shadows.length, "shadow measurement")}${p.replaces ? `, revising #${p.replaces.seq}` : ""}`;
    }
    case "geolocations.exported": {
      const p = payload as GeolocationsExported;
      return `${plural(p.geolocations.length, "geolocation")} as ${p.format.toUpperCase()} to ${p.path}, sensitive places ${p.sensitive}`;
    }
    default:
      return null;
  }
}
