/**
 * Scoring (shared/training/scoring.ts with its rubric and measures), edge by edge. Distances are
 * checked against figures computed independently of geographiclib: Vincenty's worked example from
 * Geoscience Australia's Geodetic Calculations pages (Flinders Peak to Buninyong on the GRS80/WGS 84
 * ellipsoid: 54,972.271 m; GRS80 and WGS 84 differ by 0.1 mm in the semi-minor axis, far below this
 * figure's last digit), and the length of one minute of latitude at the equator (1,842.905 m, the
 * meridian arc from the ellipsoid's parameters, a = 6378137 m, f = 1/298.257223563).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import geodesic from "geographiclib-geodesic";
import type { LedgerEvent } from "../../shared/ledger/events.js";
import type { AnswerKey } from "../../shared/training/sampleFormat.js";
import { DEFAULT_WEIGHTS, scoreExercise, type ScoringInput } from "../../shared/training/scoring.js";
import { distanceToPlaceM, geodesicDistanceM, minutesBetween } from "../../shared/training/scoringMeasures.js";
import { independentMatches } from "../../shared/training/scoringRubric.js";

const SHA = { photo: "a".repeat(64), trap: "b".repeat(64), other: "c".repeat(64), scene: "d".repeat(64) };
const TRUTH = { lat: 18.4412, lon: 1.4101 };

/** A point `metres` from `from` on the ellipsoid, towards `azimuth` degrees (geographiclib's direct problem). */
function moved(from: { lat: number; lon: number }, azimuth: number, metres: number) {
  const r = geodesic.Geodesic.WGS84.Direct(from.lat, from.lon, azimuth, metres);
  return { lat: r.lat2!, lon: r.lon2! };
}

let seq = 10;
function event(type: string, payload: Record<string, unknown>): LedgerEvent {
  seq++;
  return {
    seq,
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
    ts: "2026-02-16T10:00:00.000Z",
    actor: "k".repeat(16),
    type,
    payload,
    prev: "0".repeat(64),
    hash: seq.toString(16).padStart(64, "0"),
    sig: "s",
  } as LedgerEvent;
}

const clue = (what: string, map: { lat: number; lon: number }, layer: "scene" | "basemap" = "scene") => ({
  what,
  frame: { image: "original", x: 10, y: 10, timestampS: null },
  map,
  layer: { kind: layer, sha256: SHA.scene, provider: "Test", sceneId: null, date: null, template: null },
});

function located(
  sha256: string,
  place: Record<string, unknown>,
  precision: { class: string; radiusM: number },
  clues: unknown[] = [],
) {
  return event("geolocation.proposed", {
    sha256,
    replaces: null,
    claims: [],
    outcome: "located",
    place,
    precision,
    confidence: "strong-possibility",
    cannotReason: null,
    clues,
    eliminated: [],
    method: "matched the ridge",
    sensitive: false,
    snapshot: null,
  });
}

function chrono(sha256: string, window: { from: string; to: string } | null) {
  return event("chronolocation.recorded", {
    sha256,
    replaces: null,
    place: TRUTH,
    date: "2026-02-16",
    claims: [],
    window,
    shadows: [],
    sunModel: { name: "suncalc", version: "1" },
    method: "shadows",
  });
}

function key(overrides: Partial<AnswerKey> = {}): AnswerKey {
  return {
    format: "sightline-answer-key/1",
    sampleId: "kidal-test",
    locations: [{ sha256: SHA.photo, place: TRUTH, toleranceM: 500, explanation: "ridge" }],
    times: [
      {
        sha256: SHA.photo,
        window: { from: "2026-02-16T08:00:00Z", to: "2026-02-16T09:00:00Z" },
        toleranceMinutes: 30,
        explanation: "shadows",
      },
    ],
    traps: [
      {
        id: "stripped",
        sha256: SHA.trap,
        kind: "stripped-reupload",
        title: "Stripped",
        explanation: "x",
        statuses: ["disputed", "rejected"],
        keywords: ["Stripped", "re-upload"],
      },
    ],
    modelAnswer: "The ridge road.",
    ...overrides,
  };
}

function score(events: LedgerEvent[], overrides: Partial<ScoringInput> = {}) {
  return scoreExercise({
    key: key(),
    sample: { id: "kidal-test", title: "Kidal" },
    trainee: "Tam",
    timeAllowedMinutes: 60,
    submission: { ts: "2026-02-16T11:00:00Z", minutesTaken: 45, hintsOpened: 0 },
    events,
    fileName: (sha) => `${sha.slice(0, 4)}.jpg`,
    ...overrides,
  });
}

