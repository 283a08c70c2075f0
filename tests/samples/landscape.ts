/**
 * The landscape of the shipped training sample, described once in code: every picture of it (the
 * satellite scenes, the basemap, the ground photos and the video) is drawn from this description,
 * so a ridge line, a river bend, a road and a compound seen in a photo can be matched by eye to
 * the map, and a shadow in a photo agrees with the sun at the place and time the answer key gives.
 *
 * The place is invented: flat, semi-arid country in northern Mali (no real village, no real
 * people). Positions are metres east (x) and north (y) of the compound's centre on the UTM zone 31N
 * grid (EPSG:32631), heights metres above the plain. Grid north differs from true north here by the
 * meridian convergence (about half a degree), which `gridAzimuth` takes into account.
 */
import proj4 from "proj4";
import { mulberry32 as seeded } from "../support/mediaCorpus.js";

export const UTM31N = "+proj=utm +zone=31 +datum=WGS84 +units=m +no_defs";
export const EPSG = 32631;

/** The compound's centre, on whole metres of the UTM grid. */
export const ORIGIN = (() => {
  const [x, y] = proj4("EPSG:4326", UTM31N, [1.287, 18.362]);
  return { x: Math.round(x!), y: Math.round(y!) };
})();

export interface Point {
  x: number;
  y: number;
}

/** WGS 84 latitude and longitude of a point of the landscape. */
export function toLatLon(p: Point): { lat: number; lon: number } {
  const [lon, lat] = proj4(UTM31N, "EPSG:4326", [ORIGIN.x + p.x, ORIGIN.y + p.y]);
  return { lat: lat!, lon: lon! };
}

/** The landscape point of a WGS 84 position. */
export function fromLatLon(lat: number, lon: number): Point {
  const [x, y] = proj4("EPSG:4326", UTM31N, [lon, lat]);
  return { x: x! - ORIGIN.x, y: y! - ORIGIN.y };
}

/** A true azimuth (degrees clockwise from true north) as a grid azimuth at `p`. */
export function gridAzimuth(trueAzimuth: number, p: Point = { x: 0, y: 0 }): number {
  const here = toLatLon(p);
  const north = fromLatLon(here.lat + 0.01, here.lon);
  const convergence = (Math.atan2(north.x - p.x, north.y - p.y) * 180) / Math.PI;
  return (((trueAzimuth + convergence) % 360) + 360) % 360;
}

// --- The features -------------------------------------------------------------------------------

/** The river's centre line, north to south-west: it bends east round the fields west of the compound. */
export const RIVER: Point[] = [
  { x: -980, y: 1250 },
  { x: -700, y: 880 },
  { x: -430, y: 560 },
  { x: -250, y: 300 },
  { x: -215, y: 80 },
  { x: -300, y: -120 },
  { x: -560, y: -300 },
  { x: -900, y: -390 },
  { x: -1250, y: -420 },
];
export const RIVER_HALF_WIDTH = 16;
/** Green banks either side of the water. */
export const BANK_WIDTH = 26;

/** The road: a laterite track from the south-west to the east, passing south of the compound. */
export const ROAD: Point[] = [
  { x: -1250, y: -900 },
  { x: -600, y: -520 },
  { x: -180, y: -230 },
  { x: 40, y: -75 },
  { x: 450, y: 70 },
  { x: 1250, y: 240 },
];
export const ROAD_HALF_WIDTH = 4.5;

/** The ridge: a rocky spine north of the compound, WNW–ESE, with a high western summit and a lower eastern one. */
export const RIDGE = {
  from: { x: -1200, y: 1080 },
  to: { x: 1400, y: 640 },
  halfWidth: 170,
  /** Height of the crest along the ridge, s in [0, 1] from `from` to `to`. */
  crest(s: number): number {
    const taper = Math.min(1, s / 0.12, (1 - s) / 0.12);
    const west = 50 * Math.exp(-(((s - 0.34) / 0.09) ** 2));
    const east = 20 * Math.exp(-(((s - 0.68) / 0.07) ** 2));
    return Math.max(0, taper) * (38 + west + east);
  },
};

/** The walled compound: a rectangle rotated 12° anticlockwise from the grid, gate on the south. */
export const COMPOUND = { cx: 0, cy: 0, halfX: 28, halfY: 22, rotationDeg: 12, wallHeight: 2.8, wallThickness: 0.6 };

/** Fields (rotated rectangles) on the flat between the river and the compound, and east of it. */
export const FIELDS = [
  { cx: -120, cy: 170, halfX: 60, halfY: 45, rotationDeg: 20, crop: "millet" },
  { cx: -140, cy: 40, halfX: 45, halfY: 55, rotationDeg: 20, crop: "fallow" },
  { cx: -90, cy: 330, halfX: 55, halfY: 40, rotationDeg: 30, crop: "millet" },
  { cx: 170, cy: 140, halfX: 70, halfY: 50, rotationDeg: 12, crop: "fallow" },
  { cx: -560, cy: -80, halfX: 80, halfY: 60, rotationDeg: -15, crop: "millet" },
] as const;

