/**
 * ISO 6709 point strings, as phones write them into videos (`location`,
 * `com.apple.quicktime.location.ISO6709`): `+18.4411-001.4078+250.000/`.
 *
 * Written here because no maintained npm package parses ISO 6709 and the
 * grammar is small: latitude `±DD[MM[SS]][.f]`, longitude `±DDD[MM[SS]][.f]`,
 * optional altitude `±A[.f]`, optional `CRSxxx`, terminated by `/`
 * (ISO 6709:2008 Annex H). Anything else is rejected, not guessed.
 */
import type { Gps } from "../media/metadata.js";

const POINT = /^([+-]\d{2,6}(?:\.\d+)?)([+-]\d{3,7}(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?(?:CRS[A-Za-z0-9_:]+)?\/?$/;

/** Degrees from a signed ISO 6709 component with `degreeDigits` digits of degrees (2 for lat, 3 for lon). */
function component(text: string, degreeDigits: number): number | null {
  const sign = text.startsWith("-") ? -1 : 1;
  const [whole, fraction = ""] = text.slice(1).split(".");
  const frac = fraction ? Number(`0.${fraction}`) : 0;
  const extra = whole!.length - degreeDigits;
  let value: number;
  if (extra === 0) value = Number(whole) + frac;
  else if (extra === 2) {
    const minutes = Number(whole!.slice(degreeDigits)) + frac;
    if (minutes >= 60) return null;
    value = Number(whole!.slice(0, degreeDigits)) + minutes / 60;
  } else if (extra === 4) {
    const minutes = Number(whole!.slice(degreeDigits, degreeDigits + 2));
    const seconds = Number(whole!.slice(degreeDigits + 2)) + frac;
    if (minutes >= 60 || seconds >= 60) return null;
    value = Number(whole!.slice(0, degreeDigits)) + minutes / 60 + seconds / 3600;
  } else return null;
  return Number.isFinite(value) ? sign * value : null;
}

/** The point, or null when `text` is not an ISO 6709 point within range. */
export function parseIso6709(text: string | null | undefined): Gps | null {
  if (typeof text !== "string") return null;
  const m = POINT.exec(text.trim());
  if (!m) return null;
  const lat = component(m[1]!, 2);
  const lon = component(m[2]!, 3);
  if (lat === null || lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  const altitude = m[3] !== undefined ? Number(m[3]) : null;
  return { lat, lon, altitude: altitude !== null && Number.isFinite(altitude) ? altitude : null };
}
