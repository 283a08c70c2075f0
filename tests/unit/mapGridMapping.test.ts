/**
 * dNBR across pixel grids (renderer/src/views/map/gridMapping.ts): where each pixel of the before
 * scene falls in an after scene on another grid, checked against GDAL's own `gdaltransform` for
 * after scenes that `gdalwarp` made (same UTM zone with a shifted origin and 30 m pixels; the
 * neighbouring UTM zone); the after scene's values sampled there, checked against `gdalwarp`'s
 * own bilinear resampling onto the before grid; and which pairs are compared how.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { fromFile } from "geotiff";
import proj4 from "proj4";
import { makeBurnPair, type BurnPair, type SceneInfo } from "../support/geoFixtures.js";
import { gdalGrid, gdalTransform, warpAfter } from "../support/geoCrossGrid.js";
import {
  imageLevels,
  levelFor,
  pairGrids,
  sampleBilinear,
  samplePositions,
  windowFor,
} from "../../renderer/src/views/map/gridMapping.js";
import { proj4Def } from "../../renderer/src/views/map/projections.js";
import type { SceneTags } from "../../shared/ledger/geoEvents.js";

const run = promisify(execFile);
let dir: string;
let pair: BurnPair;
const warped: Record<string, SceneInfo> = {};

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "sightline-grid-"));
  pair = await makeBurnPair(dir, { width: 256, height: 256 });
  warped.shifted = await warpAfter(pair, path.join(dir, "after-shifted.tif"), "shifted");
  warped["other-zone"] = await warpAfter(pair, path.join(dir, "after-zone30.tif"), "other-zone");
});
after(() => rm(dir, { recursive: true, force: true }));

/** The tags the geo service would record for a scene (only what pairing reads matters). */
function tagsOf(s: SceneInfo, noData: number | null = null): SceneTags {
  const corners = [
    [s.bounds[0], s.bounds[1]],
    [s.bounds[2], s.bounds[3]],
    [s.bounds[0], s.bounds[3]],
    [s.bounds[2], s.bounds[1]],
  ].map((c) => proj4(proj4Def(s.epsg), "EPSG:4326", c));
  const lons = corners.map((c) => c[0]!);
  const lats = corners.map((c) => c[1]!);
  return {
    width: s.width,
    height: s.height,
    bandCount: s.bandCount,
    bitsPerSample: 16,
    sampleFormat: "uint",
    epsg: s.epsg,
    bounds: s.bounds,
    bounds84: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)],
    resolution: [s.pixelSize, s.pixelSize],
    isTiled: true,
    overviewCount: 0,
    dateTime: null,
    description: null,
    noData,
  };
}

/** The positions of the before scene's `pixels` centres agree with `gdaltransform before.tif to` within 0.01 pixel. */
async function assertLikeGdaltransform(positions: Float64Array, to: string, pixels: [number, number][]) {
  const b = pair.before;
  const gdal = await gdalTransform(
    b.path,
    to,
    pixels.map(([i, j]) => [i + 0.5, j + 0.5]),
  );
  pixels.forEach(([i, j], n) => {
    const k = (j * b.width + i) * 2;
    const [gx, gy] = gdal[n]!;
    assert.ok(Math.abs(positions[k]! - gx) < 0.01, `x of (${i}, ${j}): ${positions[k]} vs GDAL ${gx}`);
    assert.ok(Math.abs(positions[k + 1]! - gy) < 0.01, `y of (${i}, ${j}): ${positions[k + 1]} vs GDAL ${gy}`);
  });
}

