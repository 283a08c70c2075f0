/** Integrity per item from the ledger alone, and the board grid's keyboard moves. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyCaseState, applyEvent } from "../../shared/ledger/caseState.js";
import type { LedgerEvent } from "../../shared/ledger/events.js";
import { hasIntegrityProblem, openFindings } from "../../shared/ledger/integrity.js";
import { gridMove, listMove } from "../../renderer/src/views/board/gridKeys.js";

const A = "a".repeat(64);
const B = "b".repeat(64);
let seq = 0;
function event(type: string, payload: Record<string, unknown>): LedgerEvent {
  const s = seq++;
  return {
    seq: s,
    id: `id-${s}`,
    ts: `2026-02-16T09:00:0${s % 10}.000Z`,
    actor: "k",
    type,
    payload,
    prev: null,
    hash: "0".repeat(64),
    sig: "",
  };
}
const collection = {
  sourceUrl: null,
  sourceAccount: null,
  collectedAt: null,
  collectedBy: { name: "E", keyId: "k" },
  tool: { name: "sightline", version: "1" },
  method: null,
  note: null,
  missing: ["source", "collectedAt", "method"],
};
function imported(sha: string) {
  return event("item.imported", {
    sha256: sha,
    size: 3,
    objectPath: `objects/sha256/${sha.slice(0, 2)}/${sha.slice(2)}`,
    isNewObject: true,
    source: {
      originalName: `${sha[0]}.jpg`,
      path: "/x",
      relativePath: null,
      fileTimes: { modified: "2026-01-01T00:00:00Z", changed: null, accessed: null, born: null },
    },
    acquisition: { acquiredAt: "2026-01-01T00:00:00Z", host: "h", user: "u", platform: "p" },
    collection,
  });
}
function run(problems: { code: string; item?: string; file?: string; line?: number }[]) {
  return event("verification.run", {
    head: { seq: 0, hash: "0".repeat(64) },
    isClean: problems.length === 0,
    eventCount: 1,
    itemCount: 2,
    objectsChecked: 2,
    bytesChecked: 6,
    derivativesChecked: 0,
    problems,
    problemCount: problems.length,
    noticeCount: 0,
    tool: { name: "sightline", version: "1" },
  });
}

test("the last verification marks the items it found damaged, a clean run clears them, a restore answers the copy's problems", () => {
  const state = emptyCaseState();
  for (const e of [imported(A), imported(B)]) applyEvent(state, e);
  const found = run([
    { code: "object-corrupt", item: A, file: `objects/sha256/aa/${A.slice(2)}` },
    { code: "chain-broken", line: 2 },
  ]);
  applyEvent(state, found);
  assert.equal(hasIntegrityProblem(state.items.get(A)!.integrity), true);
  assert.equal(state.items.get(A)!.integrity!.foundSeq, found.seq);
  assert.equal(state.items.get(A)!.integrity!.foundAt, found.ts);
  assert.equal(state.items.get(B)!.integrity, null, "a problem of the ledger is not an item's");
  assert.ok(
    state.items.get(A)!.eventSeqs.includes(found.seq),
    "the finding is in the item's timeline (and its listing changes)",
  );

  const restored = event("original.restored", {
    sha256: A,
    objectPath: `objects/sha256/aa/${A.slice(2)}`,
    acquisitionSeq: 0,
    collection,
    damaged: { kind: "changed", sha256: B, size: 3, setAside: `recovered/damaged-${A}-2026-02-16T09-00-00-000Z` },
    foundBySeq: found.seq,
    tool: { name: "sightline", version: "1" },
  });
  applyEvent(state, restored);
  assert.equal(hasIntegrityProblem(state.items.get(A)!.integrity), false);
  assert.equal(state.items.get(A)!.restores.length, 1);

  // A derivative problem is not answered by restoring the original.
  applyEvent(state, run([{ code: "derivative-corrupt", item: B }]));
  assert.deepEqual(
    openFindings(state.items.get(B)!.integrity).map((f) => f.code),
    ["derivative-corrupt"],
  );
  assert.equal(state.items.get(A)!.integrity, null, "a later clean run for A clears its record");
  const clean = run([]);
  applyEvent(state, clean);
  assert.equal(state.items.get(B)!.integrity, null);
  assert.equal(state.items.get(B)!.eventSeqs.at(-1), clean.seq, "the item that became clean is listed as changed");
});

test("a restore payload with a set-aside path outside recovered/ does not replay", () => {
  const state = emptyCaseState();
  applyEvent(state, imported(A));
  applyEvent(
    state,
    event("original.restored", {
      sha256: A,
      objectPath: `objects/sha256/aa/${A.slice(2)}`,
      acquisitionSeq: 0,
      collection,
      damaged: { kind: "changed", sha256: null, size: null, setAside: "../../etc/passwd" },
      foundBySeq: null,
      tool: { name: "sightline", version: "1" },
    }),
  );
  assert.equal(state.items.get(A)!.restores.length, 0);
});

test("grid keys move by row and column, to the ends, and by a page", () => {
  // 10 tiles in rows of 4: 0-3, 4-7, 8-9.
  const move = (key: string, from: number, ctrl = false) => gridMove(key, ctrl, from, 10, 4, 2);
  assert.equal(move("ArrowRight", 3), 4);
  assert.equal(move("ArrowRight", 9), 9);
  assert.equal(move("ArrowLeft", 0), 0);
  assert.equal(move("ArrowDown", 1), 5);
  assert.equal(move("ArrowDown", 6), 9, "into the shorter last row: its last tile");
  assert.equal(move("ArrowDown", 9), 9);
  assert.equal(move("ArrowUp", 5), 1);
  assert.equal(move("ArrowUp", 2), 2);
  assert.equal(move("Home", 6), 4);
  assert.equal(move("End", 5), 7);
  assert.equal(move("End", 8), 9);
  assert.equal(move("Home", 6, true), 0);
  assert.equal(move("End", 1, true), 9);
  assert.equal(move("PageDown", 1), 9);
  assert.equal(move("PageUp", 9), 1);
  assert.equal(move("PageUp", 6), 2, "up a page, or to the top row in the same column");
  assert.equal(move("a", 1), null);
  assert.equal(gridMove("ArrowRight", false, 0, 0, 4, 2), null);
  assert.equal(listMove("ArrowDown", 0, 3, 5), 1);
  assert.equal(listMove("End", 0, 3, 5), 2);
  assert.equal(listMove("ArrowRight", 0, 3, 5), null);
});
