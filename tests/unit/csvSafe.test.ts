import assert from "node:assert/strict";
import { test } from "node:test";
import { csvSafe, csvSafeInert, startsLikeFormula } from "../../shared/text/csvSafe.js";

const FORMULAS = ["=1+1", "+cmd", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x","y")', "-3", "=", "@"];
const PLAIN = ["photo.jpg", "a=b", "", "2026-02-16", "x-1", "mail@example.org", "Kidal — قرية", "'quoted", " "];

test("a cell starting with = + - @ gets a ' first; text that merely holds one does not", () => {
  for (const bad of FORMULAS) {
    assert.equal(csvSafe(bad), `'${bad}`, bad);
    assert.equal(csvSafeInert(bad), `'${bad}`, bad);
  }
  for (const good of PLAIN) {
    assert.equal(csvSafe(good), good, good);
    assert.equal(csvSafeInert(good), good, good);
  }
});

test("a TAB or CR first always counts, with or without a formula after it", () => {
  for (const lead of ["\t", "\r"]) {
    for (const rest of ["x", "=1+1", ""]) {
      assert.equal(csvSafe(lead + rest), `'${lead}${rest}`, JSON.stringify(lead + rest));
      assert.ok(csvSafeInert(lead + rest).startsWith("'\\u{000"), JSON.stringify(lead + rest));
    }
  }
});

test("a formula sign after spaces, controls or invisible characters counts; full-width signs count", () => {
  for (const bad of [" =1+1", "\n=1", "\u200b=1", "\ufeff@SUM(A1)", "\u202e-1", "＝1+1", "＋1", "－1", "＠x"]) {
    assert.ok(startsLikeFormula(bad), JSON.stringify(bad));
    assert.equal(csvSafe(bad), `'${bad}`, JSON.stringify(bad));
  }
  assert.ok(!startsLikeFormula(" x"));
  assert.ok(!startsLikeFormula("\u200b"));
});

test("the inert cell shows controls and bidi overrides, and is guarded on what a spreadsheet reads", () => {
  assert.equal(csvSafeInert("\u202E=1"), "\\u{202E}=1", "made visible, it starts with a backslash");
  assert.equal(csvSafeInert("evil\u202egpj.exe"), "evil\\u{202E}gpj.exe");
  assert.equal(csvSafeInert("=a\u0007"), "'=a\\u{0007}");
  assert.equal(csvSafeInert(" ＝1"), "' ＝1");
  assert.equal(csvSafeInert("<b>x</b>"), "<b>x</b>", "markup is for the spreadsheet to show, not to run");
});
