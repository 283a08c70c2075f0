/**
 * Reference imagery through the real loopback host: GeoTIFF scenes (striped and Cloud-Optimised)
 * and PMTiles basemaps made with GDAL and the test writer are imported with the CLI, inspected in
 * byte ranges and marked; every hostile scene gives one clear line through the API and writes
 * nothing to the ledger.
 */
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import {
  KIDAL,
  makeAbsurdDimensions,
  makeBurnPair,
  makeHugeTileCount,
  makeNotGeoTiff,
  makeScene,
  makeTruncatedTiff,
  makeUngeoreferencedTiff,
  makeUserDefinedProjection,
  type BurnPair,
  type SceneInfo,
} from "../support/geoFixtures.js";
import { errorOf, startGeoCase, valueOf, type GeoCase } from "../support/geoHost.js";
import { makeBasemap, makeVectorBasemap } from "../support/tileServer.js";

/**
 * A classic TIFF whose width is a LONG8, a BigTIFF-only type whose 8 bytes cannot sit in a classic
 * entry's 4-byte value field: read inline, it would take the next entry's first bytes as its own.
 */
function classicTiffWithLong8Width(): Buffer {
  const b = Buffer.alloc(8 + 2 + 2 * 12 + 4);
  b.write("II*\0", 0, "latin1");
  b.writeUInt32LE(8, 4);
  b.writeUInt16LE(2, 8);
  const entry = (at: number, tag: number, type: number, value: number) => {
    b.writeUInt16LE(tag, at);
    b.writeUInt16LE(type, at + 2);
    b.writeUInt32LE(1, at + 4);
    b.writeUInt32LE(value, at + 8);
  };
  entry(10, 256, 16, 64);
  entry(22, 257, 3, 64);
  return b;
}

/**
 * A PMTiles archive whose root directory is 10 KB of gzip that inflates to 16 million entries in
 * 10 MB: the directory a crafted basemap would use to exhaust the reader's memory.
 */
async function gzipBombBasemap(file: string): Promise<string> {
  const root = gzipSync(Buffer.concat([Buffer.from([0x80, 0xc8, 0xd0, 0x07]), Buffer.alloc(10 * 1024 * 1024)]));
  const header = Buffer.alloc(127);
  header.write("PMTiles", 0, "latin1");
  header.writeUInt8(3, 7);
  header.writeBigUInt64LE(127n, 8);
  header.writeBigUInt64LE(BigInt(root.length), 16);
  for (const at of [24, 40, 56]) header.writeBigUInt64LE(BigInt(127 + root.length), at);
  header.writeUInt8(2, 97); // internal compression: gzip
  header.writeUInt8(1, 98);
  header.writeUInt8(2, 99); // png
  header.writeUInt8(8, 101);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, Buffer.concat([header, root]));
  return file;
}

