/**
 * Capture times as files write them, turned into ISO 8601 without inventing a
 * zone: EXIF's `YYYY:MM:DD HH:MM:SS` plus its separate sub-seconds and offset
 * tags, and QuickTime's ISO-like strings (`2026-02-16T09:12:44+0100`).
 * Pure functions, shared by the inspector and the tests.
 */

const EXIF_DATE = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const OFFSET = /^(Z|[+-]\d{2}:?\d{2})$/;

/** `+0100` → `+01:00`; `Z` stays; anything else → null. */
export function normaliseOffset(offset: string | null | undefined): string | null {
  const o = offset?.trim();
  if (!o || !OFFSET.test(o)) return null;
  if (o === "Z") return "Z";
  const digits = o.replace(":", "");
  const hours = Number(digits.slice(1, 3));
  const minutes = Number(digits.slice(3, 5));
  if (hours > 14 || minutes > 59) return null;
  return `${digits.slice(0, 3)}:${digits.slice(3, 5)}`;
}

function validParts(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (y < 1800 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return false;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= daysInMonth;
}

/**
 * An EXIF date (`2026:02:16 09:12:44`) with optional sub-seconds (`123`) and offset (`+01:00`),
 * as ISO 8601: `2026-02-16T09:12:44.123+01:00`. Null for blank or impossible dates (`0000:00:00 …`).
 */
export function exifDateToIso(
  date: string | null | undefined,
  subSeconds?: string | number | null,
  offset?: string | null,
): string | null {
  const m = typeof date === "string" ? EXIF_DATE.exec(date.trim()) : null;
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (!validParts(y, mo, d, h, mi, s)) return null;
  const sub = String(subSeconds ?? m[7] ?? "").trim();
  const fraction = /^\d{1,9}$/.test(sub) ? `.${sub}` : "";
  const zone = normaliseOffset(offset) ?? normaliseOffset(m[8]) ?? "";
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${fraction}${zone}`;
}

const ISO_LIKE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** An ISO-like string from a container or XMP (`2026-02-16T09:12:44+0100`, `…000000Z`) in ISO 8601. */
export function isoLikeToIso(text: string | null | undefined): string | null {
  const m = typeof text === "string" ? ISO_LIKE.exec(text.trim()) : null;
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  const s = Number(m[6] ?? 0);
  if (!validParts(y, mo, d, h, mi, s)) return null;
  // Trailing zeros of a fraction carry no information; ffprobe writes six of them.
  const fraction = m[7] ? m[7].replace(/0+$/, "") : "";
  const zone = normaliseOffset(m[8]) ?? "";
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? "00"}${fraction ? `.${fraction}` : ""}${zone}`;
}

/** True when an ISO time names an instant (it carries `Z` or an offset). */
export function hasZone(iso: string): boolean {
  return /(Z|[+-]\d{2}:\d{2})$/.test(iso);
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const RFC_1123 =
  /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s*(GMT|UTC?|Z|[+-]\d{4})?$/;

/**
 * An RFC 1123 date (`Mon, 16 Feb 2026 09:12:44 GMT`), the form the PNG specification recommends
 * for its `Creation Time` text, in ISO 8601 with the zone it gives (none when it gives none).
 */
export function rfc1123ToIso(text: string | null | undefined): string | null {
  const m = typeof text === "string" ? RFC_1123.exec(text.trim()) : null;
  if (!m) return null;
  const month = MONTHS.indexOf(m[2]!.toLowerCase()) + 1;
  if (month === 0) return null;
  const zone = !m[7] ? null : /^(GMT|UTC?|Z)$/i.test(m[7]) ? "Z" : m[7];
  const date = `${m[3]}:${String(month).padStart(2, "0")}:${m[1]!.padStart(2, "0")} ${m[4]}:${m[5]}:${m[6] ?? "00"}`;
  return exifDateToIso(date, null, zone);
}

/** A PNG `Creation Time` text in ISO 8601: RFC 1123, EXIF's `YYYY:MM:DD HH:MM:SS` or ISO-like. */
export function pngTimeToIso(text: string | null | undefined): string | null {
  return rfc1123ToIso(text) ?? exifDateToIso(text) ?? isoLikeToIso(text);
}
