/**
 * Replay keeps one object for equal acquisition and collection records of consecutive imports
 * (caseState.ts, reuseLast), and the state still holds exactly what each event says.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { applyEvent, emptyCaseState, type CaseState } from "../../shared/ledger/caseState.js";
import type { LedgerEvent } from "../../shared/ledger/events.js";

let seq = 0;
function imported(sha: string, method: string | null, host = "h"): LedgerEvent {
  const s = seq++;
  // Each event parsed from its own line: its records are fresh objects, as JSON.parse makes them.
  const payload = JSON.parse(
    JSON.stringify({
      sha256: sha,
      size: 3,
      objectPath: `objects/sha256/${sha.slice(0, 2)}/${sha}`,
      isNewObject: true,
      source: {
        originalName: `${sha[0]}.jpg`,
        path: `/phone/${sha[0]}.jpg`,
        relativePath: null,
        fileTimes: { modified: "2026-01-01T00:00:00Z", changed: null, accessed: null, born: null },
      },
      acquisition: { acquiredAt: "2026-01-01T00:00:00Z", host, user: "u", platform: "p" },
      collection: {
        sourceUrl: null,
        sourceAccount: "@channel",
        collectedAt: null,
        collectedBy: { name: "E", keyId: "k" },
        tool: { name: "Sightline", version: "1" },
        method,
        note: null,
        missing: method ? ["collectedAt"] : ["collectedAt", "method"],
      },
    }),
  ) as Record<string, unknown>;
  return {
    seq: s,
    id: `id-${s}`,
    ts: "2026-02-16T09:00:00.000Z",
    actor: "k",
    type: "item.imported",
    payload,
    prev: null,
    hash: "0".repeat(64),
    sig: "",
  };
}

const acquisitionOf = (state: CaseState, sha: string) => state.items.get(sha)!.acquisitions[0]!;

test("equal records of consecutive imports are one object; different ones are kept apart", () => {
  const state = emptyCaseState();
  const events = [
    imported("a".repeat(64), "download"),
    imported("b".repeat(64), "download"),
    imported("c".repeat(64), null),
    imported("d".repeat(64), null, "other-host"),
  ];
  for (const event of events) applyEvent(state, event);
  const [a, b, c, d] = ["a", "b", "c", "d"].map((x) => acquisitionOf(state, x.repeat(64)));
  assert.equal(a!.collection, b!.collection);
  assert.equal(a!.acquisition, b!.acquisition);
  assert.notEqual(b!.collection, c!.collection);
  assert.equal(c!.collection, d!.collection);
  assert.notEqual(c!.acquisition, d!.acquisition);
  // Whatever is shared, each item holds exactly the records its own event carries.
  for (const [i, event] of events.entries()) {
    const payload = event.payload as { collection: unknown; acquisition: unknown };
    assert.deepEqual([a, b, c, d][i]!.collection, payload.collection);
    assert.deepEqual([a, b, c, d][i]!.acquisition, payload.acquisition);
  }
  assert.equal(d!.acquisition.host, "other-host");
  assert.equal(c!.collection.method, null);
  // Shared, so never changed in place: an attempt throws instead of changing every item at once.
  assert.throws(() => {
    (a!.collection as { method: string | null }).method = "changed";
  }, TypeError);
  assert.throws(() => (a!.collection.missing as string[]).push("source"), TypeError);
  assert.equal(b!.collection.method, "download");
});

test("two states replaying the same events share nothing with each other", () => {
  const one = emptyCaseState();
  const two = emptyCaseState();
  applyEvent(one, imported("e".repeat(64), "download"));
  applyEvent(two, imported("e".repeat(64), "download"));
  assert.notEqual(acquisitionOf(one, "e".repeat(64)).collection, acquisitionOf(two, "e".repeat(64)).collection);
  assert.deepEqual(acquisitionOf(one, "e".repeat(64)).collection, acquisitionOf(two, "e".repeat(64)).collection);
});
