/**
 * The projection the map is drawn in. With a satellite scene on top, the map is drawn in the
 * scene's own grid (its UTM zone): OpenLayers then shows the scene's tiles as they are stored,
 * with no raster reprojection, which on the CPU and in software WebGL cost most of the time to a
 * first view (each view tile triangulated, drawn in a pooled WebGL context and read back). Web
 * tiles and offline basemaps are reprojected into the scene's grid instead, and markers, areas,
 * measured lines and the frame overlay are moved with the view. With no scene on top the map is
 * Web Mercator, as online tiles are served.
 *
 * Zoom levels are spoken of as Web Mercator zooms wherever they are set or recorded ("Go to" lands
 * at zoom 14, a snapshot records its zoom): the same number means the same ground scale whatever
 * grid the map is drawn in.
 */
import type OlMap from "ol/Map.js";
import View from "ol/View.js";
import VectorLayer from "ol/layer/Vector.js";
import { fromLonLat, getPointResolution, toLonLat, type ProjectionLike } from "ol/proj.js";

export const WEB_MERCATOR = "EPSG:3857";
/** Web Mercator metres per pixel at zoom 0 (256-pixel tiles), at the equator. */
const MERCATOR_ZOOM0 = 156_543.033_928_040_97;

/** Ground metres per pixel at a place for a view resolution in a projection. */
function groundResolution(projection: ProjectionLike, resolution: number, coordinate: number[]): number {
  return getPointResolution(projection, resolution, coordinate, "m");
}

/** The view resolution in `projection` at `coordinate` that shows the ground as Web Mercator at `zoom` does there. */
export function resolutionForMercatorZoom(projection: ProjectionLike, zoom: number, coordinate: number[]): number {
  const lonLat = toLonLat(coordinate, projection);
  const ground = groundResolution(WEB_MERCATOR, MERCATOR_ZOOM0 / 2 ** zoom, fromLonLat(lonLat));
  return ground / groundResolution(projection, 1, coordinate);
}

/** The Web Mercator zoom that shows the ground at the view's centre as the view does now. */
export function mercatorZoom(view: View): number {
  const projection = view.getProjection();
  const centre = view.getCenter();
  const resolution = view.getResolution();
  if (!centre || !resolution) return view.getZoom() ?? 0;
  if (projection.getCode() === WEB_MERCATOR) return view.getZoom() ?? 0;
  const ground = groundResolution(projection, resolution, centre);
  const mercatorGroundAtZoom0 = groundResolution(
    WEB_MERCATOR,
    MERCATOR_ZOOM0,
    fromLonLat(toLonLat(centre, projection)),
  );
  return Math.log2(mercatorGroundAtZoom0 / ground);
}

/** Sets the view's zoom as a Web Mercator zoom (the same ground scale in any projection). */
export function setMercatorZoom(view: View, zoom: number): void {
  const centre = view.getCenter();
  if (!centre || view.getProjection().getCode() === WEB_MERCATOR) return view.setZoom(zoom);
  view.setResolution(resolutionForMercatorZoom(view.getProjection(), zoom, centre));
}

/**
 * Draws the map in `code` (an EPSG code OpenLayers knows, see projections.ts): a new view on the
 * same place at the same ground scale and rotation, and every feature of the map's vector layers
 * moved into the new grid. Nothing happens when the map is drawn in `code` already.
 */
export function setViewProjection(map: OlMap, code: string): void {
  const old = map.getView();
  const from = old.getProjection();
  if (from.getCode() === code) return;
  const oldCentre = old.getCenter() ?? fromLonLat([0, 15], from);
  const centre = fromLonLat(toLonLat(oldCentre, from), code);
  const ground = groundResolution(from, old.getResolution() ?? 1, oldCentre);
  const view = new View({
    projection: code,
    center: centre,
    resolution: ground / groundResolution(code, 1, centre),
    rotation: old.getRotation(),
    // Small turns kept as they are ("North up" turns by the grid convergence, often under 1°).
    constrainRotation: false,
    maxZoom: old.getMaxZoom(),
  });
  for (const layer of map.getAllLayers()) {
    if (!(layer instanceof VectorLayer)) continue;
    for (const feature of layer.getSource()?.getFeatures() ?? []) feature.getGeometry()?.transform(from, code);
  }
  map.setView(view);
}

/**
 * The angle (radians, clockwise) from the grid's north to true north at the view's centre:
 * where a point a little north of the centre lies in the grid.
 */
export function trueNorthAngle(view: View): number {
  const projection = view.getProjection();
  const centre = view.getCenter();
  if (!centre) return 0;
  const [lon = 0, lat = 0] = toLonLat(centre, projection);
  // A step north that stays on the globe near the poles.
  const step = lat > 89.9 ? -0.001 : 0.001;
  const [x = 0, y = 0] = fromLonLat([lon, lat + step], projection);
  const dx = (x - centre[0]!) * Math.sign(step);
  const dy = (y - centre[1]!) * Math.sign(step);
  return Math.atan2(dx, dy);
}
