/** Distances and bearings on the WGS 84 ellipsoid (GeographicLib's geodesic inverse problem). */
import { Geodesic } from "geographiclib-geodesic";
import type { LatLonValue } from "../../../../shared/ledger/geoEvents.js";

export interface Measurement {
  /** Along every segment, metres. */
  distanceM: number;
  /** Initial bearing of the first segment from true north, degrees 0–360. */
  bearingDeg: number;
}

export function measurePath(points: readonly LatLonValue[]): Measurement | null {
  if (points.length < 2) return null;
  const geod = Geodesic.WGS84;
  let distanceM = 0;
  let bearingDeg = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const r = geod.Inverse(a.lat, a.lon, b.lat, b.lon);
    distanceM += r.s12 ?? 0;
    if (i === 1) bearingDeg = (((r.azi1 ?? 0) % 360) + 360) % 360;
  }
  return { distanceM, bearingDeg };
}

export function formatDistance(m: number): string {
  return m >= 1000 ? `${(m / 1000).toFixed(m >= 100_000 ? 0 : 2)} km` : `${m.toFixed(m >= 100 ? 0 : 1)} m`;
}
