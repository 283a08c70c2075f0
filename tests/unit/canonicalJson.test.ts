/**
 * The ledger's canonical form is RFC 8785: these are the RFC's own test vectors (Appendix B's
 * numbers, §3.2.3's ordering, §3.2's example, and the reference implementation's testdata),
 * run through our `canonicalJson` and through the standalone checker's `canonical`
 * (resources/verify-ledger.py --canonical), so the two are proved to give the same bytes.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { canonicalJson } from "../../shared/ledger/canonicalJson.js";
import { REPO_ROOT } from "../support/cli.js";

/** The standalone checker's canonical form of a JSON text, or its refusal. */
function pythonCanonical(json: string | Buffer): { out: string; status: number | null } {
  const script = path.join(REPO_ROOT, "resources", "verify-ledger.py");
  const run = spawnSync("python3", [script, "--canonical"], { input: Buffer.from(json) });
  return { out: run.stdout.toString("utf8"), status: run.status };
}

/** Both implementations agree on `value` (given to Python as `jsonText`, not canonical) and give `expected`. */
function assertBoth(jsonText: string, expected: string): void {
  assert.equal(canonicalJson(JSON.parse(jsonText)), expected, "canonicalJson");
  const python = pythonCanonical(jsonText);
  assert.equal(python.status, 0, "verify-ledger.py --canonical refused it");
  assert.equal(python.out, expected, "verify-ledger.py --canonical");
}

/** RFC 8785 Appendix B: IEEE 754 double (hex) and its JSON form. */
const APPENDIX_B: [string, string][] = [
  ["0000000000000000", "0"],
  ["8000000000000000", "0"],
  ["0000000000000001", "5e-324"],
  ["8000000000000001", "-5e-324"],
  ["7fefffffffffffff", "1.7976931348623157e+308"],
  ["ffefffffffffffff", "-1.7976931348623157e+308"],
  ["4340000000000000", "9007199254740992"],
  ["c340000000000000", "-9007199254740992"],
  ["4430000000000000", "295147905179352830000"],
  ["44b52d02c7e14af5", "9.999999999999997e+22"],
  ["44b52d02c7e14af6", "1e+23"],
  ["44b52d02c7e14af7", "1.0000000000000001e+23"],
  ["444b1ae4d6e2ef4e", "999999999999999700000"],
  ["444b1ae4d6e2ef4f", "999999999999999900000"],
  ["444b1ae4d6e2ef50", "1e+21"],
  ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
  ["3eb0c6f7a0b5ed8d", "0.000001"],
  ["41b3de4355555553", "333333333.3333332"],
  ["41b3de4355555554", "333333333.33333325"],
  ["41b3de4355555555", "333333333.3333333"],
  ["41b3de4355555556", "333333333.3333334"],
  ["41b3de4355555557", "333333333.33333343"],
  ["becbf647612f3696", "-0.0000033333333333333333"],
  ["43143ff3c1cb0959", "1424953923781206.2"],
];

const fromHex = (hex: string): number => Buffer.from(hex, "hex").readDoubleBE(0);

test("RFC 8785 Appendix B: numbers are written as ECMAScript writes them", () => {
  const numbers = APPENDIX_B.map(([hex]) => fromHex(hex));
  // Python reads 17 significant digits, which name the same double but are never the canonical layout.
  assertBoth(
    `[${numbers.map((n) => (Object.is(n, -0) ? "-0.0" : n.toExponential(16))).join(",")}]`,
    `[${APPENDIX_B.map(([, expected]) => expected).join(",")}]`,
  );
  for (const [hex, expected] of APPENDIX_B) assert.equal(canonicalJson(fromHex(hex)), expected, hex);
});

test("numbers a real import meets: ExposureTime 1/20000 is 0.00005, not 5e-05", () => {
  assertBoth(
    "[5e-05, 1E21, 1e-7, 1e-6, 333333333.33333329, -0, 4.50, 0.002, 1.0, 100]",
    "[0.00005,1e+21,1e-7,0.000001,333333333.3333333,0,4.5,0.002,1,100]",
  );
});

test("NaN and Infinity have no canonical form", () => {
  assert.throws(() => canonicalJson(Number.NaN));
  assert.throws(() => canonicalJson(Number.POSITIVE_INFINITY));
  assert.notEqual(pythonCanonical("[1e400]").status, 0);
  assert.notEqual(pythonCanonical("[NaN]").status, 0);
});

test("RFC 8785 §3.2.3: member names are sorted by UTF-16 code units, not code points", () => {
  const input =
    '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",' +
    '"\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}';
  assertBoth(
    input,
    '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
      '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  );
});

test("the RFC 8785 §3.2 example: literals, numbers and string escapes", () => {
  assertBoth(
    '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
      '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
      '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  );
  // Every control character is escaped (short forms where JSON has them, else \u00xx in lower case); DEL and U+2028 are not.
  assertBoth(
    '{"s":"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \\u007f\\u2028\\u202e<img>\\u00e9"}',
    '{"s":"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \u007f\u2028\u202e<img>\u00e9"}',
  );
});

test("the reference implementation's testdata: structures, arrays, unicode, weird names, French", () => {
  assertBoth(
    '{"1":{"f":{"f":"hi","F":5},"\\n":56.0},"10":{},"":"empty","a":{},"111":[{"e":"yes","E":"no"}],"A":{}}',
    '{"":"empty","1":{"\\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{"E":"no","e":"yes"}],"A":{},"a":{}}',
  );
  assertBoth('[56,{"d":true,"10":null,"1":[]}]', '[56,{"1":[],"10":null,"d":true}]');
  assertBoth('{"Unnormalized Unicode":"A\\u030a"}', '{"Unnormalized Unicode":"A\u030a"}');
  assertBoth(
    '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\u000a":"Newline","1":"One","\\u0080":"Control\\u007f",' +
      '"\\ud83d\\ude02":"Smiley","\\u00f6":"Latin Small Letter O With Diaeresis",' +
      '"\\ufb33":"Hebrew Letter Dalet With Dagesh","</script>":"Browser Challenge"}',
    '{"\\n":"Newline","\\r":"Carriage Return","1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f",' +
      '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude02":"Smiley",' +
      '"\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  );
  assertBoth(
    '{"peach":"This sorting order","p\u00e9ch\u00e9":"is wrong according to French",' +
      '"p\u00eache":"but canonicalization MUST","sin":"ignore locale"}',
    '{"peach":"This sorting order","p\u00e9ch\u00e9":"is wrong according to French",' +
      '"p\u00eache":"but canonicalization MUST","sin":"ignore locale"}',
  );
});

test("sorts keys recursively, with no whitespace", () => {
  assertBoth(
    '{ "b": 1, "a": { "d": [3, { "z": 1, "y": 2 }], "c": null } }',
    '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
  );
});

test("refuses values JSON cannot carry", () => {
  assert.throws(() => canonicalJson(undefined));
  assert.throws(() => canonicalJson({ n: Number.NaN }));
});

test("the checker refuses what the ledger refuses: duplicate names, lone surrogates, invalid UTF-8", () => {
  assert.notEqual(pythonCanonical('{"a":{"b":1,"b":1}}').status, 0);
  assert.notEqual(pythonCanonical('["\\ud800"]').status, 0);
  assert.notEqual(pythonCanonical(Buffer.from([0x22, 0xff, 0x22])).status, 0);
});
