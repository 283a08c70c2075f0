/**
 * The geo fixtures checked by tools that did not make them: GDAL reads the scenes' grid, CRS and
 * band values back (the planted burn scar gives a high dNBR where the fixture says, and none on
 * the soil around it); the maintained `pmtiles` reader reads every tile of a test basemap back
 * byte for byte; the tile server serves, fails, stalls and counts as asked.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { open } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { PMTiles, tileIdToZxy, type Source } from "pmtiles";
import { tempDir } from "../support/fixtures.js";
import { makeBurnPair, makeScene, pixelToLatLon, type BurnPair } from "../support/geoFixtures.js";
import { makeBasemap, renderTile, startTileServer } from "../support/tileServer.js";

const run = promisify(execFile);

/** Band values at a WGS 84 point, as GDAL reads them. */
async function valuesAt(file: string, lat: number, lon: number): Promise<number[]> {
  const { stdout } = await run("gdallocationinfo", ["-valonly", "-wgs84", file, String(lon), String(lat)]);
  return stdout.trim().split(/\s+/).map(Number);
}

/** NBR from B8A (band 4) and B12 (band 6). */
const nbr = (v: number[]) => (v[3]! - v[5]!) / (v[3]! + v[5]!);

describe("geo fixtures", () => {
  let root: string;
  let pair: BurnPair;

  before(async () => {
    root = await tempDir("sightline-geofix-");
    pair = await makeBurnPair(path.join(root, "pair"));
  });

  test("GDAL reads the scene's grid, CRS and band names as the fixture states them", async () => {
    const { stdout } = await run("gdalinfo", ["-json", pair.before.path]);
    const info = JSON.parse(stdout) as {
      size: number[];
      geoTransform: number[];
      bands: { description: string }[];
      stac?: { "proj:epsg"?: number };
      coordinateSystem: { wkt: string };
      metadata: { "": Record<string, string> };
    };
    assert.deepEqual(info.size, [512, 512]);
    assert.deepEqual(info.geoTransform, [pair.before.origin.x, 20, 0, pair.before.origin.y, 0, -20]);
    assert.deepEqual(
      info.bands.map((b) => b.description),
      ["B02", "B03", "B04", "B8A", "B11", "B12"],
    );
    assert.match(info.coordinateSystem.wkt, /ID\["EPSG",32631\]\]$/);
    assert.equal(info.metadata[""]["TIFFTAG_DATETIME"], "2026:02:15 10:32:11");
  });

  test("the planted scar gives a high dNBR at its centre and none on the soil beyond", async () => {
    const { scar, unburnt } = pair;
    const dnbrScar =
      nbr(await valuesAt(pair.before.path, scar.lat, scar.lon)) -
      nbr(await valuesAt(pair.after.path, scar.lat, scar.lon));
    const dnbrSoil =
      nbr(await valuesAt(pair.before.path, unburnt.lat, unburnt.lon)) -
      nbr(await valuesAt(pair.after.path, unburnt.lat, unburnt.lon));
    assert.ok(dnbrScar > 0.66, `high severity at the scar (USGS ≥ 0.66): ${dnbrScar}`);
    assert.ok(Math.abs(dnbrSoil) < 0.1, `unchanged soil: ${dnbrSoil}`);
    // The scar is about 3.2 km long: its ends along the major axis are burnt, 10 % beyond them is not.
    const e = scar.ellipse;
    const t = (e.rotationDeg * Math.PI) / 180;
    const along = (k: number) => pixelToLatLon(pair.after, e.cx + k * e.a * Math.cos(t), e.cy + k * e.a * Math.sin(t));
    const inside = along(0.9);
    const outside = along(1.1);
    assert.ok(nbr(await valuesAt(pair.after.path, inside.lat, inside.lon)) < -0.5, "burnt near the end");
    assert.ok(nbr(await valuesAt(pair.after.path, outside.lat, outside.lon)) > 0, "grass past the end");
  });

  test("a COG has overviews and GDAL calls its layout COG; a custom projection is user-defined", async () => {
    const cog = await makeScene(path.join(root, "cog.tif"), { cog: true, bands: [2, 3, 5] });
    const { stdout } = await run("gdalinfo", ["-json", cog.path]);
    const info = JSON.parse(stdout) as {
      bands: { description: string; overviews?: unknown[] }[];
      metadata: Record<string, Record<string, string>>;
    };
    assert.equal(info.metadata["IMAGE_STRUCTURE"]?.["LAYOUT"], "COG");
    assert.deepEqual(
      info.bands.map((b) => b.description),
      ["B04", "B8A", "B12"],
    );
    assert.ok((info.bands[0]!.overviews ?? []).length >= 1);
  });

  test("the pmtiles reader reads every tile of the test basemap back, byte for byte", async () => {
    const file = path.join(root, "base.pmtiles");
    const made = await makeBasemap(file);
    const handle = await open(file);
    try {
      const source: Source = {
        getKey: () => file,
        getBytes: async (offset, length) => {
          const b = Buffer.alloc(length);
          const { bytesRead } = await handle.read(b, 0, length, offset);
          return { data: b.buffer.slice(b.byteOffset, b.byteOffset + bytesRead) };
        },
      };
      const archive = new PMTiles(source);
      const header = await archive.getHeader();
      assert.deepEqual(
        [header.specVersion, header.numAddressedTiles, header.minZoom, header.maxZoom],
        [3, made.tileCount, 0, 8],
      );
      let checked = 0;
      for (let id = 0; checked < made.tileCount && id < 100_000; id++) {
        const [z, x, y] = tileIdToZxy(id);
        if (z > 8) break;
        const tile = await archive.getZxy(z, x, y);
        if (!tile) continue;
        assert.deepEqual(Buffer.from(tile.data), await renderTile(z, x, y), `${z}/${x}/${y}`);
        checked++;
      }
      assert.equal(checked, made.tileCount);
      assert.equal(await archive.getZxy(8, 0, 0), undefined, "far from the fixture area there is no tile");
    } finally {
      await handle.close();
    }
  });

  describe("tile server", () => {
    let server: Awaited<ReturnType<typeof startTileServer>>;
    before(async () => {
      server = await startTileServer();
    });
    after(() => server.close());

    test("serves, fails with 500, stalls by the delay asked, and counts every request", async () => {
      const url = `${server.origin}/tiles/2/1/1.png`;
      const ok = await fetch(url);
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get("access-control-allow-origin"), "*");
      assert.deepEqual(Buffer.from(await ok.arrayBuffer()), await renderTile(2, 1, 1));
      assert.equal((await fetch(`${server.origin}/tiles/2/9/1.png`)).status, 404);
      server.setMode({ kind: "fail" });
      assert.equal((await fetch(url)).status, 500);
      server.setMode({ kind: "slow", delayMs: 400 });
      const started = performance.now();
      await (await fetch(url)).arrayBuffer();
      assert.ok(performance.now() - started >= 380);
      assert.deepEqual(server.requests, [
        "/tiles/2/1/1.png",
        "/tiles/2/9/1.png",
        "/tiles/2/1/1.png",
        "/tiles/2/1/1.png",
      ]);
    });
  });
});