/** The burn scar in the "after" state: the compound and a strip downwind (west-south-west) of it. */
export const BURN = { cx: -55, cy: -10, halfX: 130, halfY: 62, rotationDeg: 18 };

// --- What stands on the ground ------------------------------------------------------------------

export type Material = "wall" | "mudHouse" | "tinRoof" | "burntRoof" | "pole" | "tree" | "straw";

/** A box standing on the plain: centre, half sizes, rotation (degrees anticlockwise), height. */
export interface Box {
  kind: "box";
  cx: number;
  cy: number;
  halfX: number;
  halfY: number;
  rotationDeg: number;
  bottom: number;
  top: number;
  material: Material;
  /** The material of the top face, when it differs (a roof). */
  roof?: Material;
}

/** A tree crown: an ellipsoid (round in plan), on a short trunk. */
export interface Crown {
  kind: "crown";
  cx: number;
  cy: number;
  radius: number;
  /** Height of the crown's centre and its vertical semi-axis. */
  cz: number;
  rz: number;
}

export type Solid = Box | Crown;

/** Deterministic random numbers (mulberry32), so every build draws the same landscape. */
export { seeded };

function rotate(dx: number, dy: number, deg: number): Point {
  const t = (deg * Math.PI) / 180;
  return { x: dx * Math.cos(t) - dy * Math.sin(t), y: dx * Math.sin(t) + dy * Math.cos(t) };
}

/** The compound's walls (with a gate gap in the south wall), its two houses and a straw shelter. */
function compoundSolids(burnt: boolean): Solid[] {
  const c = COMPOUND;
  const t = c.wallThickness / 2;
  const at = (dx: number, dy: number) => {
    const r = rotate(dx, dy, c.rotationDeg);
    return { cx: c.cx + r.x, cy: c.cy + r.y };
  };
  const box = (dx: number, dy: number, halfX: number, halfY: number, top: number, material: Material): Box => ({
    kind: "box",
    ...at(dx, dy),
    halfX,
    halfY,
    rotationDeg: c.rotationDeg,
    bottom: 0,
    top,
    material,
  });
  const wall = (dx: number, dy: number, halfX: number, halfY: number) =>
    box(dx, dy, halfX, halfY, c.wallHeight, "wall");
  const gate = 3;
  const solids: Solid[] = [
    wall(0, c.halfY, c.halfX, t),
    wall(-c.halfX, 0, t, c.halfY),
    wall(c.halfX, 0, t, c.halfY),
    wall(-(c.halfX + gate) / 2, -c.halfY, (c.halfX - gate) / 2, t),
    wall((c.halfX + gate) / 2, -c.halfY, (c.halfX - gate) / 2, t),
  ];
  const house = (dx: number, dy: number, halfX: number, halfY: number, top: number, roof: Material): Box => ({
    ...box(dx, dy, halfX, halfY, top, "mudHouse"),
    roof: burnt ? "burntRoof" : roof,
  });
  solids.push(house(-6, 12, 11, 4.5, 4.2, "tinRoof"), house(17, 4, 4.5, 6, 3.4, "mudHouse"));
  if (!burnt) solids.push({ ...house(-16, -10, 5, 4, 2.4, "straw"), material: "straw" });
  solids.push({ kind: "crown", ...at(10, -12), radius: 4.5, cz: 5.5, rz: 2.6 });
  return solids;
}

/** Electricity poles on the north side of the road, every 55 m: 9 m of wood, 0.3 m square. */
export const POLE_HEIGHT = 9;
export function polePositions(): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < ROAD.length - 1; i++) {
    const a = ROAD[i]!;
    const b = ROAD[i + 1]!;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    const nx = -(b.y - a.y) / len;
    const ny = (b.x - a.x) / len;
    for (let d = 0; d < len; d += 55) {
      out.push({ x: a.x + ((b.x - a.x) * d) / len + nx * 7, y: a.y + ((b.y - a.y) * d) / len + ny * 7 });
    }
  }
  return out.filter((p) => Math.hypot(p.x, p.y) > 40);
}

/** The power line's wire, pole top to pole top, sagging half a metre mid-span: one 3-D polyline per span. */
export function wireSpans(): [number, number, number][][] {
  const poles = polePositions();
  const spans: [number, number, number][][] = [];
  for (let i = 0; i < poles.length - 1; i++) {
    const a = poles[i]!;
    const b = poles[i + 1]!;
    const points: [number, number, number][] = [];
    for (let k = 0; k <= 24; k++) {
      const t = k / 24;
      points.push([a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, POLE_HEIGHT - 0.25 - 2 * t * (1 - t)]);
    }
    spans.push(points);
  }
  return spans;
}

