/**
 * The case map: every item with a place, from its current geolocation (the latest proposal no
 * revision replaced, when it located the item) or else from the GPS position its metadata claims.
 */
import type { ApiOutput, ApiParsedInput } from "../../../shared/api/contract.js";
import type { CaseMapEntry } from "../../../shared/api/geoContract.js";
import type { Place } from "../../../shared/ledger/geoEvents.js";
import type { GeolocationRecord } from "../../../shared/ledger/geoState.js";
import { openGeoCase, type GeoServiceTools } from "./geoCase.js";

/**
 * A point to show an area by: the centroid of its ring (shoelace formula on degrees, which is
 * close enough for the few-kilometre areas geolocations draw; the mean of its corners if the ring
 * encloses no area).
 */
export function placePoint(place: Place): { lat: number; lon: number } {
  if (place.shape === "point") return { lat: place.lat, lon: place.lon };
  const ring = place.ring;
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i]!;
    const q = ring[(i + 1) % ring.length]!;
    const cross = p.lon * q.lat - q.lon * p.lat;
    a += cross;
    cx += (p.lon + q.lon) * cross;
    cy += (p.lat + q.lat) * cross;
  }
  if (Math.abs(a) < 1e-12) {
    return {
      lat: ring.reduce((s, p) => s + p.lat, 0) / ring.length,
      lon: ring.reduce((s, p) => s + p.lon, 0) / ring.length,
    };
  }
  return { lat: cy / (3 * a), lon: cx / (3 * a) };
}

export async function caseMap(tools: GeoServiceTools, input: ApiParsedInput<"caseMap">): Promise<ApiOutput<"caseMap">> {
  const { state } = await openGeoCase(tools, input.dir);
  // The current proposal of every item in one pass (asking per item would be items × proposals).
  const current = new Map<string, GeolocationRecord>();
  for (const g of state.geo.geolocations) if (g.replacedBy === null) current.set(g.payload.sha256, g);
  const entries: CaseMapEntry[] = [];
  for (const item of state.items.values()) {
    const base = { sha256: item.sha256, name: item.displayName, status: item.status };
    const g = current.get(item.sha256);
    if (g && g.payload.outcome === "located" && g.payload.place) {
      entries.push({
        ...base,
        source: "geolocation",
        ...placePoint(g.payload.place),
        precisionM: g.payload.precision?.radiusM ?? null,
        confidence: g.payload.confidence,
        sensitive: g.payload.sensitive,
      });
      continue;
    }
    const gps = item.metadata?.metadata.gps;
    // GPS tags saying 0, 0 are an unset receiver, not a place in the Gulf of Guinea.
    if (gps && !item.metadata?.warnings.some((w) => w.code === "gps-zero")) {
      entries.push({
        ...base,
        source: "metadata",
        lat: gps.lat,
        lon: gps.lon,
        precisionM: null,
        confidence: null,
        sensitive: g?.payload.sensitive ?? false,
      });
    }
  }
  return entries;
}
