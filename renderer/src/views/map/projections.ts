/**
 * The projections the map knows: OpenLayers' own EPSG:4326 and EPSG:3857, and every UTM zone on
 * WGS 84 (EPSG:32601–32660 north, 32701–32760 south), the grids satellite scenes come in. The
 * definitions are written here and handed to proj4, never fetched: `fromEPSGCode` asks a web
 * service, and a case must open with no network. The Node side (services/geo) accepts the same list.
 */
import { register } from "ol/proj/proj4.js";
import proj4 from "proj4";

/** The EPSG codes of the UTM zones on WGS 84, north then south. */
export const UTM_EPSG_CODES: readonly number[] = Array.from({ length: 60 }, (_, i) => [32601 + i, 32701 + i]).flat();

let isRegistered = false;

/** The proj4 definition of a CRS the map knows (see isKnownEpsg). */
export function proj4Def(code: number): string {
  if (code === 4326 || code === 3857) return `EPSG:${code}`;
  const zone = code % 100;
  return `+proj=utm +zone=${zone}${code > 32700 ? " +south" : ""} +datum=WGS84 +units=m +no_defs +type=crs`;
}

/** Registers the UTM zones with proj4 and OpenLayers (once; later calls do nothing). */
export function registerProjections(): void {
  if (isRegistered) return;
  for (const code of UTM_EPSG_CODES) proj4.defs(`EPSG:${code}`, proj4Def(code));
  register(proj4);
  isRegistered = true;
}

/** Whether the map can show a scene in this CRS without asking anyone. */
export function isKnownEpsg(code: number): boolean {
  return code === 4326 || code === 3857 || (code >= 32601 && code <= 32660) || (code >= 32701 && code <= 32760);
}