/** Acacias along the river banks and scattered on the plain, drawn from a fixed seed. */
function trees(): Crown[] {
  const random = seeded(1403);
  const out: Crown[] = [];
  for (let i = 0; i < RIVER.length - 1; i++) {
    const a = RIVER[i]!;
    const b = RIVER[i + 1]!;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    for (let d = 0; d < len; d += 18 + random() * 30) {
      const side = random() < 0.5 ? -1 : 1;
      const off = side * (RIVER_HALF_WIDTH + 6 + random() * (BANK_WIDTH - 4));
      const nx = -(b.y - a.y) / len;
      const ny = (b.x - a.x) / len;
      const radius = 3 + random() * 3.5;
      const cz = 4 + random() * 3;
      out.push({
        kind: "crown",
        cx: a.x + ((b.x - a.x) * d) / len + nx * off,
        cy: a.y + ((b.y - a.y) * d) / len + ny * off,
        radius,
        cz,
        rz: radius * 0.55,
      });
    }
  }
  for (let i = 0; i < 70; i++) {
    const x = -1000 + random() * 2000;
    const y = -800 + random() * 1500;
    if (Math.hypot(x, y) < 60) continue;
    const radius = 2 + random() * 2.5;
    out.push({ kind: "crown", cx: x, cy: y, radius, cz: 3 + random() * 2, rz: radius * 0.5 });
  }
  return out;
}

/** A tree's trunk, from the ground to its crown. */
function trunk(c: Crown): Box {
  const top = c.cz - c.rz * 0.7;
  return {
    kind: "box",
    cx: c.cx,
    cy: c.cy,
    halfX: 0.16,
    halfY: 0.16,
    rotationDeg: 0,
    bottom: 0,
    top,
    material: "pole",
  };
}

/** Everything standing on the plain, before the fire (`burnt` false) or after it. */
export function solids(burnt: boolean): Solid[] {
  const poles: Solid[] = polePositions().map((p) => ({
    kind: "box",
    cx: p.x,
    cy: p.y,
    halfX: 0.17,
    halfY: 0.17,
    rotationDeg: 0,
    bottom: 0,
    top: POLE_HEIGHT,
    material: "pole",
  }));
  const crowns = trees();
  return [...compoundSolids(burnt), ...poles, ...crowns, ...crowns.map(trunk)];
}

// --- Times and viewpoints -------------------------------------------------------------------------

/** The place's offset from UTC (Mali keeps UTC all year). */
export const UTC_OFFSET = "+00:00";

/** When each picture was really made (UTC). */
export const TIMES = {
  /** The satellite passes: about 10:25 local solar time, as Sentinel-2's do. */
  sceneBefore: "2026-03-09T10:22:00Z",
  sceneAfter: "2026-03-16T10:22:00Z",
  /** The photo from the road, and the video a little earlier, while the compound burned. */
  photoRoad: "2026-03-14T08:42:17Z",
  photoRidge: "2026-03-14T08:51:40Z",
  video: "2026-03-14T08:35:06Z",
  /** What the video's container says: late afternoon, when shadows would point east. */
  videoContainer: "2026-03-14T16:52:31Z",
} as const;

/** A pinhole camera: position (z above the plain), where it looks (true azimuth, tilt up), horizontal field of view. */
export interface Camera {
  x: number;
  y: number;
  z: number;
  azimuthDeg: number;
  tiltDeg: number;
  hfovDeg: number;
}

/**
 * The photo from the road: just off its south edge, 25 m short of a pole, south-west of the
 * compound, looking north-east: the compound burning, the ridge behind it, the river's trees on the
 * left. `z` is the height above the ground where the camera stands.
 */
export const ROAD_POLE = nearestPole({ x: -190, y: -222 });
export const ROAD_CAMERA: Camera = (() => {
  const a = ROAD[1]!;
  const b = ROAD[2]!;
  const len = Math.hypot(b.x - a.x, b.y - a.y);
  const ux = (b.x - a.x) / len;
  const uy = (b.y - a.y) / len;
  const x = ROAD_POLE.x - 25 * ux + 13.5 * uy;
  const y = ROAD_POLE.y - 25 * uy - 13.5 * ux;
  return { x, y, z: 1.6, azimuthDeg: 20, tiltDeg: 0.5, hfovDeg: 64 };
})();
/** The photo from the south slope of the ridge's western summit, looking south down on the compound, river bend and road. */
export const RIDGE_CAMERA: Camera = { x: -290, y: 830, z: 1.6, azimuthDeg: 166, tiltDeg: -5, hfovDeg: 46 };
/** The video, from the road south-east of the compound, looking north-west. */
export const VIDEO_CAMERA: Camera = { x: 130, y: -95, z: 1.5, azimuthDeg: 312, tiltDeg: 3, hfovDeg: 58 };

/** The pole nearest a point. */
export function nearestPole(p: Point): Point {
  let best = polePositions()[0]!;
  for (const q of polePositions())
    if (Math.hypot(q.x - p.x, q.y - p.y) < Math.hypot(best.x - p.x, best.y - p.y)) best = q;
  return best;
}
