/**
 * Where the sun stands for a place and an instant, which way shadows fall and how long they are,
 * and the reverse a verifier needs to chronolocate footage: from an object's height and its
 * shadow's length, the times of day at which the sun stood that high.
 *
 * Angles are degrees. Azimuth is clockwise from true north (90 = east, 180 = south). Elevation is
 * the apparent elevation above the horizon, refraction included, as NOAA's Solar Calculator
 * reports it and as a camera sees it. Instants are `Date`s (UTC); a day is a civil date plus the
 * place's UTC offset, because "the morning of 16 February" in Kidal is not a UTC day everywhere.
 *
 * The astronomy is `suncalc`'s (Meeus' algorithms). suncalc 1.x returned azimuth in radians
 * measured from south, westward positive; suncalc 2 (the version pinned in package.json, see its
 * index.d.ts) returns degrees clockwise from north, so no conversion is applied here. The unit
 * tests pin that convention against NOAA's values, so a change of suncalc's would fail them.
 */
import { getPosition } from "suncalc";
import type { LatLon } from "./coordinates.js";

export interface SunPosition {
  /** Degrees clockwise from true north, [0, 360). */
  azimuth: number;
  /** Apparent degrees above the horizon (refraction included); negative below it. */
  elevation: number;
  /** The direction shadows point: the azimuth opposite the sun, [0, 360). */
  shadowAzimuth: number;
}

/** A stretch of the day during which the sun's elevation fits a measured shadow. */
export interface ShadowTimeWindow {
  /** First minute (UTC) of the window. */
  start: Date;
  /** Last minute (UTC) of the window. */
  end: Date;
  /** Shadow direction at `start` and `end`, to tell a morning window from an afternoon one. */
  shadowAzimuthAtStart: number;
  shadowAzimuthAtEnd: number;
}

/** What was measured in the frame, and where and on which day. */
export interface ShadowTimeQuery {
  point: LatLon;
  /** Civil date at the place, `YYYY-MM-DD`. */
  date: string;
  /** The place's offset from UTC on that date in minutes (Kidal: 0; Bamako: 0; Paris in winter: 60). */
  utcOffsetMinutes: number;
  /** Shadow length divided by object height; or give `objectHeight` and `shadowLength` instead. */
  shadowRatio?: number;
  objectHeight?: number;
  shadowLength?: number;
  /**
   * Relative uncertainty of the measured ratio (0.05 = ±5 %, the default). Measuring shadows off a
   * photo is rough; a window that is too narrow to contain the truth is worse than a wide one.
   */
  ratioTolerance?: number;
}

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;
const DEG = Math.PI / 180;

const normaliseAzimuth = (degrees: number): number => ((degrees % 360) + 360) % 360;

function assertPlace(point: LatLon): void {
  const { lat, lon } = point;
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    throw new RangeError("not a WGS84 point");
  }
}

/** The sun's azimuth, elevation and shadow direction at `point` at `instant`. */
export function sunPosition(point: LatLon, instant: Date): SunPosition {
  assertPlace(point);
  if (!Number.isFinite(instant.getTime())) throw new RangeError("not a valid instant");
  const { azimuth, altitude } = getPosition(instant, point.lat, point.lon);
  const sunAzimuth = normaliseAzimuth(azimuth);
  return { azimuth: sunAzimuth, elevation: altitude, shadowAzimuth: normaliseAzimuth(sunAzimuth + 180) };
}

/**
 * Length of the shadow an object of `objectHeight` casts on level ground with the sun at
 * `elevation` degrees: height / tan(elevation). Null when the sun is at or below the horizon,
 * where there is no such shadow.
 */
export function shadowLength(elevation: number, objectHeight = 1): number | null {
  if (!Number.isFinite(elevation) || !Number.isFinite(objectHeight) || objectHeight < 0) {
    throw new RangeError("elevation and a non-negative height are required");
  }
  if (elevation <= 0) return null;
  return objectHeight / Math.tan(Math.min(elevation, 90) * DEG);
}

/** The sun elevation (degrees) that casts a shadow `ratio` times the object's height. */
export function elevationForShadowRatio(ratio: number): number {
  if (!Number.isFinite(ratio) || ratio < 0) throw new RangeError("shadow ratio must be a non-negative number");
  return Math.atan2(1, ratio) / DEG;
}

function measuredRatio(query: ShadowTimeQuery): number {
  const { shadowRatio, objectHeight, shadowLength: length } = query;
  if (shadowRatio !== undefined) {
    if (objectHeight !== undefined || length !== undefined)
      throw new RangeError("give shadowRatio or the two lengths, not both");
    return shadowRatio;
  }
  if (objectHeight === undefined || length === undefined)
    throw new RangeError("give shadowRatio or objectHeight and shadowLength");
  if (!(objectHeight > 0) || !Number.isFinite(objectHeight)) throw new RangeError("object height must be positive");
  return length / objectHeight;
}

/** UTC midnight that starts `date` (`YYYY-MM-DD`) at the place, or throws. */
function localDayStart(date: string, utcOffsetMinutes: number): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError("date must be YYYY-MM-DD");
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(year, month - 1, day);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError("date does not exist");
  }
  if (!Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 14 * 60) {
    throw new RangeError("UTC offset must be whole minutes within ±14 h");
  }
  return utc - utcOffsetMinutes * MINUTE_MS;
}

/**
 * The windows of the local day at which the sun's elevation casts the measured shadow, within the
 * ratio tolerance. The day is sampled every minute; a minute counts when the elevation band is
 * reached anywhere between its two samples (elevation changes monotonically within a minute), so a
 * band narrower than a minute's change of elevation is not skipped. Usually two windows (morning
 * and afternoon, told apart by the shadow direction), one near solar noon, or none.
 */
export function shadowTimeWindows(query: ShadowTimeQuery): ShadowTimeWindow[] {
  assertPlace(query.point);
  const ratio = measuredRatio(query);
  const tolerance = query.ratioTolerance ?? 0.05;
  if (!Number.isFinite(ratio) || ratio <= 0) throw new RangeError("shadow ratio must be positive");
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance >= 1)
    throw new RangeError("ratio tolerance must be in [0, 1)");
  // A longer shadow means a lower sun: the ratio's upper bound gives the band's lower elevation.
  const lowest = elevationForShadowRatio(ratio * (1 + tolerance));
  const highest = elevationForShadowRatio(ratio * (1 - tolerance));
  const start = localDayStart(query.date, query.utcOffsetMinutes);

  const samples = Array.from({ length: DAY_MINUTES + 1 }, (_, minute) =>
    sunPosition(query.point, new Date(start + minute * MINUTE_MS)),
  );
  const windows: ShadowTimeWindow[] = [];
  let open: number | null = null;
  const close = (first: number, last: number) =>
    windows.push({
      start: new Date(start + first * MINUTE_MS),
      end: new Date(start + last * MINUTE_MS),
      shadowAzimuthAtStart: samples[first]!.shadowAzimuth,
      shadowAzimuthAtEnd: samples[last]!.shadowAzimuth,
    });
  for (let minute = 0; minute < DAY_MINUTES; minute++) {
    const a = samples[minute]!.elevation;
    const b = samples[minute + 1]!.elevation;
    const fits = Math.max(a, b) >= lowest && Math.min(a, b) <= highest;
    if (fits && open === null) open = minute;
    if (!fits && open !== null) {
      close(open, minute);
      open = null;
    }
  }
  if (open !== null) close(open, DAY_MINUTES);
  return windows;
}
