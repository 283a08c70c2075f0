/**
 * verify's rules across the where-and-when events (shared/ledger/geoVerify.ts), on ledgers built
 * in memory with real Ed25519 keys: each rule broken once, reported with its code and line, and a
 * ledger holding every new event type, properly linked, clean.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { nodeLedgerCrypto } from "../../electron/services/ledger/nodeLedgerCrypto.js";
import type { LedgerEvent } from "../../shared/ledger/events.js";
import { verifyLedgerText } from "../../shared/ledger/ledgerVerify.js";
import { chronolocation, proposal, review, sceneMarked, snapshotDerivative } from "../support/geoLedger.js";
import { buildLedger, ledgerText, makeKey, step, type MemoryKey } from "../support/memoryLedger.js";

const PHOTO = "a".repeat(64);
const SCENE = "b".repeat(64);
const OTHER = "c".repeat(64);
const SNAP = "d".repeat(64);

const owner = makeKey("A. Analyst");
const second = makeKey("B. Reviewer");

function imported(sha256: string, name: string) {
  return {
    sha256,
    size: 10,
    objectPath: `objects/sha256/${sha256.slice(0, 2)}/${sha256.slice(2)}`,
    isNewObject: true,
    source: {
      originalName: name,
      path: `/media/${name}`,
      relativePath: null,
      fileTimes: { modified: "2026-02-16T09:00:00Z", changed: null, accessed: null, born: null },
    },
    acquisition: { acquiredAt: "2026-02-16T09:00:00Z", host: "h", user: "u", platform: "linux" },
    collection: {
      sourceUrl: null,
      sourceAccount: null,
      collectedAt: null,
      collectedBy: { name: "A. Analyst", keyId: owner.examiner.keyId },
      tool: { name: "sightline", version: "0" },
      method: null,
      note: null,
      missing: ["source", "collectedAt", "method"],
    },
  };
}

const ref = (e: LedgerEvent) => ({ seq: e.seq, hash: e.hash });
type Make = (prev: LedgerEvent, all: LedgerEvent[]) => LedgerEvent;

/** A case with a photo, a scene and another item imported, two examiners, then `extra`. */
function ledger(extra: Make[]): LedgerEvent[] {
  const events = buildLedger(owner, [
    (p) => step(p, owner, "examiner.added", { examiner: second.examiner }),
    (p) => step(p, owner, "item.imported", imported(PHOTO, "fire.jpg")),
    (p) => step(p, owner, "item.imported", imported(SCENE, "scene.tif")),
    (p) => step(p, owner, "item.imported", imported(OTHER, "other.jpg")),
  ]);
  for (const make of extra) events.push(make(events.at(-1)!, events));
  return events;
}

const by = (key: MemoryKey, type: string, payload: (all: LedgerEvent[]) => object): Make => {
  return (prev, all) => step(prev, key, type, payload(all));
};
const ofType = (all: LedgerEvent[], type: string, nth = 0) => all.filter((e) => e.type === type)[nth]!;

function problems(events: LedgerEvent[]): [string, number | undefined][] {
  return verifyLedgerText(ledgerText(events), nodeLedgerCrypto).problems.map((p) => [p.code, p.line]);
}

test("every new event type, properly linked, verifies clean", () => {
  const events = ledger([
    by(owner, "reference.marked", () => sceneMarked(SCENE)),
    by(owner, "derivative.created", () => snapshotDerivative(PHOTO, SNAP, 1234)),
    by(owner, "geolocation.proposed", () =>
      proposal(PHOTO, { snapshot: { path: `derived/${PHOTO}/map-1.png`, sha256: SNAP } }),
    ),
    by(second, "geolocation.reviewed", (all) => review(PHOTO, ref(ofType(all, "geolocation.proposed")))),
    by(owner, "geolocation.proposed", (all) =>
      proposal(PHOTO, { replaces: ref(ofType(all, "geolocation.proposed")), confidence: "verified" }),
    ),
    by(owner, "chronolocation.recorded", () => chronolocation(PHOTO)),
    by(second, "chronolocation.recorded", (all) =>
      chronolocation(PHOTO, { replaces: ref(ofType(all, "chronolocation.recorded")) }),
    ),
    by(owner, "geolocations.exported", (all) => ({
      format: "geojson",
      path: "exports/c1-geolocations-20260216T120000Z.geojson",
      sha256: "e".repeat(64),
      size: 321,
      geolocations: [ref(ofType(all, "geolocation.proposed", 1))],
      sensitive: "rounded",
      head: ref(all.at(-1)!),
      tool: { name: "sightline", version: "0" },
    })),
  ]);
  const check = verifyLedgerText(ledgerText(events), nodeLedgerCrypto);
  assert.deepEqual(check.problems, []);
  assert.deepEqual(
    check.exports.map((e) => [e.path, e.line]),
    [["exports/c1-geolocations-20260216T120000Z.geojson", events.length]],
  );
});