describe("distance on the ellipsoid", () => {
  test("Flinders Peak to Buninyong is Vincenty's 54,972.271 m", () => {
    const flinders = { lat: -(37 + 57 / 60 + 3.7203 / 3600), lon: 144 + 25 / 60 + 29.5244 / 3600 };
    const buninyong = { lat: -(37 + 39 / 60 + 10.1561 / 3600), lon: 143 + 55 / 60 + 35.3839 / 3600 };
    assert.ok(Math.abs(geodesicDistanceM(flinders, buninyong) - 54_972.271) < 0.001);
  });

  test("one minute of latitude at the equator is 1,842.905 m", () => {
    assert.ok(Math.abs(geodesicDistanceM({ lat: 0, lon: 0 }, { lat: 1 / 60, lon: 0 }) - 1842.905) < 0.001);
  });

  test("an area holding the truth is 0 m away; otherwise the nearest edge, not a corner", () => {
    const d = 0.01;
    const ring = (dx: number) => [
      { lat: TRUTH.lat - d, lon: TRUTH.lon + dx },
      { lat: TRUTH.lat - d, lon: TRUTH.lon + dx + d },
      { lat: TRUTH.lat + d, lon: TRUTH.lon + dx + d },
      { lat: TRUTH.lat + d, lon: TRUTH.lon + dx },
    ];
    assert.equal(distanceToPlaceM(TRUTH, { shape: "area", ring: ring(-d / 2) }), 0);
    // The west edge runs along a meridian 0.005° east of the truth: the nearest point is level with it.
    const edge = distanceToPlaceM(TRUTH, { shape: "area", ring: ring(0.005) });
    const level = geodesicDistanceM(TRUTH, { lat: TRUTH.lat, lon: TRUTH.lon + 0.005 });
    assert.ok(Math.abs(edge - level) < 0.01, `${edge} vs ${level}`);
    const corner = geodesicDistanceM(TRUTH, { lat: TRUTH.lat - d, lon: TRUTH.lon + 0.005 });
    assert.ok(edge < corner - 100);
  });
});

describe("location", () => {
  test("exactly at the tolerance counts; a centimetre beyond does not", () => {
    const at = score([
      located(SHA.photo, { shape: "point", ...moved(TRUTH, 90, 500) }, { class: "radius", radiusM: 500 }),
    ]);
    assert.equal(at.locations[0]!.withinTolerance, true);
    assert.equal(at.locations[0]!.precisionCovers, true);
    assert.equal(at.locations[0]!.points, DEFAULT_WEIGHTS.location);
    const beyond = score([
      located(SHA.photo, { shape: "point", ...moved(TRUTH, 90, 500.01) }, { class: "radius", radiusM: 600 }),
    ]);
    assert.equal(beyond.locations[0]!.withinTolerance, false);
    assert.equal(beyond.locations[0]!.points, 0);
    assert.match(beyond.locations[0]!.summary, /^500 m from the answer; outside the 500 m tolerance/);
  });

  test("precision: a class's own radius or the stated one must cover the truth, and be no wider than the tolerance", () => {
    const exact9 = score([
      located(SHA.photo, { shape: "point", ...moved(TRUTH, 0, 9) }, { class: "exact", radiusM: 10 }),
    ]);
    assert.equal(exact9.locations[0]!.precisionCovers, true);
    assert.equal(exact9.locations[0]!.points, 40);
    const exact11 = score([
      located(SHA.photo, { shape: "point", ...moved(TRUTH, 0, 11) }, { class: "exact", radiusM: 10 }),
    ]);
    assert.equal(exact11.locations[0]!.precisionCovers, false);
    assert.equal(exact11.locations[0]!.points, 32);
    // "locality" is ±1 km whatever radius the payload carries; it covers, but is wider than the 500 m tolerance.
    const locality = score([
      located(SHA.photo, { shape: "point", ...moved(TRUTH, 0, 300) }, { class: "locality", radiusM: 5 }),
    ]);
    assert.equal(locality.locations[0]!.given!.precisionM, 1000);
    assert.equal(locality.locations[0]!.precisionCovers, true);
    assert.equal(locality.locations[0]!.points, 32);
  });

  test("no geolocation, or one that says it cannot be done, scores nothing; the latest revision counts", () => {
    assert.equal(score([]).locations[0]!.given, null);
    assert.match(score([]).locations[0]!.summary, /No geolocation was recorded/);
    const revised = score([
      located(SHA.photo, { shape: "point", ...moved(TRUTH, 0, 5000) }, { class: "exact", radiusM: 10 }),
      located(SHA.photo, { shape: "point", ...moved(TRUTH, 0, 5) }, { class: "exact", radiusM: 10 }),
    ]);
    assert.equal(revised.locations[0]!.points, 40);
  });
});

