/**
 * What the ground of the training landscape is at each point (tests/samples/landscape.ts): its
 * height, its surface (soil, road, water, fields, rock, burn scar), the colour a camera sees and
 * the reflectance a multispectral satellite records, and the solids standing on it with the
 * shadows they cast. Every renderer of the sample reads the landscape only through this module.
 */
import {
  BANK_WIDTH,
  BURN,
  COMPOUND,
  FIELDS,
  RIDGE,
  RIVER,
  RIVER_HALF_WIDTH,
  ROAD,
  ROAD_HALF_WIDTH,
  type Material,
  type Point,
  type Solid,
} from "./landscape.js";

export type Surface =
  "soil" | "sand" | "road" | "water" | "bank" | "millet" | "fallow" | "rock" | "scrub" | "yard" | "burnt" | Material;

/** Colour seen by a camera in full sun (sRGB), and reflectance × 10,000 in Sentinel-2's B02, B03, B04, B8A, B11, B12. */
const LOOK: Record<
  Surface,
  { rgb: [number, number, number]; bands: [number, number, number, number, number, number] }
> = {
  soil: { rgb: [201, 164, 120], bands: [1300, 1700, 2300, 2900, 3900, 3300] },
  sand: { rgb: [218, 190, 146], bands: [1600, 2100, 2800, 3300, 4300, 3700] },
  road: { rgb: [192, 132, 98], bands: [1100, 1400, 2300, 2600, 3500, 3100] },
  water: { rgb: [88, 96, 82], bands: [600, 700, 600, 400, 200, 150] },
  bank: { rgb: [96, 112, 62], bands: [450, 800, 550, 3400, 2100, 1100] },
  millet: { rgb: [178, 152, 102], bands: [1100, 1400, 1800, 2800, 3400, 2600] },
  fallow: { rgb: [176, 160, 106], bands: [900, 1200, 1500, 3000, 2600, 1800] },
  rock: { rgb: [168, 140, 116], bands: [1150, 1450, 1900, 2300, 3100, 2800] },
  scrub: { rgb: [158, 140, 102], bands: [600, 900, 900, 2600, 2400, 1500] },
  yard: { rgb: [184, 152, 116], bands: [1250, 1600, 2150, 2700, 3700, 3200] },
  burnt: { rgb: [52, 45, 40], bands: [500, 600, 700, 800, 3000, 2800] },
  wall: { rgb: [176, 138, 102], bands: [1200, 1500, 2100, 2600, 3600, 3100] },
  mudHouse: { rgb: [166, 128, 96], bands: [1100, 1400, 2000, 2500, 3500, 3000] },
  tinRoof: { rgb: [182, 186, 190], bands: [2500, 2600, 2700, 2800, 3000, 2900] },
  burntRoof: { rgb: [38, 33, 30], bands: [450, 500, 550, 650, 2600, 2500] },
  pole: { rgb: [92, 72, 54], bands: [700, 800, 900, 1500, 2000, 1800] },
  tree: { rgb: [72, 96, 52], bands: [400, 750, 450, 3700, 1900, 950] },
  straw: { rgb: [205, 180, 118], bands: [1500, 1900, 2400, 3100, 3700, 3000] },
};

// --- Noise ------------------------------------------------------------------------------------------

function hash2(i: number, j: number, seed: number): number {
  let h = Math.imul(i, 374761393) ^ Math.imul(j, 668265263) ^ Math.imul(seed, 1442695041);
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 0xffffffff;
}

/** Smooth value noise in [0, 1] with a lattice of `scale` metres. */
function valueNoise(x: number, y: number, scale: number, seed: number): number {
  const u = x / scale;
  const v = y / scale;
  const i = Math.floor(u);
  const j = Math.floor(v);
  const fu = u - i;
  const fv = v - j;
  const su = fu * fu * (3 - 2 * fu);
  const sv = fv * fv * (3 - 2 * fv);
  const a = hash2(i, j, seed);
  const b = hash2(i + 1, j, seed);
  const c = hash2(i, j + 1, seed);
  const d = hash2(i + 1, j + 1, seed);
  return a + (b - a) * su + (c - a) * sv + (a - b - c + d) * su * sv;
}

/** Variation in [-1, 1] over several scales, for the mottling of soil and fields. */
export function mottle(x: number, y: number, seed = 7): number {
  return (
    (0.5 * valueNoise(x, y, 90, seed) +
      0.3 * valueNoise(x, y, 23, seed + 1) +
      0.2 * valueNoise(x, y, 5, seed + 2) -
      0.5) *
    2
  );
}

// --- Geometry -----------------------------------------------------------------------------------------

/** Distance from p to a polyline, and the position along it (metres from its start). */
export function polylineDistance(line: Point[], p: Point): number {
  let best = Infinity;
  for (let i = 0; i < line.length - 1; i++) {
    const a = line[i]!;
    const b = line[i + 1]!;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy)));
    best = Math.min(best, Math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy));
  }
  return best;
}

