/**
 * The standalone checker (resources/verify-ledger.py) and `sightline verify` agree on a case
 * holding every where-and-when event type (a scene marked as reference, a map snapshot, a
 * proposal, a second examiner's review, a revision, chronolocations, exports written by the real
 * service), and on each way to spoil one: the same problems, with the same codes and places.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, test } from "node:test";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { verifyCase } from "../../electron/services/ledger/verifyCase.js";
import { SightlineService } from "../../electron/services/sightlineService.js";
import { REPO_ROOT } from "../support/cli.js";
import {
  basemapMarked,
  chronolocation,
  proposal,
  review,
  sceneMarked,
  snapshotDerivative,
} from "../support/geoLedger.js";
import {
  appendEvent,
  copyCase,
  ledgerLines,
  makeHostileBase,
  newSigner,
  payloadAt,
  type HostileBase,
  type Signer,
} from "../support/hostileCase.js";

const script = path.join(REPO_ROOT, "resources", "verify-ledger.py");

let base: HostileBase;
let reviewer: Signer;
let photo: string;
let blob: string;
/** Refs of the events the spoils below point at. */
const refs: Record<string, { seq: number; hash: string }> = {};
const exported: Record<string, string> = {};

async function refAt(caseDir: string, line: number) {
  const event = JSON.parse((await ledgerLines(caseDir))[line - 1]!);
  return { seq: event.seq as number, hash: event.hash as string };
}

before(async () => {
  base = await makeHostileBase();
  const caseDir = base.caseDir;
  const shaOf = (objectPath: string) => objectPath.split("/").slice(2).join("");
  photo = shaOf(base.jpegObject);
  blob = shaOf(base.otherObject);
  reviewer = newSigner("B. Reviewer <i>");
  const record = { keyId: reviewer.keyId, name: reviewer.name, publicKey: reviewer.publicKey };
  await appendEvent(caseDir, "examiner.added", { examiner: record }, base.examiner);
  const caseFile = JSON.parse(await readFile(path.join(caseDir, "case.json"), "utf8"));
  caseFile.examiners.push(record);
  await writeFile(path.join(caseDir, "case.json"), JSON.stringify(caseFile, null, 2));

  const png = Buffer.from("\x89PNG\r\n\x1a\n a map as shown, for the test");
  const snapSha = createHash("sha256").update(png).digest("hex");
  await writeFile(path.join(caseDir, "derived", photo, "map-1.png"), png, { mode: 0o400 });
  await appendEvent(caseDir, "derivative.created", snapshotDerivative(photo, snapSha, png.length), base.examiner);
  await appendEvent(caseDir, "reference.marked", sceneMarked(blob), base.examiner);
  await appendEvent(caseDir, "reference.marked", basemapMarked(blob), base.examiner);
  const snapshot = { path: `derived/${photo}/map-1.png`, sha256: snapSha };
  const first = await appendEvent(caseDir, "geolocation.proposed", proposal(photo, { snapshot }), base.examiner);
  refs.first = await refAt(caseDir, first);
  await appendEvent(caseDir, "geolocation.reviewed", review(photo, refs.first), reviewer);
  const revised = await appendEvent(
    caseDir,
    "geolocation.proposed",
    proposal(photo, {
      replaces: refs.first,
      sensitive: true,
      place: {
        shape: "area",
        ring: [
          { lat: 18.44, lon: 1.4 },
          { lat: 18.45, lon: 1.4 },
          { lat: 18.45, lon: 1.41 },
        ],
      },
    }),
    base.examiner,
  );
  refs.revised = await refAt(caseDir, revised);
  const chrono = await appendEvent(caseDir, "chronolocation.recorded", chronolocation(photo), base.examiner);
  refs.chrono = await refAt(caseDir, chrono);
  await appendEvent(
    caseDir,
    "chronolocation.recorded",
    chronolocation(photo, { replaces: refs.chrono, window: null }),
    reviewer,
  );
  const service = new SightlineService(new KeyStore(base.home));
  for (const format of ["geojson", "kml", "csv"] as const) {
    const sensitive = format === "csv" ? "included" : "rounded";
    exported[format] = (await service.exportGeolocations({ dir: caseDir, format, sensitive })).path;
  }
});

