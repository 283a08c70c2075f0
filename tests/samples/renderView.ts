/**
 * The training landscape seen from the ground: a pinhole camera's view, ray-traced through the
 * same description the maps are drawn from (ridge, river, road, compound, poles, trees), lit by the
 * sun at the picture's instant, with cast shadows, haze, and the smoke and flames of the fire as
 * soft puffs composited over it. Plain and not artistic, but matchable: the ridge line, the river's
 * trees, the road and the compound stand where the map puts them, and every shadow falls where
 * the sun puts it.
 */
import sharp from "sharp";
import { COMPOUND, gridAzimuth, RIDGE, seeded, solids, type Camera, type Solid } from "./landscape.js";
import { sunVector } from "./planView.js";
import {
  groundSurface,
  intersectSolid,
  materialLook,
  SolidIndex,
  surfaceRgb,
  terrainHeight,
  terrainNormal,
  type Hit,
} from "./surface.js";

type Vec = [number, number, number];

export interface ViewOptions {
  camera: Camera;
  /** Output size in pixels; the view is traced at twice this and reduced. */
  width: number;
  height: number;
  instant: string;
  /** Roofs burnt and the straw shelter gone (the compound during and after the fire). */
  burnt: boolean;
  /** Leave these solids out (an edited copy of a picture). */
  omit?: (s: Solid) => boolean;
}

/** A traced view before smoke: colour and depth per pixel, and how to project a point into it. */
export interface TracedView {
  width: number;
  height: number;
  rgb: Float32Array;
  depth: Float32Array;
  /** Focal length in pixels of the traced size. */
  focal: number;
  project(p: Vec): { x: number; y: number; depth: number } | null;
}

const dot = (a: Vec, b: Vec) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec, b: Vec): Vec => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const norm = (a: Vec): Vec => {
  const n = Math.hypot(a[0], a[1], a[2]);
  return [a[0] / n, a[1] / n, a[2] / n];
};

/** The camera's frame: position, forward, right and up vectors, focal length in pixels. */
export function cameraFrame(camera: Camera, width: number) {
  const origin: Vec = [camera.x, camera.y, terrainHeight(camera.x, camera.y) + camera.z];
  const az = (gridAzimuth(camera.azimuthDeg, camera) * Math.PI) / 180;
  const tilt = (camera.tiltDeg * Math.PI) / 180;
  const forward: Vec = [Math.sin(az) * Math.cos(tilt), Math.cos(az) * Math.cos(tilt), Math.sin(tilt)];
  const right: Vec = norm([Math.cos(az), -Math.sin(az), 0]);
  const up = cross(right, forward);
  const focal = width / 2 / Math.tan((camera.hfovDeg * Math.PI) / 360);
  return { origin, forward, right, up, focal };
}

const RIDGE_DX = RIDGE.to.x - RIDGE.from.x;
const RIDGE_DY = RIDGE.to.y - RIDGE.from.y;
const RIDGE_LEN = Math.hypot(RIDGE_DX, RIDGE_DY);
const RIDGE_REACH = RIDGE.halfWidth * 1.2;
const RIDGE_TOP = 110;

/** Where a ray meets the ground: the ridge by marching through its strip, else the flat plain. */
function traceGround(o: Vec, d: Vec): number | null {
  // Signed distance from the ridge's axis along the ray is linear in t: solve for the strip.
  const d0 = ((o[0] - RIDGE.from.x) * RIDGE_DY - (o[1] - RIDGE.from.y) * RIDGE_DX) / RIDGE_LEN;
  const dd = (d[0] * RIDGE_DY - d[1] * RIDGE_DX) / RIDGE_LEN;
  let t0 = 0;
  let t1 = 20_000;
  if (Math.abs(dd) < 1e-9) {
    if (Math.abs(d0) > RIDGE_REACH) t1 = -1;
  } else {
    const a = (-RIDGE_REACH - d0) / dd;
    const b = (RIDGE_REACH - d0) / dd;
    t0 = Math.max(0, Math.min(a, b));
    t1 = Math.min(t1, Math.max(a, b));
  }
  const plane = d[2] < 0 ? -o[2] / d[2] : Infinity;
  t1 = Math.min(t1, plane);
  let prev = t0;
  for (let t = t0; t <= t1;) {
    const z = o[2] + t * d[2];
    if (z > RIDGE_TOP && d[2] >= 0) break;
    const ground = z < RIDGE_TOP ? terrainHeight(o[0] + t * d[0], o[1] + t * d[1]) : 0;
    if (z < RIDGE_TOP && z < ground) {
      let lo = prev;
      let hi = t;
      for (let i = 0; i < 8; i++) {
        const m = (lo + hi) / 2;
        if (o[2] + m * d[2] < terrainHeight(o[0] + m * d[0], o[1] + m * d[1])) hi = m;
        else lo = m;
      }
      return hi;
    }
    prev = t;
    // The ridge's slopes stay under 2 in 1: a ray this far above the ground cannot meet it sooner.
    t += Math.max(0.5, t * 0.003, (z - ground) / (Math.abs(d[2]) + 2));
  }
  return plane === Infinity ? null : plane;
}

