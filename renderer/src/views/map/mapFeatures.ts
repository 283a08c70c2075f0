/**
 * What the map draws over its imagery: markers with their labels, a geolocation's area, the sun's
 * direction and the shadow's at a place, and measured lines. Everything is drawn on the canvas
 * (labels as canvas text, never markup), so a snapshot of the map holds it too.
 */
import Feature from "ol/Feature.js";
import { LineString, Point, Polygon } from "ol/geom.js";
import type { Geometry } from "ol/geom.js";
import { fromLonLat, type ProjectionLike } from "ol/proj.js";
import { Circle, Fill, RegularShape, Stroke, Style, Text } from "ol/style.js";
import { inertText } from "../../../../shared/text/inertText.js";
import type { LatLonValue } from "../../../../shared/ledger/geoEvents.js";
import type { MapMarker } from "./mapTypes.js";

/** Marker colours: by kind, and for case-map items by review status. */
export const STATUS_COLOURS: Record<string, string> = {
  unverified: "#868e96",
  "in-review": "#f59f00",
  verified: "#2f9e44",
  disputed: "#e8590c",
  rejected: "#c92a2a",
};
const KIND_COLOURS: Record<MapMarker["kind"], string> = {
  clue: "#1c7ed6",
  place: "#2f9e44",
  claim: "#ae3ec9",
  eliminated: "#868e96",
  item: "#868e96",
};

export function markerColour(m: MapMarker): string {
  return (m.status && STATUS_COLOURS[m.status]) || KIND_COLOURS[m.kind];
}

const labelText = (label: string) => inertText(label).slice(0, 60);

function markerStyle(m: MapMarker): Style {
  return new Style({
    image: new Circle({
      radius: m.kind === "item" ? 6 : 7,
      fill: new Fill({ color: markerColour(m) }),
      stroke: new Stroke({ color: "#ffffff", width: 2 }),
    }),
    text: new Text({
      text: labelText(m.label),
      offsetY: -16,
      font: "600 12px system-ui, sans-serif",
      fill: new Fill({ color: "#111111" }),
      stroke: new Stroke({ color: "#ffffff", width: 3 }),
      overflow: true,
    }),
  });
}

/** Features are made in the grid the map is drawn in (viewProjection.ts). */
export function markerFeatures(markers: readonly MapMarker[], projection: ProjectionLike): Feature<Geometry>[] {
  return markers.map((m) => {
    const f = new Feature({ geometry: new Point(fromLonLat([m.lon, m.lat], projection)) });
    f.setId(m.id);
    f.setStyle(markerStyle(m));
    return f;
  });
}

const areaStyle = new Style({
  stroke: new Stroke({ color: "#f03e3e", width: 2, lineDash: [6, 4] }),
  fill: new Fill({ color: "rgba(240, 62, 62, 0.12)" }),
  image: new Circle({ radius: 4, fill: new Fill({ color: "#f03e3e" }) }),
});

/** A polygon from an open ring (a line while it has fewer than three points). */
export function areaFeatures(
  ring: readonly LatLonValue[] | null | undefined,
  projection: ProjectionLike,
): Feature<Geometry>[] {
  if (!ring || ring.length === 0) return [];
  const coords = ring.map((p) => fromLonLat([p.lon, p.lat], projection));
  const first = coords[0]!;
  const geometry =
    coords.length >= 3
      ? new Polygon([[...coords, first]])
      : coords.length === 2
        ? new LineString(coords)
        : new Point(first);
  const f = new Feature({ geometry });
  f.setStyle(areaStyle);
  return [f];
}

/** Length on screen of the sun and shadow arrows, in CSS pixels, whatever the zoom. */
const ARROW_PX = 90;

/**
 * `gridNorth` is the angle (radians, clockwise) from the grid's north to true north at the place:
 * zero in Web Mercator, the meridian convergence in a UTM grid. Both grids are conformal, so a
 * bearing from true north is that bearing plus `gridNorth` on the grid near the place.
 */
function arrowStyles(
  azimuthDeg: number,
  colour: string,
  label: string,
  resolution: number,
  origin: number[],
  gridNorth: number,
): Style[] {
  const a = (azimuthDeg * Math.PI) / 180 + gridNorth;
  const [x0 = 0, y0 = 0] = origin;
  const tip = [x0 + Math.sin(a) * ARROW_PX * resolution, y0 + Math.cos(a) * ARROW_PX * resolution];
  return [
    new Style({ geometry: new LineString([origin, tip]), stroke: new Stroke({ color: colour, width: 4 }) }),
    new Style({
      geometry: new Point(tip),
      image: new RegularShape({
        points: 3,
        radius: 9,
        rotation: a,
        rotateWithView: true,
        fill: new Fill({ color: colour }),
        stroke: new Stroke({ color: "#ffffff", width: 1 }),
      }),
      text: new Text({
        text: label,
        offsetY: 18,
        font: "600 12px system-ui, sans-serif",
        fill: new Fill({ color: "#111111" }),
        stroke: new Stroke({ color: "#ffffff", width: 3 }),
      }),
    }),
  ];
}

/** The sun's direction (towards the sun) and the shadow's (away from it) at a place, as arrows. */
export function sunFeatures(
  sun: { place: LatLonValue; azimuthDeg: number; elevationDeg: number } | null | undefined,
  projection: ProjectionLike,
): Feature<Geometry>[] {
  if (!sun) return [];
  const origin = fromLonLat([sun.place.lon, sun.place.lat], projection);
  const [nx = 0, ny = 1] = fromLonLat([sun.place.lon, Math.min(89.9, sun.place.lat + 0.01)], projection);
  const gridNorth = Math.atan2(nx - origin[0]!, ny - origin[1]!);
  const f = new Feature({ geometry: new Point(origin) });
  const shadowAz = (sun.azimuthDeg + 180) % 360;
  const isUp = sun.elevationDeg > 0;
  f.setStyle((_feature, resolution) => [
    new Style({ image: new Circle({ radius: 5, fill: new Fill({ color: "#111111" }) }) }),
    ...arrowStyles(
      sun.azimuthDeg,
      "#f59f00",
      `Sun ${sun.azimuthDeg.toFixed(0)}°, ${sun.elevationDeg.toFixed(0)}° up`,
      resolution,
      origin,
      gridNorth,
    ),
    ...(isUp ? arrowStyles(shadowAz, "#343a40", `Shadow ${shadowAz.toFixed(0)}°`, resolution, origin, gridNorth) : []),
  ]);
  return [f];
}

export const measureStyle = new Style({
  stroke: new Stroke({ color: "#ffd43b", width: 3 }),
  image: new Circle({
    radius: 4,
    fill: new Fill({ color: "#ffd43b" }),
    stroke: new Stroke({ color: "#111", width: 1 }),
  }),
});

export const selectionStyle = new Style({
  stroke: new Stroke({ color: "#1c7ed6", width: 2 }),
  fill: new Fill({ color: "rgba(28, 126, 214, 0.10)" }),
});
