/** The header's sentence about the last verification: words, not "1 PROBLEM(S) … · 4 SINCE". */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { CaseSummary } from "../../shared/api/contract.js";
import { verificationSentence } from "../../renderer/src/views/header/verificationWords.js";

const summary = (headSeq: number, last: CaseSummary["lastVerification"]): CaseSummary =>
  ({ head: { seq: headSeq, hash: "a".repeat(64) }, lastVerification: last }) as CaseSummary;
const run = (isClean: boolean, problemCount: number) => ({
  seq: 10,
  ts: "2026-02-16T09:12:44.120Z",
  examiner: "A. Analyst",
  verifiedSeq: 9,
  isClean,
  problemCount,
});

test("the last verification in a sentence: never, clean, problems, and events recorded since", () => {
  assert.equal(verificationSentence(summary(3, null)), "Not verified yet");
  assert.equal(verificationSentence(summary(10, run(true, 0))), "Verified at 2026-02-16 09:12:44 UTC");
  assert.equal(verificationSentence(summary(10, run(false, 1))), "1 problem found at 2026-02-16 09:12:44 UTC");
  assert.equal(
    verificationSentence(summary(14, run(false, 3))),
    "3 problems found at 2026-02-16 09:12:44 UTC; 4 events recorded since",
  );
  assert.equal(
    verificationSentence(summary(11, run(true, 0))),
    "Verified at 2026-02-16 09:12:44 UTC; 1 event recorded since",
  );
});
