/**
 * The pure parts of custody reports: places rounded or withheld as chosen, formula-like CSV cells
 * made text, HTML text escaped and made inert, running-header text that cannot leave its CSS
 * string, and the re-verification paragraph naming the head.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { reverificationText } from "../../shared/reports/buildReport.js";
import { csvCell } from "../../shared/reports/reportCsv.js";
import { cssString, esc, user } from "../../shared/reports/reportHtmlParts.js";
import { placeWords, reportPlace } from "../../shared/reports/reportPlaces.js";

test("a sensitive point is rounded to two decimals with its radius widened, withheld, or exact by choice", () => {
  const point = { shape: "point" as const, lat: 18.441234, lon: -1.407654 };
  assert.deepEqual(reportPlace(point, 100, true, "rounded"), {
    handling: "rounded",
    shape: "point",
    at: { lat: 18.44, lon: -1.41 },
    radiusM: 887,
  });
  assert.deepEqual(reportPlace(point, 100, true, "withheld"), { handling: "withheld" });
  assert.deepEqual(reportPlace(point, 100, true, "exact"), {
    handling: "exact",
    shape: "point",
    at: { lat: 18.441234, lon: -1.407654 },
    radiusM: 100,
  });
  assert.equal(reportPlace(point, 100, false, "withheld").handling, "exact", "a place not marked sensitive is exact");
  assert.match(placeWords(reportPlace(point, 100, true, "rounded")), /^18\.44° N, 1\.41° W \(±887 m\), rounded/);
});

test("a sensitive area becomes its rounded centroid; an exact one keeps its ring", () => {
  const ring = [
    { lat: 10, lon: 20 },
    { lat: 10.02, lon: 20 },
    { lat: 10.02, lon: 20.03 },
  ];
  const rounded = reportPlace({ shape: "area", ring }, 500, true, "rounded");
  assert.deepEqual(rounded, {
    handling: "rounded",
    shape: "area-centroid",
    at: { lat: 10.01, lon: 20.01 },
    radiusM: 1287,
  });
  assert.deepEqual(reportPlace({ shape: "area", ring }, 500, true, "exact"), {
    handling: "exact",
    shape: "area",
    ring,
    radiusM: 500,
  });
});

test("CSV cells that a spreadsheet would run are prefixed with a quote; others are as given", () => {
  for (const bad of ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"]) assert.equal(csvCell(bad), `'${bad}`);
  for (const good of ["photo.jpg", "a=b", "", "2026-02-16"]) assert.equal(csvCell(good), good);
  assert.equal(csvCell(-3), "'-3", "a negative number is text too");
  assert.equal(csvCell(null), "");
});

test("HTML text is escaped and bidi and control characters shown; user text keeps its own direction", () => {
  assert.equal(esc(`<script>"x"&'y'</script>`), "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;");
  assert.equal(esc("a\u202egpj.exe\u0007"), "a\\u{202E}gpj.exe\\u{0007}");
  assert.equal(user("ملاحظة"), '<bdi dir="auto">ملاحظة</bdi>');
  assert.equal(esc(null), "");
});

test("the re-verification paragraph names the documented format, the checker and the head", () => {
  const text = reverificationText({ seq: 41, hash: "ab".repeat(32) });
  assert.match(text, /docs\/LEDGER\.md/);
  assert.match(text, /resources\/verify-ledger\.py/);
  assert.match(text, new RegExp(`event 41, whose hash is ${"ab".repeat(32)}`));
});

test("text in a running header's CSS string cannot end the string or its rule", () => {
  const hostile = 'a"; } @page { @top-left { content: url(http://x/) } } \\ \n\u202E';
  const css = cssString(hostile);
  assert.match(css, /^"[A-Za-z0-9 \\]*"$/, "only letters, digits, spaces and escapes inside the quotes");
  assert.doesNotMatch(css.slice(1, -1), /["{};\n(]/);
  // Each escape is a backslash, hex digits and one space: read back, the text is the same.
  const back = css.slice(1, -1).replace(/\\([0-9a-f]+) /g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
  assert.equal(back, hostile);
  assert.equal(cssString("Kidal 2026"), '"Kidal 2026"');
});
