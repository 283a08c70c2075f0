/**
 * GPS as XMP writes it (XMP Specification Part 2, "GPSCoordinate"): `DDD,MM,SSk` or `DDD,MM.mmk`,
 * `k` one of N, S, E, W; and the altitude as a rational (`760/1`) with its reference (`1` = below
 * sea level). Pure functions: the reader uses them when a file carries its GPS only in XMP.
 */
import type { Gps } from "./metadata.js";

const COORDINATE = /^(\d{1,3}(?:\.\d+)?)(?:,(\d{1,2}(?:\.\d+)?)(?:,(\d{1,2}(?:\.\d+)?))?)?\s*([NSEW])$/i;

/**
 * One XMP GPSCoordinate in signed decimal degrees (south and west negative), or null when the
 * text is not one or is out of range. `axis` says which letters it may carry.
 */
export function xmpCoordinate(text: unknown, axis: "lat" | "lon"): number | null {
  if (typeof text !== "string") return null;
  const m = COORDINATE.exec(text.trim());
  if (!m) return null;
  const degrees = Number(m[1]);
  const minutes = m[2] === undefined ? 0 : Number(m[2]);
  const seconds = m[3] === undefined ? 0 : Number(m[3]);
  // Fractional degrees with minutes, or fractional minutes with seconds, are not the format.
  if ((m[2] !== undefined && !Number.isInteger(degrees)) || (m[3] !== undefined && !Number.isInteger(minutes))) {
    return null;
  }
  if (minutes >= 60 || seconds >= 60) return null;
  const ref = m[4]!.toUpperCase();
  if ((axis === "lat") !== (ref === "N" || ref === "S")) return null;
  const value = degrees + minutes / 60 + seconds / 3600;
  if (value > (axis === "lat" ? 90 : 180)) return null;
  return ref === "S" || ref === "W" ? -value : value;
}

/** An XMP rational (`760/1`, `7605/10`) or plain number as a number, or null. */
export function xmpRational(text: unknown): number | null {
  if (typeof text === "number") return Number.isFinite(text) ? text : null;
  if (typeof text !== "string") return null;
  const m = /^\s*(-?\d+(?:\.\d+)?)(?:\/(\d+))?\s*$/.exec(text);
  if (!m) return null;
  const denominator = m[2] === undefined ? 1 : Number(m[2]);
  return denominator === 0 ? null : Number(m[1]) / denominator;
}

/**
 * GPS from XMP `exif:` properties (`GPSLatitude`, `GPSLongitude`, `GPSAltitude`,
 * `GPSAltitudeRef`), or null when latitude or longitude is missing or malformed.
 */
export function gpsFromXmp(props: Record<string, unknown>): Gps | null {
  const lat = xmpCoordinate(props.GPSLatitude, "lat");
  const lon = xmpCoordinate(props.GPSLongitude, "lon");
  if (lat === null || lon === null) return null;
  let altitude = xmpRational(props.GPSAltitude);
  if (altitude !== null && String(props.GPSAltitudeRef ?? "").trim() === "1") altitude = -Math.abs(altitude);
  return { lat, lon, altitude };
}
