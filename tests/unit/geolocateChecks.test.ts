/**
 * What the where-and-when forms refuse before they send, each reason tied to the control it
 * concerns: the geolocation draft (radius, clue names, the reason it cannot be geolocated, claim
 * times) and the chronolocation (place, date, shadows, the estimated window's order).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ItemDetail } from "../../shared/api/contract.js";
import { TimeWindowSchema } from "../../shared/ledger/geoEvents.js";
import {
  checkChronolocation,
  estimatedWindow,
  instantOf,
  localClock,
} from "../../renderer/src/views/geolocate/chronoChecks.js";
import {
  checkText,
  claimFieldId,
  clueFieldId,
  FIELD_IDS,
  problemsByField,
  shadowFieldId,
} from "../../renderer/src/views/geolocate/formChecks.js";
import {
  checkGeolocationDraft,
  emptyDraft,
  MAX_RADIUS_M,
  proposalFromDraft,
  type GeolocationDraft,
} from "../../renderer/src/views/geolocate/geolocationDraft.js";
import { newShadow, shadowResult, type ShadowDraft } from "../../renderer/src/views/geolocate/shadowDraft.js";

const KIDAL = { lat: 18.44, lon: 1.41 };
const bare = { metadata: null } as unknown as ItemDetail;
const located = (over: Partial<GeolocationDraft> = {}): GeolocationDraft => ({
  ...emptyDraft(bare),
  point: KIDAL,
  confidence: "possible",
  ...over,
});
const clue = {
  id: "c9",
  what: "minaret",
  frame: { image: "original" as const, x: 1, y: 2, timestampS: null },
  map: KIDAL,
  layer: { kind: "tiles" as const, sha256: null, provider: "OSM", sceneId: null, date: null, template: null },
};
const fields = (d: GeolocationDraft) => checkGeolocationDraft(d).map((p) => p.field);

test("a complete draft has nothing to fix", () => {
  assert.deepEqual(checkGeolocationDraft(located({ clues: [clue] })), []);
});

test("a radius must be a finite positive number of metres, 1,000 km at most", () => {
  for (const radiusM of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
    const problems = checkGeolocationDraft(located({ precision: "radius", radiusM }));
    assert.deepEqual(
      problems.map((p) => p.field),
      [FIELD_IDS.radius],
      `radius ${radiusM}`,
    );
    assert.match(problems[0]!.reason, /positive number of metres/);
  }
  const over = checkGeolocationDraft(located({ precision: "radius", radiusM: MAX_RADIUS_M + 1 }));
  assert.match(over[0]!.reason, /over 1,000 km/);
  assert.deepEqual(checkGeolocationDraft(located({ precision: "radius", radiusM: MAX_RADIUS_M })), []);
  // Another class ignores a leftover radius.
  assert.deepEqual(checkGeolocationDraft(located({ precision: "vicinity", radiusM: -1 })), []);
});

test("a clue's name is required, 200 characters at most, without control characters", () => {
  const named = (what: string) => checkGeolocationDraft(located({ clues: [{ ...clue, what }] }));
  assert.deepEqual(
    named("  ").map((p) => [p.field, p.reason]),
    [[clueFieldId("c9", "what"), "Clue 1: say what it is."]],
  );
  assert.deepEqual(named("x".repeat(200)), []);
  assert.match(named("x".repeat(201))[0]!.reason, /^Clue 1's name is 201 characters long; 200 at most\.$/);
  assert.match(named("ridge\u0007")[0]!.reason, /control characters/);
  // Markup and bidi overrides are text the ledger keeps; they are shown inert, not refused.
  assert.deepEqual(named("<b>ridge</b> \u202emosque"), []);
});

test("each missing part of a clue is refused at its own control", () => {
  assert.deepEqual(fields(located({ clues: [{ ...clue, what: "", frame: null, map: null }] })), [
    clueFieldId("c9", "what"),
    clueFieldId("c9", "frame"),
    clueFieldId("c9", "map"),
  ]);
});

test("cannot be geolocated needs a why; a located draft needs its place and confidence", () => {
  const cannot = { ...emptyDraft(bare), outcome: "cannot-geolocate" as const };
  assert.deepEqual(fields({ ...cannot, cannotReason: " \n " }), [FIELD_IDS.cannotReason]);
  assert.deepEqual(fields({ ...cannot, cannotReason: "Only sky." }), []);
  assert.deepEqual(fields(emptyDraft(bare)), [FIELD_IDS.place, FIELD_IDS.confidence]);
  assert.deepEqual(fields({ ...emptyDraft(bare), shape: "area", confidence: "possible" }), [FIELD_IDS.area]);
});

test("a claim's time must be ISO 8601 with its offset; every problem is listed, the first is the line", () => {
  const d = located({
    claims: [{ source: "uploader", location: null, placeName: null, time: "16/02/2026 09:12", detail: "" }],
    clues: [{ ...clue, what: "" }],
  });
  assert.deepEqual(fields(d), [claimFieldId("geo", 0, "time"), clueFieldId("c9", "what")]);
  const r = proposalFromDraft(d, null);
  assert.equal(r.ok, false);
  assert.match((r as { reason: string }).reason, /Claim 1's time/);
});

test("problemsByField keeps the first reason for a control", () => {
  const map = problemsByField([
    { field: "a", reason: "first" },
    { field: "a", reason: "second" },
    { field: "b", reason: "other" },
  ]);
  assert.deepEqual(
    [...map],
    [
      ["a", "first"],
      ["b", "other"],
    ],
  );
  assert.deepEqual(checkText("f", "The note", "fine", 10), []);
});

// --- Chronolocation ------------------------------------------------------------------------------

const base = {
  place: KIDAL,
  date: "2026-02-16",
  shadows: [],
  results: [],
  estimate: { from: "", to: "" },
  claims: [],
  method: "",
};

test("a chronolocation needs a place and a date", () => {
  assert.deepEqual(checkChronolocation(base), []);
  assert.deepEqual(
    checkChronolocation({ ...base, place: null, date: "2026-02-30x" }).map((p) => p.field),
    [FIELD_IDS.chronoPlace, FIELD_IDS.chronoDate],
  );
  // A day with the ledger's form that the calendar does not have (a case from elsewhere may hold one).
  for (const date of ["2026-02-30", "2026-02-29", "2026-04-31"])
    assert.deepEqual(
      checkChronolocation({ ...base, date }).map((p) => p.field),
      [FIELD_IDS.chronoDate],
      date,
    );
  assert.deepEqual(checkChronolocation({ ...base, date: "2024-02-29" }), []);
});

test("an estimated window must end after it starts, with both ends as HH:MM", () => {
  const at = (from: string, to: string) =>
    checkChronolocation({ ...base, estimate: { from, to } }).map((p) => [p.field, p.reason]);
  assert.deepEqual(at("10:30", "11:15"), []);
  assert.deepEqual(at("10:30", "10:30"), [], "a window of one minute's instant");
  assert.deepEqual(at("11:15", "10:30"), [
    [FIELD_IDS.estimateTo, "The window ends (10:30) before it starts (11:15): the end must come after the start."],
  ]);
  assert.deepEqual(
    at("10:30", "").map(([f]) => f),
    [FIELD_IDS.estimateTo],
  );
  assert.deepEqual(
    at("25:00", "9:5").map(([f]) => f),
    [FIELD_IDS.estimateFrom, FIELD_IDS.estimateTo],
  );
});

test("the window recorded: typed local times at the place's offset, or the chosen window exactly", () => {
  assert.equal(instantOf("2026-02-16", "10:30", 60), "2026-02-16T09:30:00.000Z");
  assert.equal(instantOf("2026-02-16", "10:30 pm", 60), null);
  const chosen = { from: "2026-02-16T09:31:12.500Z", to: "2026-02-16T10:02:47.250Z" };
  const clocks = { from: localClock(chosen.from, 60), to: localClock(chosen.to, 60) };
  assert.deepEqual(clocks, { from: "10:31", to: "11:02" });
  assert.equal(estimatedWindow(clocks, chosen, "2026-02-16", 60), chosen, "untouched: to the second");
  const edited = estimatedWindow({ ...clocks, to: "11:30" }, chosen, "2026-02-16", 60);
  assert.deepEqual(edited, { from: "2026-02-16T09:31:00.000Z", to: "2026-02-16T10:30:00.000Z" });
  assert.ok(TimeWindowSchema.safeParse(edited).success);
  assert.equal(estimatedWindow({ from: "", to: "" }, null, "2026-02-16", 0), null);
});

test("a shadow needs a name and, with a known height, the height and the shadow's length", () => {
  const s: ShadowDraft = { ...newShadow(), mode: "known" };
  const check = (shadow: ShadowDraft) =>
    checkChronolocation({ ...base, shadows: [shadow], results: [shadowResult(shadow, KIDAL, base.date, 0)] }).map(
      (p) => p.field,
    );
  assert.deepEqual(check(s), [shadowFieldId(s.id, "what"), shadowFieldId(s.id, "height")]);
  assert.deepEqual(check({ ...s, what: "pole", knownHeightM: 4 }), [shadowFieldId(s.id, "length")]);
  assert.deepEqual(check({ ...s, what: "pole", knownHeightM: 4, shadowLengthM: 2 }), [shadowFieldId(s.id, "measure")]);
});

test("a shadow's direction that states no number is refused beside it, in place of its measurement", () => {
  const s: ShadowDraft = { ...newShadow(), what: "pole", bearingDeg: Number.NaN };
  const result = shadowResult(s, KIDAL, base.date, 0);
  const problems = checkChronolocation({ ...base, shadows: [s], results: [result] });
  assert.deepEqual(
    problems.map((p) => [p.field, p.reason]),
    [
      [
        shadowFieldId(s.id, "bearing"),
        "Shadow 1: its direction on the map is not a number of degrees from 0 to 360; correct it or clear it.",
      ],
    ],
  );
  const cleared = { ...s, bearingDeg: null };
  assert.deepEqual(
    checkChronolocation({ ...base, shadows: [cleared], results: [shadowResult(cleared, KIDAL, base.date, 0)] }).map(
      (p) => p.field,
    ),
    [shadowFieldId(s.id, "measure")],
  );
});
