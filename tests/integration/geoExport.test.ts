/**
 * Geolocations through a real ledger and the real service: proposals written with the
 * LedgerWriter in every precision class and confidence level read back unchanged after replay
 * and verify clean; exports made over the loopback API are files in exports/ recorded with their
 * SHA-256, and verify catches one changed, removed or replaced by a link.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, lstat, mkdir, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, test } from "node:test";
import { startLoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { trustedExaminers } from "../../electron/services/ledger/caseTrust.js";
import { LedgerWriter } from "../../electron/services/ledger/ledgerWriter.js";
import { verifyCase } from "../../electron/services/ledger/verifyCase.js";
import { exportGeolocations } from "../../electron/services/geo/geoExports.js";
import { CaseStateCache } from "../../electron/services/vault/caseStateCache.js";
import { testService } from "../support/testService.js";
import { loadCaseState, readLedgerEvents } from "../../electron/services/vault/caseStore.js";
import { createHttpClient } from "../../renderer/api/apiClient.js";
import type { EventDraft } from "../../shared/ledger/events.js";
import { CONFIDENCE_LEVELS, PRECISION_CLASSES, PRECISION_RADIUS_M } from "../../shared/ledger/geoEvents.js";
import { cannotGeolocate, proposal } from "../support/geoLedger.js";
import { copyCase, makeHostileBase, payloadAt, type HostileBase } from "../support/hostileCase.js";

let base: HostileBase;
let photo: string;

before(async () => {
  base = await makeHostileBase();
  photo = (await payloadAt(base.caseDir, 2)).sha256;
});

async function appendAs(home: string, caseDir: string, drafts: EventDraft[]) {
  const key = await new KeyStore(home).findFor(await trustedExaminers(caseDir));
  const writer = await LedgerWriter.open(caseDir, { key });
  try {
    return await writer.append(drafts);
  } finally {
    await writer.close();
  }
}

/** One located proposal per precision class × confidence level, and one that cannot be geolocated. */
function vocabulary(sha256: string): EventDraft<"geolocation.proposed">[] {
  const drafts: EventDraft<"geolocation.proposed">[] = [];
  for (const [i, precision] of PRECISION_CLASSES.entries()) {
    for (const [j, confidence] of CONFIDENCE_LEVELS.entries()) {
      const radiusM = precision === "radius" ? 2500 : PRECISION_RADIUS_M[precision];
      drafts.push({
        type: "geolocation.proposed",
        payload: proposal(sha256, {
          place: { shape: "point", lat: 18 + i / 10, lon: -3 - j / 10 },
          precision: { class: precision, radiusM },
          confidence,
          sensitive: (i + j) % 2 === 0,
        }),
      });
    }
  }
  drafts.push({ type: "geolocation.proposed", payload: cannotGeolocate(sha256) });
  return drafts;
}

test("every precision class and confidence level round-trips through a real ledger, which verifies clean", async () => {
  const caseDir = await copyCase(base);
  const drafts = vocabulary(photo);
  const written = await appendAs(base.home, caseDir, drafts);
  const readBack = (await readLedgerEvents(caseDir)).slice(-drafts.length);
  assert.deepEqual(
    readBack.map((e) => e.payload),
    drafts.map((d) => d.payload),
  );
  const replayed = (await loadCaseState(caseDir)).geo.geolocations.slice(-drafts.length);
  assert.deepEqual(
    replayed.map((g) => [g.ref.seq, g.payload.precision?.class ?? null, g.payload.confidence]),
    written.map((e, i) => [e.seq, drafts[i]!.payload.precision?.class ?? null, drafts[i]!.payload.confidence]),
  );
  const report = await verifyCase(caseDir, { threads: 1 });
  assert.deepEqual(report.problems, []);
});

