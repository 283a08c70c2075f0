/**
 * A map snapshot's record of a resampled dNBR is checked against the case, through the real
 * loopback host: it must name the layer's own pair (after scene resampled onto the before
 * scene), date them as they are marked, and give the scenes' own grids. Anything else is refused
 * in one line and nothing is written.
 */
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import sharp from "sharp";
import type { ReferenceMarked, SnapshotResampling } from "../../shared/ledger/geoEvents.js";
import type { BurnPair } from "../support/geoFixtures.js";
import { errorOf, valueOf, type GeoCase } from "../support/geoHost.js";
import { startBurnCase } from "../support/geoLedger.js";

let geo: GeoCase;
let pair: BurnPair;
let photo: string;
let beforeSha: string;
let afterSha: string;
let unmarked: string;
let png: string;
let tags: Record<string, Extract<ReferenceMarked, { kind: "scene" }>["fileTags"]>;

before(async () => {
  const burn = await startBurnCase(
    [
      { name: "fire.jpg", seed: 5 },
      { name: "other.jpg", seed: 6 },
    ],
    ["before", "after"],
  );
  ({ geo, pair, before: beforeSha, after: afterSha } = burn);
  [photo, unmarked] = burn.photos as [string, string];
  tags = {};
  for (const line of (await geo.ledgerText()).trim().split("\n")) {
    const event = JSON.parse(line);
    if (event.type === "reference.marked") tags[event.payload.sha256] = event.payload.fileTags;
  }
  png = (
    await sharp({ create: { width: 64, height: 48, channels: 3, background: "#345" } })
      .png()
      .toBuffer()
  ).toString("base64");
});
after(() => geo.close());

/** What the map records for this pair: the after scene resampled onto the before scene's grid. */
function recorded(): SnapshotResampling {
  const t = tags[beforeSha]!;
  return {
    resampled: { sha256: afterSha, date: pair.afterDate },
    onto: { sha256: beforeSha, date: pair.beforeDate },
    grid: { epsg: t.epsg, pixelSize: [t.resolution[0], t.resolution[1]], width: t.width, height: t.height },
    fromEpsg: tags[afterSha]!.epsg,
    method: "bilinear",
  };
}

function params(resampling: SnapshotResampling, layerPair: { before: string; after: string } | null) {
  return {
    layers: [
      {
        kind: "scene" as const,
        sha256: afterSha,
        provider: "Copernicus Sentinel-2",
        sceneId: null,
        date: pair.afterDate,
        template: null,
        view: "dnbr",
        opacity: 1,
        visible: true,
        pair: layerPair,
        resampling,
      },
    ],
    zoom: 13,
    centre: { lat: pair.scar.lat, lon: pair.scar.lon },
    bounds84: [1.35, 18.42, 1.45, 18.48] as [number, number, number, number],
    rotationDeg: 0,
    compare: { mode: "single" as const, position: 0.5 },
    markers: [],
    renderedAt: "2026-02-18T10:00:00Z",
    viewport: { width: 64, height: 48 },
  };
}

test("a snapshot whose resampling is its pair's, dated and gridded as the case marks them, is kept", async () => {
  const own = { before: beforeSha, after: afterSha };
  const saved = valueOf(
    await geo.analyst.api.saveMapSnapshot({ dir: geo.caseDir, sha256: photo, png, params: params(recorded(), own) }),
  );
  assert.match(saved.path, /^derived\/[0-9a-f]{64}\/map-snapshot-/);
});

test("a resampling naming other scenes, other dates or other grids than the case's is refused and nothing is written", async () => {
  const own = { before: beforeSha, after: afterSha };
  const r = recorded();
  const cases: [SnapshotResampling, { before: string; after: string } | null, RegExp][] = [
    [r, null, /not a pair of scenes/],
    [{ ...r, resampled: r.onto, onto: r.resampled }, own, /other scenes than the layer's pair/],
    [{ ...r, resampled: { ...r.resampled, sha256: photo } }, own, /other scenes than the layer's pair/],
    [r, { before: unmarked, after: afterSha }, /other scenes than the layer's pair/],
    [{ ...r, onto: { ...r.onto, sha256: unmarked } }, { before: unmarked, after: afterSha }, /not marked as a scene/],
    [{ ...r, resampled: { ...r.resampled, date: "2026-03-14" } }, own, /dates the scenes otherwise/],
    [{ ...r, grid: { ...r.grid, epsg: r.grid.epsg + 1 } }, own, /other grids/],
    [{ ...r, grid: { ...r.grid, width: r.grid.width + 1 } }, own, /other grids/],
    [{ ...r, fromEpsg: r.fromEpsg + 1 }, own, /other grids/],
  ];
  const ledger = await geo.ledgerText();
  for (const [resampling, layerPair, reason] of cases) {
    const refused = await geo.analyst.api.saveMapSnapshot({
      dir: geo.caseDir,
      sha256: photo,
      png,
      params: params(resampling, layerPair),
    });
    assert.match(errorOf(refused).message, reason);
  }
  assert.equal(await geo.ledgerText(), ledger, "no event for a refused snapshot");
  const kept = (await readdir(path.join(geo.caseDir, "derived", photo))).filter((f) => f.startsWith("map-snapshot-"));
  assert.equal(kept.length, 1, "no file for a refused snapshot");
});
