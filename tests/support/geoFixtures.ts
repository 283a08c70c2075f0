/**
 * Satellite scenes for tests and benchmarks, made on the spot with GDAL: band samples are written
 * from Node into a raw file, described by a small VRT (grid, CRS, band names) and turned into a
 * GeoTIFF or Cloud-Optimised GeoTIFF by `gdal_translate`. Nothing is downloaded. The scenes look
 * like a Sentinel-2 L2A extract near Kidal, Mali (reflectance × 10,000 in uint16): bright soil, a
 * dark ridge running south-west to north-east, a wadi with green banks, a grass field, and in the
 * "after" scene of a burn pair an elliptical burn scar (NIR low, SWIR high) whose centre is known.
 *
 * Hostile scenes are real files too: a JPEG named .tif, a TIFF with no georeferencing, GDAL's own
 * user-defined projection (ProjectedCSTypeGeoKey 32767), and headers edited to claim absurd sizes.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import proj4 from "proj4";
import sharp from "sharp";
import { FIELD, SENTINEL_BANDS, vrtXml, writeBandSequential, type PixelEllipse } from "./sceneSamples.js";

export { SENTINEL_BANDS, type PixelEllipse } from "./sceneSamples.js";

const run = promisify(execFile);

/** The fixture area: the outskirts of Kidal, Mali. */
export const KIDAL = { lat: 18.44, lon: 1.41 } as const;

export interface SceneOptions {
  /** EPSG code: a UTM zone (326xx, 327xx), 4326 or 3857. Default 32631. */
  epsg?: number;
  /** Centre of the scene in WGS 84. Default: Kidal. */
  centre?: { lat: number; lon: number };
  width?: number;
  height?: number;
  /** Ground size of a pixel in metres. Default 20. */
  pixelSize?: number;
  /** How many of SENTINEL_BANDS to write (1–6), from the first. Default 6. */
  bandCount?: number;
  /** Which of SENTINEL_BANDS to write, by index, in this order (overrides `bandCount`). */
  bands?: number[];
  /** TIFF DateTime tag, "YYYY:MM:DD HH:MM:SS". */
  dateTime?: string;
  /** TIFF ImageDescription tag. */
  description?: string;
  /** A burn scar to plant (pixels). */
  burn?: PixelEllipse;
  /** A Cloud-Optimised GeoTIFF (tiled, with overviews, IFDs first). Default false: a striped GeoTIFF. */
  cog?: boolean;
  /** Uncompressed (for a large benchmark file of a known size). Default: DEFLATE. */
  uncompressed?: boolean;
  /** Written as BigTIFF (64-bit offsets, as GDAL writes scenes past 4 GB) whatever its size. */
  bigTiff?: boolean;
  /** A custom PROJ string instead of the EPSG code (GDAL then writes a user-defined CRS). */
  projString?: string;
}

/** What a test needs to know about a scene it made. */
export interface SceneInfo {
  path: string;
  epsg: number;
  width: number;
  height: number;
  bandCount: number;
  /** The Sentinel-2 name of each band written, e.g. ["B04", "B8A", "B12"]. */
  bandNames: string[];
  pixelSize: number;
  /** Upper-left corner in the scene's CRS (metres). */
  origin: { x: number; y: number };
  /** [minX, minY, maxX, maxY] in the scene's CRS. */
  bounds: [number, number, number, number];
}

/** The proj4 definition of a CRS the fixtures write: WGS 84, Web Mercator or a UTM zone. */
function crsDef(epsg: number): string {
  if (epsg === 4326 || epsg === 3857) return `EPSG:${epsg}`;
  const zone = epsg % 100;
  if (!((epsg >= 32601 && epsg <= 32660) || (epsg >= 32701 && epsg <= 32760)))
    throw new Error(`not a CRS the fixtures write: EPSG:${epsg}`);
  return `+proj=utm +zone=${zone}${epsg > 32700 ? " +south" : ""} +datum=WGS84 +units=m +no_defs`;
}