function checker(caseDir: string): { status: number | null; found: string[]; stdout: string } {
  const run = spawnSync("python3", [script, caseDir], { encoding: "utf8" });
  assert.equal(run.stderr, "", "the checker must not crash");
  const found = [...run.stdout.matchAll(/^PROBLEM (.+?): .* \[([a-z-]+)\]$/gm)].map((m) => `${m[1]} [${m[2]}]`);
  return { status: run.status, found: found.sort(), stdout: run.stdout };
}

async function ours(caseDir: string): Promise<{ isClean: boolean; found: string[] }> {
  const report = await verifyCase(caseDir, { threads: 1 });
  const found = report.problems.map((p) => `${p.line !== undefined ? `line ${p.line}` : p.file} [${p.code}]`);
  return { isClean: report.isClean, found: found.sort() };
}

test("a case holding every where-and-when event type checks out on both sides, with the same head", async () => {
  const lines = await ledgerLines(base.caseDir);
  const types = new Set(lines.map((l) => JSON.parse(l).type));
  for (const type of [
    "reference.marked",
    "geolocation.proposed",
    "geolocation.reviewed",
    "chronolocation.recorded",
    "geolocations.exported",
  ]) {
    assert.ok(types.has(type), type);
  }
  const python = checker(base.caseDir);
  assert.equal(python.status, 0, python.stdout);
  assert.doesNotMatch(python.stdout, /^NOTICE/m);
  const report = await verifyCase(base.caseDir, { threads: 1 });
  assert.deepEqual(report.problems, []);
  assert.deepEqual(report.notices, []);
  assert.equal(report.exportsChecked, 3);
  assert.match(python.stdout, new RegExp(`head ${report.head!.seq} ${report.head!.hash}$`, "m"));
});