describe("reference imagery", () => {
  let geo: GeoCase;
  let pair: BurnPair;
  let cog: SceneInfo;
  let sha: Record<string, string>;
  const hostile: Record<string, string> = {};

  before(async () => {
    geo = await startGeoCase();
    const dir = path.join(geo.root, "scenes");
    pair = await makeBurnPair(dir);
    cog = await makeScene(path.join(dir, "cog-2026-02-17.tif"), {
      cog: true,
      dateTime: "2026:02:17 10:32:09",
      description: 'Sentinel-2 L2A <script>alert("x")</script> \u202etxt.exe',
    });
    await makeBasemap(path.join(dir, "basemap.pmtiles"), { name: "Kidal <b>offline</b>", attribution: "test tiles" });
    const h = path.join(geo.root, "hostile");
    hostile["photo-named.tif"] = await makeNotGeoTiff(path.join(h, "photo-named.tif"));
    hostile["plain.tif"] = await makeUngeoreferencedTiff(path.join(h, "plain.tif"));
    hostile["user-defined.tif"] = (await makeUserDefinedProjection(path.join(h, "user-defined.tif"))).path;
    hostile["absurd.tif"] = await makeAbsurdDimensions(path.join(h, "absurd.tif"));
    hostile["tiles.tif"] = await makeHugeTileCount(path.join(h, "tiles.tif"));
    hostile["truncated.tif"] = await makeTruncatedTiff(path.join(h, "truncated.tif"));
    hostile["vector.pmtiles"] = await makeVectorBasemap(path.join(h, "vector.pmtiles"));
    hostile["lambert.tif"] = (
      await makeScene(path.join(h, "lambert.tif"), { width: 32, height: 32, bandCount: 1, projString: "EPSG:2154" })
    ).path;
    hostile["empty.tif"] = path.join(h, "empty.tif");
    await writeFile(hostile["empty.tif"], "");
    hostile["looping.tif"] = path.join(h, "looping.tif");
    await writeFile(hostile["looping.tif"], loopingTiff());
    hostile["bomb.pmtiles"] = await gzipBombBasemap(path.join(h, "bomb.pmtiles"));
    hostile["long8.tif"] = path.join(h, "long8.tif");
    await writeFile(hostile["long8.tif"], classicTiffWithLong8Width());
    hostile["noise.tif"] = path.join(h, "noise.tif");
    await writeFile(hostile["noise.tif"], Buffer.concat([Buffer.from("II*\0"), Buffer.alloc(4096, 0xa7)]));
    sha = await geo.importFiles([
      pair.before.path,
      pair.after.path,
      cog.path,
      path.join(dir, "basemap.pmtiles"),
      ...Object.values(hostile),
    ]);
  });
  after(() => geo.close());

  test("a striped GeoTIFF scene says what it is: size, bands, CRS, bounds, pixel size, tags", async () => {
    const api = geo.analyst.api;
    const inspection = valueOf(await api.inspectReference({ dir: geo.caseDir, sha256: sha["before-2026-02-15.tif"]! }));
    assert.equal(inspection.kind, "scene");
    if (inspection.kind !== "scene") return;
    const t = inspection.tags;
    assert.deepEqual(
      [t.width, t.height, t.bandCount, t.bitsPerSample, t.sampleFormat, t.epsg],
      [512, 512, 6, 16, "uint", 32631],
    );
    assert.deepEqual(t.bounds, pair.before.bounds);
    assert.deepEqual(t.resolution, [20, 20]);
    const [w, s, e, n] = t.bounds84;
    assert.ok(w < KIDAL.lon && KIDAL.lon < e && s < KIDAL.lat && KIDAL.lat < n, `Kidal inside ${t.bounds84.join(",")}`);
    assert.ok(e - w > 0.09 && e - w < 0.12, "about 10 km wide");
    assert.equal(t.isTiled, false);
    assert.equal(t.overviewCount, 0);
    assert.equal(t.dateTime, "2026:02:15 10:32:11");
  });

  test("a Cloud-Optimised GeoTIFF is tiled with overviews; its description is kept as text", async () => {
    const inspection = valueOf(
      await geo.analyst.api.inspectReference({ dir: geo.caseDir, sha256: sha["cog-2026-02-17.tif"]! }),
    );
    assert.equal(inspection.kind, "scene");
    if (inspection.kind !== "scene") return;
    assert.equal(inspection.tags.isTiled, true);
    assert.ok(inspection.tags.overviewCount >= 1);
    assert.equal(inspection.tags.description, 'Sentinel-2 L2A <script>alert("x")</script> \u202etxt.exe');
  });

  test("scenes in WGS 84 and Web Mercator, and a BigTIFF, are read too; their bounds agree", async () => {
    const dir = path.join(geo.root, "crs");
    const wgs = await makeScene(path.join(dir, "wgs84.tif"), { epsg: 4326, width: 64, height: 64, bandCount: 3 });
    const merc = await makeScene(path.join(dir, "mercator.tif"), { epsg: 3857, width: 64, height: 64, bandCount: 3 });
    const big = await makeScene(path.join(dir, "bigtiff.tif"), {
      width: 64,
      height: 64,
      bandCount: 2,
      cog: true,
      bigTiff: true,
    });
    assert.equal((await readFile(big.path)).readUInt16LE(2), 43, "written as BigTIFF");
    const shas = await geo.importFiles([wgs.path, merc.path, big.path]);
    for (const [name, scene] of [
      ["wgs84.tif", wgs],
      ["mercator.tif", merc],
      ["bigtiff.tif", big],
    ] as const) {
      const r = valueOf(await geo.analyst.api.inspectReference({ dir: geo.caseDir, sha256: shas[name]! }));
      assert.equal(r.kind, "scene");
      if (r.kind !== "scene") continue;
      assert.equal(r.tags.epsg, scene.epsg);
      r.tags.bounds.forEach((v, i) => assert.ok(Math.abs(v - scene.bounds[i]!) < 1e-6, `${name} bounds[${i}]`));
      const [w, s, e, n] = r.tags.bounds84;
      assert.ok(
        w < KIDAL.lon && KIDAL.lon < e && s < KIDAL.lat && KIDAL.lat < n,
        `${name}: ${r.tags.bounds84.join(",")}`,
      );
      if (scene.epsg === 4326) r.tags.bounds84.forEach((v, i) => assert.ok(Math.abs(v - scene.bounds[i]!) < 1e-9));
    }
  });

  test("a scene is marked with what the verifier states and what the file says; the page's tags are not taken", async () => {
    const api = geo.analyst.api;
    const sha256 = sha["after-2026-02-17.tif"]!;
    const bands = ["blue", "green", "red", "nir-narrow", "swir1", "swir2"] as const;
    const marked = valueOf(
      await api.markReference({
        dir: geo.caseDir,
        sha256,
        kind: "scene",
        provider: "Copernicus Sentinel-2 L2A",
        sceneId: "S2B_MSIL2A_20260217T101029",
        acquiredOn: pair.afterDate,
        bands: bands.map((role, i) => ({ band: i + 1, role, label: `B${i}` })),
        note: "after the fire",
        // Not part of the contract: a page cannot supply the file's tags.
        fileTags: { width: 1, height: 1 },
      } as never),
    );
    const list = valueOf(await api.listReferences({ dir: geo.caseDir }));
    const mine = list.find((r) => r.sha256 === sha256);
    assert.ok(mine);
    assert.equal(mine.seq, marked.seq);
    assert.equal(mine.actorName, "A. Analyst");
    assert.equal(mine.name, "after-2026-02-17.tif");
    assert.match(mine.objectPath, /^objects\/sha256\/[0-9a-f]{2}\/[0-9a-f]{62}$/);
    assert.equal(mine.marked.kind, "scene");
    if (mine.marked.kind === "scene") assert.equal(mine.marked.fileTags.width, 512);
    const timeline = valueOf(await api.itemTimeline({ dir: geo.caseDir, sha256 }));
    assert.ok(timeline.some((e) => e.event.seq === marked.seq && e.event.type === "reference.marked"));

    const tooMany = errorOf(
      await api.markReference({
        dir: geo.caseDir,
        sha256,
        kind: "scene",
        provider: "x",
        acquiredOn: "2026-02-17",
        bands: [{ band: 9, role: "red", label: "" }],
      }),
    );
    assert.match(tooMany.message, /band 9 is named, but the scene has 6 bands/);
    // The form of a date is not enough: a scene acquired on a day that does not exist is refused.
    for (const acquiredOn of ["2026-02-30", "2026-02-29", "2026-04-31"]) {
      const noSuchDay = errorOf(
        await api.markReference({ dir: geo.caseDir, sha256, kind: "scene", provider: "x", acquiredOn }),
      );
      assert.equal(noSuchDay.code, "invalid-input", acquiredOn);
      assert.match(noSuchDay.message, /no such day/, acquiredOn);
    }
    const asBasemap = errorOf(await api.markReference({ dir: geo.caseDir, sha256, kind: "basemap", provider: "x" }));
    assert.match(asBasemap.message, /GeoTIFF scene, not a basemap/);
  });

  test("an offline PMTiles basemap is read from its header and metadata, and marked", async () => {
    const api = geo.analyst.api;
    const sha256 = sha["basemap.pmtiles"]!;
    const inspection = valueOf(await api.inspectReference({ dir: geo.caseDir, sha256 }));
    assert.equal(inspection.kind, "basemap");
    if (inspection.kind !== "basemap") return;
    assert.deepEqual(
      [inspection.tags.tileType, inspection.tags.minZoom, inspection.tags.maxZoom, inspection.tags.tileCount],
      ["png", 0, 8, 28],
    );
    assert.equal(inspection.tags.name, "Kidal <b>offline</b>");
    assert.equal(inspection.tags.attribution, "test tiles");
    assert.ok(Math.abs(inspection.tags.bounds84[0] - (KIDAL.lon - 0.3)) < 1e-6);
    valueOf(await api.markReference({ dir: geo.caseDir, sha256, kind: "basemap", provider: "Sightline test tiles" }));
    const asScene = errorOf(
      await api.markReference({ dir: geo.caseDir, sha256, kind: "scene", provider: "x", acquiredOn: "2026-02-17" }),
    );
    assert.match(asScene.message, /PMTiles basemap, not a scene/);
  });

  const refusals: [string, RegExp][] = [
    ["photo-named.tif", /^this is a JPEG image, not a GeoTIFF scene or a PMTiles basemap/],
    ["plain.tif", /TIFF image without georeferencing/],
    ["user-defined.tif", /user-defined projection .*gdalwarp -t_srs EPSG:326xx/],
    ["absurd.tif", /claims 2000000 × 2000000 pixels; Sightline reads scenes up to 200000 pixels a side/],
    ["tiles.tif", /cut into 6250000 tiles of 16 × 16 pixels; Sightline reads scenes of up to 1000000 tiles/],
    ["truncated.tif", /cut short: .* needs \d+ bytes but the file holds \d+/],
    ["vector.pmtiles", /holds vector tiles; only raster basemaps .* are supported/],
    ["lambert.tif", /EPSG:2154, which Sightline does not bundle .*gdalwarp -t_srs/],
    ["empty.tif", /^this is an empty file, not a GeoTIFF scene/],
    ["looping.tif", /image directories loop back on themselves/],
    ["noise.tif", /first image directory lies past its end/],
    ["bomb.pmtiles", /directories or metadata do not inflate to under 2 MB/],
    ["long8.tif", /an image has no width or height/],
  ];
  for (const [name, reason] of refusals) {
    test(`${name}: one clear line through the API, quickly, and nothing recorded`, async () => {
      const api = geo.analyst.api;
      const before = await geo.ledgerText();
      const started = performance.now();
      const inspected = errorOf(await api.inspectReference({ dir: geo.caseDir, sha256: sha[name]! }));
      // A guard against a hang (a looping directory, a bomb), not a speed check: speed is benched.
      assert.ok(performance.now() - started < 60_000, "refused, not hung");
      assert.equal(inspected.code, "invalid-input");
      assert.match(inspected.message, reason);
      assert.ok(inspected.message.length < 300, inspected.message);
      const marked = errorOf(
        await api.markReference({
          dir: geo.caseDir,
          sha256: sha[name]!,
          kind: name.endsWith(".pmtiles") ? "basemap" : "scene",
          provider: "x",
          acquiredOn: "2026-02-16",
        }),
      );
      assert.equal(marked.message, inspected.message);
      assert.equal(await geo.ledgerText(), before, "nothing was appended");
    });
  }

  test("an item that is not in the case, or a case that is not one, is refused", async () => {
    const api = geo.analyst.api;
    const missing = errorOf(await api.inspectReference({ dir: geo.caseDir, sha256: "0".repeat(64) }));
    assert.equal(missing.code, "not-found");
    const notCase = errorOf(await api.inspectReference({ dir: geo.root, sha256: sha["plain.tif"]! }));
    assert.equal(notCase.code, "not-a-case");
  });
});

/** A little-endian TIFF whose one image directory (10 × 10 pixels) names itself as the next one. */
function loopingTiff(): Buffer {
  const b = Buffer.alloc(8 + 2 + 2 * 12 + 4);
  b.write("II", 0, "latin1");
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(8, 4);
  b.writeUInt16LE(2, 8);
  for (const [i, tag] of [256, 257].entries()) {
    const at = 10 + i * 12;
    b.writeUInt16LE(tag, at);
    b.writeUInt16LE(3, at + 2);
    b.writeUInt32LE(1, at + 4);
    b.writeUInt16LE(10, at + 8);
  }
  b.writeUInt32LE(8, 10 + 2 * 12);
  return b;
}
