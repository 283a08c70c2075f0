import assert from "node:assert/strict";
import { test } from "node:test";
import { CollectionInputSchema, isIsoTimeWithOffset, missingCollectionFields } from "../../shared/case/collection.js";

test("a collection time must carry its time zone", () => {
  for (const ok of ["2026-02-16T09:12:00+01:00", "2026-02-16T09:12Z", "2026-02-16T09:12:00.123-05:30"])
    assert.ok(isIsoTimeWithOffset(ok), ok);
  for (const bad of ["2026-02-16 09:12", "2026-02-16T09:12:00", "yesterday", "2026-13-45T99:99:00Z", ""])
    assert.ok(!isIsoTimeWithOffset(bad), bad);
});

test("missing fields are named, never filled in", () => {
  assert.deepEqual(missingCollectionFields({}), ["source", "collectedAt", "method"]);
  assert.deepEqual(missingCollectionFields({ sourceAccount: "@a", collectedAt: "2026-02-16T09:12Z", method: "m" }), []);
});

test("hostile collection text is refused with a reason", () => {
  const control = CollectionInputSchema.safeParse({ method: "saved\u001b[2J" });
  assert.equal(control.success, false);
  assert.match(control.error!.issues[0]!.message, /control characters/);
  const url = CollectionInputSchema.safeParse({ sourceUrl: "javascript alert(1)" });
  assert.equal(url.success, false);
  const huge = CollectionInputSchema.safeParse({ note: "x".repeat(70_000) });
  assert.equal(huge.success, false);
  assert.ok(
    CollectionInputSchema.safeParse({ note: "line one\nline two\ttabbed" }).success,
    "notes may have lines and tabs",
  );
});
