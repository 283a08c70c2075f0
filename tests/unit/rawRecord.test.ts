/** The raw metadata record stays JSON-safe and bounded whatever a parser returns. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { canonicalJson } from "../../shared/ledger/canonicalJson.js";
import { RAW_LIMITS } from "../../shared/media/metadata.js";
import { isSuspiciousText, toRawRecord } from "../../electron/services/media/rawRecord.js";

test("dates, bytes, big integers and non-finite numbers become plain JSON", () => {
  const bytes = new Uint8Array([1, 2, 3, 4, 5]);
  const { value, truncated } = toRawRecord({
    when: new Date("2026-02-16T09:12:44Z"),
    bad: new Date(Number.NaN),
    bytes,
    rational: new Uint16Array([3, 4]),
    big: 2n ** 70n,
    nan: Number.NaN,
    nested: new Map([["k", undefined]]),
  });
  assert.equal(truncated, false);
  assert.deepEqual(value, {
    when: "2026-02-16T09:12:44.000Z",
    bad: "Invalid Date",
    bytes: { binaryBytes: 5, sha256: createHash("sha256").update(bytes).digest("hex") },
    rational: [3, 4],
    big: "1180591620717411303424",
    nan: "NaN",
    nested: { k: null },
  });
  assert.doesNotThrow(() => canonicalJson(value), "canonical JSON accepts it as it is");
});

test("a 10 MB string, a huge array and deep nesting are cut and say so", () => {
  let deep: Record<string, unknown> = { end: true };
  for (let i = 0; i < 50; i++) deep = { deep };
  const { value, truncated } = toRawRecord({
    xmp: "x".repeat(10 * 1024 * 1024),
    list: Array.from({ length: 10_000 }, (_, i) => i),
    deep,
  });
  assert.equal(truncated, true);
  assert.ok(JSON.stringify(value).length < RAW_LIMITS.maxTotalChars + 64 * 1024);
  assert.match(value.xmp as string, /…\[\d+ more characters not recorded\]$/);
  assert.equal((value.list as unknown[]).length, RAW_LIMITS.maxArrayItems);
});

test("text with markup, controls or direction overrides is flagged with its path; binary fields are not", () => {
  const { suspicious } = toRawRecord({
    ifd0: { Make: "<img src=x onerror=alert(1)>", Model: "EOS\u202e5D", Software: "ok 1.0", Note: "red\u001b[31m" },
    iptc: { ApplicationRecordVersion: "\u0000\u0004" },
  });
  assert.deepEqual(suspicious.sort(), ["ifd0.Make", "ifd0.Model", "ifd0.Note"]);
  assert.equal(isSuspiciousText("line one\nline two\tand a tab"), false);
  assert.equal(isSuspiciousText("<script>alert(1)</script>"), true);
});
