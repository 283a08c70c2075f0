/**
 * The geolocation writers (shared/geo/geoExport.ts, and csv-stringify as the service uses it)
 * read back by other parsers: GeoJSON validated with ajv against the GeoJSON schema, KML with
 * fast-xml-parser, CSV with Python's csv module. Sensitive handling and hostile text included.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { test } from "node:test";
import { Ajv } from "ajv";
import { stringify } from "csv-stringify/sync";
import { XMLParser } from "fast-xml-parser";
import type { GeolocationInfo } from "../../shared/api/geoContract.js";
import {
  csvTable,
  geoJsonText,
  htmlInert,
  kmlText,
  planGeoExport,
  ringCentroid,
  ROUNDING_ERROR_M,
  spreadsheetSafe,
  type GeoExportEntry,
  type GeoExportMeta,
  type SensitiveHandling,
} from "../../shared/geo/geoExport.js";
import type { GeolocationProposed } from "../../shared/ledger/geoEvents.js";
import { inertText } from "../../shared/text/inertText.js";
import { cannotGeolocate, proposal } from "../support/geoLedger.js";

const require = createRequire(import.meta.url);
const featureCollectionSchema = require("geojson-schema/FeatureCollection.json");

const HOSTILE = '</name>]]><script>alert(1)</script>\u202Egpj.exe & "q"';
/** A clockwise ring near Kidal (west → north → east reads clockwise on a map). */
const CLOCKWISE = [
  { lat: 18.4, lon: 1.4 },
  { lat: 18.5, lon: 1.4 },
  { lat: 18.5, lon: 1.5 },
  { lat: 18.4, lon: 1.5 },
];

let seq = 10;
function info(payload: GeolocationProposed, actorName = "A. Analyst"): GeolocationInfo {
  seq++;
  return {
    ref: { seq, hash: seq.toString(16).padStart(64, "0") },
    ts: "2026-02-16T12:00:00.000Z",
    actor: "ed25519:" + "1".repeat(32),
    actorName,
    payload,
    replacedBy: null,
    reviews: [
      {
        ref: { seq: seq + 100, hash: "f".repeat(64) },
        ts: "2026-02-16T13:00:00.000Z",
        actor: "ed25519:" + "2".repeat(32),
        actorName: "B. Reviewer",
        payload: { sha256: payload.sha256, geolocation: { seq, hash: "0".repeat(64) }, verdict: "agree", reason: "ok" },
      },
    ],
  };
}

const sha = (c: string) => c.repeat(64);
const entries: GeoExportEntry[] = [
  { info: info(proposal(sha("1"), { place: { shape: "point", lat: 18.441234, lon: -3.907654 } })), itemName: HOSTILE },
  { info: info(proposal(sha("2"), { place: { shape: "area", ring: CLOCKWISE } })), itemName: "area.jpg" },
  { info: info(cannotGeolocate(sha("3"), "=cmd|' /C calc'!A0")), itemName: "@SUM(A1).mp4" },
  {
    info: info(proposal(sha("4"), { sensitive: true, place: { shape: "point", lat: 16.123456, lon: -3.987654 } })),
    itemName: "witness.jpg",
  },
  {
    info: info(proposal(sha("5"), { sensitive: true, place: { shape: "area", ring: CLOCKWISE } }), "-Examiner"),
    itemName: "+witness-area.jpg",
  },
];

const meta = (sensitive: SensitiveHandling): GeoExportMeta => ({
  caseId: "case-1",
  head: { seq: 99, hash: "9".repeat(64) },
  exportedAt: "2026-02-16T14:00:00.000Z",
  sensitive,
  tool: { name: "Sightline", version: "test" },
});

function signedArea(ring: number[][]): number {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) a += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return a / 2;
}

