/**
 * What the chronolocation form checks before it records: the place and the date the sun is
 * worked out for, each shadow named and measured, the verifier's estimated window (typed as local
 * clock times on the date, or taken from a window the shadows fit) starting before it ends, and
 * the text within the ledger's limits.
 */
import { isCalendarDay, type Claim, type LatLonValue } from "../../../../shared/ledger/geoEvents.js";
import type { Window } from "./chronoMath.js";
import { checkText, FIELD_IDS, shadowFieldId, type FieldProblem } from "./formChecks.js";
import { checkClaims } from "./geolocationDraft.js";
import type { ShadowDraft, ShadowResult } from "./shadowDraft.js";

/** The estimated window as typed: local clock times `HH:MM` on the chronolocation's date. */
export interface EstimateText {
  from: string;
  to: string;
}

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** `HH:MM` at the place, for an instant and the place's offset from UTC in minutes. */
export function localClock(iso: string, utcOffsetMinutes: number): string {
  return new Date(Date.parse(iso) + utcOffsetMinutes * 60_000).toISOString().slice(11, 16);
}

/** The instant of a local clock time on `date` at the offset, as ISO 8601 in UTC; null if unreadable. */
export function instantOf(date: string, clock: string, utcOffsetMinutes: number): string | null {
  if (!isCalendarDay(date) || !CLOCK.test(clock.trim())) return null;
  const t = Date.parse(`${date}T${clock.trim()}:00Z`) - utcOffsetMinutes * 60_000;
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

/**
 * The window to record: the one chosen from the shadows' windows while its times are untouched
 * (exact to the second), else the typed one; null when both times are empty or cannot be read.
 */
export function estimatedWindow(
  estimate: EstimateText,
  chosen: Window | null,
  date: string,
  utcOffsetMinutes: number,
): Window | null {
  if (
    chosen &&
    estimate.from === localClock(chosen.from, utcOffsetMinutes) &&
    estimate.to === localClock(chosen.to, utcOffsetMinutes)
  )
    return chosen;
  const from = instantOf(date, estimate.from, utcOffsetMinutes);
  const to = instantOf(date, estimate.to, utcOffsetMinutes);
  return from && to ? { from, to } : null;
}

function checkEstimate(estimate: EstimateText, date: string): FieldProblem[] {
  const from = estimate.from.trim();
  const to = estimate.to.trim();
  if (from === "" && to === "") return [];
  const problems: FieldProblem[] = [];
  if (!CLOCK.test(from))
    problems.push({
      field: FIELD_IDS.estimateFrom,
      reason:
        from === ""
          ? "Give the window's start as well as its end."
          : "The window's start is a time HH:MM (00:00 to 23:59).",
    });
  if (!CLOCK.test(to))
    problems.push({
      field: FIELD_IDS.estimateTo,
      reason:
        to === ""
          ? "Give the window's end as well as its start."
          : "The window's end is a time HH:MM (00:00 to 23:59).",
    });
  if (problems.length === 0 && isCalendarDay(date) && to < from)
    problems.push({
      field: FIELD_IDS.estimateTo,
      reason: `The window ends (${to}) before it starts (${from}): the end must come after the start.`,
    });
  return problems;
}

/** Everything the chronolocation lacks or has wrong, each with its control, in the order of the form. */
export function checkChronolocation(input: {
  place: LatLonValue | null;
  date: string;
  shadows: ShadowDraft[];
  results: ShadowResult[];
  estimate: EstimateText;
  claims: Claim[];
  method: string;
}): FieldProblem[] {
  const { place, date, shadows, results } = input;
  const problems: FieldProblem[] = [];
  if (!place)
    problems.push({
      field: FIELD_IDS.chronoPlace,
      reason: "Set the place: use the geolocation, pick it on the map or type it.",
    });
  if (!isCalendarDay(date))
    problems.push({ field: FIELD_IDS.chronoDate, reason: "Set the date at the place (YYYY-MM-DD)." });
  const isDateValid = isCalendarDay(date);
  for (const [i, s] of shadows.entries()) {
    const n = `Shadow ${i + 1}`;
    problems.push(...checkText(shadowFieldId(s.id, "what"), `${n}'s name`, s.what, 200, `${n}: say what casts it.`));
    const r = results[i];
    if (s.mode === "known" && !(s.knownHeightM && s.knownHeightM > 0 && s.knownHeightM <= 10_000))
      problems.push({
        field: shadowFieldId(s.id, "height"),
        reason: `${n}: state the object's height in metres (up to 10,000).`,
      });
    else if (s.mode === "known" && !(s.shadowLengthM && s.shadowLengthM > 0))
      problems.push({ field: shadowFieldId(s.id, "length"), reason: `${n}: state its shadow's length in metres.` });
    else if (Number.isNaN(s.bearingDeg))
      problems.push({
        field: shadowFieldId(s.id, "bearing"),
        reason: `${n}: its direction on the map is not a number of degrees from 0 to 360; correct it or clear it.`,
      });
    else if (place && isDateValid && r && !r.ok)
      problems.push({ field: shadowFieldId(s.id, "measure"), reason: `${n}: ${r.reason}` });
  }
  problems.push(...checkEstimate(input.estimate, date));
  problems.push(...checkClaims(input.claims, "chrono"));
  problems.push(...checkText(FIELD_IDS.chronoMethod, "The method", input.method, 20_000));
  return problems;
}
