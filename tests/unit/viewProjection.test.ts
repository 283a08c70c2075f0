/**
 * The map drawn in a scene's UTM grid (renderer/src/views/map/viewProjection.ts): zooms set and
 * recorded as Web Mercator zooms keep the ground scale Web Mercator has there, whatever grid the
 * view is drawn in. Ground scale at zoom z in Web Mercator: 156,543.03 m × cos(latitude) / 2^z.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import View from "ol/View.js";
import { fromLonLat, getPointResolution, toLonLat } from "ol/proj.js";
import { registerProjections } from "../../renderer/src/views/map/projections.js";
import {
  mercatorZoom,
  resolutionForMercatorZoom,
  setMercatorZoom,
  trueNorthAngle,
} from "../../renderer/src/views/map/viewProjection.js";

registerProjections();
const KIDAL = [1.41, 18.44];
const groundAt = (zoom: number, lat: number) => (156_543.033_928 * Math.cos((lat * Math.PI) / 180)) / 2 ** zoom;

test("Web Mercator zoom 14 at Kidal in its UTM zone (EPSG:32631) shows the ground as Web Mercator does", () => {
  const centre = fromLonLat(KIDAL, "EPSG:32631");
  const view = new View({ projection: "EPSG:32631", center: centre, zoom: 3 });
  setMercatorZoom(view, 14);
  const ground = getPointResolution("EPSG:32631", view.getResolution()!, centre, "m");
  assert.ok(Math.abs(ground / groundAt(14, KIDAL[1]!) - 1) < 0.002, `ground ${ground} m a pixel`);
  assert.ok(Math.abs(mercatorZoom(view) - 14) < 1e-6, `zoom ${mercatorZoom(view)}`);
  // The UTM grid's own zoom 14 would be 5% coarser here (no cos(latitude) shrink).
  assert.ok(Math.abs((view.getZoom() ?? 0) - 14) > 0.05);
  const [lon, lat] = toLonLat(view.getCenter()!, "EPSG:32631");
  assert.ok(Math.abs(lon! - KIDAL[0]!) < 1e-9 && Math.abs(lat! - KIDAL[1]!) < 1e-9);
});

test("in Web Mercator the zoom is the view's own", () => {
  const view = new View({ center: fromLonLat(KIDAL), zoom: 9 });
  assert.equal(mercatorZoom(view), 9);
  setMercatorZoom(view, 12);
  assert.equal(view.getZoom(), 12);
  const r = resolutionForMercatorZoom("EPSG:3857", 12, fromLonLat(KIDAL));
  assert.ok(Math.abs(r / view.getResolution()! - 1) < 1e-9);
});

test("far south (EPSG:32733, Namibia) the same holds", () => {
  const place = [15.0, -22.5];
  const centre = fromLonLat(place, "EPSG:32733");
  const r = resolutionForMercatorZoom("EPSG:32733", 10, centre);
  const ground = getPointResolution("EPSG:32733", r, centre, "m");
  assert.ok(Math.abs(ground / groundAt(10, place[1]!) - 1) < 0.002);
});

test("true north at the view's centre is off grid north by the transverse Mercator convergence", () => {
  // γ = atan(tan(λ − λ0) · sin φ) (the sphere's figure; the ellipsoid differs by far under 0.02° within a zone).
  const convergence = (lon: number, lat: number, centralMeridian: number) =>
    (Math.atan(Math.tan(((lon - centralMeridian) * Math.PI) / 180) * Math.sin((lat * Math.PI) / 180)) * 180) / Math.PI;
  for (const [code, lon, lat, cm] of [
    ["EPSG:32631", 1.41, 18.44, 3], // Kidal, west of zone 31's central meridian
    ["EPSG:32631", 5.9, 60, 3], // a zone edge at high latitude
    ["EPSG:32630", 1.41, 18.44, -3], // Kidal seen from the next zone west
    ["EPSG:32733", 13.2, -8.8, 15], // Luanda, southern hemisphere
  ] as const) {
    const view = new View({ projection: code, center: fromLonLat([lon, lat], code), zoom: 10 });
    const north = (trueNorthAngle(view) * 180) / Math.PI;
    // True north lies clockwise of grid north by −γ (east of grid north west of the central meridian in the north).
    assert.ok(Math.abs(north + convergence(lon, lat, cm)) < 0.02, `${code} at ${lon}, ${lat}: ${north}°`);
  }
  assert.equal(trueNorthAngle(new View({ center: fromLonLat(KIDAL), zoom: 10 })), 0); // Web Mercator: meridians are vertical
});