const HAZE: Vec = [214, 208, 196];

function skyColour(d: Vec): Vec {
  const e = Math.max(0, d[2]);
  const k = Math.pow(e, 0.45);
  return [HAZE[0] + (118 - HAZE[0]) * k, HAZE[1] + (158 - HAZE[1]) * k, HAZE[2] + (204 - HAZE[2]) * k];
}

/** Screen-space bins of the solids, so each ray tests only those whose outline covers its pixel. */
function binSolids(list: Solid[], project: TracedView["project"], width: number, height: number, cell: number) {
  const cols = Math.ceil(width / cell);
  const rows = Math.ceil(height / cell);
  const bins: Solid[][] = Array.from({ length: cols * rows }, () => []);
  for (const s of list) {
    const r = s.kind === "crown" ? s.radius : Math.hypot(s.halfX, s.halfY);
    const z0 = terrainHeight(s.cx, s.cy) + (s.kind === "crown" ? 0 : s.bottom);
    const z1 = terrainHeight(s.cx, s.cy) + (s.kind === "crown" ? s.cz + s.rz : s.top);
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    let behind = 0;
    for (const cx of [s.cx - r, s.cx + r])
      for (const cy of [s.cy - r, s.cy + r])
        for (const cz of [z0, z1]) {
          const p = project([cx, cy, cz]);
          if (!p) {
            behind++;
            continue;
          }
          x0 = Math.min(x0, p.x);
          y0 = Math.min(y0, p.y);
          x1 = Math.max(x1, p.x);
          y1 = Math.max(y1, p.y);
        }
    if (behind === 8) continue;
    if (behind > 0) [x0, y0, x1, y1] = [0, 0, width, height];
    for (let j = Math.max(0, Math.floor(y0 / cell)); j <= Math.min(rows - 1, Math.floor(y1 / cell)); j++)
      for (let i = Math.max(0, Math.floor(x0 / cell)); i <= Math.min(cols - 1, Math.floor(x1 / cell)); i++)
        bins[j * cols + i]!.push(s);
  }
  return (px: number, py: number) => bins[Math.floor(py / cell) * cols + Math.floor(px / cell)]!;
}