for (const kind of ["shifted", "other-zone"] as const) {
  test(`before pixel centres land where gdaltransform puts them in the ${kind} after scene`, async () => {
    const b = pair.before;
    const a = warped[kind]!;
    assert.equal(a.epsg, kind === "shifted" ? 32631 : 32630);
    const to = await gdalGrid(a.path);
    const positions = samplePositions(b.bounds, b.width, b.height, b.epsg, to);
    const pixels: [number, number][] = [
      [0, 0],
      [b.width - 1, 0],
      [0, b.height - 1],
      [b.width - 1, b.height - 1],
      [17, 203],
      [128, 128],
      [pair.scar.px, pair.scar.py],
      [241, 9],
    ];
    await assertLikeGdaltransform(positions, a.path, pixels);
    if (kind === "shifted") {
      // 7.3 and 4.6 before pixels of 20 m into 30 m pixels, at the before scene's first pixel centre.
      assert.ok(Math.abs(positions[0]! - (10 - 146) / 30) < 1e-9);
      assert.ok(Math.abs(positions[1]! - (10 - 92) / 30) < 1e-9);
    }
  });

  test(`the ${kind} after scene sampled on the before grid matches gdalwarp's bilinear resampling`, async () => {
    const b = pair.before;
    const a = warped[kind]!;
    const to = await gdalGrid(a.path);
    // The NIR (B8A) band of the after scene, whole, as raw little-endian uint16.
    const nirBand = a.bandNames.indexOf("B8A") + 1;
    const raw = path.join(dir, `${kind}.raw`);
    await run("gdal_translate", ["-q", "-of", "ENVI", "-b", `${nirBand}`, a.path, raw]);
    const afterNir = new Uint16Array(new Uint8Array(await readFile(raw)).buffer);
    const onBefore = path.join(dir, `${kind}-on-before.raw`);
    await run("gdalwarp", [
      ...[
        "-q",
        "-overwrite",
        "-of",
        "ENVI",
        "-r",
        "bilinear",
        "-et",
        "0",
        "-t_srs",
        `EPSG:${b.epsg}`,
        "-ot",
        "Float32",
      ],
      ...["-te", ...b.bounds.map(String), "-ts", `${b.width}`, `${b.height}`, "-srcnodata", "0", "-dstnodata", "0"],
      raw,
      onBefore,
    ]);
    const expected = new Float32Array(new Uint8Array(await readFile(onBefore)).buffer);
    const positions = samplePositions(b.bounds, b.width, b.height, b.epsg, to);
    const w = windowFor(positions, to.width, to.height)!;
    const width = w[2]! - w[0]!;
    const height = w[3]! - w[1]!;
    const band = new Float32Array(width * height);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) band[y * width + x] = afterNir[(y + w[1]!) * to.width + x + w[0]!]!;
    const out = new Float32Array(b.width * b.height);
    sampleBilinear(
      positions,
      to.width,
      to.height,
      { bands: [band], x0: w[0]!, y0: w[1]!, width, height },
      0,
      out,
      1,
      0,
    );
    const hasFullKernel = (p: number) => {
      const x = Math.floor(positions[2 * p]! - 0.5);
      const y = Math.floor(positions[2 * p + 1]! - 0.5);
      if (x < 0 || y < 0 || x + 1 >= to.width || y + 1 >= to.height) return false;
      return [0, 1, to.width, to.width + 1].every((d) => afterNir[y * to.width + x + d] !== 0);
    };
    let compared = 0;
    let outsideBoth = 0;
    const bad: string[] = [];
    for (let p = 0; p < out.length; p++) {
      if (expected[p] === 0) {
        if (out[p] === 0) outsideBoth++;
        continue;
      }
      if (!hasFullKernel(p)) continue; // by a nodata edge GDAL weighs the valid neighbours, Sightline takes the nearest
      compared++;
      if (Math.abs(out[p]! - expected[p]!) > 2)
        bad.push(`${p % b.width},${Math.floor(p / b.width)}: ${out[p]} vs ${expected[p]}`);
    }
    assert.deepEqual(bad.slice(0, 20), [], `${bad.length} pixels differ`);
    assert.ok(compared > b.width * b.height * 0.8, `${compared} pixels compared`);
    if (kind === "shifted") assert.ok(outsideBoth > 0, "the strip the shifted scene does not cover stays nodata");
  });
}

