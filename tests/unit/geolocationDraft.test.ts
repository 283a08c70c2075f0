import assert from "node:assert/strict";
import { test } from "node:test";
import type { ItemDetail } from "../../shared/api/contract.js";
import type { GeolocationInfo } from "../../shared/api/geoContract.js";
import {
  ClaimSchema,
  GeolocationProposedPayload,
  PRECISION_RADIUS_M,
  type GeolocationProposed,
} from "../../shared/ledger/geoEvents.js";
import {
  draftFromProposal,
  emptyDraft,
  metadataClaims,
  proposalFromDraft,
  type GeolocationDraft,
  type ProposalBody,
} from "../../renderer/src/views/geolocate/geolocationDraft.js";

const SHA = "a".repeat(64);
const REF = { seq: 12, hash: "b".repeat(64) };
const KIDAL = { lat: 18.44, lon: 1.41 };

/** An item with only the metadata these functions read. */
function item(metadata: { capturedAt?: string | null; capturedAtSource?: string | null; gps?: unknown } | null) {
  return {
    metadata:
      metadata === null
        ? null
        : {
            seq: 3,
            metadata: { capturedAt: null, capturedAtSource: null, gps: null, ...metadata },
          },
  } as unknown as ItemDetail;
}

const bare = item(null);

function draft(over: Partial<GeolocationDraft>): GeolocationDraft {
  return { ...emptyDraft(bare), ...over };
}

function ok(result: ReturnType<typeof proposalFromDraft>): ProposalBody {
  assert.equal(result.ok, true, result.ok ? "" : result.reason);
  return (result as { ok: true; value: ProposalBody }).value;
}

function reason(result: ReturnType<typeof proposalFromDraft>): string {
  assert.equal(result.ok, false, "the draft should be refused");
  return (result as { ok: false; reason: string }).reason;
}

/** What the ledger would receive: the body plus the item hash and snapshot the caller adds. */
function payload(body: ProposalBody): GeolocationProposed {
  const parsed = GeolocationProposedPayload.safeParse({ sha256: SHA, snapshot: null, ...body });
  assert.ok(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues));
  return parsed.data;
}

const clue = {
  id: "c1",
  what: "minaret",
  frame: { image: "original" as const, x: 120, y: 340, timestampS: null },
  map: { lat: 18.441, lon: 1.409 },
  layer: { kind: "tiles" as const, sha256: null, provider: "OpenStreetMap", sceneId: null, date: null, template: null },
};

test("metadataClaims: nothing in the file, nothing claimed", () => {
  assert.deepEqual(metadataClaims(bare), []);
  assert.deepEqual(metadataClaims(item({})), []);
});

test("metadataClaims keeps the file's GPS and a zoned capture time as the metadata's claim", () => {
  const claims = metadataClaims(
    item({
      gps: { lat: 18.44, lon: 1.41, altitude: 460 },
      capturedAt: "2026-02-16T09:12:44+01:00",
      capturedAtSource: "EXIF:DateTimeOriginal+OffsetTimeOriginal",
    }),
  );
  assert.equal(claims.length, 1);
  const c = claims[0]!;
  assert.equal(c.source, "metadata");
  assert.deepEqual(c.location, { lat: 18.44, lon: 1.41 }, "altitude is not part of a claim's location");
  assert.equal(c.time, "2026-02-16T09:12:44+01:00");
  assert.equal(c.placeName, null);
  assert.match(c.detail, /GPS position in the file/);
  assert.match(c.detail, /capture time 2026-02-16T09:12:44\+01:00 \(EXIF:DateTimeOriginal\+OffsetTimeOriginal\)/);
  assert.doesNotMatch(c.detail, /no time zone/);
  assert.ok(ClaimSchema.safeParse(c).success);
});

test("metadataClaims does not turn a zoneless capture time into an instant", () => {
  const [c] = metadataClaims(item({ capturedAt: "2026-02-16T09:12:44" }));
  assert.ok(c);
  assert.equal(c.time, null);
  assert.equal(c.location, null);
  assert.match(c.detail, /capture time 2026-02-16T09:12:44/);
  assert.match(c.detail, /no time zone in the file/);
  assert.doesNotMatch(c.detail, /GPS/);
  assert.ok(ClaimSchema.safeParse(c).success);
});

