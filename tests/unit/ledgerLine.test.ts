/** The strict reading of one ledger line: what two JSON parsers could read differently is refused. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { readLedgerLine, readLedgerLineText } from "../../shared/ledger/ledgerLine.js";

const SIG = `${"A".repeat(85)}Q==`;
const line = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    seq: 3,
    id: "i",
    ts: "t",
    actor: "a",
    type: "note.added",
    payload: { a: 1 },
    prev: null,
    hash: "h",
    sig: SIG,
    ...fields,
  });
const codes = (text: string) => {
  const r = readLedgerLineText(text);
  return r.ok ? r.faults.map((f) => f.code) : [r.fault.code];
};

test("a plain line is accepted with no faults", () => {
  assert.deepEqual(codes(line()), []);
});

test("duplicate member names, at the top and deep inside, are refused", () => {
  assert.deepEqual(codes(line().replace('"seq":3', '"seq":3,"seq":4')), ["ledger-duplicate-key"]);
  assert.deepEqual(codes(line({ payload: { a: 1 } }).replace('{"a":1}', '{"a":1,"b":[{"x":1,"x":2}]}')), [
    "ledger-duplicate-key",
  ]);
  // The same names in different objects, and colons and quotes inside strings, are not duplicates.
  assert.deepEqual(codes(line({ payload: { a: { a: 1 }, b: 'x":"y \\" : {', c: [{ a: 1 }, { a: 2 }] } })), []);
});

test("a seq written as anything but a plain integer is refused", () => {
  for (const seq of ["1.0", "1e0", "-0", "01", '"1"', "true"]) {
    assert.deepEqual(codes(line().replace('"seq":3', `"seq":${seq}`)), ["ledger-malformed-line"], seq);
  }
  // An escaped key still names seq.
  assert.deepEqual(codes(line().replace('"seq":3', '"s\\u0065q":3.0')), ["ledger-malformed-line"]);
});

test("a field beyond the nine is reported, and the line still read", () => {
  assert.deepEqual(codes(line({ comment: "unsigned" })), ["event-field-unknown"]);
});

test("a sig must be the canonical padded base64 of 64 bytes", () => {
  assert.deepEqual(codes(line({ sig: `${"A".repeat(85)}Q` })), ["signature-malformed"]);
  assert.deepEqual(codes(line({ sig: `${"A".repeat(85)}R==` })), ["signature-malformed"], "low bits set");
  assert.deepEqual(codes(line({ sig: `${"A".repeat(84)}Q==` })), ["signature-malformed"], "63 bytes");
  for (const last of "AQgw") assert.deepEqual(codes(line({ sig: `${"B".repeat(85)}${last}==` })), []);
});

test("invalid UTF-8, a byte-order mark and lone surrogates are refused; paired ones are text", () => {
  const bytes = Buffer.from(line({ payload: { text: "é" } }));
  const at = bytes.indexOf(0xc3);
  bytes[at + 1] = 0x28;
  const bad = readLedgerLine(bytes);
  assert.equal(bad.ok ? null : bad.fault.code, "ledger-invalid-text");
  const bom = readLedgerLine(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(line())]));
  assert.equal(bom.ok ? null : bom.fault.code, "ledger-malformed-line");
  assert.deepEqual(codes(line().replace('"a":1', '"a":"\\ud800"')), ["ledger-invalid-text"]);
  assert.deepEqual(codes(line().replace('"a":1', '"\\udc00":1')), ["ledger-invalid-text"]);
  assert.deepEqual(codes(line().replace('"a":1', '"a":"\\ud83d\\ude00 😀"')), []);
});

test("numbers beyond a double, empty lines and non-objects are refused", () => {
  assert.deepEqual(codes(line().replace('"a":1', '"a":1e400')), ["ledger-malformed-line"]);
  assert.deepEqual(codes(line().replace('"a":1', '"a":1e300')), []);
  // Written out in plain digits, with no exponent anywhere in the line: 400 digits are past a double too.
  const digits = `1${"0".repeat(399)}`;
  for (const big of [digits, `-${digits}`, `${digits}.5`, `[0,{"b":${digits}}]`]) {
    assert.deepEqual(codes(line().replace('"a":1', `"a":${big}`)), ["ledger-malformed-line"], big.slice(0, 12));
  }
  // The largest double written out in full (309 digits) is a number like any other.
  assert.deepEqual(codes(line().replace('"a":1', `"a":${BigInt(Number.MAX_VALUE).toString()}`)), []);
  assert.deepEqual(codes(""), ["ledger-malformed-line"]);
  assert.deepEqual(codes("[1]"), ["ledger-malformed-line"]);
  assert.deepEqual(codes('{"seq":1'), ["ledger-malformed-line"]);
});
