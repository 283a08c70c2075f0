import assert from "node:assert/strict";
import { test } from "node:test";
import { type ImportOutcomeInfo } from "../../shared/api/contract.js";
import { importCounts } from "../../renderer/src/views/board/importCounts.js";

const refused = (n: number): ImportOutcomeInfo[] =>
  Array.from({ length: n }, (_, i) => ({ status: "refused", displayPath: `fifo-${i}`, reason: "not a regular file" }));
const imported = (n: number): ImportOutcomeInfo[] =>
  Array.from({ length: n }, (_, i) => ({
    status: "imported",
    displayPath: `photo-${i}.jpg`,
    sha256: i.toString(16).padStart(64, "0"),
    size: 10,
    seq: i + 2,
    objectPath: "objects/sha256/00/" + "0".repeat(62),
  }));

test("a large import is counted from its counts, not from the bounded list it carries", () => {
  const counts = importCounts({
    outcomes: [...imported(1000), ...refused(1000)],
    outcomeCounts: { imported: 98_000, duplicate: 500, refused: 1_400, failed: 90, cancelled: 10 },
  });
  assert.equal(counts.imported, 98_000);
  assert.equal(counts.duplicate, 500);
  assert.equal(counts.missedCount, 1_500);
  assert.equal(counts.missed.length, 1000);
  assert.equal(counts.missed[0]!.reason, "not a regular file");
});

test("a job without counts is counted from its list", () => {
  const counts = importCounts({ outcomes: [...imported(3), ...refused(2)] });
  assert.deepEqual(
    { imported: counts.imported, duplicate: counts.duplicate, missedCount: counts.missedCount },
    { imported: 3, duplicate: 0, missedCount: 2 },
  );
});
