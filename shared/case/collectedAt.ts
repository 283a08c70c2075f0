/**
 * Reading the time an examiner says material was collected, as people type it: ISO 8601
 * (`2026-02-16T09:12:00+01:00`), `2026-02-16 09:12`, or day/month/year `16/02/2026 09:12`, with a
 * time zone in the text or given apart. A time without a zone is ambiguous, so it is not accepted
 * until a zone is named; an impossible date (31/02) is refused with the reason. The same reading
 * serves the workbench's form as it is typed, the API and the CLI, so all three accept the same
 * forms and refuse with the same words.
 *
 * Written by hand rather than with a date library: the forms are few and fixed, and a library's
 * lenient parsing (month overflow, two-digit years, locale guesses) is what must be refused here.
 */

/** The accepted forms, in the words every refusal ends with. */
export const COLLECTED_AT_FORMS =
  "2026-02-16T09:12:00+01:00, 2026-02-16 09:12 or 16/02/2026 09:12 (day/month/year), with a time zone such as +01:00 or UTC";

/** What a typed collection time says. */
export type CollectedAtReading =
  | { kind: "empty" }
  /** A complete time: `iso` is ISO 8601 with its offset; `words` says how it was read. */
  | { kind: "ok"; iso: string; words: string }
  /** A real date and time with no zone: which zone is it in? */
  | { kind: "needs-zone"; words: string }
  | { kind: "bad"; reason: string };

const MAX_LENGTH = 64;
// C0 and C1 controls, and the characters that reorder text (bidi marks, embeddings, overrides, isolates).
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?`;
const ZONE = String.raw`(?:\s*(Z|UTC|GMT|(?:UTC|GMT)?\s*[+-]\d{1,2}(?::?\d{2})?))?`;
const ISO_FORM = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+)${TIME}${ZONE}$`, "i");
const DMY_FORM = new RegExp(String.raw`^(\d{1,2})[/.](\d{1,2})[/.](\d{4})[\s,]+${TIME}${ZONE}$`, "i");
const DATE_ONLY = /^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{4})$/;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** An offset in minutes east of UTC from `Z`, `UTC`, `+01:00`, `+0100`, `+1`, `UTC+5:30`; a reason when it is not one. */
export function readZone(text: string): { minutes: number; isLetters: boolean } | { reason: string } {
  const t = text.trim().toUpperCase();
  if (t === "Z" || t === "UTC" || t === "GMT") return { minutes: 0, isLetters: true };
  const m = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(t);
  if (!m) return { reason: `"${t.slice(0, 12)}" is not a time zone; give an offset such as +01:00, -05:00 or UTC` };
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  const total = (m[1] === "-" ? -1 : 1) * (hours * 60 + minutes);
  if (minutes > 59 || total < -12 * 60 || total > 14 * 60) {
    return { reason: `${text.trim()} is not a time zone on Earth (offsets run from -12:00 to +14:00)` };
  }
  return { minutes: total, isLetters: false };
}

/** `+01:00`, `-05:30`, or `Z` for UTC named in letters. */
export function formatOffset(minutes: number, isLetters = false): string {
  if (minutes === 0 && isLetters) return "Z";
  const sign = minutes < 0 ? "-" : "+";
  const a = Math.abs(minutes);
  return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * Reads a typed collection time. `zone` is the zone chosen apart (a picker or `--collected-at-zone`),
 * used when the text names none; a text that names one zone and a `zone` that names another is refused.
 */
export function readCollectedAt(typed: string | undefined, zone?: string): CollectedAtReading {
  const text = (typed ?? "").trim();
  const zoneText = (zone ?? "").trim();
  if (text === "") {
    return zoneText === "" ? { kind: "empty" } : { kind: "bad", reason: "a time zone was given without a time" };
  }
  if (text.length > MAX_LENGTH) {
    return { kind: "bad", reason: `${text.length} characters is too long for a date and time` };
  }
  if (HIDDEN.test(text) || HIDDEN.test(zoneText)) {
    return { kind: "bad", reason: "it contains control or text-direction characters; type the date and time plainly" };
  }
  if (zoneText.length > MAX_LENGTH) return { kind: "bad", reason: "the time zone is too long to be one" };
  if (DATE_ONLY.test(text)) return { kind: "bad", reason: `give the time of day as well, e.g. ${text} 09:12` };

  let parts: string[];
  const iso = ISO_FORM.exec(text);
  const dmy = iso ? null : DMY_FORM.exec(text);
  if (iso) parts = [iso[1]!, iso[2]!, iso[3]!, ...iso.slice(4)];
  else if (dmy) parts = [dmy[3]!, dmy[2]!, dmy[1]!, ...dmy.slice(4)];
  else return { kind: "bad", reason: `"${text}" is not a date and time Sightline reads` };
  const [year, month, day, hour, minute] = parts.slice(0, 5).map(Number) as [number, number, number, number, number];
  const second = Number(parts[5] ?? 0);
  const fraction = parts[6] ?? "";
  const ownZone = parts[7];

  if (year < 1900 || year > 2199) return { kind: "bad", reason: `the year ${year} is out of range (1900 to 2199)` };
  if (month < 1 || month > 12) {
    return {
      kind: "bad",
      reason: `there is no month ${month}${dmy ? " (dates are read day/month/year)" : " (dates are read year-month-day)"}`,
    };
  }
  if (day < 1 || day > daysIn(year, month)) {
    return {
      kind: "bad",
      reason: `there is no ${day} ${MONTHS[month - 1]} ${year} (${MONTHS[month - 1]} ${year} has ${daysIn(year, month)} days)`,
    };
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return {
      kind: "bad",
      reason: `${pad(hour)}:${pad(minute)}${parts[5] ? `:${pad(second)}` : ""} is not a time of day`,
    };
  }
  const date = `${day} ${MONTHS[month - 1]} ${year}, ${pad(hour)}:${pad(minute)}${parts[5] ? `:${pad(second)}` : ""}`;

  let offset: { minutes: number; isLetters: boolean };
  if (ownZone) {
    const read = readZone(ownZone);
    if ("reason" in read) return { kind: "bad", reason: read.reason };
    if (zoneText) {
      const other = readZone(zoneText);
      if ("reason" in other || other.minutes !== read.minutes) {
        return { kind: "bad", reason: `the time says ${ownZone.trim()} but the zone given apart is ${zoneText}` };
      }
    }
    offset = read;
  } else if (zoneText) {
    const read = readZone(zoneText);
    if ("reason" in read) return { kind: "bad", reason: read.reason };
    offset = read;
  } else {
    return { kind: "needs-zone", words: date };
  }
  const zoneWords = offset.minutes === 0 && offset.isLetters ? "UTC" : `UTC${formatOffset(offset.minutes)}`;
  const isoText =
    `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction}` +
    formatOffset(offset.minutes, offset.isLetters);
  return { kind: "ok", iso: isoText, words: `${date} ${zoneWords}` };
}

/** Whether a text is a time zone `readZone` accepts (for a zone field's own check). */
export function isZone(text: string): boolean {
  return !("reason" in readZone(text));
}

/** The zones a picker offers: every offset in use on Earth, whole and part hours. */
export const ZONE_CHOICES: readonly string[] = [
  -720, -660, -600, -570, -540, -480, -420, -360, -300, -240, -210, -180, -120, -60, 0, 60, 120, 180, 210, 240, 270,
  300, 330, 345, 360, 390, 420, 480, 525, 540, 570, 600, 630, 660, 720, 765, 780, 840,
].map((m) => (m === 0 ? "UTC" : `UTC${formatOffset(m)}`));