/** Whether p lies in a rectangle rotated `rotationDeg` anticlockwise about its centre. */
export function inRotatedRect(
  p: Point,
  r: { cx: number; cy: number; halfX: number; halfY: number; rotationDeg: number },
  grow = 0,
): boolean {
  const t = (-r.rotationDeg * Math.PI) / 180;
  const dx = p.x - r.cx;
  const dy = p.y - r.cy;
  const u = dx * Math.cos(t) - dy * Math.sin(t);
  const v = dx * Math.sin(t) + dy * Math.cos(t);
  return Math.abs(u) <= r.halfX + grow && Math.abs(v) <= r.halfY + grow;
}

const RIDGE_DX = RIDGE.to.x - RIDGE.from.x;
const RIDGE_DY = RIDGE.to.y - RIDGE.from.y;
const RIDGE_LEN = Math.hypot(RIDGE_DX, RIDGE_DY);

/**
 * Height of the ground above the plain (the ridge; the plain is flat), read from a 2 m grid of
 * `ridgeHeight` over the ridge's bounds, made on first use: a ray marching over the ridge asks for
 * it hundreds of times, and interpolating the grid costs a tenth of the formula.
 */
export function terrainHeight(x: number, y: number): number {
  const g = (heightGrid ??= makeHeightGrid());
  const u = (x - g.x0) / g.step;
  const v = (y - g.y0) / g.step;
  if (u < 0 || v < 0 || u >= g.cols - 1 || v >= g.rows - 1) return 0;
  const i = Math.floor(u);
  const j = Math.floor(v);
  const fu = u - i;
  const fv = v - j;
  const at = j * g.cols + i;
  const h = g.heights;
  return (
    (h[at]! * (1 - fu) + h[at + 1]! * fu) * (1 - fv) + (h[at + g.cols]! * (1 - fu) + h[at + g.cols + 1]! * fu) * fv
  );
}

let heightGrid: { x0: number; y0: number; step: number; cols: number; rows: number; heights: Float32Array } | undefined;

function makeHeightGrid() {
  const reach = RIDGE.halfWidth * 1.2;
  const x0 = Math.min(RIDGE.from.x, RIDGE.to.x) - reach;
  const y0 = Math.min(RIDGE.from.y, RIDGE.to.y) - reach;
  const step = 2;
  const cols = Math.ceil((Math.max(RIDGE.from.x, RIDGE.to.x) + reach - x0) / step) + 1;
  const rows = Math.ceil((Math.max(RIDGE.from.y, RIDGE.to.y) + reach - y0) / step) + 1;
  const heights = new Float32Array(cols * rows);
  for (let j = 0; j < rows; j++)
    for (let i = 0; i < cols; i++) heights[j * cols + i] = ridgeHeight(x0 + i * step, y0 + j * step);
  return { x0, y0, step, cols, rows, heights };
}

/** The ridge's height by its formula: a crest profile along its axis, rounded across it, roughened. */
function ridgeHeight(x: number, y: number): number {
  const rx = x - RIDGE.from.x;
  const ry = y - RIDGE.from.y;
  const s = (rx * RIDGE_DX + ry * RIDGE_DY) / (RIDGE_LEN * RIDGE_LEN);
  if (s <= 0 || s >= 1) return 0;
  const d = Math.abs(rx * RIDGE_DY - ry * RIDGE_DX) / RIDGE_LEN;
  const hw = RIDGE.halfWidth * (0.85 + 0.3 * valueNoise(s * 2600, 0, 160, 31));
  if (d >= hw) return 0;
  const k = 1 - (d / hw) ** 2;
  return RIDGE.crest(s) * k * Math.sqrt(k) * (0.92 + 0.16 * valueNoise(x, y, 35, 41));
}

/** The ground's unit normal (x east, y north, z up), from the height's slope. */
export function terrainNormal(x: number, y: number): [number, number, number] {
  const e = 1.5;
  const gx = (terrainHeight(x + e, y) - terrainHeight(x - e, y)) / (2 * e);
  const gy = (terrainHeight(x, y + e) - terrainHeight(x, y - e)) / (2 * e);
  const n = Math.hypot(gx, gy, 1);
  return [-gx / n, -gy / n, 1 / n];
}

/** Inside the burn scar: the ellipse round BURN's rectangle, its edge ragged as a grass fire leaves it. */
function inBurn(x: number, y: number): boolean {
  const t = (-BURN.rotationDeg * Math.PI) / 180;
  const dx = x - BURN.cx;
  const dy = y - BURN.cy;
  const u = (dx * Math.cos(t) - dy * Math.sin(t)) / BURN.halfX;
  const v = (dx * Math.sin(t) + dy * Math.cos(t)) / BURN.halfY;
  return Math.hypot(u, v) < 1 + 0.35 * (valueNoise(x, y, 28, 51) - 0.5) + 0.12 * (valueNoise(x, y, 7, 53) - 0.5);
}

