/**
 * After scenes on another pixel grid than their before scene, made from the after scene of a burn
 * pair by `gdalwarp`, as another provider or a re-export would deliver them: the same UTM zone
 * with the origin shifted by a non-integer number of pixels and 30 m pixels instead of 20 m, or the
 * neighbouring UTM zone (Kidal lies in zone 31; its scenes are also cut in zone 30). Both keep the
 * planted scar where it is on the ground; outside the warped area they hold nodata (0).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { BurnPair, SceneInfo } from "./geoFixtures.js";
import type { PixelGrid } from "../../renderer/src/views/map/gridMapping.js";

const run = promisify(execFile);

export type CrossGridKind = "shifted" | "other-zone";

/** The grid of a GeoTIFF as GDAL reads it (pixel sizes positive). */
export async function gdalGrid(file: string): Promise<PixelGrid> {
  const { stdout } = await run("gdalinfo", ["-json", file], { maxBuffer: 16 * 1024 * 1024 });
  const info = JSON.parse(stdout) as {
    size: [number, number];
    geoTransform: number[];
    stac?: { "proj:epsg"?: number };
  };
  const [ox = 0, rx = 0, , oy = 0, , ry = 0] = info.geoTransform;
  const epsg = info.stac?.["proj:epsg"] ?? 0;
  return { epsg, originX: ox, originY: oy, resX: rx, resY: -ry, width: info.size[0], height: info.size[1] };
}

/**
 * The pair's after scene warped to another grid, as a Cloud-Optimised GeoTIFF (DEFLATE unless
 * `compress` says otherwise, 256-pixel tiles, overviews) at `file`. "shifted": EPSG of the before
 * scene, 30 m pixels, origin 7.3 and 4.6 before-pixels east and south of the before scene's.
 * "other-zone": the next UTM zone west, 20 m pixels.
 */
export async function warpAfter(
  pair: Pick<BurnPair, "before" | "after">,
  file: string,
  kind: CrossGridKind,
  compress = "DEFLATE",
): Promise<SceneInfo> {
  const before = pair.before;
  const args = ["-q", "-overwrite", "-r", "bilinear", "-dstnodata", "0", "-of", "COG", "-wm", "500"];
  args.push("-co", `COMPRESS=${compress}`, "-co", "BLOCKSIZE=256", "-co", "BIGTIFF=IF_SAFER");
  if (kind === "shifted") {
    const res = 30;
    const x0 = before.origin.x + 7.3 * before.pixelSize;
    const y1 = before.origin.y - 4.6 * before.pixelSize;
    const w = Math.floor((before.width * before.pixelSize) / res);
    const h = Math.floor((before.height * before.pixelSize) / res);
    args.push("-tr", `${res}`, `${res}`, "-te", `${x0}`, `${y1 - h * res}`, `${x0 + w * res}`, `${y1}`);
  } else {
    const zone = (before.epsg % 100) - 1;
    args.push("-t_srs", `EPSG:${before.epsg - (before.epsg % 100) + zone}`, "-tr", "20", "20", "-tap");
  }
  await run("gdalwarp", [...args, pair.after.path, file], { maxBuffer: 16 * 1024 * 1024 });
  return warpedScene(file, pair.after);
}

/** What a test needs to know about a scene warped from `from` (same bands) to the grid GDAL reads in `file`. */
export async function warpedScene(file: string, from: SceneInfo): Promise<SceneInfo> {
  const g = await gdalGrid(file);
  return {
    path: file,
    epsg: g.epsg,
    width: g.width,
    height: g.height,
    bandCount: from.bandCount,
    bandNames: from.bandNames,
    pixelSize: g.resX,
    origin: { x: g.originX, y: g.originY },
    bounds: [g.originX, g.originY - g.height * g.resY, g.originX + g.width * g.resX, g.originY],
  };
}

/** Pixel/line positions in `to` of pixel/line positions in `from`, by GDAL's own `gdaltransform`. */
export async function gdalTransform(from: string, to: string, points: [number, number][]): Promise<[number, number][]> {
  const child = run("gdaltransform", [from, to]);
  child.child.stdin!.end(points.map(([x, y]) => `${x} ${y}`).join("\n") + "\n");
  const { stdout } = await child;
  return stdout
    .trim()
    .split("\n")
    .map((line) => {
      const [x = NaN, y = NaN] = line.trim().split(/\s+/).map(Number);
      return [x, y];
    });
}
