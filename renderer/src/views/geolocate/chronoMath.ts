/**
 * The arithmetic of a shadow measurement on the frame: the shadow/height ratio from four picked
 * pixels (or a known height and a shadow length), the sun elevation it implies, and the windows
 * of the day that fit (shared/geo/sunPosition.ts), as the chronolocation record states them.
 */
import { elevationForShadowRatio, shadowTimeWindows } from "../../../../shared/geo/sunPosition.js";
import type { LatLonValue } from "../../../../shared/ledger/geoEvents.js";
import type { FramePixel } from "./FramePanel.js";

export interface Window {
  from: string;
  to: string;
}

const distance = (a: FramePixel, b: FramePixel) => Math.hypot(a.x - b.x, a.y - b.y);

/**
 * Shadow length over object height from pixels picked on the frame. Both are measured in the
 * same picture, so this holds when the object and its shadow lie at a similar distance from the
 * camera and the shadow falls on level ground across the view; the tolerance covers the rest.
 */
export function pixelRatio(
  object: { base: FramePixel; top: FramePixel },
  shadow: { base: FramePixel; tip: FramePixel },
) {
  const height = distance(object.base, object.top);
  const length = distance(shadow.base, shadow.tip);
  return height > 0 && length > 0 ? length / height : null;
}

/** Angular distance between two bearings, degrees in [0, 180]. */
function bearingGap(a: number, b: number): number {
  const d = Math.abs((((a - b) % 360) + 360) % 360);
  return d > 180 ? 360 - d : d;
}

/**
 * The windows of `date` (local, at `utcOffsetMinutes`) when the sun casts a shadow of `ratio`;
 * with a shadow bearing, only those whose shadows point within 30° of it (the morning and the
 * afternoon shadow of the same length point opposite ways).
 */
export function fittingWindows(
  place: LatLonValue,
  date: string,
  utcOffsetMinutes: number,
  ratio: number,
  bearingDeg: number | null,
): Window[] {
  const windows = shadowTimeWindows({ point: place, date, utcOffsetMinutes, shadowRatio: ratio, ratioTolerance: 0.1 });
  return windows
    .filter(
      (w) =>
        bearingDeg === null ||
        Math.min(bearingGap(w.shadowAzimuthAtStart, bearingDeg), bearingGap(w.shadowAzimuthAtEnd, bearingDeg)) <= 30,
    )
    .slice(0, 8)
    .map((w) => ({ from: w.start.toISOString(), to: w.end.toISOString() }));
}

export const elevationForRatio = elevationForShadowRatio;

/** What stands in for a figure worked out from the offset from UTC while its text states none. */
export const WAITING_FOR_OFFSET = "waiting for a valid offset from UTC";

/**
 * `09:12` at the place and `09:12Z`, for an instant and an offset in minutes; with no offset (its
 * text states none), the UTC time alone and the local one waiting.
 */
export function clockLabel(iso: string, utcOffsetMinutes: number | null): string {
  const t = Date.parse(iso);
  const utc = new Date(t).toISOString().slice(11, 16);
  if (utcOffsetMinutes === null) return `${utc} UTC (local time ${WAITING_FOR_OFFSET})`;
  const local = new Date(t + utcOffsetMinutes * 60_000).toISOString().slice(11, 16);
  return utcOffsetMinutes === 0
    ? `${utc} local = UTC`
    : `${local} local (${offsetLabel(utcOffsetMinutes)}), ${utc} UTC`;
}

/** `10:53–11:28 local (UTC+01:00), 09:53–10:28 UTC`: a window at the place and in UTC. */
export function windowLabel(w: Window, utcOffsetMinutes: number | null): string {
  const at = (iso: string, offset: number) => new Date(Date.parse(iso) + offset * 60_000).toISOString().slice(11, 16);
  const utc = `${at(w.from, 0)}–${at(w.to, 0)} UTC`;
  if (utcOffsetMinutes === null) return `${utc} (local time ${WAITING_FOR_OFFSET})`;
  return utcOffsetMinutes === 0
    ? `${utc} (local = UTC)`
    : `${at(w.from, utcOffsetMinutes)}–${at(w.to, utcOffsetMinutes)} local (${offsetLabel(utcOffsetMinutes)}), ${utc}`;
}

export function offsetLabel(minutes: number): string {
  const sign = minutes < 0 ? "−" : "+";
  const m = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

/** The offset an ISO instant carries (`+01:00` → 60), or null for `Z`-less local times. */
export function offsetOf(iso: string | null | undefined): number | null {
  const m = iso ? /(Z|([+-])(\d\d):(\d\d))$/.exec(iso) : null;
  if (!m) return null;
  if (m[1] === "Z") return 0;
  return (m[2] === "-" ? -1 : 1) * (Number(m[3]) * 60 + Number(m[4]));
}
