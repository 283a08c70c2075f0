import assert from "node:assert/strict";
import { test } from "node:test";
import { hasUnsafeCharacters, inertText } from "../../shared/text/inertText.js";

test("control, bidi and invisible characters become visible escapes", () => {
  assert.equal(inertText("evil\u202egpj.exe"), "evil\\u{202E}gpj.exe");
  assert.equal(inertText("\u001b[31mred\u0007"), "\\u{001B}[31mred\\u{0007}");
  assert.equal(inertText("a\u200bb\u2066c\ufeff"), "a\\u{200B}b\\u{2066}c\\u{FEFF}");
  assert.equal(inertText("line\nbreak"), "line\\u{000A}break");
  assert.equal(inertText("\u0085next"), "\\u{0085}next");
});

test("ordinary text in any script, markup and emoji pass unchanged", () => {
  for (const text of ["Kidal — قرية تحترق", "<img src=x onerror=alert(1)>", "Mbera 😀 ẞ 漢字", "../../etc/passwd"]) {
    assert.equal(inertText(text), text);
    assert.equal(hasUnsafeCharacters(text), false);
  }
  assert.equal(hasUnsafeCharacters("a\u202eb"), true);
  assert.equal(hasUnsafeCharacters("a\u202eb"), true, "stateless across calls");
});