describe("time", () => {
  const answer = { from: "2026-02-16T08:00:00Z", to: "2026-02-16T09:00:00Z" };
  test("overlap is 0 minutes off, else the gap; instants in other offsets compare on the time line", () => {
    assert.equal(minutesBetween({ from: "2026-02-16T08:50:00Z", to: "2026-02-16T09:10:00Z" }, answer), 0);
    assert.equal(minutesBetween({ from: "2026-02-16T09:00:00Z", to: "2026-02-16T09:10:00Z" }, answer), 0, "touching");
    assert.equal(minutesBetween({ from: "2026-02-16T09:45:00Z", to: "2026-02-16T10:00:00Z" }, answer), 45);
    assert.equal(minutesBetween({ from: "2026-02-16T07:00:00Z", to: "2026-02-16T07:20:00Z" }, answer), 40);
    // 13:00 at UTC+05:00 is 08:00Z; 03:30 at UTC−05:00 is 08:30Z.
    assert.equal(minutesBetween({ from: "2026-02-16T13:00:00+05:00", to: "2026-02-16T13:10:00+05:00" }, answer), 0);
    assert.equal(minutesBetween({ from: "2026-02-16T03:30:00-05:00", to: "2026-02-16T03:40:00-05:00" }, answer), 0);
    assert.equal(minutesBetween({ from: "2026-02-16T15:30:00+05:00", to: "2026-02-16T16:00:00+05:00" }, answer), 90);
  });

  test("windows across midnight", () => {
    const late = { from: "2026-02-16T23:30:00Z", to: "2026-02-17T00:30:00Z" };
    assert.equal(minutesBetween({ from: "2026-02-17T00:10:00Z", to: "2026-02-17T00:20:00Z" }, late), 0);
    assert.equal(minutesBetween({ from: "2026-02-16T23:00:00Z", to: "2026-02-16T23:10:00Z" }, late), 20);
    // The same night given at UTC+02:00 (01:40–02:00 on the 17th) is 10 minutes after the window.
    assert.equal(minutesBetween({ from: "2026-02-17T02:40:00+02:00", to: "2026-02-17T03:00:00+02:00" }, late), 10);
  });

  test("exactly at the tolerance counts, a minute beyond does not; a window too wide earns in proportion", () => {
    const at = score([chrono(SHA.photo, { from: "2026-02-16T09:30:00Z", to: "2026-02-16T09:40:00Z" })]);
    assert.equal(at.times[0]!.minutesOff, 30);
    assert.equal(at.times[0]!.withinTolerance, true);
    assert.equal(at.times[0]!.points, 20);
    const beyond = score([chrono(SHA.photo, { from: "2026-02-16T09:31:00Z", to: "2026-02-16T09:40:00Z" })]);
    assert.equal(beyond.times[0]!.withinTolerance, false);
    assert.equal(beyond.times[0]!.points, 0);
    // The fair width is 60 + 2 × 30 = 120 minutes; a whole day earns 120/1440 of the points.
    const wide = score([chrono(SHA.photo, { from: "2026-02-16T00:00:00Z", to: "2026-02-17T00:00:00Z" })]);
    assert.equal(wide.times[0]!.minutesOff, 0);
    assert.equal(wide.times[0]!.points, Math.round(((20 * 120) / 1440) * 100) / 100);
    const none = score([chrono(SHA.photo, null)]);
    assert.equal(none.times[0]!.points, 0);
    assert.match(none.times[0]!.summary, /without a window/);
  });
});