const at = (caseDir: string, relative: string) => path.join(caseDir, relative);
const spoils: { name: string; spoil: (caseDir: string) => Promise<string[]> }[] = [
  {
    name: "an export changed after it was written",
    spoil: async (caseDir) => {
      await chmod(at(caseDir, exported.geojson!), 0o600);
      const text = await readFile(at(caseDir, exported.geojson!), "utf8");
      await writeFile(at(caseDir, exported.geojson!), text.replace('"rounded"', '"included"'));
      return [`${exported.geojson} [export-corrupt]`];
    },
  },
  {
    name: "an export removed, and one replaced by a link to its own bytes outside the case",
    spoil: async (caseDir) => {
      await rm(at(caseDir, exported.kml!), { force: true });
      const outside = path.join(path.dirname(caseDir), "outside.csv");
      await writeFile(outside, await readFile(at(caseDir, exported.csv!)));
      await rm(at(caseDir, exported.csv!), { force: true });
      await symlink(outside, at(caseDir, exported.csv!));
      return [`${exported.kml} [export-missing]`, `${exported.csv} [export-not-regular]`];
    },
  },
  {
    name: "exports/ moved out of the case and linked back: nothing in it is opened, though its bytes match",
    spoil: async (caseDir) => {
      const outside = path.join(path.dirname(caseDir), "exports-elsewhere");
      await rename(at(caseDir, "exports"), outside);
      await symlink(outside, at(caseDir, "exports"));
      return ["exports [case-layout-invalid]", ...Object.values(exported).map((p) => `${p} [export-not-regular]`)];
    },
  },
  {
    name: "a review by the examiner who proposed",
    spoil: async (caseDir) => {
      const line = await appendEvent(caseDir, "geolocation.reviewed", review(photo, refs.revised!), base.examiner);
      return [`line ${line} [geolocation-self-review]`];
    },
  },
  {
    name: "broken references: a revision naming a chronolocation, a review of another item, a made-up export",
    spoil: async (caseDir) => {
      const a = await appendEvent(
        caseDir,
        "geolocation.proposed",
        proposal(photo, { replaces: refs.chrono! }),
        base.examiner,
      );
      const b = await appendEvent(caseDir, "geolocation.reviewed", review(blob, refs.revised!), reviewer);
      const c = await appendEvent(
        caseDir,
        "chronolocation.recorded",
        chronolocation(photo, { replaces: { seq: refs.chrono!.seq + 1, hash: refs.chrono!.hash } }),
        base.examiner,
      );
      const d = await appendEvent(
        caseDir,
        "geolocations.exported",
        {
          ...(await payloadAt(caseDir, (await ledgerLines(caseDir)).length - 3)),
          geolocations: [{ seq: 0, hash: "0".repeat(64) }],
        },
        base.examiner,
      );
      return [a, b, c, d].map((l) => `line ${l} [geo-reference-broken]`);
    },
  },
  {
    name: "clue and shadow frames off the item, layers on imagery not marked so, records revised twice",
    spoil: async (caseDir) => {
      const layer = { kind: "basemap", sha256: blob, provider: "OSM", sceneId: null, date: null, template: null };
      const clue = (image: string, kind: string) => ({
        what: "wadi bend",
        frame: { image, x: 3, y: 4, timestampS: null },
        map: { lat: 18.44, lon: 1.41 },
        layer: { ...layer, kind },
      });
      const foreign = `derived/${blob}/frame.png`;
      const withClues = (clues: object[]) => proposal(photo, { clues: clues as never });
      // Clean: the item's own thumbnail, and the basemap the blob was last marked as.
      await appendEvent(caseDir, "geolocation.proposed", withClues([clue(base.thumbnail, "basemap")]), base.examiner);
      const lines = [
        await appendEvent(caseDir, "geolocation.proposed", withClues([clue(foreign, "basemap")]), base.examiner),
        await appendEvent(caseDir, "geolocation.proposed", withClues([clue("original", "scene")]), base.examiner),
        await appendEvent(caseDir, "geolocation.proposed", proposal(photo, { replaces: refs.first! }), base.examiner),
        await appendEvent(
          caseDir,
          "chronolocation.recorded",
          chronolocation(photo, { replaces: refs.chrono! }),
          base.examiner,
        ),
      ];
      const c = chronolocation(photo);
      lines.push(
        await appendEvent(
          caseDir,
          "chronolocation.recorded",
          { ...c, shadows: [{ ...c.shadows[0]!, frame: { image: foreign, timestampS: null } }] },
          base.examiner,
        ),
      );
      return lines.map((l) => `line ${l} [geo-reference-broken]`);
    },
  },
  {
    name: "a snapshot no map-snapshot derivative recorded, and items never imported",
    spoil: async (caseDir) => {
      const thumbnail = await readFile(at(caseDir, base.thumbnail));
      const snapshot = { path: base.thumbnail, sha256: createHash("sha256").update(thumbnail).digest("hex") };
      const a = await appendEvent(caseDir, "geolocation.proposed", proposal(photo, { snapshot }), base.examiner);
      const b = await appendEvent(caseDir, "reference.marked", sceneMarked("e".repeat(64)), base.examiner);
      const c = await appendEvent(caseDir, "chronolocation.recorded", chronolocation("e".repeat(64)), reviewer);
      return [`line ${a} [geo-snapshot-unknown]`, `line ${b} [geo-item-unknown]`, `line ${c} [geo-item-unknown]`];
    },
  },
  {
    name: "payload rules: located without confidence, a reason of only ideographic spaces, a window ending first, text over its limit",
    spoil: async (caseDir) => {
      const lines = [
        await appendEvent(caseDir, "geolocation.proposed", proposal(photo, { confidence: null }), base.examiner),
        await appendEvent(
          caseDir,
          "geolocation.proposed",
          {
            ...proposal(photo),
            outcome: "cannot-geolocate",
            place: null,
            precision: null,
            confidence: null,
            cannotReason: "\u3000\u3000",
          },
          base.examiner,
        ),
        await appendEvent(
          caseDir,
          "chronolocation.recorded",
          chronolocation(photo, { window: { from: "2026-02-16T10:00:00+01:00", to: "2026-02-16T08:59:59Z" } }),
          base.examiner,
        ),
        // Limits count code points, as the schemas do: 4,001 emoji are over the 4,000 a reason may hold.
        await appendEvent(
          caseDir,
          "geolocation.reviewed",
          review(photo, refs.revised!, "agree", "\u{1F525}".repeat(4001)),
          reviewer,
        ),
        await appendEvent(caseDir, "geolocation.proposed", proposal(photo, { method: "bell\u0007" }), base.examiner),
        await appendEvent(
          caseDir,
          "reference.marked",
          { ...basemapMarked(blob), fileTags: { ...basemapMarked(blob).fileTags, maxZoom: 31 } },
          base.examiner,
        ),
      ];
      return lines.map((l) => `line ${l} [payload-invalid]`);
    },
  },
  {
    name: "a map snapshot's dNBR resampling: a well-formed one passes; an unknown method, markup or Arabic-Indic digits for a date, huge numbers, an extra member or a string for a layer's record do not",
    spoil: async (caseDir) => {
      const snap = JSON.parse((await ledgerLines(caseDir)).find((l) => l.includes('"map-snapshot"'))!).payload;
      const resampling = {
        resampled: { sha256: blob, date: "2026-03-14" },
        onto: { sha256: photo, date: "2026-03-02" },
        grid: { epsg: 32631, pixelSize: [10, 10], width: 1098, height: 1098 },
        fromEpsg: 32630,
        method: "bilinear",
      };
      const withResampling = (r: unknown, pad: unknown[] = []) => ({
        ...snap,
        params: { ...snap.params, layers: [...pad, { ...snap.params.layers[0], view: "dnbr", resampling: r }] },
      });
      const append = (payload: Record<string, unknown>) =>
        appendEvent(caseDir, "derivative.created", payload, base.examiner);
      await append(withResampling(resampling, ["not a layer", null]));
      // A thumbnail's params are its own: only a map snapshot's layers are read.
      await append({ ...withResampling({ method: "cubic" }), role: "thumbnail" });
      const lines = [
        await append(withResampling({ ...resampling, method: "cubic" })),
        await append(withResampling({ ...resampling, onto: { sha256: photo, date: "<b>2026-03-02</b>" } })),
        // Arabic-Indic digits are Unicode digits to Python's \d, not to JavaScript's.
        await append(
          withResampling({ ...resampling, resampled: { sha256: blob, date: "\u0662\u0660\u0662\u0666-03-14" } }),
        ),
        await append(withResampling({ ...resampling, grid: { ...resampling.grid, pixelSize: [1e300, 10] } })),
        await append(withResampling({ ...resampling, grid: { ...resampling.grid, width: 1.5 } })),
        await append(withResampling({ ...resampling, fromEpsg: 10_000_000 })),
        await append(withResampling({ ...resampling, note: "<script>alert(1)</script>" })),
        await append(withResampling("resampled, bilinear")),
        await append(withResampling(null)),
      ];
      return lines.map((l) => `line ${l} [payload-invalid]`);
    },
  },
  {
    name: "a window across a date JavaScript rolls over (30 February is 2 March), and 4,000 emoji (8,000 UTF-16 units) in a reason, are read alike",
    spoil: async (caseDir) => {
      await appendEvent(
        caseDir,
        "geolocation.reviewed",
        review(photo, refs.revised!, "agree", "\u{1F525}".repeat(4000)),
        reviewer,
      );
      await appendEvent(
        caseDir,
        "chronolocation.recorded",
        chronolocation(photo, { window: { from: "2026-02-30T00:00Z", to: "2026-03-02T00:00Z" } }),
        base.examiner,
      );
      const late = await appendEvent(
        caseDir,
        "chronolocation.recorded",
        chronolocation(photo, { window: { from: "2026-02-30T00:00Z", to: "2026-03-01T23:59Z" } }),
        base.examiner,
      );
      return [`line ${late} [payload-invalid]`];
    },
  },
];

