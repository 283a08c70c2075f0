import assert from "node:assert/strict";
import { test } from "node:test";
import {
  MAX_COORDINATE_LENGTH,
  formatDecimal,
  formatDms,
  formatMgrs,
  parseCoordinates,
  type LatLon,
} from "../../shared/geo/coordinates.js";

/** The parsed point, failing the test with the parser's reason when it refuses. */
function point(text: string): LatLon {
  const parsed = parseCoordinates(text);
  assert.ok(parsed.ok, `${JSON.stringify(text)}: ${parsed.ok ? "" : parsed.reason}`);
  return parsed.value.point;
}

function near(actual: LatLon, expected: LatLon, degrees: number, label = ""): void {
  assert.ok(
    Math.abs(actual.lat - expected.lat) <= degrees && Math.abs(actual.lon - expected.lon) <= degrees,
    `${label} ${JSON.stringify(actual)} is not within ${degrees}° of ${JSON.stringify(expected)}`,
  );
}

test("decimal degrees, DMS and DDM in the forms other tools write read to the same point", () => {
  const expected = { lat: 16.5, lon: -3.9 };
  for (const text of [
    "16.5, -3.9",
    "16.5 -3.9",
    "16.5,-3.9",
    "+16.5; -3.9",
    "16.5N 3.9W",
    "16.5 N, 3.9 W",
    "N16.5 W3.9",
    "16.5n 3.9w",
    "3.9W 16.5N",
    "16.5° -3.9°",
    "16.5°N 3.9°W",
    `16°30'00"N 3°54'00"W`,
    `16°30'00.000"N, 3°54'00.000"W`,
    "16° 30′ 00″ N 3° 54′ 00″ W",
    "16º30’00”N 3º54’00”W",
    "16°30'00''N 3°54'00''W",
    "16°30'N 3°54'W",
    "16°30.0'N 3°54.0'W",
    "16.5 \u22123.9",
    "\t16.5, -3.9\r\n",
  ]) {
    near(point(text), expected, 1e-12, text);
  }
  near(point(`16°30'30.5"N 3°54'15.25"E`), { lat: 16 + 30 / 60 + 30.5 / 3600, lon: 3 + 54 / 60 + 15.25 / 3600 }, 1e-12);
  near(point("16°30.5'S 3°54.25'W"), { lat: -(16 + 30.5 / 60), lon: -(3 + 54.25 / 60) }, 1e-12);
  // Kidal as Wikipedia's infobox gives it (18°26′N 1°24′E).
  near(point("18°26′N 1°24′E"), { lat: 18 + 26 / 60, lon: 1.4 }, 1e-12);
  assert.deepEqual(parseCoordinates(`16°30'N 3°54'30"W`), {
    ok: true,
    value: { point: { lat: 16.5, lon: -(3 + 54.5 / 60) }, notation: "dms" },
  });
  const notations = ["16.5 -3.9", "16°30.5'N 3°54'W", `16°30'1"N 3°54'1"W`].map((t) => {
    const parsed = parseCoordinates(t);
    return parsed.ok ? parsed.value.notation : parsed.reason;
  });
  assert.deepEqual(notations, ["decimal", "ddm", "dms"]);
  assert.ok(!Object.is(point("-0.0, -0.0").lat, -0), "no negative zero");
  near(point("-90, 180"), { lat: -90, lon: 180 }, 0);
});

// Reference conversions from the test suite of the `mgrs` package itself (proj4js/mgrs,
// test/test.js), which the package does not ship in node_modules.
test("MGRS reads and writes the mgrs package's reference conversions", () => {
  const vienna = parseCoordinates("33UXP04");
  assert.ok(vienna.ok);
  assert.equal(vienna.value.notation, "mgrs");
  assert.equal(vienna.value.squareMeters, 10_000);
  assert.ok(Math.abs(vienna.value.point.lon - 16.4145) < 1e-6);
  assert.ok(Math.abs(vienna.value.point.lat - 48.24949) < 1e-6);
  assert.equal(formatMgrs(vienna.value.point), "33U XP 05004 44997");
  assert.equal(formatMgrs(vienna.value.point, 1), "33U XP 0 4");

  // Near a zone border, so it has two valid names; written back in the zone it falls in.
  const greenland = point("24XWT783908");
  assert.ok(Math.abs(greenland.lon - -32.66433) < 1e-5);
  assert.ok(Math.abs(greenland.lat - 83.62778) < 1e-5);
  assert.equal(formatMgrs(greenland, 3), "25X EN 041 865");

  assert.equal(formatMgrs({ lat: 0, lon: 0 }), "31N AA 66021 00000");
  assert.equal(formatMgrs({ lat: 0.00001, lon: 0 }), "31N AA 66021 00001");
  assert.equal(formatMgrs({ lat: 36.2361322, lon: -115.0820944 }), "11S PA 72349 11844");
  near(point("11S PA 72349 11844"), { lat: 36.2361322, lon: -115.0820944 }, 1e-5);
  near(point("11spa7234911844"), { lat: 36.2361322, lon: -115.0820944 }, 1e-5);
});