/** What the ground is at a point (under any solid standing there). */
export function groundSurface(x: number, y: number, burnt: boolean): Surface {
  const p = { x, y };
  if (burnt && inBurn(x, y)) return "burnt";
  if (inRotatedRect(p, COMPOUND)) return "yard";
  if (polylineDistance(ROAD, p) < ROAD_HALF_WIDTH + 0.8 * valueNoise(x, y, 6, 61)) return "road";
  const river = polylineDistance(RIVER, p) + 14 * (valueNoise(x, y, 70, 71) - 0.5);
  if (river < RIVER_HALF_WIDTH) return "water";
  if (river < RIVER_HALF_WIDTH + 3 + 9 * valueNoise(x, y, 45, 73)) return "sand";
  if (river < RIVER_HALF_WIDTH + BANK_WIDTH * (0.6 + 0.6 * valueNoise(x, y, 25, 81))) return "bank";
  const h = terrainHeight(x, y);
  if (h > 4 + 14 * valueNoise(x, y, 14, 91)) return "rock";
  if (h > 0.5 + 2 * valueNoise(x, y, 8, 93)) return valueNoise(x, y, 6, 95) > 0.55 ? "rock" : "sand";
  for (const f of FIELDS) if (inRotatedRect(p, f)) return f.crop;
  // Scattered scrub: dark clumps where a fine noise peaks, denser near the river.
  const wet = Math.max(0, 1 - polylineDistance(RIVER, p) / 400);
  if (valueNoise(x, y, 1.7, 97) > 0.93 - 0.1 * wet - 0.04 * valueNoise(x, y, 60, 98)) return "scrub";
  return "soil";
}

/** Colour in full sun, with the ground's mottling (and furrows in millet fields). */
export function surfaceRgb(s: Surface, x: number, y: number): [number, number, number] {
  const base = LOOK[s].rgb;
  let k = 1 + 0.13 * mottle(x, y);
  // Paler sandy stretches of soil over a few hundred metres.
  if (s === "soil") k *= 1 + 0.07 * valueNoise(x, y, 140, 99);
  if (s === "millet") k *= 1 + 0.07 * Math.sin((x * 0.94 + y * 0.34) * 2.1);
  if (s === "rock") k *= 1 + 0.15 * (valueNoise(x, y, 3, 101) - 0.5);
  if (s === "road") {
    // Two wheel ruts, darker, either side of the centre line.
    const off = polylineDistance(ROAD, { x, y });
    if (Math.abs(off - 1.3) < 0.35 + 0.2 * valueNoise(x, y, 4, 103)) k *= 0.86;
  }
  return [base[0] * k, base[1] * k, base[2] * k];
}

/** Reflectance × 10,000 in the six bands, with the same mottling as the colour. */
export function surfaceBands(s: Surface, x: number, y: number): number[] {
  const k = 1 + 0.06 * mottle(x, y);
  return LOOK[s].bands.map((b) => b * k);
}

// --- Solids -------------------------------------------------------------------------------------------

/** A ray hit: distance along the ray, the surface normal there and what was hit. */
export interface Hit {
  t: number;
  normal: [number, number, number];
  material: Material;
}

type Vec = [number, number, number];