for (const { name, spoil } of spoils) {
  test(`both checkers report it alike: ${name}`, async () => {
    const caseDir = await copyCase(base);
    const expected = (await spoil(caseDir)).sort();
    const python = checker(caseDir);
    assert.deepEqual(python.found, expected, python.stdout);
    assert.equal(python.status, 1);
    const sightline = await ours(caseDir);
    assert.deepEqual(sightline.found, expected);
  });
}

test("a file in exports/ that no event names is a notice on both sides, not a problem", async () => {
  const caseDir = await copyCase(base);
  await mkdir(at(caseDir, "exports/old"), { recursive: true });
  await writeFile(at(caseDir, "exports/by-hand.kml"), "<kml/>");
  await writeFile(at(caseDir, "exports/old/notes.txt"), "x");
  const python = checker(caseDir);
  assert.equal(python.status, 0, python.stdout);
  const notices = [...python.stdout.matchAll(/^NOTICE (.+?): .* \[export-unreferenced\]$/gm)].map((m) => m[1]);
  assert.deepEqual(notices.sort(), ["exports/by-hand.kml", "exports/old/notes.txt"]);
  const report = await verifyCase(caseDir, { threads: 1 });
  assert.deepEqual(report.problems, []);
  assert.deepEqual(report.notices.map((n) => `${n.file} [${n.code}]`).sort(), [
    "exports/by-hand.kml [export-unreferenced]",
    "exports/old/notes.txt [export-unreferenced]",
  ]);
});
