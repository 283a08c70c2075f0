/**
 * Renders the map as shown to one PNG, as OpenLayers' export-map example does: every layer
 * canvas (WebGL and 2D) drawn onto one canvas with its CSS transform and opacity, inside the
 * `rendercomplete` of a fresh render (the WebGL buffers are still intact then). Swipe clips and
 * the frame overlay are in the layer canvases themselves, so they are in the picture too.
 */
import type OlMap from "ol/Map.js";
import { toLonLat, transformExtent } from "ol/proj.js";
import type { MapSnapshotParams } from "../../../../shared/api/geoContract.js";
import { mercatorZoom } from "./viewProjection.js";

/** Composes the map's canvases once the next render completes. */
export function composeMapCanvas(map: OlMap): Promise<HTMLCanvasElement> {
  return new Promise((resolve, reject) => {
    map.once("rendercomplete", () => {
      try {
        const [width = 0, height = 0] = map.getSize() ?? [];
        const out = document.createElement("canvas");
        out.width = width;
        out.height = height;
        const ctx = out.getContext("2d");
        if (!ctx || width === 0 || height === 0) throw new Error("the map is not on screen");
        const canvases = (map.getViewport() as HTMLElement).querySelectorAll<HTMLCanvasElement>(
          ".ol-layer canvas, canvas.ol-layer",
        );
        for (const canvas of canvases) {
          if (canvas.width === 0) continue;
          const parent = canvas.parentElement;
          const opacity = parent?.style.opacity || canvas.style.opacity;
          ctx.globalAlpha = opacity === "" ? 1 : Number(opacity);
          const match = /^matrix\(([^(]*)\)$/.exec(canvas.style.transform);
          const values = match?.[1];
          const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = values
            ? values.split(",").map(Number)
            : [
                parseFloat(canvas.style.width) / canvas.width,
                0,
                0,
                parseFloat(canvas.style.height) / canvas.height,
                0,
                0,
              ];
          ctx.setTransform(a, b, c, d, e, f);
          const background = parent?.style.backgroundColor;
          if (background) {
            ctx.fillStyle = background;
            ctx.fillRect(0, 0, canvas.width, canvas.height);
          }
          ctx.drawImage(canvas, 0, 0);
        }
        ctx.globalAlpha = 1;
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        resolve(out);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    map.render();
  });
}

export function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    try {
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("the picture could not be encoded"))), "image/png");
    } catch {
      // A tile server without CORS headers taints the canvas: the browser refuses to read it back.
      reject(new Error("a layer's tiles do not allow the map to be kept as a picture (no CORS headers)"));
    }
  });
}

const clampLon = (x: number) => Math.max(-180, Math.min(180, x));
const clampLat = (y: number) => Math.max(-90, Math.min(90, y));

/** Where the map looks: zoom, centre, WGS 84 bounds, rotation and viewport size. */
export function viewParams(
  map: OlMap,
): Pick<MapSnapshotParams, "zoom" | "centre" | "bounds84" | "rotationDeg" | "viewport"> {
  const view = map.getView();
  const [width = 1, height = 1] = map.getSize() ?? [];
  const [lon = 0, lat = 0] = toLonLat(view.getCenter() ?? [0, 0], view.getProjection());
  const [w = -180, s = -90, e = 180, n = 90] = transformExtent(
    view.calculateExtent([width, height]),
    view.getProjection(),
    "EPSG:4326",
  );
  let rotation = ((view.getRotation() * 180) / Math.PI) % 360;
  if (rotation > 180) rotation -= 360;
  if (rotation < -180) rotation += 360;
  return {
    // As a Web Mercator zoom: the same ground scale whatever grid the map is drawn in.
    zoom: Math.max(0, Math.min(30, mercatorZoom(view))),
    centre: { lat: clampLat(lat), lon: clampLon(((((lon + 180) % 360) + 360) % 360) - 180) },
    bounds84: [clampLon(w), clampLat(s), clampLon(e), clampLat(n)],
    rotationDeg: rotation,
    viewport: { width: Math.max(1, Math.round(width)), height: Math.max(1, Math.round(height)) },
  };
}
