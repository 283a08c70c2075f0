/**
 * What scoring measures with (docs/TRAINING.md, "Scoring"): distances on the WGS 84 ellipsoid
 * (geographiclib's geodesics, Karney 2013) and gaps between time windows. A given area scores 0 m
 * when the true place lies inside it (tested on the plane of latitude and longitude, which is
 * right for the areas a geolocation draws, well away from the poles and the antimeridian), else
 * its distance to the nearest edge. Times are instants with offsets, compared on the time line, so
 * a window across midnight or given in another zone compares as it should.
 */
import geodesic from "geographiclib-geodesic";
import { PRECISION_RADIUS_M, type GeolocationProposed, type LatLonValue } from "../ledger/geoEvents.js";

const WGS84 = geodesic.Geodesic.WGS84;

// --- Geometry --------------------------------------------------------------------------------------

/** Metres between two points on the WGS 84 ellipsoid. */
export function geodesicDistanceM(a: LatLonValue, b: LatLonValue): number {
  return WGS84.Inverse(a.lat, a.lon, b.lat, b.lon, geodesic.Geodesic.DISTANCE).s12 ?? NaN;
}

/** Metres from `p` to the nearest point of the geodesic segment a–b. */
export function distanceToSegmentM(p: LatLonValue, a: LatLonValue, b: LatLonValue): number {
  const line = WGS84.InverseLine(a.lat, a.lon, b.lat, b.lon);
  const length = line.s13;
  if (!(length > 0)) return geodesicDistanceM(p, a);
  const at = (s: number) => {
    const q = line.Position(s);
    return geodesicDistanceM(p, { lat: q.lat2!, lon: q.lon2! });
  };
  // Coarse samples find the stretch of the nearest point; a golden-section search then narrows it to
  // well under a millimetre on any segment a geolocation draws.
  const steps = 64;
  let best = 0;
  let bestD = at(0);
  for (let i = 1; i <= steps; i++) {
    const d = at((length * i) / steps);
    if (d < bestD) [best, bestD] = [i, d];
  }
  let lo = (length * Math.max(0, best - 1)) / steps;
  let hi = (length * Math.min(steps, best + 1)) / steps;
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60 && hi - lo > 1e-4; i++) {
    const m1 = hi - ratio * (hi - lo);
    const m2 = lo + ratio * (hi - lo);
    if (at(m1) <= at(m2)) hi = m2;
    else lo = m1;
  }
  return Math.min(bestD, at((lo + hi) / 2));
}

/** Whether `p` lies inside the ring (even-odd rule on latitude and longitude; the ring is not closed). */
export function insideRing(p: LatLonValue, ring: readonly LatLonValue[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    if (a.lat > p.lat !== b.lat > p.lat && p.lon < ((b.lon - a.lon) * (p.lat - a.lat)) / (b.lat - a.lat) + a.lon) {
      inside = !inside;
    }
  }
  return inside;
}

/** Metres from the true place to a given place: 0 inside a given area, else to its nearest edge. */
export function distanceToPlaceM(truth: LatLonValue, place: NonNullable<GeolocationProposed["place"]>): number {
  if (place.shape === "point") return geodesicDistanceM(truth, place);
  if (insideRing(truth, place.ring)) return 0;
  let nearest = Infinity;
  place.ring.forEach((a, i) => {
    nearest = Math.min(nearest, distanceToSegmentM(truth, a, place.ring[(i + 1) % place.ring.length]!));
  });
  return nearest;
}

/** The radius a stated precision stands for: the class's own, or the stated one for `radius`. */
export function precisionRadiusM(precision: NonNullable<GeolocationProposed["precision"]>): number {
  return precision.class === "radius" ? precision.radiusM : PRECISION_RADIUS_M[precision.class];
}

// --- Time ------------------------------------------------------------------------------------------

/** Minutes between two windows on the time line: 0 when they overlap (touching counts), else the gap. */
export function minutesBetween(a: { from: string; to: string }, b: { from: string; to: string }): number {
  const [af, at, bf, bt] = [a.from, a.to, b.from, b.to].map((t) => Date.parse(t)) as [number, number, number, number];
  if (at < bf) return (bf - at) / 60_000;
  if (bt < af) return (af - bt) / 60_000;
  return 0;
}

/** How long a window lasts, in minutes. */
export function widthMinutes(w: { from: string; to: string }): number {
  return (Date.parse(w.to) - Date.parse(w.from)) / 60_000;
}