test("GeoJSON is an RFC 7946 FeatureCollection: valid against the schema, rings closed and counter-clockwise", () => {
  const text = geoJsonText(planGeoExport(entries, "included"), meta("included"));
  const json = JSON.parse(text);
  const validate = new Ajv({ allErrors: true }).compile(featureCollectionSchema);
  const isValid = validate(structuredClone(json));
  assert.ok(isValid, JSON.stringify(validate.errors));
  assert.equal(json.features.length, 4, "the item that cannot be geolocated is left out");
  assert.equal(json.sightline.cannotGeolocate, 1);
  const [point, area] = json.features;
  assert.deepEqual(point.geometry, { type: "Point", coordinates: [-3.907654, 18.441234] });
  assert.equal(point.properties.itemName, HOSTILE, "GeoJSON is data: the name as recorded");
  assert.equal(point.properties.itemSha256, sha("1"));
  assert.equal(point.properties.proposalHash, point.id);
  assert.deepEqual(
    [point.properties.confidence, point.properties.precision, point.properties.precisionRadiusM],
    ["strong-possibility", "vicinity", 100],
  );
  assert.deepEqual(
    [point.properties.reviewsAgree, point.properties.reviewsDisagree, point.properties.clueCount],
    [1, 0, 2],
  );
  const ring = area.geometry.coordinates[0];
  assert.deepEqual(ring[0], ring.at(-1), "closed");
  assert.equal(ring.length, CLOCKWISE.length + 1);
  assert.ok(signedArea(ring) > 0, "counter-clockwise");
});

test("sensitive places: rounded to 2 decimals (an area to its centroid), omitted and counted, or included", () => {
  const rounded = JSON.parse(geoJsonText(planGeoExport(entries, "rounded"), meta("rounded")));
  const [, , witness, witnessArea] = rounded.features;
  assert.deepEqual(witness.geometry.coordinates, [-3.99, 16.12]);
  assert.equal(witness.properties.coordinatesRounded, true);
  assert.equal(witness.properties.precisionRadiusM, 100 + ROUNDING_ERROR_M);
  assert.deepEqual(witnessArea.geometry, { type: "Point", coordinates: [1.45, 18.45] });
  const centroid = ringCentroid(CLOCKWISE);
  assert.ok(Math.abs(centroid.lat - 18.45) < 1e-9 && Math.abs(centroid.lon - 1.45) < 1e-9, JSON.stringify(centroid));
  assert.equal(rounded.features[0].properties.coordinatesRounded, false, "only sensitive places are rounded");
  assert.deepEqual(rounded.features[0].geometry.coordinates, [-3.907654, 18.441234]);

  const omitted = JSON.parse(geoJsonText(planGeoExport(entries, "omitted"), meta("omitted")));
  assert.equal(omitted.features.length, 2);
  assert.equal(omitted.sightline.sensitiveOmitted, 2);
  assert.ok(omitted.features.every((f: { properties: { sensitive: boolean } }) => !f.properties.sensitive));
  const included = JSON.parse(geoJsonText(planGeoExport(entries, "included"), meta("included")));
  assert.deepEqual(included.features[2].geometry.coordinates, [-3.987654, 16.123456]);
});

