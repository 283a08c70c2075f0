/**
 * The sample's reference imagery: two multispectral satellite scenes (GeoTIFF, before and after the
 * fire) and an offline basemap (PMTiles of JPEG tiles), all drawn from the landscape's plan view.
 */
import { execFile } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import proj4 from "proj4";
import sharp from "sharp";
import { zxyToTileId } from "pmtiles";
import { EPSG, ORIGIN, UTM31N, toLatLon } from "./landscape.js";
import { planSample, planScene, type PlanScene } from "./planView.js";
import { SENTINEL_BANDS, vrtXml } from "../support/sceneSamples.js";
import { writePmtiles, type PmtilesTile } from "../support/pmtilesWriter.js";

const run = promisify(execFile);

/** The ground the scenes cover, metres on the landscape grid: the compound, river bend, road and ridge. */
export const SCENE_EXTENT = { x0: -1000, y0: -800, x1: 1000, y1: 1200 } as const;

export interface SceneFile {
  path: string;
  width: number;
  height: number;
  pixelSize: number;
  /** [minX, minY, maxX, maxY] in EPSG:32631. */
  bounds: [number, number, number, number];
}

/**
 * A six-band scene (Sentinel-2 L2A order and scaling: B02, B03, B04, B8A, B11, B12, reflectance ×
 * 10,000 as uint16) of SCENE_EXTENT, each pixel the mean of 2 × 2 samples of the plan view.
 */
export async function writeScene(
  file: string,
  o: { burnt: boolean; instant: string; pixelSize: number; description: string },
): Promise<SceneFile> {
  const { x0, y0, x1, y1 } = SCENE_EXTENT;
  const width = Math.round((x1 - x0) / o.pixelSize);
  const height = Math.round((y1 - y0) / o.pixelSize);
  const scene = planScene(o.burnt, o.instant);
  const bandCount = SENTINEL_BANDS.length;
  const data = new Uint16Array(width * height * bandCount);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const sum = new Array<number>(bandCount).fill(0);
      for (const [sx, sy] of [
        [0.25, 0.25],
        [0.75, 0.25],
        [0.25, 0.75],
        [0.75, 0.75],
      ] as const) {
        const s = planSample(scene, x0 + (col + sx) * o.pixelSize, y1 - (row + sy) * o.pixelSize);
        for (let b = 0; b < bandCount; b++) sum[b]! += s.bands[b]! * s.light;
      }
      for (let b = 0; b < bandCount; b++)
        data[(b * height + row) * width + col] = Math.max(1, Math.min(10_000, Math.round(sum[b]! / 4)));
    }
  }
  const raw = `${file}.raw`;
  const vrt = `${file}.vrt`;
  await writeFile(raw, Buffer.from(data.buffer));
  const origin = { x: ORIGIN.x + x0, y: ORIGIN.y + y1 };
  const bandNames = SENTINEL_BANDS.map((b) => b.name);
  await writeFile(vrt, vrtXml({ raw, width, height, bandNames, srs: `EPSG:${EPSG}`, origin, pixelSize: o.pixelSize }));
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d:\d\d:\d\d)Z$/.exec(o.instant);
  if (!m) throw new Error(`a scene's instant is YYYY-MM-DDTHH:MM:SSZ: ${o.instant}`);
  try {
    await run("gdal_translate", [
      ...["-q", "-of", "GTiff", "-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=2", "-co", "ZLEVEL=9"],
      ...[
        "-mo",
        `TIFFTAG_DATETIME=${m[1]}:${m[2]}:${m[3]} ${m[4]}`,
        "-mo",
        `TIFFTAG_IMAGEDESCRIPTION=${o.description}`,
      ],
      ...[vrt, file],
    ]);
  } finally {
    await rm(raw, { force: true });
    await rm(vrt, { force: true });
  }
  const bounds: SceneFile["bounds"] = [
    ORIGIN.x + x0,
    ORIGIN.y + y0,
    ORIGIN.x + x0 + width * o.pixelSize,
    ORIGIN.y + y1,
  ];
  return { path: file, width, height, pixelSize: o.pixelSize, bounds };
}