describe("traps", () => {
  const status = (sha256: string, to: string) =>
    event("status.changed", { sha256, from: "unverified", to, reason: "x" });
  test("a listed status, a note or a tag naming a keyword (any case) on that item catches it", () => {
    assert.equal(score([status(SHA.trap, "disputed")]).traps[0]!.caughtBy?.kind, "status");
    assert.equal(score([status(SHA.trap, "in-review")]).traps[0]!.caught, false, "a status not listed");
    const note = score([event("note.added", { sha256: SHA.trap, text: "Looks STRIPPED of its EXIF" })]);
    assert.deepEqual(note.traps[0]!.caughtBy, {
      kind: "note",
      text: "Looks STRIPPED of its EXIF",
      event: { seq, hash: seq.toString(16).padStart(64, "0") },
    });
    assert.equal(note.traps[0]!.points, DEFAULT_WEIGHTS.trap);
    const tag = score([event("tags.changed", { sha256: SHA.trap, added: ["likely-re-upload"], removed: [] })]);
    assert.equal(tag.traps[0]!.caughtBy?.kind, "tag");
    const elsewhere = score([event("note.added", { sha256: SHA.other, text: "stripped" })]);
    assert.equal(elsewhere.traps[0]!.caught, false, "a note on another item");
  });
  test("an acknowledged warning the trap's kind raises catches it; another warning or item does not; the key may name its own", () => {
    const ack = (sha256: string, code: string) =>
      event("warning.acknowledged", { sha256, code, remark: "Forwarded through a messenger?" });
    const byKind = score([ack(SHA.trap, "no-metadata")]).traps[0]!;
    assert.deepEqual(byKind.caughtBy, {
      kind: "warning",
      code: "no-metadata",
      text: "Forwarded through a messenger?",
      event: { seq, hash: seq.toString(16).padStart(64, "0") },
    });
    assert.equal(byKind.points, DEFAULT_WEIGHTS.trap);
    assert.match(byKind.summary, /“No metadata in the file” \(no-metadata\) acknowledged/);
    assert.equal(score([ack(SHA.trap, "gps-zero")]).traps[0]!.caught, false, "a warning its kind does not raise");
    assert.equal(score([ack(SHA.other, "no-metadata")]).traps[0]!.caught, false, "the warning on another item");
    const own = key();
    own.traps[0] = { ...own.traps[0]!, warnings: ["thumbnail-mismatch"] };
    assert.equal(score([ack(SHA.trap, "thumbnail-mismatch")], { key: own }).traps[0]!.caught, true);
    assert.equal(score([ack(SHA.trap, "no-metadata")], { key: own }).traps[0]!.caught, false, "the key's list rules");
    const none = key();
    none.traps[0] = { ...none.traps[0]!, kind: "container-date-mismatch" };
    assert.equal(
      score([ack(SHA.trap, "no-metadata")], { key: none }).traps[0]!.caught,
      false,
      "a kind with no warning",
    );
  });
});

describe("reasoning, hints, lateness, weights", () => {
  test("independent matches: another layer, or the same layer more than 50 m away", () => {
    assert.equal(independentMatches([clue("a", TRUTH), clue("b", moved(TRUTH, 0, 30))]), 1);
    assert.equal(independentMatches([clue("a", TRUTH), clue("b", moved(TRUTH, 0, 60))]), 2);
    assert.equal(independentMatches([clue("a", TRUTH), clue("b", TRUTH, "basemap")]), 2);
  });

  test("the rubric: clues listed, two independent matches, confidence stated", () => {
    const one = score([
      located(SHA.photo, { shape: "point", ...TRUTH }, { class: "exact", radiusM: 10 }, [clue("a", TRUTH)]),
    ]);
    assert.equal(one.reasoning.points, Math.round(((20 * 2) / 3) * 100) / 100);
    const two = score([
      located(SHA.photo, { shape: "point", ...TRUTH }, { class: "exact", radiusM: 10 }, [
        clue("ridge", TRUTH),
        clue("road", moved(TRUTH, 45, 200)),
      ]),
    ]);
    assert.equal(two.reasoning.points, 20);
    assert.equal(two.reasoning.items[0]!.independentMatches, 2);
    assert.equal(score([]).reasoning.points, 0);
  });

  test("hints cost their penalty, never below zero; late is marked; the key's own weights rule", () => {
    const events = [located(SHA.photo, { shape: "point", ...TRUTH }, { class: "exact", radiusM: 10 })];
    const card = score(events, { submission: { ts: "2026-02-16T11:00:00Z", minutesTaken: 61, hintsOpened: 2 } });
    assert.equal(card.hintPenalty, 10);
    assert.equal(card.late, true);
    assert.equal(card.maxPoints, 40 + 20 + 10 + 20);
    assert.equal(card.points, 40 + Math.round(((20 * 1) / 3) * 100) / 100 - 10);
    const onTime = score(events, { submission: { ts: "x", minutesTaken: 60, hintsOpened: 0 } });
    assert.equal(onTime.late, false, "exactly the time allowed is on time");
    const many = score([], { submission: { ts: "x", minutesTaken: 1, hintsOpened: 9 } });
    assert.equal(many.points, 0);
    const weighted = score(events, {
      key: key({ weights: { location: 100, time: 0, trap: 0, reasoning: 0, hintPenalty: 1 } }),
    });
    assert.equal(weighted.maxPoints, 100);
    assert.equal(weighted.points, 100);
  });
});