test("KML reads back with a real XML parser: coordinates to 1e-6, hostile names inert", () => {
  const text = kmlText(planGeoExport(entries, "included"), meta("included"));
  assert.doesNotMatch(text, /<script/i);
  assert.doesNotMatch(text, /\u202E/);
  const parsed = new XMLParser({
    ignoreAttributes: false,
    // Character references (tokml writes & as &#x26;) are XML; fast-xml-parser decodes them only with this.
    htmlEntities: true,
    parseTagValue: false,
    isArray: (name) => name === "Placemark" || name === "Data",
  }).parse(text);
  const placemarks = parsed.kml.Document.Placemark;
  assert.equal(placemarks.length, 4);
  const [point, area] = placemarks;
  assert.equal(point.name, htmlInert(HOSTILE));
  assert.doesNotMatch(point.name, /[<>\u202E]/);
  const decoded = point.name.replace(/&#(\d+);/g, (_: string, n: string) => String.fromCharCode(Number(n)));
  assert.equal(decoded, inertText(HOSTILE), "an HTML reader (Google Earth's balloon) shows the text, not markup");
  const [lon, lat] = String(point.Point.coordinates).split(",").map(Number);
  assert.ok(Math.abs(lon! - -3.907654) < 1e-6 && Math.abs(lat! - 18.441234) < 1e-6);
  const ring = String(area.Polygon.outerBoundaryIs.LinearRing.coordinates)
    .trim()
    .split(/\s+/)
    .map((p) => p.split(",").map(Number));
  assert.equal(ring.length, 5);
  assert.ok(signedArea(ring) > 0);
  for (const [i, corner] of [...CLOCKWISE].reverse().entries()) {
    assert.ok(Math.abs(ring[i]![0]! - corner.lon) < 1e-6 && Math.abs(ring[i]![1]! - corner.lat) < 1e-6);
  }
  const data = Object.fromEntries(
    point.ExtendedData.Data.map((d: { "@_name": string; value: unknown }) => [d["@_name"], d.value]),
  );
  assert.equal(data.itemSha256, sha("1"));
  assert.match(String(parsed.kml.Document.name), /ledger head 99/);
});

/** Python's csv module reads the text back: an independent reader. */
function parseCsv(text: string): string[][] {
  const run = spawnSync(
    "python3",
    ["-c", "import csv,io,json,sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline='')))))"],
    { input: text, encoding: "utf8" },
  );
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

test("CSV: header, latitude and longitude in their own columns, empty for no place, formulas neutralised", () => {
  const text = stringify(csvTable(planGeoExport(entries, "rounded")), { bom: true, record_delimiter: "windows" });
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ""));
  assert.ok(text.startsWith("\uFEFFitem_sha256,"), "UTF-8 with a byte-order mark");
  const col = (name: string) => header!.indexOf(name);
  assert.equal(rows.length, 5, "every proposal, the one that cannot be geolocated too");
  assert.deepEqual([rows[0]![col("latitude")], rows[0]![col("longitude")]], ["18.441234", "-3.907654"]);
  assert.equal(rows[0]![col("item_name")], inertText(HOSTILE));
  assert.deepEqual(
    [rows[1]![col("shape")], rows[1]![col("latitude")], rows[1]![col("longitude")]],
    ["area", "18.45", "1.45"],
  );
  assert.match(
    rows[1]![col("area_wkt")]!,
    /^POLYGON \(\(1\.5 18\.4, 1\.5 18\.5, 1\.4 18\.5, 1\.4 18\.4, 1\.5 18\.4\)\)$/,
  );
  const cannot = rows[2]!;
  assert.deepEqual(
    [cannot[col("latitude")], cannot[col("longitude")], cannot[col("outcome")]],
    ["", "", "cannot-geolocate"],
  );
  assert.equal(cannot[col("item_name")], "'@SUM(A1).mp4");
  assert.equal(cannot[col("cannot_reason")], "'=cmd|' /C calc'!A0");
  assert.deepEqual(
    [rows[3]![col("latitude")], rows[3]![col("longitude")], rows[3]![col("coordinates_rounded")]],
    ["16.12", "-3.99", "yes"],
  );
  assert.equal(rows[4]![col("item_name")], "'+witness-area.jpg");
  assert.equal(rows[4]![col("examiner")], "'-Examiner");
  for (const row of rows) for (const cell of row) assert.doesNotMatch(cell, /^[=+@\t\r]/);
});

test("spreadsheet-safe cells: every formula lead-in, and text that only looks harmless once made inert", () => {
  for (const lead of ["=", "+", "-", "@", "\t", "\r"])
    assert.ok(spreadsheetSafe(`${lead}1+1`).startsWith("'"), JSON.stringify(lead));
  assert.equal(spreadsheetSafe("photo.jpg"), "photo.jpg");
  assert.equal(
    spreadsheetSafe("\u202E=1"),
    "\\u{202E}=1",
    "a bidi override is made visible, and then starts with no formula sign",
  );
});