/** Projects WGS 84 degrees into the scene's CRS (metres for UTM and Web Mercator). */
export function toCrs(epsg: number, lat: number, lon: number): { x: number; y: number } {
  const [x, y] = proj4("EPSG:4326", crsDef(epsg), [lon, lat]);
  return { x: x!, y: y! };
}

/** The WGS 84 position of a pixel centre of a scene. */
export function pixelToLatLon(scene: SceneInfo, px: number, py: number): { lat: number; lon: number } {
  const x = scene.origin.x + (px + 0.5) * scene.pixelSize;
  const y = scene.origin.y - (py + 0.5) * scene.pixelSize;
  const [lon, lat] = proj4(crsDef(scene.epsg), "EPSG:4326", [x, y]);
  return { lat: lat!, lon: lon! };
}

async function gdal(tool: string, args: string[]): Promise<void> {
  try {
    await run(tool, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${tool} ${args.join(" ")} failed: ${err.stderr || err.message}`);
  }
}

/** The grid a scene with these options has: whole pixels around the centre, in its CRS. */
function sceneGrid(file: string, options: SceneOptions): SceneInfo {
  const epsg = options.epsg ?? 32631;
  const width = options.width ?? 512;
  const height = options.height ?? 512;
  // A degree-based grid for WGS 84 (about 20 m at the equator), metres otherwise.
  const pixelSize = options.pixelSize ?? (epsg === 4326 ? 0.0002 : 20);
  const which = options.bands ?? Array.from({ length: options.bandCount ?? 6 }, (_, b) => b);
  if (which.length === 0 || which.some((b) => !SENTINEL_BANDS[b]))
    throw new Error("bands are indices 0–5 of SENTINEL_BANDS");
  const bandNames = which.map((b) => SENTINEL_BANDS[b]!.name);
  const centre = options.centre ?? KIDAL;
  const c = toCrs(epsg, centre.lat, centre.lon);
  const origin = {
    x: Math.round((c.x - (width * pixelSize) / 2) / pixelSize) * pixelSize,
    y: Math.round((c.y + (height * pixelSize) / 2) / pixelSize) * pixelSize,
  };
  const bounds: SceneInfo["bounds"] = [origin.x, origin.y - height * pixelSize, origin.x + width * pixelSize, origin.y];
  return { path: file, epsg, width, height, bandCount: which.length, bandNames, pixelSize, origin, bounds };
}

/**
 * A multispectral scene (uint16, up to six Sentinel-2-like bands) in a UTM zone, with the grid
 * rounded to whole pixels around `centre`. Written row by row, so a 10,980 × 10,980 tile never sits
 * in memory whole.
 */
export async function makeScene(file: string, options: SceneOptions = {}): Promise<SceneInfo> {
  const grid = sceneGrid(file, options);
  const { width, height, bandNames, pixelSize, origin } = grid;
  await mkdir(path.dirname(file), { recursive: true });
  const raw = `${file}.raw`;
  const vrt = `${file}.vrt`;
  const which = bandNames.map((n) => SENTINEL_BANDS.findIndex((b) => b.name === n));
  await writeBandSequential(raw, width, height, which, options.burn);
  const srs = options.projString ?? `EPSG:${grid.epsg}`;
  await writeFile(vrt, vrtXml({ raw, width, height, bandNames, srs, origin, pixelSize }));
  const args = ["-q", "-of", options.cog ? "COG" : "GTiff"];
  const compress = options.uncompressed ? "NONE" : "DEFLATE";
  const bigTiff = options.bigTiff ? "YES" : "IF_SAFER";
  if (options.cog) args.push("-co", `COMPRESS=${compress}`, "-co", "BLOCKSIZE=256", "-co", `BIGTIFF=${bigTiff}`);
  else args.push("-co", `COMPRESS=${compress}`, "-co", `BIGTIFF=${bigTiff}`);
  if (options.dateTime) args.push("-mo", `TIFFTAG_DATETIME=${options.dateTime}`);
  if (options.description) args.push("-mo", `TIFFTAG_IMAGEDESCRIPTION=${options.description}`);
  try {
    await gdal("gdal_translate", [...args, vrt, file]);
  } finally {
    await rm(raw, { force: true });
    await rm(vrt, { force: true });
  }
  return grid;
}

export interface BurnPair {
  before: SceneInfo;
  after: SceneInfo;
  /** The planted scar: its centre on the map and in pixels, its semi-axes in pixels and metres. */
  scar: { lat: number; lon: number; px: number; py: number; ellipse: PixelEllipse; lengthM: number; widthM: number };
  /** A point of unburnt soil in both scenes (dNBR near 0 there). */
  unburnt: { lat: number; lon: number; px: number; py: number };
  /** Acquisition dates the tests state when marking them. */
  beforeDate: string;
  afterDate: string;
}

/**
 * Before (15 Feb) and after (17 Feb) scenes of the same grid; the after scene has a burn scar of
 * about 3.2 km by 1.4 km inside the grass field, so dNBR = NBR(before) − NBR(after) is high there
 * (≈ 0.9) and near zero on the soil around it.
 */
export async function makeBurnPair(dir: string, options: Omit<SceneOptions, "burn"> = {}): Promise<BurnPair> {
  const width = options.width ?? 512;
  const height = options.height ?? 512;
  const pixelSize = options.pixelSize ?? 20;
  const ellipse: PixelEllipse = {
    cx: Math.round(FIELD.cx * width),
    cy: Math.round(FIELD.cy * height),
    a: 1600 / pixelSize,
    b: 700 / pixelSize,
    rotationDeg: FIELD.rotationDeg,
  };
  const before = await makeScene(path.join(dir, "before-2026-02-15.tif"), {
    ...options,
    dateTime: options.dateTime ?? "2026:02:15 10:32:11",
  });
  const after = await makeScene(path.join(dir, "after-2026-02-17.tif"), {
    ...options,
    burn: ellipse,
    dateTime: options.dateTime ?? "2026:02:17 10:32:09",
  });
  const centre = pixelToLatLon(after, ellipse.cx, ellipse.cy);
  const soil = { px: Math.round(width * 0.85), py: Math.round(height * 0.12) };
  return {
    before,
    after,
    scar: { ...centre, px: ellipse.cx, py: ellipse.cy, ellipse, lengthM: 3200, widthM: 1400 },
    unburnt: { ...pixelToLatLon(after, soil.px, soil.py), ...soil },
    beforeDate: "2026-02-15",
    afterDate: "2026-02-17",
  };
}

// --- Hostile scenes -----------------------------------------------------------------------------

/** A JPEG photograph saved under a .tif name. */
export async function makeNotGeoTiff(file: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await sharp({ create: { width: 64, height: 48, channels: 3, background: "#b08040" } })
    .jpeg()
    .toFile(file);
  return file;
}

/** A plain TIFF (no GeoKeys, no tie points): an image, but not a map. */
export async function makeUngeoreferencedTiff(file: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await sharp({ create: { width: 64, height: 48, channels: 3, background: "#406080" } })
    .tiff()
    .toFile(file);
  return file;
}

/**
 * A scene in a custom transverse Mercator centred on the fixture area: GDAL writes it as a
 * user-defined CRS (ProjectedCSTypeGeoKey 32767) that no EPSG code names.
 */
export async function makeUserDefinedProjection(file: string): Promise<SceneInfo> {
  return makeScene(file, {
    width: 64,
    height: 64,
    bandCount: 3,
    projString: "+proj=tmerc +lat_0=18 +lon_0=1.4 +k=0.9996 +x_0=500000 +y_0=0 +datum=WGS84 +units=m +no_defs",
  });
}

/**
 * Rewrites ImageWidth and ImageLength of the first IFD of a little-endian classic TIFF in place, as
 * LONG values: the header then claims a size the file does not hold.
 */
async function claimDimensions(file: string, width: number, height: number): Promise<void> {
  const bytes = await readFile(file);
  if (bytes.toString("latin1", 0, 2) !== "II" || bytes.readUInt16LE(2) !== 42) throw new Error("not a classic LE TIFF");
  const ifd = bytes.readUInt32LE(4);
  const count = bytes.readUInt16LE(ifd);
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + i * 12;
    const tag = bytes.readUInt16LE(at);
    if (tag !== 256 && tag !== 257) continue;
    bytes.writeUInt16LE(4, at + 2);
    bytes.writeUInt32LE(1, at + 4);
    bytes.writeUInt32LE(tag === 256 ? width : height, at + 8);
  }
  await writeFile(file, bytes);
}

/** A small GeoTIFF whose header claims 2,000,000 × 2,000,000 pixels. */
export async function makeAbsurdDimensions(file: string, side = 2_000_000): Promise<string> {
  await makeScene(file, { width: 64, height: 64, bandCount: 1 });
  await claimDimensions(file, side, side);
  return file;
}

/**
 * A GeoTIFF with 16 × 16 pixel tiles whose header claims 40,000 × 40,000 pixels: 6.25 million
 * tiles, each a separate read for a map that opens it.
 */
export async function makeHugeTileCount(file: string, side = 40_000): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const src = `${file}.src.tif`;
  await makeScene(src, { width: 64, height: 64, bandCount: 1 });
  try {
    await gdal("gdal_translate", ["-q", "-co", "TILED=YES", "-co", "BLOCKXSIZE=16", "-co", "BLOCKYSIZE=16", src, file]);
  } finally {
    await rm(src, { force: true });
  }
  await claimDimensions(file, side, side);
  return file;
}

/** A Cloud-Optimised GeoTIFF cut short: its header is whole, its full-resolution tiles are not. */
export async function makeTruncatedTiff(file: string, keepFraction = 0.6): Promise<string> {
  await makeScene(file, { cog: true });
  const { size } = await stat(file);
  await truncate(file, Math.floor(size * keepFraction));
  return file;
}

const largeMade = new Map<string, Promise<SceneInfo>>();

/**
 * A 10,980 × 10,980 Sentinel-2-like COG (10 m pixels, uncompressed, with overviews) of about
 * `sizeBytes`: as many bands as that takes, the ones burn views need first (B04 red, B8A NIR, B12
 * SWIR, then B03, B02, B11; 1 GB holds the first three, enough for false colour, NBR and dNBR).
 * Made once per path: a later call (in this process or another) reuses the file when a `.done`
 * marker beside it names the same size and bands.
 */
export function makeLargeCog(file: string, sizeBytes: number, burn = false): Promise<SceneInfo> {
  const side = 10_980;
  const perBand = side * side * 2 * (4 / 3);
  const bandCount = Math.max(1, Math.min(6, Math.round(sizeBytes / perBand)));
  const bands = [2, 3, 5, 1, 0, 4].slice(0, bandCount).sort((a, b) => a - b);
  const options: SceneOptions = { width: side, height: side, pixelSize: 10, bands, cog: true, uncompressed: true };
  if (burn) options.burn = { cx: 0.36 * side, cy: 0.34 * side, a: 160, b: 70, rotationDeg: -25 };
  const key = `${path.resolve(file)}|${sizeBytes}|${burn}`;
  let made = largeMade.get(key);
  if (!made) {
    made = (async () => {
      const marker = `${file}.done`;
      const want = JSON.stringify({ sizeBytes, bands, burn });
      const have = await readFile(marker, "utf8").catch(() => "");
      if (have === want) return sceneGrid(file, options);
      const scene = await makeScene(file, options);
      await writeFile(marker, want);
      return scene;
    })();
    largeMade.set(key, made);
  }
  return made;
}
