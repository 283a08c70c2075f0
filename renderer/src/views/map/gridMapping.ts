/**
 * dNBR of two scenes on different pixel grids: the difference is taken on the before scene's grid,
 * so each pixel of a before tile is given the after scene's value at the same place on the ground.
 * Here: whether two scenes can be paired and how (`pairGrids`), where each before pixel's centre
 * falls in the after scene (`samplePositions`, pixel/line as GDAL counts them: (0, 0) is the top-left
 * corner of the first pixel, so `gdaltransform before.tif after.tif` gives the same figures), and the
 * bilinear sampling of the after scene's bands there (`sampleBilinear`).
 *
 * Between two CRSs the positions are exact (proj4) at the nodes of a coarse mesh over the tile and
 * interpolated bilinearly inside its cells, as GDAL's approximate transformer does for gdalwarp:
 * across a 16-pixel cell the projection is linear far below a hundredth of a pixel.
 */
import proj4 from "proj4";
import type { SceneTags } from "../../../../shared/ledger/geoEvents.js";
import { proj4Def } from "./projections.js";

/** A north-up pixel grid: its CRS, upper-left corner and pixel size (both positive), in CRS units. */
export interface PixelGrid {
  epsg: number;
  originX: number;
  originY: number;
  resX: number;
  resY: number;
  width: number;
  height: number;
}

export const gridOf = (t: SceneTags): PixelGrid => ({
  epsg: t.epsg,
  originX: t.bounds[0],
  originY: t.bounds[3],
  resX: t.resolution[0],
  resY: t.resolution[1],
  width: t.width,
  height: t.height,
});

/** Past this ratio of pixel sizes a difference says more about resampling than about the ground. */
export const MAX_RESOLUTION_RATIO = 8;

export type PairPlan =
  { kind: "same-grid" } | { kind: "resampled"; note: string } | { kind: "refused"; reason: string };

const metres = (n: number) => `${Number(n.toPrecision(3))} m`;

/**
 * How a before/after pair is compared: on their shared grid (both read by one GeoTIFF source), with
 * the after scene resampled to the before scene's grid, or not at all (one plain sentence why).
 * Only scenes in projections the map knows reach here.
 */
export function pairGrids(before: SceneTags, after: SceneTags): PairPlan {
  const [w1, s1, e1, n1] = before.bounds84;
  const [w2, s2, e2, n2] = after.bounds84;
  if (Math.min(e1, e2) <= Math.max(w1, w2) || Math.min(n1, n2) <= Math.max(s1, s2))
    return { kind: "refused", reason: "the two scenes do not cover any of the same ground" };
  // A degree of longitude is 111.32 km at the equator and cos(latitude) of that elsewhere: taken at
  // the middle of the ground both scenes cover.
  const midLat = (Math.max(s1, s2) + Math.min(n1, n2)) / 2;
  const sizeOf = (t: SceneTags) =>
    t.epsg === 4326 ? t.resolution[0] * 111_320 * Math.cos((midLat * Math.PI) / 180) : t.resolution[0];
  const ratio = sizeOf(after) / sizeOf(before);
  if (ratio > MAX_RESOLUTION_RATIO || ratio < 1 / MAX_RESOLUTION_RATIO)
    return {
      kind: "refused",
      reason: `their pixels differ too much in size (${metres(sizeOf(before))} and ${metres(sizeOf(after))}) for a fair difference`,
    };
  const a = gridOf(before);
  const b = gridOf(after);
  const tol = 1e-6 * a.resX;
  const sameGrid =
    a.epsg === b.epsg &&
    Math.abs(a.resX - b.resX) < tol &&
    Math.abs(a.resY - b.resY) < tol &&
    Math.abs(a.originX - b.originX) < tol &&
    Math.abs(a.originY - b.originY) < tol &&
    a.width === b.width &&
    a.height === b.height;
  // One GeoTIFF source also needs the two files' reduced-resolution images to match.
  if (sameGrid && before.overviewCount === after.overviewCount) return { kind: "same-grid" };
  if (sameGrid)
    return {
      kind: "resampled",
      note: "After scene read on the before scene's grid (the two files' overviews differ).",
    };
  const how = a.epsg === b.epsg ? "" : ` (reprojected from EPSG:${b.epsg})`;
  return {
    kind: "resampled",
    note: `After scene resampled to the before scene's ${metres(sizeOf(before))} grid${how}, bilinear.`,
  };
}