/** Traces the view at twice the output size (for the smoke to be laid on before reduction). */
export function traceView(o: ViewOptions): TracedView {
  const width = o.width * 2;
  const height = o.height * 2;
  const cam = cameraFrame(o.camera, width);
  const all = solids(o.burnt).filter((s) => !o.omit?.(s));
  const index = new SolidIndex(all);
  const sun = sunVector(o.instant);
  const project: TracedView["project"] = (p) => {
    const rel: Vec = [p[0] - cam.origin[0], p[1] - cam.origin[1], p[2] - cam.origin[2]];
    const depth = dot(rel, cam.forward);
    if (depth < 0.2) return null;
    return {
      x: width / 2 + (cam.focal * dot(rel, cam.right)) / depth,
      y: height / 2 - (cam.focal * dot(rel, cam.up)) / depth,
      depth,
    };
  };
  const candidates = binSolids(all, project, width, height, 16);
  const rgb = new Float32Array(width * height * 3);
  const depth = new Float32Array(width * height);
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      const sx = (px + 0.5 - width / 2) / cam.focal;
      const sy = (height / 2 - py - 0.5) / cam.focal;
      const d = norm([
        cam.forward[0] + sx * cam.right[0] + sy * cam.up[0],
        cam.forward[1] + sx * cam.right[1] + sy * cam.up[1],
        cam.forward[2] + sx * cam.right[2] + sy * cam.up[2],
      ]);
      const tGround = traceGround(cam.origin, d);
      let hit: Hit | null = null;
      for (const s of candidates(px, py)) {
        const h = intersectSolid(s, cam.origin, d);
        if (h && (tGround === null || h.t < tGround) && (!hit || h.t < hit.t)) hit = h;
      }
      const i = py * width + px;
      let colour: Vec;
      let t: number;
      if (!hit && tGround === null) {
        colour = skyColour(d);
        t = 1e9;
      } else {
        t = hit ? hit.t : tGround!;
        const p: Vec = [cam.origin[0] + t * d[0], cam.origin[1] + t * d[1], cam.origin[2] + t * d[2]];
        let albedo: number[];
        let normal: Vec;
        if (hit) {
          albedo = materialLook(hit.material).rgb;
          normal = hit.normal;
        } else {
          albedo = surfaceRgb(groundSurface(p[0], p[1], false), p[0], p[1]);
          normal = terrainNormal(p[0], p[1]);
        }
        const lift: Vec = [p[0] + normal[0] * 0.03, p[1] + normal[1] * 0.03, p[2] + normal[2] * 0.03];
        const direct = index.inShadow(lift, sun) ? 0 : Math.max(0, dot(normal, sun));
        const light = 0.42 + 0.78 * direct;
        const fog = 1 - Math.exp(-t / 6500);
        colour = [0, 1, 2].map((c) => albedo[c]! * light * (1 - fog) + HAZE[c]! * fog) as Vec;
      }
      rgb[i * 3] = colour[0];
      rgb[i * 3 + 1] = colour[1];
      rgb[i * 3 + 2] = colour[2];
      depth[i] = t;
    }
  }
  return { width, height, rgb, depth, focal: cam.focal, project };
}

// --- Smoke and flames -----------------------------------------------------------------------------

/** One soft puff of smoke or flame, in the landscape's metres. */
export interface Puff {
  centre: Vec;
  radius: number;
  opacity: number;
  colour: Vec;
  /** Flames add light; smoke covers. */
  glow: boolean;
}

/**
 * The fire at the compound `seconds` into a sequence: smoke rising from the houses and drifting
 * west-south-west on the morning wind, and flames at the roofs. `strength` 0–1 scales both.
 */
export function firePuffs(strength: number, seconds: number, seed: number): Puff[] {
  const random = seeded(seed);
  const puffs: Puff[] = [];
  const wind = (gridAzimuth(248) * Math.PI) / 180;
  const sources: Vec[] = [
    [-6, 12, 4],
    [17, 4, 3.4],
    [-16, -10, 1.5],
  ].map(([dx, dy, z]) => {
    const t = (COMPOUND.rotationDeg * Math.PI) / 180;
    return [
      COMPOUND.cx + dx! * Math.cos(t) - dy! * Math.sin(t),
      COMPOUND.cy + dx! * Math.sin(t) + dy! * Math.cos(t),
      z!,
    ];
  });
  const count = Math.round(150 * strength);
  for (let k = 0; k < count; k++) {
    const src = sources[k % sources.length]!;
    const rise = ((k * 2.3 + seconds * 2.2 + random() * 3) % 160) + 1;
    const drift = rise * 0.75;
    const wobble = 6 * Math.sin(rise / 17 + k);
    puffs.push({
      centre: [
        src[0] + Math.sin(wind) * drift + Math.cos(wind) * wobble + (random() - 0.5) * 4,
        src[1] + Math.cos(wind) * drift - Math.sin(wind) * wobble + (random() - 0.5) * 4,
        src[2] + rise,
      ],
      radius: 3 + rise * 0.32 + random() * 2,
      // Fades in at the source and out at the top, so a puff that starts again below does not pop.
      opacity:
        Math.min(0.85, (0.5 + 0.3 * random()) * Math.exp(-rise / 140) * (0.6 + 0.4 * strength)) *
        Math.min(1, rise / 4, (161 - rise) / 30),
      colour: rise < 25 ? [58, 54, 50] : [96 + rise * 0.35, 92 + rise * 0.35, 88 + rise * 0.35],
      glow: false,
    });
  }
  const flames = Math.round(26 * strength);
  for (let k = 0; k < flames; k++) {
    const src = sources[k % 2]!;
    const flick = 0.5 + 0.5 * Math.sin(seconds * 9 + k * 1.7);
    puffs.push({
      centre: [src[0] + (random() - 0.5) * 12, src[1] + (random() - 0.5) * 6, src[2] + random() * 3.5 * flick],
      radius: 1.2 + random() * 1.6,
      opacity: 0.55 + 0.4 * flick,
      colour: random() < 0.5 ? [255, 150, 40] : [255, 214, 120],
      glow: true,
    });
  }
  // Flames first, then smoke from the far end to the near one is fine for soft puffs: sort by height.
  return puffs.sort((a, b) => a.centre[2] - b.centre[2]);
}