/** Where a ray (origin o, unit direction d) first meets a solid, if it does. */
export function intersectSolid(solid: Solid, o: Vec, d: Vec): Hit | null {
  if (solid.kind === "crown") {
    // Scale z so the ellipsoid becomes a sphere of radius `radius`.
    const k = solid.radius / solid.rz;
    const ox = o[0] - solid.cx;
    const oy = o[1] - solid.cy;
    const oz = (o[2] - solid.cz) * k;
    const dz = d[2] * k;
    const a = d[0] * d[0] + d[1] * d[1] + dz * dz;
    const b = 2 * (ox * d[0] + oy * d[1] + oz * dz);
    const c = ox * ox + oy * oy + oz * oz - solid.radius * solid.radius;
    const disc = b * b - 4 * a * c;
    if (disc < 0) return null;
    const t = (-b - Math.sqrt(disc)) / (2 * a);
    if (t <= 1e-6) return null;
    const hx = ox + t * d[0];
    const hy = oy + t * d[1];
    const hz = (oz + t * dz) * k;
    const n = Math.hypot(hx, hy, hz);
    return { t, normal: [hx / n, hy / n, hz / n], material: "tree" };
  }
  // An oriented box: the ray in the box's own frame, then the slab test.
  const r = (-solid.rotationDeg * Math.PI) / 180;
  const cos = Math.cos(r);
  const sin = Math.sin(r);
  const lx = (o[0] - solid.cx) * cos - (o[1] - solid.cy) * sin;
  const ly = (o[0] - solid.cx) * sin + (o[1] - solid.cy) * cos;
  const dx = d[0] * cos - d[1] * sin;
  const dy = d[0] * sin + d[1] * cos;
  const lo = [-solid.halfX, -solid.halfY, solid.bottom];
  const hi = [solid.halfX, solid.halfY, solid.top];
  const ol = [lx, ly, o[2]];
  const dl = [dx, dy, d[2]];
  let tNear = -Infinity;
  let tFar = Infinity;
  let axis = 0;
  let sign = 1;
  for (let i = 0; i < 3; i++) {
    if (Math.abs(dl[i]!) < 1e-12) {
      if (ol[i]! < lo[i]! || ol[i]! > hi[i]!) return null;
      continue;
    }
    let t1 = (lo[i]! - ol[i]!) / dl[i]!;
    let t2 = (hi[i]! - ol[i]!) / dl[i]!;
    let s = -1;
    if (t1 > t2) {
      [t1, t2] = [t2, t1];
      s = 1;
    }
    if (t1 > tNear) {
      tNear = t1;
      axis = i;
      sign = s;
    }
    tFar = Math.min(tFar, t2);
    if (tNear > tFar) return null;
  }
  if (tNear <= 1e-6) return null;
  if (axis === 2)
    return { t: tNear, normal: [0, 0, sign], material: sign > 0 ? (solid.roof ?? solid.material) : solid.material };
  const back = -r;
  const nx = axis === 0 ? sign : 0;
  const ny = axis === 1 ? sign : 0;
  return {
    t: tNear,
    normal: [nx * Math.cos(back) - ny * Math.sin(back), nx * Math.sin(back) + ny * Math.cos(back), 0],
    material: solid.material,
  };
}

/** The plan-view bounds of a solid, for spatial bins. */
function planBounds(s: Solid): [number, number, number, number] {
  const r = s.kind === "crown" ? s.radius : Math.hypot(s.halfX, s.halfY);
  return [s.cx - r, s.cy - r, s.cx + r, s.cy + r];
}

/** Solids binned on a grid, so a ray near the ground only tests the few that stand near it. */
export class SolidIndex {
  private readonly bins = new Map<number, Solid[]>();
  constructor(
    readonly all: Solid[],
    private readonly cell = 16,
  ) {
    for (const s of all) {
      const [x0, y0, x1, y1] = planBounds(s);
      for (let i = Math.floor(x0 / cell); i <= Math.floor(x1 / cell); i++)
        for (let j = Math.floor(y0 / cell); j <= Math.floor(y1 / cell); j++) {
          const key = i * 65_536 + j;
          const list = this.bins.get(key) ?? [];
          list.push(s);
          this.bins.set(key, list);
        }
    }
  }

  /** Solids whose plan bounds may come within `reach` metres of (x, y); one may be listed twice. */
  near(x: number, y: number, reach: number): Solid[] {
    const c = this.cell;
    const i0 = Math.floor((x - reach) / c);
    const i1 = Math.floor((x + reach) / c);
    const j0 = Math.floor((y - reach) / c);
    const j1 = Math.floor((y + reach) / c);
    if (i0 === i1 && j0 === j1) return this.bins.get(i0 * 65_536 + j0) ?? [];
    const out: Solid[] = [];
    for (let i = i0; i <= i1; i++)
      for (let j = j0; j <= j1; j++) for (const s of this.bins.get(i * 65_536 + j) ?? []) out.push(s);
    return out;
  }

  /** Whether the sun (unit vector towards it) is hidden from a point by a solid. */
  inShadow(p: Vec, sun: Vec): boolean {
    // The tallest solid is a 9 m pole: a shadow reaches no further than its length at this sun.
    const reach = Math.min(200, (10 - Math.min(p[2], 9.5)) / Math.max(0.05, sun[2]) + 1);
    const mx = p[0] + (sun[0] * reach) / 2;
    const my = p[1] + (sun[1] * reach) / 2;
    for (const s of this.near(mx, my, reach / 2 + 1)) if (intersectSolid(s, p, sun)) return true;
    return false;
  }

  /** The first solid a ray meets within `maxT`, testing only those near its path. */
  firstHit(o: Vec, d: Vec, maxT: number): Hit | null {
    let best: Hit | null = null;
    for (const s of this.all) {
      const hit = intersectSolid(s, o, d);
      if (hit && hit.t < maxT && (!best || hit.t < best.t)) best = hit;
    }
    return best;
  }
}

/** The material look of a solid's surface (colour and bands), as for ground surfaces. */
export function materialLook(m: Material): (typeof LOOK)[Surface] {
  return LOOK[m];
}
