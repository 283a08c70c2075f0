/**
 * Places in a report, as the examiner chose for sensitive ones (a witness could be found from
 * them): `exact` as recorded, `rounded` to two decimals of a degree (about 1 km, the rounding of
 * geolocation exports, shared/geo/geoExport.ts; an area becomes its rounded centroid), or
 * `withheld`. Every place of an item whose geolocation is marked sensitive is handled alike:
 * the proposal's place, its clues, chronolocations, the GPS tags of the file; and map snapshots,
 * which show the place, are left out unless exact.
 */
import { ROUNDING_ERROR_M } from "../geo/geoExport.js";
import type { LatLonValue, Place } from "../ledger/geoEvents.js";
import type { ReportPlace, ReportSensitive } from "./reportModel.js";

const round2 = (v: number) => Math.round(v * 100) / 100;

/** The arithmetic mean of a ring's corners: near enough to the middle once rounded to ~1 km. */
export function centroid(ring: readonly LatLonValue[]): LatLonValue {
  const lat = ring.reduce((n, p) => n + p.lat, 0) / ring.length;
  const lon = ring.reduce((n, p) => n + p.lon, 0) / ring.length;
  return { lat, lon };
}

/**
 * `place` as the report shows it. `isSensitive` false: exact whatever the choice. A rounded radius
 * grows by the rounding's own error, so the stated precision stays honest.
 */
export function reportPlace(
  place: Place | LatLonValue,
  radiusM: number | null,
  isSensitive: boolean,
  choice: ReportSensitive,
): ReportPlace {
  const handling = isSensitive ? choice : "exact";
  if (handling === "withheld") return { handling: "withheld" };
  const area = "shape" in place && place.shape === "area" ? place : null;
  if (handling === "exact") {
    if (area) return { handling: "exact", shape: "area", ring: area.ring, radiusM };
    const p = place as LatLonValue;
    return { handling: "exact", shape: "point", at: { lat: p.lat, lon: p.lon }, radiusM };
  }
  const widened = (radiusM ?? 0) + ROUNDING_ERROR_M;
  if (area) {
    const c = centroid(area.ring);
    return {
      handling: "rounded",
      shape: "area-centroid",
      at: { lat: round2(c.lat), lon: round2(c.lon) },
      radiusM: widened,
    };
  }
  const p = place as LatLonValue;
  return { handling: "rounded", shape: "point", at: { lat: round2(p.lat), lon: round2(p.lon) }, radiusM: widened };
}

const degrees = (v: number, positive: string, negative: string) =>
  `${Math.abs(v).toFixed(6).replace(/0+$/, "").replace(/\.$/, "")}° ${v >= 0 ? positive : negative}`;

/** `18.4567° N, 1.4123° E` */
export function latLonWords(at: LatLonValue): string {
  return `${degrees(at.lat, "N", "S")}, ${degrees(at.lon, "E", "W")}`;
}

/** A place in words, with how it was handled. */
export function placeWords(place: ReportPlace): string {
  const radius = (r: number | null) =>
    r === null ? "" : ` (±${r >= 1000 ? `${(r / 1000).toFixed(1)} km` : `${r} m`})`;
  switch (place.handling) {
    case "withheld":
      return "withheld: the place is marked sensitive";
    case "rounded":
      return `${latLonWords(place.at)}${radius(place.radiusM)}, rounded to about 1 km because the place is marked sensitive${
        place.shape === "area-centroid" ? " (the middle of the area drawn)" : ""
      }`;
    case "exact":
      return place.shape === "point"
        ? `${latLonWords(place.at)}${radius(place.radiusM)}`
        : `an area of ${place.ring.length} corners: ${place.ring.map(latLonWords).join("; ")}${radius(place.radiusM)}`;
  }
}