/** Draws thin lines (wires) one pixel wide where nothing nearer hides them. */
function drawWires(view: TracedView, out: Float32Array, wires: Vec[][]): void {
  const { width, height } = view;
  for (const wire of wires) {
    for (let k = 0; k < wire.length - 1; k++) {
      const a = view.project(wire[k]!);
      const b = view.project(wire[k + 1]!);
      if (!a || !b) continue;
      const steps = Math.ceil(Math.max(Math.abs(b.x - a.x), Math.abs(b.y - a.y), 1));
      for (let s = 0; s <= steps; s++) {
        const t = s / steps;
        const x = Math.round(a.x + (b.x - a.x) * t);
        const y = Math.round(a.y + (b.y - a.y) * t);
        if (x < 0 || y < 0 || x >= width || y >= height) continue;
        const i = y * width + x;
        if (view.depth[i]! < a.depth + (b.depth - a.depth) * t) continue;
        for (let c = 0; c < 3; c++) out[i * 3 + c] = out[i * 3 + c]! * 0.3 + 40 * 0.7;
      }
    }
  }
}

/**
 * Lays wires and puffs over a traced view (each hidden where the scene is nearer), adds grain and
 * the gentle darkening of a phone lens towards the corners, and reduces it to RGB bytes.
 */
export async function finishView(view: TracedView, puffs: Puff[], grain = 0, wires: Vec[][] = []): Promise<Buffer> {
  const out = Float32Array.from(view.rgb);
  const { width, height } = view;
  drawWires(view, out, wires);
  for (const puff of puffs) {
    const c = view.project(puff.centre);
    if (!c) continue;
    const rad = Math.max(1, (puff.radius * view.focal) / c.depth);
    for (let y = Math.max(0, Math.floor(c.y - rad)); y < Math.min(height, Math.ceil(c.y + rad)); y++) {
      for (let x = Math.max(0, Math.floor(c.x - rad)); x < Math.min(width, Math.ceil(c.x + rad)); x++) {
        const i = y * width + x;
        if (view.depth[i]! < c.depth - puff.radius) continue;
        const q = ((x - c.x) ** 2 + (y - c.y) ** 2) / (rad * rad);
        if (q >= 1) continue;
        const a = puff.opacity * (1 - q) ** 2;
        for (let k = 0; k < 3; k++) {
          const j = i * 3 + k;
          out[j] = puff.glow ? out[j]! + a * puff.colour[k]! : out[j]! * (1 - a) + a * puff.colour[k]!;
        }
      }
    }
  }
  const random = seeded(97);
  const bytes = Buffer.alloc(width * height * 3);
  for (let j = 0; j < bytes.length; j++) {
    const p = Math.floor(j / 3);
    const r2 = ((p % width) / width - 0.5) ** 2 + (Math.floor(p / width) / height - 0.5) ** 2;
    const n = grain ? (random() - 0.5) * grain : 0;
    bytes[j] = Math.max(0, Math.min(255, Math.round(out[j]! * (1 - 0.3 * r2) + n)));
  }
  return sharp(bytes, { raw: { width, height, channels: 3 } })
    .resize(width / 2, height / 2, { kernel: "lanczos3" })
    .raw()
    .toBuffer();
}