/** An image of the after scene (full resolution or an overview) and how many full-resolution pixels one of its pixels spans, across and down. */
export interface ImageLevel<T = unknown> {
  image: T;
  fx: number;
  fy: number;
}

/**
 * The levels of a file's images, full resolution first. Overviews are ceil(W / 2^k) × ceil(H / 2^k),
 * so the ratios across and down differ whenever the width and height round differently
 * (1000 × 1001 → 500 × 501): each axis keeps its own.
 */
export function imageLevels<T extends { getWidth(): number; getHeight(): number }>(images: T[]): ImageLevel<T>[] {
  const sorted = [...images].sort((a, b) => b.getWidth() - a.getWidth());
  const full = sorted[0]!;
  return sorted.map((image) => ({
    image,
    fx: full.getWidth() / image.getWidth(),
    fy: full.getHeight() / image.getHeight(),
  }));
}

/**
 * The coarsest level no coarser than `step` full-resolution pixels across, and the positions
 * (full-resolution pixel/line, changed in place) as pixel/line of that level.
 */
export function levelFor<T>(levels: ImageLevel<T>[], positions: Float64Array): ImageLevel<T> {
  const step = Math.hypot(positions[2]! - positions[0]!, positions[3]! - positions[1]!);
  const level = levels.filter((l) => l.fx <= Math.max(1, step)).pop() ?? levels[0]!;
  if (level.fx !== 1 || level.fy !== 1)
    for (let k = 0; k < positions.length; k += 2) {
      positions[k]! /= level.fx;
      positions[k + 1]! /= level.fy;
    }
  return level;
}

/** Node indices along one side of a tile: every `step` pixels, and the last pixel. */
function meshNodes(n: number, step: number): number[] {
  const nodes: number[] = [];
  for (let i = 0; i < n - 1; i += step) nodes.push(i);
  nodes.push(n - 1);
  return nodes;
}

/**
 * Where the centre of each pixel of a block of the before grid falls in the after grid, as
 * pixel/line (x, y interleaved, row by row). `extent` is the block's [minX, minY, maxX, maxY] in the
 * before CRS, `width` × `height` its pixels.
 */
export function samplePositions(
  extent: readonly number[],
  width: number,
  height: number,
  fromEpsg: number,
  to: PixelGrid,
  step = 16,
): Float64Array {
  const [minX = 0, , maxX = 0, maxY = 0] = extent;
  const minY = extent[1] ?? 0;
  const rx = (maxX - minX) / width;
  const ry = (maxY - minY) / height;
  const out = new Float64Array(width * height * 2);
  const toPixel = (x: number, y: number, k: number) => {
    out[k] = (x - to.originX) / to.resX;
    out[k + 1] = (to.originY - y) / to.resY;
  };
  if (fromEpsg === to.epsg) {
    for (let j = 0, k = 0; j < height; j++)
      for (let i = 0; i < width; i++, k += 2) toPixel(minX + (i + 0.5) * rx, maxY - (j + 0.5) * ry, k);
    return out;
  }
  const forward = proj4(proj4Def(fromEpsg), proj4Def(to.epsg)).forward;
  const xs = meshNodes(width, step);
  const ys = meshNodes(height, step);
  const mesh = new Float64Array(xs.length * ys.length * 2);
  ys.forEach((j, r) =>
    xs.forEach((i, c) => {
      const [x = NaN, y = NaN] = forward([minX + (i + 0.5) * rx, maxY - (j + 0.5) * ry]);
      const k = (r * xs.length + c) * 2;
      mesh[k] = (x - to.originX) / to.resX;
      mesh[k + 1] = (to.originY - y) / to.resY;
    }),
  );
  const at = (r: number, c: number, d: number) => mesh[(r * xs.length + c) * 2 + d]!;
  const rows = Math.max(1, ys.length - 1);
  const cols = Math.max(1, xs.length - 1);
  for (let r = 0; r < rows; r++) {
    const r1 = Math.min(r + 1, ys.length - 1);
    const j0 = ys[r]!;
    const j1 = ys[r1]!;
    // Each cell fills up to the row before the next node row; the last cell includes its far edge.
    const jEnd = r === rows - 1 ? j1 : j1 - 1;
    for (let c = 0; c < cols; c++) {
      const c1 = Math.min(c + 1, xs.length - 1);
      const i0 = xs[c]!;
      const i1 = xs[c1]!;
      const iEnd = c === cols - 1 ? i1 : i1 - 1;
      for (let j = j0; j <= jEnd; j++) {
        const v = j1 === j0 ? 0 : (j - j0) / (j1 - j0);
        for (let i = i0; i <= iEnd; i++) {
          const u = i1 === i0 ? 0 : (i - i0) / (i1 - i0);
          const k = (j * width + i) * 2;
          for (let d = 0; d < 2; d++)
            out[k + d] =
              (1 - v) * ((1 - u) * at(r, c, d) + u * at(r, c1, d)) + v * ((1 - u) * at(r1, c, d) + u * at(r1, c1, d));
        }
      }
    }
  }
  return out;
}

