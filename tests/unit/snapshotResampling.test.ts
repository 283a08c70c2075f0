/**
 * A map snapshot's record of a resampled dNBR (`params.layers[].resampling`): what the API and
 * the ledger accept, what they refuse, and the words the item's page and the report show.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { MapSnapshotParamsSchema } from "../../shared/api/geoContract.js";
import { resamplingWords, snapshotParamsOf, snapshotResampling } from "../../shared/geo/snapshotResampling.js";
import { PAYLOAD_SCHEMAS } from "../../shared/ledger/events.js";
import { SnapshotResamplingSchema, type SnapshotResampling } from "../../shared/ledger/geoEvents.js";

const BEFORE = "b".repeat(64);
const AFTER = "a".repeat(64);
const RESAMPLING: SnapshotResampling = {
  resampled: { sha256: AFTER, date: "2026-03-14" },
  onto: { sha256: BEFORE, date: "2026-03-02" },
  grid: { epsg: 32631, pixelSize: [10, 10], width: 1098, height: 1098 },
  fromEpsg: 32631,
  method: "bilinear",
};
const LAYER = {
  kind: "scene",
  sha256: AFTER,
  provider: "Sentinel-2 <b>L2A</b>",
  sceneId: null,
  date: "2026-03-14",
  template: null,
  view: "dnbr",
  opacity: 1,
  visible: true,
  pair: { before: BEFORE, after: AFTER },
};
const params = (layer: Record<string, unknown>) => ({
  layers: [layer],
  zoom: 12,
  centre: { lat: 18.44, lon: 1.41 },
  bounds84: [1.3, 18.4, 1.5, 18.5],
  rotationDeg: 0,
  compare: { mode: "single", position: 0.5 },
  markers: [],
  renderedAt: "2026-03-20T10:00:00Z",
  viewport: { width: 800, height: 600 },
});
const derivative = (p: unknown, role = "map-snapshot") => ({
  parent: "c".repeat(64),
  role,
  path: `derived/${"c".repeat(64)}/map-snapshot-1.png`,
  sha256: "d".repeat(64),
  size: 100,
  mime: "image/png",
  width: 800,
  height: 600,
  timestampS: null,
  phash: null,
  tool: { name: "Sightline map", version: "1" },
  params: p,
});

const HOSTILE: [string, unknown][] = [
  ["an unknown method", { ...RESAMPLING, method: "cubic" }],
  ["a method in capitals", { ...RESAMPLING, method: "Bilinear" }],
  ["markup for a date", { ...RESAMPLING, onto: { sha256: BEFORE, date: "<img src=x onerror=alert(1)>" } }],
  ["a date with a bidi override", { ...RESAMPLING, resampled: { sha256: AFTER, date: "\u202e2026-03-14" } }],
  ["a date with no real month", { ...RESAMPLING, resampled: { sha256: AFTER, date: "2026-13-01" } }],
  ["a scene that is not a SHA-256", { ...RESAMPLING, onto: { sha256: "../../etc/passwd", date: "2026-03-02" } }],
  ["a huge pixel size", { ...RESAMPLING, grid: { ...RESAMPLING.grid, pixelSize: [1e300, 10] } }],
  ["a zero pixel size", { ...RESAMPLING, grid: { ...RESAMPLING.grid, pixelSize: [0, 10] } }],
  ["a negative pixel size", { ...RESAMPLING, grid: { ...RESAMPLING.grid, pixelSize: [10, -10] } }],
  ["three pixel sizes", { ...RESAMPLING, grid: { ...RESAMPLING.grid, pixelSize: [10, 10, 10] } }],
  ["a huge width", { ...RESAMPLING, grid: { ...RESAMPLING.grid, width: 2 ** 53 } }],
  ["a fractional height", { ...RESAMPLING, grid: { ...RESAMPLING.grid, height: 10.5 } }],
  ["an EPSG code of seven digits", { ...RESAMPLING, fromEpsg: 1_000_000 }],
  ["an EPSG code as text", { ...RESAMPLING, grid: { ...RESAMPLING.grid, epsg: "EPSG:32631" } }],
  ["an extra member", { ...RESAMPLING, note: "<script>alert(1)</script>" }],
  ["a missing member", { ...RESAMPLING, method: undefined }],
  ["a sentence instead of a record", "resampled onto the before grid, bilinear"],
  ["null", null],
];

test("a resampled dNBR layer is accepted by the API and the ledger; a layer without one still is", () => {
  assert.ok(MapSnapshotParamsSchema.safeParse(params({ ...LAYER, resampling: RESAMPLING })).success);
  assert.ok(MapSnapshotParamsSchema.safeParse(params(LAYER)).success, "snapshots made before stay valid");
  const ledger = PAYLOAD_SCHEMAS["derivative.created"];
  assert.ok(ledger.safeParse(derivative(params({ ...LAYER, resampling: RESAMPLING }))).success);
  assert.ok(ledger.safeParse(derivative(params(LAYER))).success);
  assert.ok(ledger.safeParse(derivative({ layers: "not a list" })).success, "other params are recorded, not checked");
});

for (const [what, value] of HOSTILE) {
  test(`the API and the ledger refuse a resampling with ${what}`, () => {
    assert.equal(SnapshotResamplingSchema.safeParse(value).success, false);
    assert.equal(MapSnapshotParamsSchema.safeParse(params({ ...LAYER, resampling: value })).success, false);
    const ledger = PAYLOAD_SCHEMAS["derivative.created"];
    const refused = ledger.safeParse(derivative(params({ ...LAYER, resampling: value })));
    assert.equal(refused.success, false);
    assert.deepEqual(refused.error!.issues[0]!.path, ["params", "layers", 0, "resampling"]);
    // A thumbnail's params are its own business.
    assert.ok(ledger.safeParse(derivative(params({ ...LAYER, resampling: value }), "thumbnail")).success);
  });
}

test("the words say which scene was resampled onto which grid, and how", () => {
  assert.equal(
    resamplingWords(RESAMPLING),
    "Burn index: the 14 March 2026 scene resampled onto the 2 March 2026 scene's 10 m grid (1098 × 1098 pixels; bilinear)",
  );
  assert.equal(
    resamplingWords({ ...RESAMPLING, fromEpsg: 32630, grid: { ...RESAMPLING.grid, pixelSize: [20, 30] } }),
    "Burn index: the 14 March 2026 scene resampled onto the 2 March 2026 scene's 20 × 30 m grid (1098 × 1098 pixels, reprojected from EPSG:32630 to EPSG:32631; bilinear)",
  );
  assert.match(
    resamplingWords({ ...RESAMPLING, grid: { ...RESAMPLING.grid, epsg: 4326, pixelSize: [0.000089831, 0.000089831] } }),
    /scene's 0\.0000898° grid/,
  );
  // A day the month does not have is said as recorded, never rolled over into the next month.
  assert.match(
    resamplingWords({ ...RESAMPLING, onto: { sha256: BEFORE, date: "2026-02-31" } }),
    /onto the 2026-02-31 scene's/,
  );
});

test("reading a snapshot's params keeps the well-formed records in layer order and skips the rest", () => {
  const second = { ...RESAMPLING, method: "nearest" as const };
  const read = snapshotResampling({
    layers: [
      { ...LAYER, resampling: RESAMPLING },
      LAYER,
      "not a layer",
      null,
      { ...LAYER, resampling: { ...RESAMPLING, method: "cubic" } },
      { ...LAYER, resampling: second },
    ],
  });
  assert.deepEqual(read, [RESAMPLING, second]);
  assert.deepEqual(snapshotResampling(null), []);
  assert.deepEqual(snapshotResampling({ layers: { 0: { resampling: RESAMPLING } } }), []);
});

test("a proposal's snapshot params are those of the item's map-snapshot derivative at its path and hash only", () => {
  const shot = { path: `derived/${AFTER}/map-1.png`, sha256: "c".repeat(64) };
  const params = { layers: [{ ...LAYER, resampling: RESAMPLING }] };
  const item = {
    derivatives: [
      { role: "thumbnail", path: shot.path, sha256: shot.sha256, params: { layers: [] } },
      { role: "map-snapshot", path: shot.path, sha256: "d".repeat(64), params: { layers: [] } },
      { role: "map-snapshot", path: shot.path, sha256: shot.sha256, params },
    ],
  };
  assert.equal(snapshotParamsOf(item, shot), params);
  assert.equal(snapshotParamsOf(item, { ...shot, path: `derived/${AFTER}/map-2.png` }), null);
  assert.equal(snapshotParamsOf(undefined, shot), null);
  assert.equal(snapshotParamsOf(item, null), null);
  // Params that are not an object (a hostile ledger's) read as no resampling.
  for (const odd of ["layers", 7, [params]]) assert.deepEqual(snapshotResampling(odd), []);
});
