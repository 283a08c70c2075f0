/**
 * One way to show a time, everywhere: `2026-02-16 09:12:44 UTC` for an instant the ledger records,
 * `2026-02-16 09:12:44 UTC+01:00` when a file gives its offset, and the bare wall-clock time said
 * to have no zone when the file gives none, so it never passes for local time or UTC. The digits
 * are the ones written (no conversion): what the file says is what is shown.
 */

const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** Said in place of a zone when the file records none. */
export const NO_ZONE_WORDS = "no time zone recorded";
/** The same, where a table cell or a tile has room for a few characters only. */
export const NO_ZONE_SHORT = "no zone";

export interface TimeParts {
  /** `2026-02-16 09:12:44` (seconds kept, fractions dropped unless asked for). */
  wallClock: string;
  /** `UTC`, `UTC+01:00`, or null when the time carries no zone. */
  zone: string | null;
}

/** The parts of an ISO 8601 time, or null when `iso` is not one. */
export function timeParts(iso: string, options: { fraction?: boolean } = {}): TimeParts | null {
  const m = ISO.exec(iso.trim());
  if (!m) return null;
  const [, date, hm, s, fraction, offset] = m;
  const wallClock = `${date} ${hm}${s ? `:${s}` : ""}${options.fraction && fraction ? fraction : ""}`;
  return { wallClock, zone: zoneWords(offset ?? null) };
}

function zoneWords(offset: string | null): string | null {
  if (!offset) return null;
  if (offset === "Z") return "UTC";
  const o = offset.includes(":") ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  return o === "+00:00" || o === "-00:00" ? "UTC" : `UTC${o}`;
}

/**
 * A time as Sightline shows it: `2026-02-16 09:12:44 UTC`, `… UTC+01:00`, or
 * `2026-02-16 09:12:44 (no time zone recorded)`; with `isShort`, for a table cell or a tile,
 * `2026-02-16 09:12 (no zone)` (give the long form on hover). Text that is not an ISO time comes back as given,
 * for the caller to show inert.
 */
export function formatTime(iso: string, options: { fraction?: boolean; isShort?: boolean } = {}): string {
  const parts = timeParts(iso, options);
  if (!parts) return iso;
  // The short form keeps the minute: seconds are for the hover.
  const wallClock = options.isShort ? parts.wallClock.slice(0, 16) : parts.wallClock;
  if (parts.zone) return `${wallClock} ${parts.zone}`;
  return `${wallClock} (${options.isShort ? NO_ZONE_SHORT : NO_ZONE_WORDS})`;
}

/** An instant (a `Date` or epoch milliseconds) in UTC, the way `formatTime` shows a ledger time. */
export function formatInstant(at: Date | number): string {
  const date = typeof at === "number" ? new Date(at) : at;
  return Number.isFinite(date.getTime()) ? formatTime(date.toISOString()) : "unknown time";
}

/** True when an ISO time names an instant (it carries `Z` or an offset). */
export function hasTimeZone(iso: string): boolean {
  const parts = timeParts(iso);
  return parts !== null && parts.zone !== null;
}