/** A window of an after-scene image read into memory: its bands, where it starts, its size. */
export interface Window {
  bands: ArrayLike<number>[];
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/**
 * The window of an image (`imageWidth` × `imageHeight`) the positions need, with a pixel to spare
 * for interpolation, or null when none falls inside it.
 */
export function windowFor(positions: Float64Array, imageWidth: number, imageHeight: number): number[] | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let k = 0; k < positions.length; k += 2) {
    const x = positions[k]!;
    const y = positions[k + 1]!;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  const w = [
    Math.max(0, Math.floor(x0) - 1),
    Math.max(0, Math.floor(y0) - 1),
    Math.min(imageWidth, Math.ceil(x1) + 1),
    Math.min(imageHeight, Math.ceil(y1) + 1),
  ];
  return w[2]! > w[0]! && w[3]! > w[1]! ? w : null;
}

/**
 * The after scene's bands at each position, bilinear between the four nearest pixel centres, into
 * `out` (band `b` of pixel `p` at `p * stride + offset + b`). A pixel is empty when any of its
 * bands holds `noData` (NaN included): a value of one band is never averaged with another band's
 * nodata. Outside the image, and where a neighbour is empty, the nearest pixel decides: `noData`
 * in every band outside or where that pixel is empty, so no-overlap stays transparent and is never
 * read as unburnt ground.
 */
export function sampleBilinear(
  positions: Float64Array,
  imageWidth: number,
  imageHeight: number,
  win: Window | null,
  noData: number,
  out: Float32Array,
  stride: number,
  offset: number,
): void {
  const n = positions.length / 2;
  const bands = win?.bands ?? [];
  const nb = bands.length;
  // Plain loops: this runs for every pixel of every tile shown.
  const noDataIsNaN = Number.isNaN(noData);
  const isEmpty = (idx: number) => {
    for (let k = 0; k < nb; k++) {
      const v = bands[k]![idx]!;
      if (noDataIsNaN ? Number.isNaN(v) : v === noData) return true;
    }
    return false;
  };
  for (let p = 0; p < n; p++) {
    const fx = positions[2 * p]!;
    const fy = positions[2 * p + 1]!;
    const o = p * stride + offset;
    if (!win || !(fx >= 0 && fy >= 0 && fx <= imageWidth && fy <= imageHeight)) {
      for (let k = 0; k < Math.max(nb, 2); k++) out[o + k] = noData;
      continue;
    }
    const px = Math.min(Math.max(fx - 0.5 - win.x0, 0), win.width - 1);
    const py = Math.min(Math.max(fy - 0.5 - win.y0, 0), win.height - 1);
    const i0 = Math.floor(px);
    const j0 = Math.floor(py);
    const i1 = Math.min(i0 + 1, win.width - 1);
    const j1 = Math.min(j0 + 1, win.height - 1);
    const u = px - i0;
    const v = py - j0;
    const a = j0 * win.width + i0;
    const b = j0 * win.width + i1;
    const c = j1 * win.width + i0;
    const d = j1 * win.width + i1;
    if (isEmpty(a) || isEmpty(b) || isEmpty(c) || isEmpty(d)) {
      const nearest = Math.round(py) * win.width + Math.round(px);
      const isGone = isEmpty(nearest);
      for (let k = 0; k < nb; k++) out[o + k] = isGone ? noData : bands[k]![nearest]!;
      continue;
    }
    for (let k = 0; k < nb; k++) {
      const band = bands[k]!;
      out[o + k] = (1 - v) * ((1 - u) * band[a]! + u * band[b]!) + v * ((1 - u) * band[c]! + u * band[d]!);
    }
  }
}