test("metadataClaims bounds the detail to what a claim may hold", () => {
  const [c] = metadataClaims(item({ capturedAt: "2026-02-16T09:12:44", capturedAtSource: "x".repeat(5000) }));
  assert.ok(c);
  assert.equal(c.detail.length, 2000);
  assert.ok(ClaimSchema.safeParse(c).success);
});

test("emptyDraft starts located, at vicinity precision, with no confidence and the metadata claims", () => {
  const d = emptyDraft(item({ gps: { lat: 1, lon: 2, altitude: null } }));
  assert.equal(d.outcome, "located");
  assert.equal(d.precision, "vicinity");
  assert.equal(d.radiusM, PRECISION_RADIUS_M.vicinity);
  assert.equal(d.confidence, null);
  assert.equal(d.claims.length, 1);
  // An untouched draft is not sendable: the place is missing.
  assert.match(reason(proposalFromDraft(d, null)), /Pick the place/);
});

test("a located point becomes a valid proposal, with the precision class's own radius", () => {
  for (const cls of ["exact", "vicinity", "locality"] as const) {
    const body = ok(
      proposalFromDraft(
        draft({ point: KIDAL, precision: cls, radiusM: 12345, confidence: "strong-possibility", cannotReason: "x" }),
        null,
      ),
    );
    assert.deepEqual(body.place, { shape: "point", lat: 18.44, lon: 1.41 });
    assert.deepEqual(body.precision, { class: cls, radiusM: PRECISION_RADIUS_M[cls] }, "stale radius is dropped");
    assert.equal(body.confidence, "strong-possibility");
    assert.equal(body.cannotReason, null, "a located proposal carries no reason it cannot be located");
    payload(body);
  }
});

test("a stated radius is kept, and must be a positive number", () => {
  const body = ok(
    proposalFromDraft(draft({ point: KIDAL, precision: "radius", radiusM: 250, confidence: "possible" }), REF),
  );
  assert.deepEqual(body.precision, { class: "radius", radiusM: 250 });
  assert.deepEqual(body.replaces, REF);
  payload(body);
  for (const radiusM of [0, -5, Number.NaN]) {
    const r = reason(
      proposalFromDraft(draft({ point: KIDAL, precision: "radius", radiusM, confidence: "possible" }), null),
    );
    assert.match(r, /radius/, `radius ${radiusM}`);
  }
});

test("a located area needs three corners", () => {
  const ring = [
    { lat: 18.44, lon: 1.41 },
    { lat: 18.45, lon: 1.41 },
    { lat: 18.45, lon: 1.42 },
  ];
  assert.match(
    reason(proposalFromDraft(draft({ shape: "area", ring: ring.slice(0, 2), confidence: "possible" }), null)),
    /three corners/,
  );
  const body = ok(proposalFromDraft(draft({ shape: "area", ring, point: KIDAL, confidence: "possible" }), null));
  assert.deepEqual(body.place, { shape: "area", ring }, "the area, not a leftover point");
  payload(body);
});

test("a located draft needs a confidence", () => {
  assert.match(reason(proposalFromDraft(draft({ point: KIDAL }), null)), /confidence/);
});

test("cannot-geolocate needs a reason and sends no place, precision or confidence", () => {
  const base = { outcome: "cannot-geolocate" as const, point: KIDAL, confidence: "verified" as const };
  assert.match(reason(proposalFromDraft(draft({ ...base, cannotReason: "" }), null)), /why/);
  assert.match(reason(proposalFromDraft(draft({ ...base, cannotReason: " \n\t " }), null)), /why/);
  const body = ok(proposalFromDraft(draft({ ...base, cannotReason: "Only sky and sand in frame." }), null));
  assert.equal(body.place, null);
  assert.equal(body.precision, null);
  assert.equal(body.confidence, null);
  assert.equal(body.cannotReason, "Only sky and sand in frame.");
  payload(body);
  // Without a place it still goes, since there is nothing to locate.
  ok(proposalFromDraft(draft({ outcome: "cannot-geolocate", cannotReason: "No features." }), null));
});