/** The colour of a plan-view point as an aerial photograph shows it (sRGB bytes). */
function aerialRgb(scene: PlanScene, x: number, y: number): [number, number, number] {
  const s = planSample(scene, x, y);
  const k = 0.82 + 0.25 * s.light;
  return [s.rgb[0]! * k, s.rgb[1]! * k, s.rgb[2]! * k];
}

/**
 * Web Mercator tile numbers and the position of a point inside a tile (the OSM slippy-map
 * formulas, written out because nothing here needs more than these two lines of them).
 */
function tileOf(lat: number, lon: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return { x: ((lon + 180) / 360) * n, y: ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n };
}
function lonLatOf(tx: number, ty: number, z: number): [number, number] {
  const n = 2 ** z;
  return [(tx / n) * 360 - 180, (Math.atan(Math.sinh(Math.PI * (1 - (2 * ty) / n))) * 180) / Math.PI];
}

/** The landscape grid position of tile-space (tx, ty), by bilinear interpolation between the tile's corners. */
function tileCorners(tx: number, ty: number, z: number): (u: number, v: number) => [number, number] {
  const corner = (dx: number, dy: number) => {
    const [x, y] = proj4("EPSG:4326", UTM31N, lonLatOf(tx + dx, ty + dy, z));
    return [x! - ORIGIN.x, y! - ORIGIN.y] as const;
  };
  const [a, b, c, d] = [corner(0, 0), corner(1, 0), corner(0, 1), corner(1, 1)];
  return (u, v) => [
    a[0] * (1 - u) * (1 - v) + b[0] * u * (1 - v) + c[0] * (1 - u) * v + d[0] * u * v,
    a[1] * (1 - u) * (1 - v) + b[1] * u * (1 - v) + c[1] * (1 - u) * v + d[1] * u * v,
  ];
}

/** An offline basemap of SCENE_EXTENT, before the fire, in 256-pixel JPEG tiles at zooms `minZoom`–`maxZoom`. */
export async function writeBasemap(
  file: string,
  o: { minZoom: number; maxZoom: number; instant: string },
): Promise<{ tiles: number; bounds84: [number, number, number, number] }> {
  const scene = planScene(false, o.instant);
  const sw = toLatLon({ x: SCENE_EXTENT.x0, y: SCENE_EXTENT.y0 });
  const ne = toLatLon({ x: SCENE_EXTENT.x1, y: SCENE_EXTENT.y1 });
  const bounds84: [number, number, number, number] = [sw.lon, sw.lat, ne.lon, ne.lat];
  const tiles: PmtilesTile[] = [];
  const size = 256;
  for (let z = o.minZoom; z <= o.maxZoom; z++) {
    const lo = tileOf(ne.lat, sw.lon, z);
    const hi = tileOf(sw.lat, ne.lon, z);
    for (let ty = Math.floor(lo.y); ty <= Math.floor(hi.y); ty++) {
      for (let tx = Math.floor(lo.x); tx <= Math.floor(hi.x); tx++) {
        const at = tileCorners(tx, ty, z);
        const pixels = Buffer.alloc(size * size * 3);
        for (let py = 0; py < size; py++) {
          for (let px = 0; px < size; px++) {
            const [x, y] = at((px + 0.5) / size, (py + 0.5) / size);
            const rgb = aerialRgb(scene, x, y);
            const i = (py * size + px) * 3;
            for (let c = 0; c < 3; c++) pixels[i + c] = Math.max(0, Math.min(255, Math.round(rgb[c]!)));
          }
        }
        const data = await sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
          .jpeg({ quality: 72, mozjpeg: true })
          .toBuffer();
        tiles.push({ tileId: zxyToTileId(z, tx, ty), data });
      }
    }
  }
  const centre = toLatLon({ x: 0, y: 0 });
  await writePmtiles(file, {
    tileType: "jpeg",
    tiles,
    minZoom: o.minZoom,
    maxZoom: o.maxZoom,
    bounds84,
    centre: { lon: centre.lon, lat: centre.lat, zoom: Math.min(o.maxZoom, 15) },
    metadata: {
      name: "Sightline training sample: river compound (synthetic)",
      attribution: "Synthetic imagery drawn by Sightline's sample builder; no real place",
      type: "baselayer",
      format: "jpg",
    },
  });
  return { tiles: tiles.length, bounds84 };
}
