/** The ledger's canonical form is RFC 8785; these are the RFC's own examples and the cases our events meet. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { canonicalJson } from "../../shared/ledger/canonicalJson.js";

test("sorts keys by UTF-16 code units, recursively, with no whitespace", () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }),
    '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
  );
  // RFC 8785 §3.2.3: "\u20ac" (€) sorts after "\r" and before the surrogate pair of 😀.
  assert.equal(canonicalJson({ "\u20ac": 1, "\r": 2, "\ud83d\ude00": 3, "1": 4 }), '{"\\r":2,"1":4,"€":1,"😀":3}');
});

test("formats numbers as ECMAScript does (RFC 8785 §3.2.2.3)", () => {
  assert.equal(
    canonicalJson([1e21, 1e-7, 333333333.3333333, -0, 4.5, 0.002]),
    "[1e+21,1e-7,333333333.3333333,0,4.5,0.002]",
  );
});

test("escapes only what JSON requires, keeping other characters as they are", () => {
  assert.equal(canonicalJson({ s: '\u0007<img>\u202e\u2028é"\\' }), '{"s":"\\u0007<img>\u202e\u2028é\\"\\\\"}');
});

test("refuses values JSON cannot carry", () => {
  assert.throws(() => canonicalJson(undefined));
  assert.throws(() => canonicalJson({ n: Number.NaN }));
});
