import assert from "node:assert/strict";
import { test } from "node:test";
import { isCalendarDay } from "../../shared/ledger/geoEvents.js";
import {
  clockLabel,
  elevationForRatio,
  fittingWindows,
  offsetLabel,
  offsetOf,
  pixelRatio,
  WAITING_FOR_OFFSET,
  windowLabel,
} from "../../renderer/src/views/geolocate/chronoMath.js";
import {
  newShadow,
  SHADOW_REASONS,
  shadowResult,
  type ShadowDraft,
} from "../../renderer/src/views/geolocate/shadowDraft.js";
import { sunPosition } from "../../shared/geo/sunPosition.js";
import { TimeWindowSchema } from "../../shared/ledger/geoEvents.js";

const KIDAL = { lat: 18.44, lon: 1.41 };
const DAY = "2026-02-16";
const DEG = Math.PI / 180;

function within(actual: number, expected: number, tolerance: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${label}: ${actual} is not within ${tolerance} of ${expected}`);
}

/** The shadow/height ratio the sun casts at Kidal at `iso`: 1 / tan(elevation). */
function ratioAt(iso: string): number {
  return 1 / Math.tan(sunPosition(KIDAL, new Date(iso)).elevation * DEG);
}

function contains(w: { from: string; to: string }, iso: string): boolean {
  const t = Date.parse(iso);
  return Date.parse(w.from) <= t && t <= Date.parse(w.to);
}

test("pixelRatio is shadow length over object height, whatever the direction of the picks", () => {
  // Object 100 px tall (vertical), shadow a 3-4-5 triangle scaled to 50 px.
  const object = { base: { x: 200, y: 400 }, top: { x: 200, y: 300 } };
  assert.equal(pixelRatio(object, { base: { x: 200, y: 400 }, tip: { x: 230, y: 440 } }), 0.5);
  // Swapping the ends of either segment does not change a length.
  assert.equal(
    pixelRatio({ base: object.top, top: object.base }, { base: { x: 230, y: 440 }, tip: { x: 200, y: 400 } }),
    0.5,
  );
  // A shadow twice the height.
  assert.equal(pixelRatio(object, { base: { x: 0, y: 0 }, tip: { x: 200, y: 0 } }), 2);
});

test("pixelRatio refuses a zero-length object or shadow and non-numeric picks", () => {
  const p = { x: 10, y: 10 };
  const shadow = { base: { x: 0, y: 0 }, tip: { x: 3, y: 4 } };
  assert.equal(pixelRatio({ base: p, top: p }, shadow), null, "object of zero height");
  assert.equal(pixelRatio({ base: p, top: { x: 10, y: 50 } }, { base: p, tip: p }), null, "shadow of zero length");
  assert.equal(pixelRatio({ base: { x: Number.NaN, y: 0 }, top: { x: 0, y: 10 } }, shadow), null, "NaN object pick");
  assert.equal(pixelRatio({ base: p, top: { x: 10, y: 50 } }, { base: p, tip: { x: 10, y: Number.NaN } }), null);
});

test("elevationForRatio is atan(1 / ratio) in degrees", () => {
  within(elevationForRatio(1), 45, 1e-12, "ratio 1");
  within(elevationForRatio(Math.sqrt(3)), 30, 1e-12, "ratio √3");
  within(elevationForRatio(1 / Math.sqrt(3)), 60, 1e-12, "ratio 1/√3");
  within(elevationForRatio(0.8), Math.atan(1 / 0.8) / DEG, 1e-12, "ratio 0.8");
  assert.equal(elevationForRatio(0), 90, "no shadow: sun at the zenith");
  assert.throws(() => elevationForRatio(Number.NaN), RangeError);
  assert.throws(() => elevationForRatio(-1), RangeError);
});

test("fittingWindows at Kidal on 16 Feb 2026 holds the morning and afternoon times of a measured shadow", () => {
  // NOAA gives Kidal 48.83° at 14:00 UTC (see sunPosition.test.ts); the same elevation recurs in
  // the morning before noon, and Kidal keeps UTC, so offset 0.
  const ratio = ratioAt("2026-02-16T14:00:00Z");
  within(elevationForRatio(ratio), 48.83, 0.05, "elevation of the measured ratio");
  const windows = fittingWindows(KIDAL, DAY, 0, ratio, null);
  assert.equal(windows.length, 2, JSON.stringify(windows));
  const [morning, afternoon] = windows as [(typeof windows)[0], (typeof windows)[0]];
  assert.ok(contains(afternoon, "2026-02-16T14:00:00Z"), `afternoon ${JSON.stringify(afternoon)} holds 14:00Z`);
  assert.ok(Date.parse(morning.to) < Date.parse("2026-02-16T12:30:00Z"), "the other window is before solar noon");
  // Every edge of a window is where the sun stands at the elevation band (±10 % of the ratio).
  for (const w of windows) {
    for (const iso of [w.from, w.to]) {
      const r = ratioAt(iso);
      assert.ok(r > ratio * 0.85 && r < ratio * 1.15, `${iso}: ratio ${r} vs ${ratio}`);
    }
    // The middle of a window casts the measured shadow within the tolerance.
    const mid = new Date((Date.parse(w.from) + Date.parse(w.to)) / 2).toISOString();
    const r = ratioAt(mid);
    assert.ok(r >= ratio * 0.9 && r <= ratio * 1.1, `${mid}: ratio ${r} vs ${ratio}`);
    assert.ok(TimeWindowSchema.safeParse(w).success, `${JSON.stringify(w)} is a ledger time window`);
  }
});

test("fittingWindows holds the instant for other measured times of the day at Kidal", () => {
  for (const iso of ["2026-02-16T08:00:00Z", "2026-02-16T09:30:00Z", "2026-02-16T16:45:00Z"]) {
    const windows = fittingWindows(KIDAL, DAY, 0, ratioAt(iso), null);
    assert.ok(
      windows.some((w) => contains(w, iso)),
      `${iso} is in ${JSON.stringify(windows)}`,
    );
  }
});

test("a shadow bearing keeps only the window whose shadows point that way", () => {
  const ratio = ratioAt("2026-02-16T14:00:00Z");
  // At 14:00Z the sun is at azimuth ~224°, so shadows point ~44° (north-east); in the morning
  // window the sun is south-east and shadows point north-west (~300°).
  const afternoonShadow = sunPosition(KIDAL, new Date("2026-02-16T14:00:00Z")).shadowAzimuth;
  within(afternoonShadow, 44, 1, "afternoon shadow azimuth");
  const ne = fittingWindows(KIDAL, DAY, 0, ratio, afternoonShadow);
  assert.equal(ne.length, 1, JSON.stringify(ne));
  assert.ok(contains(ne[0]!, "2026-02-16T14:00:00Z"));
  const nw = fittingWindows(KIDAL, DAY, 0, ratio, 300);
  assert.equal(nw.length, 1, JSON.stringify(nw));
  assert.ok(Date.parse(nw[0]!.to) < Date.parse("2026-02-16T12:00:00Z"), "north-west shadows are the morning's");
  // A bearing 360° away is the same bearing.
  assert.deepEqual(fittingWindows(KIDAL, DAY, 0, ratio, afternoonShadow + 360), ne);
  // Shadows never point south at Kidal in February (the sun stays south of the zenith).
  assert.deepEqual(fittingWindows(KIDAL, DAY, 0, ratio, 180), []);
});

test("a shadow shorter than the sun ever casts that day gives no window", () => {
  // Noon elevation at 18.44 N on 16 Feb is about 59° (90 − 18.4 − declination ≈ 12.4° S), so the
  // shortest shadow is ~0.6 of the height; a ratio of 0.1 needs the sun at ~84°.
  assert.deepEqual(fittingWindows(KIDAL, DAY, 0, 0.1, null), []);
});

test("fittingWindows refuses a ratio that is not a positive number, and a malformed place or date", () => {
  assert.throws(() => fittingWindows(KIDAL, DAY, 0, Number.NaN, null), RangeError);
  assert.throws(() => fittingWindows(KIDAL, DAY, 0, 0, null), RangeError);
  assert.throws(() => fittingWindows(KIDAL, DAY, 0, -1, null), RangeError);
  assert.throws(() => fittingWindows({ lat: 91, lon: 0 }, DAY, 0, 1, null), RangeError);
  assert.throws(() => fittingWindows(KIDAL, "2026-02-30", 0, 1, null), RangeError);
  assert.throws(() => fittingWindows(KIDAL, DAY, 15 * 60, 1, null), RangeError);
});

test("fittingWindows reads the date at the place's offset", () => {
  // At UTC+14 the local 16 Feb starts at 10:00Z on the 15th and ends at 10:00Z on the 16th, so
  // the afternoon window it holds is the 15th's.
  const ratio = ratioAt("2026-02-16T14:00:00Z");
  const windows = fittingWindows(KIDAL, DAY, 14 * 60, ratio, null);
  assert.ok(windows.length > 0);
  for (const w of windows) {
    assert.ok(Date.parse(w.from) >= Date.parse("2026-02-15T10:00:00Z"), w.from);
    assert.ok(Date.parse(w.to) <= Date.parse("2026-02-16T10:00:00Z"), w.to);
  }
  assert.ok(windows.some((w) => w.from.startsWith("2026-02-15T13") || w.from.startsWith("2026-02-15T14")));
});

test("clock and window labels show the time at the place and in UTC", () => {
  assert.equal(clockLabel("2026-02-16T09:12:00Z", 0), "09:12 local = UTC");
  assert.equal(clockLabel("2026-02-16T09:12:00Z", 60), "10:12 local (UTC+01:00), 09:12 UTC");
  assert.equal(clockLabel("2026-02-16T09:12:00Z", -330), "03:42 local (UTC−05:30), 09:12 UTC");
  // Local midnight crossing: the clock wraps.
  assert.equal(clockLabel("2026-02-16T23:30:00Z", 120), "01:30 local (UTC+02:00), 23:30 UTC");
  const w = { from: "2026-02-16T09:53:00.000Z", to: "2026-02-16T10:28:00.000Z" };
  assert.equal(windowLabel(w, 60), "10:53–11:28 local (UTC+01:00), 09:53–10:28 UTC");
  assert.equal(windowLabel(w, 0), "09:53–10:28 UTC (local = UTC)");
});

test("offsetLabel and offsetOf", () => {
  assert.equal(offsetLabel(0), "UTC+00:00");
  assert.equal(offsetLabel(60), "UTC+01:00");
  assert.equal(offsetLabel(345), "UTC+05:45");
  assert.equal(offsetLabel(-210), "UTC−03:30");
  assert.equal(offsetOf("2026-02-16T09:12:00Z"), 0);
  assert.equal(offsetOf("2026-02-16T09:12:00+01:00"), 60);
  assert.equal(offsetOf("2026-02-16T09:12:00+05:45"), 345);
  assert.equal(offsetOf("2026-02-16T09:12:00-03:30"), -210);
  assert.equal(offsetOf("2026-02-16T09:12:00"), null, "wall-clock time with no zone");
  assert.equal(offsetOf(""), null);
  assert.equal(offsetOf(null), null);
  assert.equal(offsetOf(undefined), null);
  // offsetOf and offsetLabel agree.
  for (const m of [0, 60, -210, 345, 840, -720]) {
    const label = offsetLabel(m).slice(3).replace("−", "-");
    assert.equal(offsetOf(`2026-02-16T09:12:00${label}`), m, label);
  }
});

test("with no offset from UTC, the labels give UTC alone and a shadow its ratio without times of day", () => {
  assert.equal(clockLabel("2026-02-16T09:12:00Z", null), `09:12 UTC (local time ${WAITING_FOR_OFFSET})`);
  const w = { from: "2026-02-16T09:53:00.000Z", to: "2026-02-16T10:28:00.000Z" };
  assert.equal(windowLabel(w, null), `09:53–10:28 UTC (local time ${WAITING_FOR_OFFSET})`);
  const shadow = {
    ...newShadow(),
    mode: "known" as const,
    knownHeightM: 2,
    shadowLengthM: 1.5,
    shadowBase: { x: 1, y: 1 },
    shadowTip: { x: 2, y: 1 },
  };
  const waiting = shadowResult(shadow, KIDAL, DAY, null);
  assert.ok(waiting.ok);
  assert.equal(waiting.windows, null);
  assert.equal(waiting.ratio, 0.75);
  const known = shadowResult(shadow, KIDAL, DAY, 60);
  assert.ok(known.ok && known.windows !== null);
  assert.deepEqual(known.windows, fittingWindows(KIDAL, DAY, 60, 0.75, null));
  // A direction whose text states no number: no times of day, filtered or not.
  const unread = shadowResult({ ...shadow, bearingDeg: Number.NaN }, KIDAL, DAY, 60);
  assert.deepEqual(unread, { ok: false, problem: "unread-direction", reason: SHADOW_REASONS["unread-direction"] });
});

test("a shadow that works out to nothing yet says what is missing first, in the order the form asks for it", () => {
  const marked = { shadowBase: { x: 10, y: 50 }, shadowTip: { x: 40, y: 50 } };
  const object = { objectBase: { x: 10, y: 50 }, objectTop: { x: 10, y: 10 } };
  const problemOf = (over: Partial<ShadowDraft>, place: typeof KIDAL | null = KIDAL, date = DAY) => {
    const r = shadowResult({ ...newShadow(), ...over }, place, date, 0);
    return r.ok ? "ok" : r.problem;
  };
  assert.equal(problemOf({ bearingDeg: Number.NaN }, null, "16 Feb 2026"), "no-place");
  assert.equal(problemOf({ bearingDeg: Number.NaN }, KIDAL, "16 Feb 2026"), "no-date");
  // A day the calendar does not have: refused like no date, not worked out (the sun's arithmetic throws on it).
  assert.equal(problemOf({ ...marked, ...object }, KIDAL, "2026-02-30"), "no-date");
  assert.equal(problemOf({ ...object, shadowBase: marked.shadowBase }), "no-shadow");
  assert.equal(problemOf({ ...marked }), "no-object");
  assert.equal(problemOf({ ...marked, mode: "known", knownHeightM: 2 }), "no-known-size");
  assert.equal(problemOf({ ...marked, mode: "known", knownHeightM: 2, shadowLengthM: 0 }), "no-known-size");
  assert.equal(problemOf({ ...marked, objectBase: { x: 5, y: 5 }, objectTop: { x: 5, y: 5 } }), "no-length");
  assert.equal(problemOf({ ...marked, ...object, shadowTip: marked.shadowBase }), "no-length");
  assert.equal(problemOf({ ...marked, ...object, bearingDeg: Number.NaN }), "unread-direction");
  assert.equal(problemOf({ ...marked, ...object, bearingDeg: 300 }), "ok");
  assert.equal(problemOf({ ...marked, ...object }), "ok");
  // Each refusal reads as the line its problem names, so the view and the form's checks say one thing.
  const refused = shadowResult({ ...newShadow(), ...marked }, KIDAL, DAY, 0);
  assert.ok(!refused.ok);
  assert.equal(refused.reason, SHADOW_REASONS[refused.problem]);
});

test("isCalendarDay: the ledger's YYYY-MM-DD naming a day that exists", () => {
  for (const day of ["2026-02-16", "2026-02-28", "2024-02-29", "2000-02-29", "2026-12-31"])
    assert.ok(isCalendarDay(day), day);
  for (const day of [
    "2026-02-29",
    "1900-02-29",
    "2026-02-30",
    "2026-04-31",
    "2026-13-01",
    "2026-2-16",
    "",
    "2026-02-16T00:00Z",
  ])
    assert.ok(!isCalendarDay(day), day);
});