test("a review signed by the examiner who signed the proposal is a self-review", () => {
  const events = ledger([
    by(owner, "geolocation.proposed", () => proposal(PHOTO)),
    by(owner, "geolocation.reviewed", (all) => review(PHOTO, ref(ofType(all, "geolocation.proposed")))),
  ]);
  assert.deepEqual(problems(events), [["geolocation-self-review", events.length]]);
  const message = verifyLedgerText(ledgerText(events), nodeLedgerCrypto).problems[0]!.message;
  assert.match(message, /A\. Analyst's review of their own geolocation/);
});

test("reviews, revisions and exports must name an earlier event of the right type for the same item", () => {
  const events = ledger([
    by(owner, "geolocation.proposed", () => proposal(PHOTO)),
    by(owner, "chronolocation.recorded", () => chronolocation(PHOTO)),
    // Another item's proposal named as the one this revises.
    by(owner, "geolocation.proposed", (all) => proposal(OTHER, { replaces: ref(ofType(all, "geolocation.proposed")) })),
    // A chronolocation named as a geolocation.
    by(second, "geolocation.reviewed", (all) => review(PHOTO, ref(ofType(all, "chronolocation.recorded")))),
    // The right hash with the wrong seq.
    by(second, "geolocation.reviewed", (all) => {
      const p = ofType(all, "geolocation.proposed");
      return review(PHOTO, { seq: p.seq + 1, hash: p.hash });
    }),
    // A later event cannot be named: its own hash does not exist yet; a made-up one does not exist at all.
    by(owner, "chronolocation.recorded", () => chronolocation(PHOTO, { replaces: { seq: 1, hash: "0".repeat(64) } })),
    by(owner, "geolocations.exported", (all) => ({
      format: "csv",
      path: "exports/x.csv",
      sha256: "e".repeat(64),
      size: 1,
      geolocations: [ref(ofType(all, "chronolocation.recorded"))],
      sensitive: "omitted",
      head: ref(all.at(-1)!),
      tool: { name: "sightline", version: "0" },
    })),
  ]);
  const n = events.length;
  assert.deepEqual(problems(events), [
    ["geo-reference-broken", n - 4],
    ["geo-reference-broken", n - 3],
    ["geo-reference-broken", n - 2],
    ["geo-reference-broken", n - 1],
    ["geo-reference-broken", n],
  ]);
});

test("a snapshot no earlier map-snapshot derivative recorded, and an item never imported, are reported", () => {
  const never = "f".repeat(64);
  const events = ledger([
    // A thumbnail is not a map snapshot, though the path and hash match.
    by(owner, "derivative.created", () => ({ ...snapshotDerivative(PHOTO, SNAP, 10, "thumb.jpg"), role: "thumbnail" })),
    by(owner, "geolocation.proposed", () =>
      proposal(PHOTO, { snapshot: { path: `derived/${PHOTO}/thumb.jpg`, sha256: SNAP } }),
    ),
    by(owner, "derivative.created", () => snapshotDerivative(PHOTO, SNAP, 10)),
    // The right file with another hash.
    by(owner, "geolocation.proposed", () =>
      proposal(PHOTO, { snapshot: { path: `derived/${PHOTO}/map-1.png`, sha256: "0".repeat(64) } }),
    ),
    // Another item's snapshot.
    by(owner, "geolocation.proposed", () =>
      proposal(OTHER, { snapshot: { path: `derived/${PHOTO}/map-1.png`, sha256: SNAP } }),
    ),
    by(owner, "reference.marked", () => sceneMarked(never)),
    by(owner, "chronolocation.recorded", () => chronolocation(never)),
  ]);
  const n = events.length;
  assert.deepEqual(problems(events), [
    ["geo-snapshot-unknown", n - 5],
    ["geo-snapshot-unknown", n - 3],
    ["geo-snapshot-unknown", n - 2],
    ["geo-item-unknown", n - 1],
    ["geo-item-unknown", n],
  ]);
});

test("the located and cannot-geolocate rules are payload rules", () => {
  const events = ledger([
    by(owner, "geolocation.proposed", () => proposal(PHOTO, { confidence: null })),
    by(owner, "geolocation.proposed", () => proposal(PHOTO, { outcome: "cannot-geolocate", cannotReason: "dark" })),
    by(owner, "geolocation.proposed", () =>
      proposal(PHOTO, {
        outcome: "cannot-geolocate",
        place: null,
        precision: null,
        confidence: null,
        cannotReason: " ",
      }),
    ),
  ]);
  const n = events.length;
  assert.deepEqual(problems(events), [
    ["payload-invalid", n - 2],
    ["payload-invalid", n - 1],
    ["payload-invalid", n],
  ]);
});

test("clues and shadows: frames on the item or its derivatives, layers on imagery marked as such, one revision each", () => {
  const keyframe = `derived/${PHOTO}/map-1.png`;
  const otherFrame = `derived/${OTHER}/map-1.png`;
  const sceneLayer = { kind: "scene", sha256: SCENE, provider: "S2", sceneId: null, date: null, template: null };
  const clue = (image: string, layer: object) => ({
    what: "ridge",
    frame: { image, x: 1, y: 2, timestampS: null },
    map: { lat: 18.4, lon: 1.4 },
    layer,
  });
  const withClues = (clues: object[]) => proposal(PHOTO, { clues: clues as never });
  const events = ledger([
    by(owner, "derivative.created", () => snapshotDerivative(PHOTO, SNAP, 10)),
    by(owner, "derivative.created", () => snapshotDerivative(OTHER, SNAP, 10)),
    by(owner, "reference.marked", () => sceneMarked(SCENE)),
    // Clean: a keyframe of the item, a marked scene.
    by(owner, "geolocation.proposed", () => withClues([clue(keyframe, sceneLayer)])),
    // Another item's derivative.
    by(owner, "geolocation.proposed", () => withClues([clue(otherFrame, sceneLayer)])),
    // A scene layer naming an item never marked, a basemap layer naming a scene, tiles with an item hash.
    by(owner, "geolocation.proposed", () => withClues([clue("original", { ...sceneLayer, sha256: OTHER })])),
    by(owner, "geolocation.proposed", () => withClues([clue("original", { ...sceneLayer, kind: "basemap" })])),
    by(owner, "geolocation.proposed", () => withClues([clue("original", { ...sceneLayer, kind: "tiles" })])),
    // Two revisions of one proposal: the second forks the record.
    by(owner, "geolocation.proposed", (all) => proposal(PHOTO, { replaces: ref(ofType(all, "geolocation.proposed")) })),
    by(owner, "geolocation.proposed", (all) => proposal(PHOTO, { replaces: ref(ofType(all, "geolocation.proposed")) })),
    by(owner, "chronolocation.recorded", () => chronolocation(PHOTO)),
    by(owner, "chronolocation.recorded", (all) =>
      chronolocation(PHOTO, { replaces: ref(ofType(all, "chronolocation.recorded")) }),
    ),
    by(owner, "chronolocation.recorded", (all) =>
      chronolocation(PHOTO, { replaces: ref(ofType(all, "chronolocation.recorded")) }),
    ),
    by(owner, "chronolocation.recorded", () => {
      const c = chronolocation(PHOTO);
      return { ...c, shadows: [{ ...c.shadows[0]!, frame: { image: otherFrame, timestampS: null } }] };
    }),
  ]);
  const n = events.length;
  assert.deepEqual(problems(events), [
    ["geo-reference-broken", n - 9],
    ["geo-reference-broken", n - 8],
    ["geo-reference-broken", n - 7],
    ["geo-reference-broken", n - 6],
    ["geo-reference-broken", n - 4],
    ["geo-reference-broken", n - 1],
    ["geo-reference-broken", n],
  ]);
});
