/**
 * The training landscape seen from straight above, as a satellite or an aerial basemap sees it:
 * the top of whatever stands at a point (a roof, a tree crown, a wall) or the ground, lit by the
 * sun of the moment (slopes of the ridge lit or turned away, solids casting shadows).
 */
import { gridAzimuth, solids, TIMES, toLatLon, type Material } from "./landscape.js";
import {
  groundSurface,
  intersectSolid,
  materialLook,
  SolidIndex,
  surfaceBands,
  surfaceRgb,
  terrainHeight,
  terrainNormal,
} from "./surface.js";
import { sunPosition } from "../../shared/geo/sunPosition.js";

type Vec = [number, number, number];

/** A unit vector towards the sun, in the grid's x east, y north, z up. */
export function sunVector(instant: string): Vec {
  const sun = sunPosition(toLatLon({ x: 0, y: 0 }), new Date(instant));
  const az = (gridAzimuth(sun.azimuth) * Math.PI) / 180;
  const el = (sun.elevation * Math.PI) / 180;
  return [Math.sin(az) * Math.cos(el), Math.cos(az) * Math.cos(el), Math.sin(el)];
}

/** One state of the landscape, lit for one instant. */
export interface PlanScene {
  burnt: boolean;
  sun: Vec;
  index: SolidIndex;
}

export function planScene(burnt: boolean, instant: string): PlanScene {
  return { burnt, sun: sunVector(instant), index: new SolidIndex(solids(burnt)) };
}

const DOWN: Vec = [0, 0, -1];

/** What is seen from above at (x, y): its look and how it is lit (1 = flat ground in full sun). */
export function planSample(scene: PlanScene, x: number, y: number): { rgb: number[]; bands: number[]; light: number } {
  let top: { z: number; material: Material; normal: Vec } | null = null;
  for (const s of scene.index.near(x, y, 0)) {
    const hit = intersectSolid(s, [x, y, 60], DOWN);
    if (hit && (!top || 60 - hit.t > top.z)) top = { z: 60 - hit.t, material: hit.material, normal: hit.normal };
  }
  const sun = scene.sun;
  let rgb: number[];
  let bands: number[];
  let normal: Vec;
  let z: number;
  if (top) {
    const look = materialLook(top.material);
    const k = 1 + 0.05 * Math.sin(x * 3.1 + y * 1.7);
    rgb = look.rgb.map((v) => v * k);
    bands = look.bands.map((v) => v * k);
    normal = top.normal;
    z = top.z + 0.01;
  } else {
    const surface = groundSurface(x, y, scene.burnt);
    rgb = surfaceRgb(surface, x, y);
    bands = surfaceBands(surface, x, y);
    normal = terrainNormal(x, y);
    z = terrainHeight(x, y) + 0.01;
  }
  const direct = Math.max(0, normal[0] * sun[0] + normal[1] * sun[1] + normal[2] * sun[2]) / sun[2];
  const shadowed = scene.index.inShadow([x, y, z], sun);
  const light = 0.38 + 0.62 * (shadowed ? 0 : direct);
  return { rgb, bands, light };
}

/** The "before" and "after" states the satellite scenes show. */
export const SCENE_STATES = {
  before: { burnt: false, instant: TIMES.sceneBefore },
  after: { burnt: true, instant: TIMES.sceneAfter },
} as const;
