/**
 * Replay of the where-and-when events into the case state (shared/ledger/geoState.ts): what a
 * well-formed sequence gives, and what replay declines to believe from a ledger someone else
 * wrote (a review by the proposer, a revision of another item's proposal or of one already
 * replaced, events about items the case does not hold). Events are applied as replay applies
 * them; signatures are verify's business and are not part of this.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { applyEvent, emptyCaseState, type CaseState } from "../../shared/ledger/caseState.js";
import type { LedgerEvent } from "../../shared/ledger/events.js";
import { currentChronolocation, currentGeolocation } from "../../shared/ledger/geoState.js";
import { chronolocation, proposal, review, sceneMarked } from "../support/geoLedger.js";

const PHOTO = "a".repeat(64);
const SCENE = "b".repeat(64);
const STRANGER = "c".repeat(64);
const ALICE = `ed25519:${"1".repeat(32)}`;
const BOB = `ed25519:${"2".repeat(32)}`;

function withItems(...shas: string[]): CaseState {
  const state = emptyCaseState();
  for (const sha256 of shas) {
    state.items.set(sha256, {
      sha256,
      size: 1,
      objectPath: `objects/sha256/${sha256.slice(0, 2)}/${sha256.slice(2)}`,
      displayName: sha256.slice(0, 4),
      acquisitions: [],
      metadata: null,
      derivatives: [],
      status: "unverified",
      tags: [],
      notes: [],
      acknowledgements: [],
      eventSeqs: [],
      integrity: null,
      restores: [],
    });
  }
  return state;
}

/** Applies events with consecutive seqs (from 10) and distinct hashes; returns their refs. */
function apply(state: CaseState, events: [string, string, object][]): { seq: number; hash: string }[] {
  return events.map(([actor, type, payload]) => {
    const seq = 10 + state.eventCount;
    const hash = seq.toString(16).padStart(64, "0");
    const event = {
      seq,
      id: `e${seq}`,
      ts: "2026-02-17T10:00:00.000Z",
      actor,
      type,
      payload,
      prev: null,
      hash,
      sig: "",
    };
    applyEvent(state, event as unknown as LedgerEvent);
    return { seq, hash };
  });
}

test("marking, proposing, revising, reviewing and chronolocating build the item's geo state and timeline", () => {
  const state = withItems(PHOTO, SCENE);
  const [marked, first] = apply(state, [
    [ALICE, "reference.marked", sceneMarked(SCENE)],
    [ALICE, "geolocation.proposed", proposal(PHOTO)],
  ]);
  const [revision, rev] = apply(state, [
    [ALICE, "geolocation.proposed", proposal(PHOTO, { replaces: first!, confidence: "verified" })],
    [BOB, "geolocation.reviewed", review(PHOTO, { seq: 12, hash: (12).toString(16).padStart(64, "0") })],
  ]);
  const [c1, c2] = apply(state, [
    [ALICE, "chronolocation.recorded", chronolocation(PHOTO)],
    [
      ALICE,
      "chronolocation.recorded",
      chronolocation(PHOTO, { replaces: { seq: 14, hash: (14).toString(16).padStart(64, "0") } }),
    ],
  ]);
  assert.equal(state.geo.references.get(SCENE)?.ref.seq, marked!.seq);
  assert.deepEqual(
    state.geo.geolocations.map((g) => [g.ref.seq, g.replacedBy?.seq ?? null, g.reviews.length]),
    [
      [first!.seq, revision!.seq, 0],
      [revision!.seq, null, 1],
    ],
  );
  assert.equal(currentGeolocation(state.geo, PHOTO)?.ref.seq, revision!.seq);
  assert.equal(state.geo.geolocations[1]!.reviews[0]!.ref.seq, rev!.seq);
  assert.equal(currentChronolocation(state.geo, PHOTO)?.ref.seq, c2!.seq);
  assert.equal(state.geo.chronolocations[0]!.replacedBy?.seq, c2!.seq);
  assert.deepEqual(state.items.get(PHOTO)!.eventSeqs, [first!.seq, revision!.seq, rev!.seq, c1!.seq, c2!.seq]);
  assert.deepEqual(state.items.get(SCENE)!.eventSeqs, [marked!.seq]);
});

test("replay does not believe a self-review, a revision of another item's or a replaced proposal, or an unknown item", () => {
  const state = withItems(PHOTO, SCENE);
  const [first] = apply(state, [[ALICE, "geolocation.proposed", proposal(PHOTO)]]);
  const [selfReview, wrongHash, foreign, second, again, stranger] = apply(state, [
    [ALICE, "geolocation.reviewed", review(PHOTO, first!)],
    [BOB, "geolocation.reviewed", review(PHOTO, { seq: first!.seq, hash: "f".repeat(64) })],
    [ALICE, "geolocation.proposed", proposal(SCENE, { replaces: first! })],
    [ALICE, "geolocation.proposed", proposal(PHOTO, { replaces: first! })],
    [ALICE, "geolocation.proposed", proposal(PHOTO, { replaces: first! })],
    [ALICE, "geolocation.proposed", proposal(STRANGER)],
  ]);
  const byseq = new Map(state.geo.geolocations.map((g) => [g.ref.seq, g]));
  assert.equal(
    byseq.get(first!.seq)!.reviews.length,
    0,
    "neither the proposer's review nor one naming a wrong hash counts",
  );
  assert.equal(byseq.get(first!.seq)!.replacedBy?.seq, second!.seq, "only a revision of the same item replaces it");
  assert.equal(byseq.get(second!.seq)!.replacedBy, null, "a second revision of a replaced proposal replaces nothing");
  assert.equal(byseq.has(stranger!.seq), false, "an item the case does not hold gets no record");
  assert.ok(byseq.has(foreign!.seq) && byseq.has(again!.seq), "the proposals themselves are kept");
  assert.ok(!state.items.get(PHOTO)!.eventSeqs.includes(selfReview!.seq));
  assert.ok(!state.items.get(PHOTO)!.eventSeqs.includes(wrongHash!.seq));
});

test("an export joins the timeline of every item it wrote, once", () => {
  const state = withItems(PHOTO, SCENE);
  const [a, b] = apply(state, [
    [ALICE, "geolocation.proposed", proposal(PHOTO)],
    [ALICE, "geolocation.proposed", proposal(SCENE)],
  ]);
  const [exported] = apply(state, [
    [
      ALICE,
      "geolocations.exported",
      {
        format: "geojson",
        path: "exports/geolocations.geojson",
        sha256: "e".repeat(64),
        size: 10,
        geolocations: [a!, b!, a!],
        sensitive: "rounded",
        head: b!,
        tool: { name: "Sightline", version: "0" },
      },
    ],
  ]);
  assert.equal(state.geo.exports.length, 1);
  assert.equal(state.items.get(PHOTO)!.eventSeqs.filter((s) => s === exported!.seq).length, 1);
  assert.ok(state.items.get(SCENE)!.eventSeqs.includes(exported!.seq));
});
