/**
 * Where-and-when records through the real loopback host: a map snapshot kept as a derivative and
 * re-hashed by verify, a geolocation with three clues on a marked scene, a revision, the review a
 * second examiner (their own profile, added with the CLI) makes and the self-review refused, a
 * chronolocation with the sun model's version, and the case map from geolocations and metadata.
 */
import assert from "node:assert/strict";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import sharp from "sharp";
import type { EventRef } from "../../shared/ledger/geoEvents.js";
import type { BurnPair } from "../support/geoFixtures.js";
import { REPO_ROOT } from "../support/cli.js";
import { errorOf, valueOf, type GeoCase } from "../support/geoHost.js";
import { startBurnCase } from "../support/geoLedger.js";
import { JPEG_TAGS } from "../support/mediaCorpus.js";

describe("geolocation records", () => {
  let geo: GeoCase;
  let pair: BurnPair;
  let photo: string;
  let gpsPhoto: string;
  let scene: string;
  let unmarked: string;
  let snapshot: { path: string; sha256: string };
  let first: EventRef;
  let revision: EventRef;

  before(async () => {
    const burn = await startBurnCase(
      [
        { name: "fire-telegram.jpg", seed: 3 },
        { name: "refugee-phone.jpg", seed: 4, exif: true },
      ],
      ["after"],
    );
    ({ geo, pair, after: scene, before: unmarked } = burn);
    [photo, gpsPhoto] = burn.photos as [string, string];
  });
  after(() => geo.close());

  const params = () => ({
    layers: [
      {
        kind: "scene" as const,
        sha256: scene,
        provider: "Copernicus Sentinel-2",
        sceneId: "S2B_20260217",
        date: "2026-02-17",
        template: null,
        view: "false-colour-burn",
        opacity: 1,
        visible: true,
        pair: null,
      },
    ],
    zoom: 13,
    centre: { lat: pair.scar.lat, lon: pair.scar.lon },
    bounds84: [1.35, 18.42, 1.45, 18.48] as [number, number, number, number],
    rotationDeg: 0,
    compare: { mode: "swipe" as const, position: 0.4 },
    markers: [{ label: "<b>scar</b>", lat: pair.scar.lat, lon: pair.scar.lon }],
    renderedAt: "2026-02-18T10:00:00Z",
    viewport: { width: 800, height: 600 },
  });

  test("a map snapshot becomes a read-only PNG derivative that verify re-hashes", async () => {
    const api = geo.analyst.api;
    const png = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#c9a36b" } })
      .png()
      .toBuffer();
    const saved = valueOf(
      await api.saveMapSnapshot({ dir: geo.caseDir, sha256: photo, png: png.toString("base64"), params: params() }),
    );
    assert.match(saved.path, new RegExp(`^derived/${photo}/map-snapshot-\\d{8}T\\d{9}Z\\.png$`));
    assert.equal(saved.size, png.length);
    const file = path.join(geo.caseDir, ...saved.path.split("/"));
    assert.deepEqual(await readFile(file), png);
    assert.equal((await stat(file)).mode & 0o222, 0, "read-only");
    const item = valueOf(await api.getItem({ dir: geo.caseDir, sha256: photo }));
    const d = item.derivatives.find((x) => x.path === saved.path);
    assert.ok(d);
    assert.deepEqual(
      [d.role, d.mime, d.width, d.height, d.tool.name],
      ["map-snapshot", "image/png", 800, 600, "Sightline map"],
    );
    assert.deepEqual(d.params, params());
    snapshot = { path: saved.path, sha256: saved.sha256 };
    const verified = valueOf(await api.verifyCase({ dir: geo.caseDir }));
    assert.equal(verified.isClean, true, JSON.stringify(verified).slice(0, 500));
  });

  test("a snapshot that is not a PNG, is damaged, is not base64 or is too big is refused", async () => {
    const api = geo.analyst.api;
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } })
      .jpeg()
      .toBuffer();
    const png = await sharp({ create: { width: 300, height: 300, channels: 3, background: "#123" } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    const huge = Buffer.alloc(24 * 1024 * 1024 + 3);
    png.copy(huge);
    const cases: [string, RegExp][] = [
      [jpeg.toString("base64"), /not a PNG image/],
      [png.subarray(0, png.length >> 1).toString("base64"), /damaged PNG/],
      ["not base64!".padEnd(12, "?"), /not base64/],
      // The contract bounds the base64 text to exactly the limit's length, so the host refuses it first.
      [huge.toString("base64"), /png: Too big/],
    ];
    const before = await geo.ledgerText();
    for (const [b64, reason] of cases) {
      const r = await api.saveMapSnapshot({ dir: geo.caseDir, sha256: photo, png: b64, params: params() });
      assert.match(errorOf(r).message, reason);
    }
    assert.equal(await geo.ledgerText(), before);
    // Past the snapshot's own bound the host keeps none of the body and answers 413 while the rest arrives.
    const host = geo.analyst.host;
    const oversized = await fetch(`${host.url}/api/saveMapSnapshot`, {
      method: "POST",
      headers: { Authorization: `Bearer ${host.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ dir: geo.caseDir, sha256: photo, png: "A".repeat(36 * 1024 * 1024), params: params() }),
    });
    assert.equal(oversized.status, 413);
    assert.match(errorOf((await oversized.json()) as never).message, /the body is larger than \d+ bytes/);
    // A method name that is a member every object inherits gets no large body either.
    for (const name of ["constructor", "toString", "hasOwnProperty"]) {
      const inherited = await fetch(`${host.url}/api/${name}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${host.token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ pad: "x".repeat(2 * 1024 * 1024) }),
      });
      assert.equal(inherited.status, 413, name);
    }
    // Only this method takes a large body: a 2 MB note is still refused by the host.
    const note = await api.addNote({ dir: geo.caseDir, sha256: photo, text: "x".repeat(2 * 1024 * 1024) });
    assert.match(errorOf(note).message, /larger than 1048576 bytes/);
  });

  const clue = (what: string, x: number, lat: number) => ({
    what,
    frame: { image: "original" as const, x, y: 120, timestampS: null },
    map: { lat, lon: 1.4 },
    layer: {
      kind: "scene" as const,
      sha256: scene,
      provider: "Copernicus Sentinel-2",
      sceneId: "S2B_20260217",
      date: "2026-02-17",
      template: null,
    },
  });
  const proposal = () => ({
    dir: geo.caseDir,
    sha256: photo,
    claims: [
      {
        source: "caption" as const,
        location: null,
        placeName: "near Kidal",
        time: "2026-02-16T09:00:00Z",
        detail: "Telegram caption",
      },
    ],
    outcome: "located" as const,
    place: {
      shape: "area" as const,
      ring: [
        { lat: 18.45, lon: 1.39 },
        { lat: 18.45, lon: 1.41 },
        { lat: 18.47, lon: 1.41 },
        { lat: 18.47, lon: 1.39 },
      ],
    },
    precision: { class: "locality" as const, radiusM: 1000 },
    confidence: "strong-possibility" as const,
    clues: [clue("ridge line", 40, 18.45), clue("wadi bend", 160, 18.455), clue("burn scar edge", 280, 18.46)],
    method: "Matched the ridge and the wadi bend against the after scene.",
    sensitive: true,
    snapshot,
  });

  test("a geolocation with three clues is recorded; what does not hold is refused", async () => {
    const api = geo.analyst.api;
    first = valueOf(await api.proposeGeolocation(proposal()));
    const listed = valueOf(await api.listGeolocations({ dir: geo.caseDir, sha256: photo }));
    assert.equal(listed.geolocations.length, 1);
    assert.deepEqual(listed.geolocations[0]!.ref, first);
    assert.equal(listed.geolocations[0]!.payload.clues.length, 3);
    assert.equal(listed.geolocations[0]!.actorName, "A. Analyst");
    const timeline = valueOf(await api.itemTimeline({ dir: geo.caseDir, sha256: photo }));
    assert.ok(timeline.some((e) => e.event.seq === first.seq && e.event.type === "geolocation.proposed"));

    const refusals: [object, RegExp][] = [
      [
        { clues: [{ ...clue("x", 1, 18.4), layer: { ...clue("x", 1, 18.4).layer, sha256: unmarked } }] },
        /not marked as reference imagery/,
      ],
      [
        {
          clues: [
            {
              ...clue("x", 1, 18.4),
              frame: { image: `derived/${scene}/thumbnail-320.jpg`, x: 1, y: 1, timestampS: null },
            },
          ],
        },
        /not a derivative of this item/,
      ],
      [
        { snapshot: { path: `derived/${photo}/thumbnail-320.jpg`, sha256: "0".repeat(64) } },
        /not a map snapshot of this item/,
      ],
      [{ place: null }, /needs a place, a precision and a confidence/],
      [{ replaces: { seq: 1, hash: "0".repeat(64) } }, /not a geolocation of this item/],
      [{ sha256: gpsPhoto, snapshot: null, replaces: first }, /not a geolocation of this item/],
    ];
    for (const [change, reason] of refusals) {
      assert.match(errorOf(await api.proposeGeolocation({ ...proposal(), ...change })).message, reason);
    }
  });

  test("a revision replaces the proposal; only the current one can be revised or reviewed", async () => {
    const api = geo.analyst.api;
    revision = valueOf(await api.proposeGeolocation({ ...proposal(), replaces: first, confidence: "verified" }));
    const listed = valueOf(await api.listGeolocations({ dir: geo.caseDir, sha256: photo }));
    assert.deepEqual(listed.geolocations[0]!.replacedBy, revision);
    assert.equal(listed.geolocations[1]!.replacedBy, null);
    const again = errorOf(await api.proposeGeolocation({ ...proposal(), replaces: first }));
    assert.match(again.message, new RegExp(`already replaced \\(by event ${revision.seq}\\)`));
  });

  test("the proposer cannot review their own geolocation; a second examiner can", async () => {
    const own = errorOf(
      await geo.analyst.api.reviewGeolocation({
        dir: geo.caseDir,
        sha256: photo,
        geolocation: revision,
        verdict: "agree",
        reason: "fine",
      }),
    );
    assert.equal(own.message, "a second examiner must review this geolocation; you proposed it");
    const reviewer = await geo.reviewer();
    const stale = errorOf(
      await reviewer.api.reviewGeolocation({
        dir: geo.caseDir,
        sha256: photo,
        geolocation: first,
        verdict: "agree",
        reason: "ok",
      }),
    );
    assert.match(stale.message, /replaced by a revision/);
    const review = valueOf(
      await reviewer.api.reviewGeolocation({
        dir: geo.caseDir,
        sha256: photo,
        geolocation: revision,
        verdict: "agree",
        reason: "The ridge and wadi bend line up on the 17 February scene.",
      }),
    );
    const listed = valueOf(await geo.analyst.api.listGeolocations({ dir: geo.caseDir, sha256: photo }));
    const current = listed.geolocations.find((g) => g.ref.seq === revision.seq)!;
    assert.deepEqual(
      current.reviews.map((r) => [r.ref.seq, r.actorName, r.payload.verdict]),
      [[review.seq, "B. Reviewer", "agree"]],
    );
  });

  test("a chronolocation records the sun model installed and revises by reference", async () => {
    const api = geo.analyst.api;
    const record = {
      dir: geo.caseDir,
      sha256: photo,
      place: { lat: 18.46, lon: 1.4 },
      date: "2026-02-16",
      claims: [
        {
          source: "post-time" as const,
          location: null,
          placeName: null,
          time: "2026-02-16T11:40:00Z",
          detail: "posting time, not capture time",
        },
      ],
      window: { from: "2026-02-16T08:30:00Z", to: "2026-02-16T09:30:00Z" },
      shadows: [],
      method: "Shadow of the mast against the sun's elevation.",
      replaces: null,
    };
    const c1 = valueOf(await api.recordChronolocation(record));
    const c2 = valueOf(await api.recordChronolocation({ ...record, replaces: c1 }));
    const listed = valueOf(await api.listGeolocations({ dir: geo.caseDir, sha256: photo }));
    assert.deepEqual(
      listed.chronolocations.map((c) => c.replacedBy?.seq ?? null),
      [c2.seq, null],
    );
    const pkg = path.join(REPO_ROOT, "node_modules", "suncalc", "package.json");
    const { version } = JSON.parse(await readFile(pkg, "utf8")) as { version: string };
    assert.deepEqual(listed.chronolocations[1]!.payload.sunModel, { name: "suncalc", version });
    assert.match(errorOf(await api.recordChronolocation({ ...record, replaces: c1 })).message, /already replaced/);
    const backwards = await api.recordChronolocation({
      ...record,
      window: { from: "2026-02-16T10:00:00Z", to: "2026-02-16T09:00:00Z" },
    });
    assert.equal(errorOf(backwards).code, "invalid-input");
    // A day that does not exist (JavaScript would roll 30 February over to 2 March) is refused, and nothing is written.
    for (const date of ["2026-02-30", "2026-02-29", "2026-06-31"]) {
      const noSuchDay = errorOf(await api.recordChronolocation({ ...record, date }));
      assert.equal(noSuchDay.code, "invalid-input", date);
      assert.match(noSuchDay.message, /no such day/, date);
    }
    const leapDay = valueOf(await api.recordChronolocation({ ...record, date: "2024-02-29" }));
    const after = valueOf(await api.listGeolocations({ dir: geo.caseDir, sha256: photo }));
    assert.deepEqual(
      after.chronolocations.map((c) => [c.ref.seq, c.payload.date]),
      [
        [c1.seq, "2026-02-16"],
        [c2.seq, "2026-02-16"],
        [leapDay.seq, "2024-02-29"],
      ],
    );
  });

  test("the case map places the geolocated photo at its area's centre and the other by its GPS tags", async () => {
    const entries = valueOf(await geo.analyst.api.caseMap({ dir: geo.caseDir }));
    const located = entries.find((e) => e.sha256 === photo);
    assert.ok(located);
    assert.equal(located.source, "geolocation");
    assert.ok(Math.abs(located.lat - 18.46) < 1e-9 && Math.abs(located.lon - 1.4) < 1e-9);
    assert.deepEqual([located.precisionM, located.confidence, located.sensitive], [1000, "verified", true]);
    const gps = entries.find((e) => e.sha256 === gpsPhoto);
    assert.ok(gps);
    assert.deepEqual([gps.source, gps.lat, gps.lon], ["metadata", JPEG_TAGS.gps!.lat, JPEG_TAGS.gps!.lon]);
    assert.equal(
      entries.some((e) => e.sha256 === unmarked),
      false,
      "a scene has no place of its own",
    );
    const verified = valueOf(await geo.analyst.api.verifyCase({ dir: geo.caseDir }));
    assert.equal(verified.isClean, true, JSON.stringify(verified).slice(0, 500));
  });
});