test("exports over the API: a file in exports/ whose SHA-256 the ledger records; verify re-hashes it", async () => {
  const caseDir = await copyCase(base);
  const [first] = await appendAs(base.home, caseDir, [
    { type: "geolocation.proposed", payload: proposal(photo, { sensitive: true }) },
  ]);
  await appendAs(base.home, caseDir, [
    {
      type: "geolocation.proposed",
      payload: proposal(photo, {
        replaces: { seq: first!.seq, hash: first!.hash },
        place: { shape: "point", lat: 18.456789, lon: 1.412345 },
        sensitive: true,
      }),
    },
  ]);
  const service = testService(new KeyStore(base.home));
  const host = await startLoopbackHost({ service });
  try {
    const { api } = createHttpClient(host.url, host.token);
    const results: Record<string, { path: string; sha256: string; size: number; count: number; seq: number }> = {};
    for (const format of ["geojson", "kml", "csv"] as const) {
      const exported = await api.exportGeolocations({ dir: caseDir, format, sensitive: "rounded" });
      assert.ok(exported.ok, exported.ok ? "" : exported.error.message);
      results[format] = exported.value;
    }
    const geojson = results.geojson!;
    assert.match(geojson.path, /^exports\/[A-Za-z0-9]{1,8}-geolocations-\d{8}T\d{9}Z\.geojson$/);
    assert.equal(geojson.count, 1, "only the current proposal: the one it replaced is not exported");
    const bytes = await readFile(path.join(caseDir, geojson.path));
    assert.equal(createHash("sha256").update(bytes).digest("hex"), geojson.sha256);
    assert.equal(bytes.length, geojson.size);
    const feature = JSON.parse(bytes.toString("utf8")).features[0];
    assert.deepEqual(feature.geometry.coordinates, [1.41, 18.46], "sensitive: rounded");
    assert.equal((await lstat(path.join(caseDir, geojson.path))).mode & 0o777, 0o400);
    assert.equal((await lstat(path.join(caseDir, "exports"))).mode & 0o777, 0o700);

    // GDAL's readers (those QGIS opens these formats with) read each file, at the rounded place.
    for (const format of ["geojson", "kml", "csv"] as const) {
      const csvOptions = ["-oo", "X_POSSIBLE_NAMES=longitude", "-oo", "Y_POSSIBLE_NAMES=latitude"];
      const file = path.join(caseDir, results[format]!.path);
      const ogr = spawnSync("ogrinfo", ["-ro", "-al", "-q", ...(format === "csv" ? csvOptions : []), file], {
        encoding: "utf8",
      });
      assert.equal(ogr.status, 0, ogr.stderr);
      assert.equal(ogr.stdout.match(/^OGRFeature/gm)?.length, 1, `${format}: ${ogr.stdout}`);
      assert.match(ogr.stdout, /POINT \(1\.41 18\.46\)/, format);
    }

    const events = await readLedgerEvents(caseDir);
    const recorded = events.find((e) => e.seq === geojson.seq)!;
    assert.equal(recorded.type, "geolocations.exported");
    assert.deepEqual(recorded.payload.geolocations, [{ seq: first!.seq + 1, hash: events[first!.seq + 1]!.hash }]);
    assert.equal(recorded.payload.sensitive, "rounded");
    assert.deepEqual(recorded.payload.head, { seq: geojson.seq - 1, hash: events[geojson.seq - 1]!.hash });

    const unknown = await api.exportGeolocations({
      dir: caseDir,
      format: "csv",
      geolocations: [{ seq: 1, hash: events[1]!.hash }],
    });
    assert.ok(!unknown.ok);
    assert.match(unknown.error.message, /is not a geolocation of this case; nothing was exported/);

    const clean = await verifyCase(caseDir, { threads: 1 });
    assert.deepEqual(clean.problems, []);
    assert.deepEqual(clean.notices, []);
    assert.equal(clean.exportsChecked, 3);

    // Changed, removed, replaced by a link to identical bytes, and a file no event names.
    const at = (format: string) => path.join(caseDir, results[format]!.path);
    await chmod(at("geojson"), 0o600);
    await writeFile(at("geojson"), bytes.toString("utf8").replace("18.46", "18.47"));
    await rm(at("kml"));
    const csvCopy = path.join(path.dirname(caseDir), "outside.csv");
    await writeFile(csvCopy, await readFile(at("csv")));
    await rm(at("csv"), { force: true });
    await symlink(csvCopy, at("csv"));
    await writeFile(path.join(caseDir, "exports", "added-by-hand.csv"), "a,b\n");
    const spoiled = await verifyCase(caseDir, { threads: 1 });
    assert.deepEqual(spoiled.problems.map((p) => [p.code, p.file]).sort(), [
      ["export-corrupt", results.geojson!.path],
      ["export-missing", results.kml!.path],
      ["export-not-regular", results.csv!.path],
    ]);
    assert.deepEqual(
      spoiled.notices.map((n) => [n.code, n.file]),
      [["export-unreferenced", "exports/added-by-hand.csv"]],
    );
  } finally {
    await host.close();
  }
});

test("an exports/ that is a link out of the case is refused, and nothing is written or recorded", async () => {
  const caseDir = await copyCase(base);
  await appendAs(base.home, caseDir, [{ type: "geolocation.proposed", payload: proposal(photo) }]);
  const outside = path.join(path.dirname(caseDir), "elsewhere");
  await rm(path.join(caseDir, "exports"), { recursive: true, force: true });
  await mkdir(outside);
  await symlink(outside, path.join(caseDir, "exports"));
  const before = (await readFile(path.join(caseDir, "ledger.jsonl"))).length;
  const service = testService(new KeyStore(base.home));
  const refused = await service.exportGeolocations({ dir: caseDir, format: "geojson", sensitive: "included" }).then(
    () => null,
    (error: Error) => error,
  );
  assert.ok(refused, "the export must be refused");
  assert.match(refused.message, /exports is a symbolic link/);
  assert.equal((await readFile(path.join(caseDir, "ledger.jsonl"))).length, before);
  assert.deepEqual(await readdir(outside), []);
});

test("two exports in the same millisecond get two names: an earlier export is never replaced", async () => {
  const caseDir = await copyCase(base);
  const tools = {
    states: new CaseStateCache(),
    append: (dir: string, drafts: EventDraft[]) => appendAs(base.home, dir, drafts),
  };
  const at = new Date("2026-02-16T12:00:00.123Z");
  const input = { dir: caseDir, format: "csv", sensitive: "omitted" } as const;
  await assert.rejects(
    exportGeolocations(tools, input, () => at),
    /no geolocation to export yet; nothing was written/,
  );
  await appendAs(base.home, caseDir, [{ type: "geolocation.proposed", payload: proposal(photo, { sensitive: true }) }]);
  const first = await exportGeolocations(tools, input, () => at);
  const second = await exportGeolocations(tools, { ...input, sensitive: "included" }, () => at);
  assert.match(first.path, /-geolocations-20260216T120000123Z\.csv$/);
  assert.equal(second.path, first.path.replace(".csv", "-2.csv"));
  assert.notEqual(first.sha256, second.sha256);
  const report = await verifyCase(caseDir, { threads: 1 });
  assert.deepEqual(report.problems, []);
  assert.deepEqual(report.notices, [], "no temporary file is left behind");
  assert.equal(report.exportsChecked, 2);
});