test("pairs on one grid share it; on another grid are resampled with a note; far apart or far finer are refused", () => {
  const b = tagsOf(pair.before);
  assert.deepEqual(pairGrids(b, tagsOf(pair.after)), { kind: "same-grid" });
  // The same grid, but a striped file beside a COG: OpenLayers cannot read them as one source.
  assert.equal(pairGrids(b, { ...tagsOf(pair.after), overviewCount: 3 }).kind, "resampled");
  const shifted = pairGrids(b, tagsOf(warped.shifted!, 0));
  assert.equal(shifted.kind, "resampled");
  assert.match(shifted.kind === "resampled" ? shifted.note : "", /before scene's 20 m grid, bilinear/);
  const zone = pairGrids(b, tagsOf(warped["other-zone"]!, 0));
  assert.match(zone.kind === "resampled" ? zone.note : "", /reprojected from EPSG:32630/);
  const far = { ...tagsOf(pair.after), bounds84: [10, 10, 11, 11] as [number, number, number, number] };
  assert.deepEqual(pairGrids(b, far), {
    kind: "refused",
    reason: "the two scenes do not cover any of the same ground",
  });
  const coarse = { ...tagsOf(pair.after), resolution: [200, 200] as [number, number] };
  const refused = pairGrids(b, coarse);
  assert.equal(refused.kind, "refused");
  assert.match(refused.kind === "refused" ? refused.reason : "", /20 m and 200 m/);
});

test("positions outside the after scene, and nodata neighbours, give nodata, never a blend with it", () => {
  const positions = new Float64Array([-0.5, 1, 1.5, 1.5, 2.5, 1.5, 5, 5]);
  const band = new Float32Array([10, 20, 0, 30, 40, 0, 0, 0, 0]);
  const out = new Float32Array(4).fill(-1);
  sampleBilinear(positions, 3, 3, { bands: [band], x0: 0, y0: 0, width: 3, height: 3 }, 0, out, 1, 0);
  assert.equal(out[0], 0); // west of the scene
  assert.equal(out[1], 40); // a pixel centre
  assert.equal(out[2], 0); // its east neighbour is nodata: the nearest pixel (nodata) decides
  assert.equal(out[3], 0); // south-east of the scene
  const mid = new Float32Array(1);
  sampleBilinear(new Float64Array([1, 1]), 3, 3, { bands: [band], x0: 0, y0: 0, width: 3, height: 3 }, 0, mid, 1, 0);
  assert.equal(mid[0], (10 + 20 + 30 + 40) / 4);
});

test("read from an overview whose width and height round differently, before pixel centres land where gdaltransform puts them", async () => {
  // 1000 × 1001 pixels over the before scene's ground: its 2× overview is 500 × 501, so one overview
  // pixel spans 2 full pixels across but 1001/501 down.
  const b = pair.before;
  const full = path.join(dir, "after-1000x1001.tif");
  const [x0, y0, x1, y1] = b.bounds.map(String);
  await run("gdalwarp", [
    ...["-q", "-overwrite", "-r", "bilinear", "-dstnodata", "0", "-co", "TILED=YES"],
    ...["-te", x0!, y0!, x1!, y1!, "-ts", "1000", "1001", pair.after.path, full],
  ]);
  await run("gdaladdo", ["-q", "-r", "average", full, "2", "4"]);
  const overview = path.join(dir, "after-1000x1001-ovr.tif");
  await run("gdal_translate", ["-q", "-oo", "OVERVIEW_LEVEL=0", full, overview]);
  const tiff = await fromFile(full);
  const images = await Promise.all(Array.from({ length: await tiff.getImageCount() }, (_, i) => tiff.getImage(i)));
  const levels = imageLevels(images);
  assert.deepEqual(
    levels.map((l) => [l.image.getWidth(), l.image.getHeight()]),
    [
      [1000, 1001],
      [500, 501],
      [250, 251],
    ],
  );
  const positions = samplePositions(b.bounds, b.width, b.height, b.epsg, await gdalGrid(full));
  // A before pixel (20 m) spans 3.9 after pixels: the 2× overview is the coarsest no coarser.
  const level = levelFor(levels, positions);
  assert.equal(level.image.getHeight(), 501);
  assert.equal(level.fx, 2);
  const pixels: [number, number][] = [
    [0, 0],
    [b.width - 1, b.height - 1],
    [0, b.height - 1],
    [128, 200],
    [pair.scar.px, pair.scar.py],
  ];
  await assertLikeGdaltransform(positions, overview, pixels);
});

test("a pixel with nodata in one band only is empty, never averaged in; a NaN nodata is found", () => {
  // 2 × 2 pixels of two bands; the top-right pixel is nodata in the second band only.
  const nir = new Float32Array([100, 200, 300, 400]);
  const swir = new Float32Array([10, 0, 30, 40]);
  const win = { bands: [nir, swir], x0: 0, y0: 0, width: 2, height: 2 };
  const out = new Float32Array(4).fill(-1);
  // Nearest the top-right pixel (nearest decides: empty), and nearest the bottom-left one (kept).
  sampleBilinear(new Float64Array([1.4, 0.6, 0.6, 1.4]), 2, 2, win, 0, out, 2, 0);
  assert.deepEqual([...out], [0, 0, 300, 30]);
  const nan = new Float32Array([100, 200, 300, 400]);
  const nanSwir = new Float32Array([10, NaN, 30, 40]);
  const fromNaN = new Float32Array(4).fill(-1);
  sampleBilinear(
    new Float64Array([1.4, 0.6, 0.6, 0.6]),
    2,
    2,
    { bands: [nan, nanSwir], x0: 0, y0: 0, width: 2, height: 2 },
    NaN,
    fromNaN,
    2,
    0,
  );
  // Nearest to the top-right pixel (NaN in the second band): empty in both bands.
  assert.ok(Number.isNaN(fromNaN[0]) && Number.isNaN(fromNaN[1]), `${[...fromNaN]}`);
  assert.deepEqual([...fromNaN.slice(2)], [100, 10]);
});

test("pixel sizes in degrees are compared in metres at the latitude of the overlap", () => {
  const b = tagsOf(pair.before);
  // 0.00027° is 30 m across at the equator but 15 m at 60° N: beside a 2 m scene there, 7.5× apart.
  const at60 = (t: SceneTags, res: number, epsg: number): SceneTags => ({
    ...t,
    epsg,
    resolution: [res, res],
    bounds84: [10, 59.9, 10.1, 60.1],
  });
  const metric = at60(b, 2, b.epsg);
  const degrees = at60(b, 0.00027, 4326);
  assert.equal(pairGrids(metric, degrees).kind, "resampled");
  const atEquator = (t: SceneTags): SceneTags => ({ ...t, bounds84: [10, -0.1, 10.1, 0.1] });
  const refused = pairGrids(atEquator(metric), atEquator(degrees));
  assert.match(refused.kind === "refused" ? refused.reason : "", /2 m and 30.1 m/);
});
