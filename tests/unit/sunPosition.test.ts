import assert from "node:assert/strict";
import { test } from "node:test";
import { elevationForShadowRatio, shadowLength, shadowTimeWindows, sunPosition } from "../../shared/geo/sunPosition.js";

const KIDAL = { lat: 18.44, lon: 1.41 };

function within(actual: number, expected: number, tolerance: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${label}: ${actual} is not within ${tolerance} of ${expected}`);
}

/*
 * Reference positions. Each row says where its numbers come from:
 * - "SPA": the worked example of NREL's Solar Position Algorithm (Reda & Andreas, "Solar Position
 *   Algorithm for Solar Radiation Applications", NREL/TP-560-34302, rev. 2008, Table A5.1):
 *   17 Oct 2003 12:30:30 local (UTC−7) at 39.742476 N, 105.1786 W gives topocentric azimuth
 *   194.34024° and zenith 50.11162° (refraction for 820 mbar, 11 °C), i.e. elevation 39.88838°.
 * - "NOAA": NOAA's Solar Calculator algorithm, evaluated from the formulas of its published
 *   spreadsheet (NOAA_Solar_Calculations_day.xls, documented at
 *   https://gml.noaa.gov/grad/solcalc/calcdetails.html), column "Solar Azimuth Angle (deg cw from N)"
 *   and "Solar Elevation corrected for atm refraction (deg)", rounded to 0.01°. They are not read
 *   off the web page, but the page runs the same formulas.
 * All instants below are UTC.
 */
const REFERENCES = [
  {
    source: "SPA",
    at: "2003-10-17T19:30:30Z",
    lat: 39.742476,
    lon: -105.1786,
    azimuth: 194.34024,
    elevation: 39.88838,
  },
  { source: "NOAA, Kidal 14:00 (UTC+0)", at: "2026-02-16T14:00:00Z", ...KIDAL, azimuth: 223.99, elevation: 48.83 },
  { source: "NOAA, Kidal 08:00 (UTC+0)", at: "2026-02-16T08:00:00Z", ...KIDAL, azimuth: 111.86, elevation: 21.53 },
  {
    source: "NOAA, Greenwich solstice noon",
    at: "2024-06-21T12:00:00Z",
    lat: 51.4769,
    lon: -0.0005,
    azimuth: 179.06,
    elevation: 61.97,
  },
  {
    source: "NOAA, Sydney 09:00 AEDT",
    at: "2025-12-01T22:00:00Z",
    lat: -33.8688,
    lon: 151.2093,
    azimuth: 91.64,
    elevation: 39.64,
  },
];

test("sun azimuth (clockwise from north) and apparent elevation match the published references", () => {
  for (const r of REFERENCES) {
    const sun = sunPosition({ lat: r.lat, lon: r.lon }, new Date(r.at));
    within(sun.azimuth, r.azimuth, 0.5, `${r.source} azimuth`);
    within(sun.elevation, r.elevation, 0.5, `${r.source} elevation`);
    // Tighter than the brief needs: suncalc 2 and NOAA both follow Meeus, so they agree closely.
    within(sun.azimuth, r.azimuth, 0.05, `${r.source} azimuth, tight`);
    within(sun.elevation, r.elevation, 0.05, `${r.source} elevation, tight`);
    within(sun.shadowAzimuth, (r.azimuth + 180) % 360, 0.05, `${r.source} shadow`);
  }
});

test("sanity: Kidal's afternoon sun stands south-west, so shadows fall north-east", () => {
  const sun = sunPosition(KIDAL, new Date("2026-02-16T14:00:00Z"));
  assert.ok(sun.azimuth > 180 && sun.azimuth < 270, `azimuth ${sun.azimuth}`);
  assert.ok(sun.shadowAzimuth > 0 && sun.shadowAzimuth < 90, `shadow ${sun.shadowAzimuth}`);
  assert.ok(sun.elevation > 40 && sun.elevation < 60, `elevation ${sun.elevation}`);
  const night = sunPosition(KIDAL, new Date("2026-02-16T23:00:00Z"));
  assert.ok(night.elevation < 0);
  assert.equal(shadowLength(night.elevation, 2), null);
});

test("shadow length is height / tan(elevation), with no shadow when the sun is down", () => {
  within(shadowLength(45, 2)!, 2, 1e-12, "45°");
  within(shadowLength(30)!, Math.sqrt(3), 1e-12, "30°");
  within(shadowLength(90, 5)!, 0, 1e-12, "overhead");
  assert.equal(shadowLength(0, 2), null);
  assert.equal(shadowLength(-10, 2), null);
  within(elevationForShadowRatio(1), 45, 1e-12, "ratio 1");
  within(elevationForShadowRatio(Math.sqrt(3)), 30, 1e-12, "ratio √3");
  assert.throws(() => shadowLength(Number.NaN, 1), RangeError);
  assert.throws(() => shadowLength(30, -1), RangeError);
});

test("a shadow measured in Kidal at 14:00 is placed back in a window containing 14:00", () => {
  const truth = new Date("2026-02-16T14:00:00Z");
  const sun = sunPosition(KIDAL, truth);
  const pole = 2.5;
  const windows = shadowTimeWindows({
    point: KIDAL,
    date: "2026-02-16",
    utcOffsetMinutes: 0,
    objectHeight: pole,
    shadowLength: shadowLength(sun.elevation, pole)!,
  });
  assert.equal(windows.length, 2, "a morning and an afternoon window");
  const afternoon = windows.find((w) => w.start <= truth && truth <= w.end);
  assert.ok(afternoon, JSON.stringify(windows));
  // ±5 % of ratio is a few degrees of elevation: tens of minutes, not hours.
  assert.ok(afternoon.end.getTime() - afternoon.start.getTime() < 60 * 60_000);
  // The afternoon shadow points north-east, the morning one north-west: that is how a verifier tells them apart.
  assert.ok(afternoon.shadowAzimuthAtStart < 90 && afternoon.shadowAzimuthAtEnd < 90);
  const morning = windows.find((w) => w !== afternoon)!;
  assert.ok(morning.end < afternoon.start && morning.shadowAzimuthAtStart > 270);

  // An exact ratio still finds the minute, because each minute's whole span is tested.
  const exact = shadowTimeWindows({
    point: KIDAL,
    date: "2026-02-16",
    utcOffsetMinutes: 0,
    shadowRatio: shadowLength(sun.elevation)!,
    ratioTolerance: 0,
  });
  assert.ok(
    exact.some((w) => w.start <= truth && truth <= w.end),
    JSON.stringify(exact),
  );
});

test("the scanned day is the civil day at the place's UTC offset", () => {
  const paris = { lat: 48.8566, lon: 2.3522 };
  // 09:30 in Paris (UTC+1 in winter) on 16 February 2026.
  const truth = new Date("2026-02-16T08:30:00Z");
  const ratio = shadowLength(sunPosition(paris, truth).elevation)!;
  const windows = shadowTimeWindows({ point: paris, date: "2026-02-16", utcOffsetMinutes: 60, shadowRatio: ratio });
  assert.ok(
    windows.some((w) => w.start <= truth && truth <= w.end),
    JSON.stringify(windows),
  );
  for (const w of windows) {
    assert.ok(
      w.start.getTime() >= Date.parse("2026-02-15T23:00:00Z") && w.end.getTime() <= Date.parse("2026-02-16T23:00:00Z"),
    );
  }
});

test("a shadow too short for the day's highest sun fits no time; bad queries throw", () => {
  // Noon elevation in Kidal in mid-February is about 59°; a ratio of 0.1 needs 84°.
  assert.deepEqual(shadowTimeWindows({ point: KIDAL, date: "2026-02-16", utcOffsetMinutes: 0, shadowRatio: 0.1 }), []);
  const base = { point: KIDAL, date: "2026-02-16", utcOffsetMinutes: 0 };
  assert.throws(() => shadowTimeWindows({ ...base }), RangeError);
  assert.throws(() => shadowTimeWindows({ ...base, shadowRatio: 1, objectHeight: 1, shadowLength: 1 }), RangeError);
  assert.throws(() => shadowTimeWindows({ ...base, objectHeight: 0, shadowLength: 1 }), RangeError);
  assert.throws(() => shadowTimeWindows({ ...base, shadowRatio: -1 }), RangeError);
  assert.throws(() => shadowTimeWindows({ ...base, shadowRatio: 1, ratioTolerance: 1 }), RangeError);
  assert.throws(() => shadowTimeWindows({ ...base, date: "2026-02-30", shadowRatio: 1 }), RangeError);
  assert.throws(() => shadowTimeWindows({ ...base, date: "16/02/2026", shadowRatio: 1 }), RangeError);
  assert.throws(() => shadowTimeWindows({ ...base, utcOffsetMinutes: 15 * 60, shadowRatio: 1 }), RangeError);
  assert.throws(() => shadowTimeWindows({ ...base, point: { lat: 95, lon: 0 }, shadowRatio: 1 }), RangeError);
  assert.throws(() => sunPosition(KIDAL, new Date(Number.NaN)), RangeError);
});