test("formatting: decimal to 6 places, DMS with carried rounding, MGRS at each precision", () => {
  const kidal = { lat: 18.44, lon: 1.41 };
  assert.equal(formatDecimal(kidal), "18.440000, 1.410000");
  assert.equal(formatDecimal({ lat: -0.0000001, lon: -3.9 }), "0.000000, -3.900000");
  assert.equal(formatDms(kidal), `18°26'24.0"N 1°24'36.0"E`);
  assert.equal(formatDms({ lat: 16.5, lon: -3.9 }, 0), `16°30'00"N 3°54'00"W`);
  // 59.99999" rounds up through minutes and degrees, never to 60.0".
  assert.equal(
    formatDms({ lat: 16 + 59 / 60 + 59.99999 / 3600, lon: -(3 + 59 / 60 + 59.96 / 3600) }),
    `17°00'00.0"N 4°00'00.0"W`,
  );
  assert.equal(formatDms({ lat: -33.8688, lon: 151.2093 }, 2), `33°52'07.68"S 151°12'33.48"E`);
  assert.equal(formatMgrs(kidal, 0), "31Q CA");
  assert.equal(formatMgrs(kidal, 2), "31Q CA 32 39");
  assert.equal(formatMgrs({ lat: 84.5, lon: 0 }), null, "polar MGRS is UPS, not offered");
  assert.equal(formatMgrs({ lat: -80.5, lon: 0 }), null);
  assert.throws(() => formatDecimal({ lat: 91, lon: 0 }), RangeError);
  assert.throws(() => formatDms({ lat: Number.NaN, lon: 0 }), RangeError);
  assert.throws(() => formatDms(kidal, 7), RangeError);
  assert.throws(() => formatMgrs(kidal, 6 as 5), RangeError);
});

test("decimal, DMS and MGRS each round-trip through parse", () => {
  const points = [
    { lat: 18.44, lon: 1.41 },
    { lat: 16.5, lon: -3.9 },
    { lat: -33.8688, lon: 151.2093 },
    { lat: 51.4769, lon: -0.0005 },
    { lat: -79.9, lon: -179.9 },
    { lat: 83.9, lon: 179.9 },
    { lat: 0, lon: 0 },
  ];
  for (const p of points) {
    near(point(formatDecimal(p)), p, 5e-7, "decimal");
    // 0.001" is 2.8e-7°.
    near(point(formatDms(p, 3)), p, 3e-7, "dms");
    const mgrs = formatMgrs(p);
    assert.ok(mgrs);
    // A 1 m square's centre: within a metre, about 1e-5° of latitude.
    const back = point(mgrs);
    assert.ok(Math.abs(back.lat - p.lat) < 1e-5, mgrs);
    assert.ok(Math.abs(back.lon - p.lon) * Math.cos((p.lat * Math.PI) / 180) < 1e-5, mgrs);
  }
});

test("out of range, ambiguous and half-specified coordinates are refused, not guessed", () => {
  const refusals: [string, RegExp][] = [
    ["91, 0", /latitude/],
    ["100.5 20.1", /latitude comes first/],
    ["16.5, 181", /longitude/],
    ["91N 3W", /latitude/],
    ["16.5N 3.9N", /N\/S and one E\/W/],
    ["3.9E 16.5W", /N\/S and one E\/W/],
    ["16.5N, -3.9", /both coordinates or on neither/],
    ["-16.5S 3.9E", /sign and a hemisphere/],
    ["16,5", /decimal comma/],
    ["16,5 -3,9", /decimal comma/],
    ["16.5-3.9", /not a coordinate/],
    ["16.5", /two coordinates/],
    ["16.5 -3.9 100", /more than two/],
    ["16.5, -3.9,", /stray comma/],
    ["16.5,, -3.9", /two coordinates/],
    ["16°60'N 3°W", /below 60/],
    [`16°30'60"N 3°W`, /below 60/],
    ["16.5°30'N 3°W", /decimals/],
    [`16°30"N 3°W`, /out of order/],
    ["16°-30'N 3°W", /sign/],
    ["16.5 – 3.9", /not a coordinate/],
    ["1e5 3", /./],
    ["Infinity, 0", /not a coordinate/],
    ["NaN NaN", /./],
    ["16.1234567890123 3", /not a coordinate/],
    ["1234 3", /not a coordinate/],
    ["30QVD123456789", /same number of digits/],
    ["30QVD123456789012", /./],
    ["61QVD12", /zone/],
    ["30IVD12", /MGRS/],
    ["30XVD12", /not in latitude band/],
    ["", /empty/],
    ["   ", /empty/],
  ];
  for (const [text, reason] of refusals) {
    const parsed = parseCoordinates(text);
    assert.equal(parsed.ok, false, `${JSON.stringify(text)} was accepted`);
    assert.match(parsed.ok ? "" : parsed.reason, reason, JSON.stringify(text));
  }
});

test("hostile input: markup, control and invisible characters, huge and non-text input", () => {
  const hostile: unknown[] = [
    "<img src=x onerror=alert(1)>",
    "16.5, -3.9<script>",
    "16.5 &amp; -3.9",
    "16.5\u0000, -3.9",
    "16.5\u202e, -3.9",
    "16.5\u200b, -3.9",
    "\u001b[31m16.5, -3.9",
    "16.5\u0085 -3.9",
    "16.5 ".repeat(40),
    "9".repeat(10_000_000),
    null,
    undefined,
    16.5,
    ["16.5", "-3.9"],
    { lat: 16.5, lon: -3.9 },
  ];
  for (const input of hostile) {
    const parsed = parseCoordinates(input);
    assert.equal(parsed.ok, false, String(input).slice(0, 40));
    assert.ok(!parsed.ok && !parsed.reason.includes("\n") && parsed.reason.length < 120, "one short line");
    assert.ok(!parsed.ok && !parsed.reason.includes("<"), "the reason does not echo the input");
  }
  // A long paste is refused on its length, before any pattern reads it (no backtracking to wait on).
  const long = parseCoordinates("9".repeat(10_000_000));
  assert.ok(!long.ok && long.reason.includes(`longer than ${MAX_COORDINATE_LENGTH}`));
  assert.equal(parseCoordinates("9".repeat(MAX_COORDINATE_LENGTH + 1)).ok, false);
});