test("clues must be named and marked on the frame and the map; the draft id is not sent", () => {
  const located = { point: KIDAL, confidence: "possible" as const };
  assert.match(reason(proposalFromDraft(draft({ ...located, clues: [{ ...clue, what: "  " }] }), null)), /Clue 1: say/);
  assert.match(
    reason(proposalFromDraft(draft({ ...located, clues: [clue, { ...clue, frame: null }] }), null)),
    /Clue 2: mark it on the frame/,
  );
  assert.match(reason(proposalFromDraft(draft({ ...located, clues: [{ ...clue, map: null }] }), null)), /on the map/);
  assert.match(reason(proposalFromDraft(draft({ ...located, clues: [{ ...clue, layer: null }] }), null)), /on the map/);
  const body = ok(proposalFromDraft(draft({ ...located, clues: [clue] }), null));
  const { id: _id, ...sent } = clue;
  assert.deepEqual(body.clues, [sent]);
  payload(body);
});

test("eliminated places need a name and a reason; the draft id is not sent", () => {
  const located = { point: KIDAL, confidence: "possible" as const };
  const e = { id: "e1", place: "Aguelhok", why: "No wadi to the east.", location: { lat: 19.46, lon: 0.86 } };
  assert.match(
    reason(proposalFromDraft(draft({ ...located, eliminated: [{ ...e, why: " " }] }), null)),
    /Eliminated place 1/,
  );
  assert.match(
    reason(proposalFromDraft(draft({ ...located, eliminated: [e, { ...e, place: "" }] }), null)),
    /Eliminated place 2/,
  );
  const body = ok(proposalFromDraft(draft({ ...located, eliminated: [e, { ...e, id: "e2", location: null }] }), null));
  assert.deepEqual(body.eliminated, [
    { place: "Aguelhok", why: "No wadi to the east.", location: { lat: 19.46, lon: 0.86 } },
    { place: "Aguelhok", why: "No wadi to the east.", location: null },
  ]);
  payload(body);
});

test("the first missing thing is reported: place before confidence before clues", () => {
  const d = draft({ clues: [{ ...clue, what: "" }] });
  assert.match(reason(proposalFromDraft(d, null)), /Pick the place/);
  assert.match(reason(proposalFromDraft({ ...d, point: KIDAL }, null)), /confidence/);
  assert.match(reason(proposalFromDraft({ ...d, point: KIDAL, confidence: "possible" }, null)), /Clue 1/);
});

test("a proposal revised through a draft comes back unchanged", () => {
  const claims = metadataClaims(
    item({ gps: { lat: 18.44, lon: 1.41, altitude: null }, capturedAt: "2026-02-16T09:12:44Z" }),
  );
  const proposals: GeolocationProposed[] = [
    payload(
      ok(
        proposalFromDraft(
          draft({
            claims,
            point: KIDAL,
            precision: "radius",
            radiusM: 750,
            confidence: "verified",
            clues: [clue],
            eliminated: [{ id: "e", place: "Tessalit", why: "Hills do not match.", location: null }],
            method: "Matched the minaret and the wadi bend.",
            sensitive: true,
          }),
          REF,
        ),
      ),
    ),
    payload(
      ok(
        proposalFromDraft(
          draft({
            shape: "area",
            ring: [KIDAL, { lat: 18.45, lon: 1.41 }, { lat: 18.45, lon: 1.42 }],
            precision: "locality",
            confidence: "possible",
          }),
          null,
        ),
      ),
    ),
    payload(ok(proposalFromDraft(draft({ outcome: "cannot-geolocate", cannotReason: "Interior shot." }), null))),
  ];
  for (const p of proposals) {
    const info = { payload: p } as GeolocationInfo;
    const d = draftFromProposal(info);
    for (const x of [...d.clues, ...d.eliminated]) assert.match(x.id, /^d\d+$/);
    const again = payload(ok(proposalFromDraft(d, p.replaces)));
    assert.deepEqual(again, p);
  }
});

test("draftFromProposal of a cannot-geolocate proposal falls back to a point at vicinity precision", () => {
  const p = payload(
    ok(proposalFromDraft(draft({ outcome: "cannot-geolocate", cannotReason: "Interior shot." }), null)),
  );
  const d = draftFromProposal({ payload: p } as GeolocationInfo);
  assert.equal(d.shape, "point");
  assert.equal(d.point, null);
  assert.deepEqual(d.ring, []);
  assert.equal(d.precision, "vicinity");
  assert.equal(d.radiusM, PRECISION_RADIUS_M.vicinity);
  assert.equal(d.cannotReason, "Interior shot.");
});
