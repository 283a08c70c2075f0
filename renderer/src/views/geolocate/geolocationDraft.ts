/**
 * The geolocation form's working state, how it starts (from the item's metadata, or from the
 * proposal it revises), and what it sends: the claims stay apart from the finding.
 */
import type { GeolocationInfo } from "../../../../shared/api/geoContract.js";
import type { ItemDetail } from "../../../../shared/api/contract.js";
import { isoInstant } from "../../../../shared/api/geoContract.js";
import {
  PRECISION_RADIUS_M,
  type Claim,
  type Clue,
  type ConfidenceLevel,
  type EventRef,
  type FramePoint,
  type LatLonValue,
  type LayerRef,
  type PrecisionClass,
} from "../../../../shared/ledger/geoEvents.js";
import { checkText, claimFieldId, clueFieldId, eliminatedFieldId, FIELD_IDS, type FieldProblem } from "./formChecks.js";

export interface ClueDraft {
  id: string;
  what: string;
  frame: FramePoint | null;
  map: LatLonValue | null;
  layer: LayerRef | null;
}

export interface EliminatedDraft {
  id: string;
  place: string;
  why: string;
  location: LatLonValue | null;
}

export interface GeolocationDraft {
  claims: Claim[];
  outcome: "located" | "cannot-geolocate";
  shape: "point" | "area";
  point: LatLonValue | null;
  ring: LatLonValue[];
  precision: PrecisionClass;
  radiusM: number;
  confidence: ConfidenceLevel | null;
  cannotReason: string;
  clues: ClueDraft[];
  eliminated: EliminatedDraft[];
  method: string;
  sensitive: boolean;
}

let counter = 0;
export const draftId = () => `d${++counter}`;

/** What the file's own metadata claims about where and when: the first claims, source "metadata". */
export function metadataClaims(item: ItemDetail): Claim[] {
  const m = item.metadata?.metadata;
  if (!m?.gps && !m?.capturedAt) return [];
  const time = m.capturedAt && isoInstant.safeParse(m.capturedAt).success ? m.capturedAt : null;
  const parts = [
    m.gps ? "GPS position in the file" : null,
    m.capturedAt ? `capture time ${m.capturedAt}${m.capturedAtSource ? ` (${m.capturedAtSource})` : ""}` : null,
    m.capturedAt && !time ? "no time zone in the file, so the instant is not known" : null,
  ];
  return [
    {
      source: "metadata",
      location: m.gps ? { lat: m.gps.lat, lon: m.gps.lon } : null,
      placeName: null,
      time,
      detail: parts.filter(Boolean).join("; ").slice(0, 2000),
    },
  ];
}

export function emptyDraft(item: ItemDetail): GeolocationDraft {
  return {
    claims: metadataClaims(item),
    outcome: "located",
    shape: "point",
    point: null,
    ring: [],
    precision: "vicinity",
    radiusM: PRECISION_RADIUS_M.vicinity,
    confidence: null,
    cannotReason: "",
    clues: [],
    eliminated: [],
    method: "",
    sensitive: false,
  };
}

/** A draft that starts where a proposal left off, to revise it. */
export function draftFromProposal(info: GeolocationInfo): GeolocationDraft {
  const p = info.payload;
  return {
    claims: p.claims,
    outcome: p.outcome,
    shape: p.place?.shape ?? "point",
    point: p.place?.shape === "point" ? { lat: p.place.lat, lon: p.place.lon } : null,
    ring: p.place?.shape === "area" ? p.place.ring : [],
    precision: p.precision?.class ?? "vicinity",
    radiusM: p.precision?.radiusM ?? PRECISION_RADIUS_M.vicinity,
    confidence: p.confidence,
    cannotReason: p.cannotReason ?? "",
    clues: p.clues.map((c) => ({ ...c, id: draftId() })),
    eliminated: p.eliminated.map((e) => ({ ...e, id: draftId() })),
    method: p.method,
    sensitive: p.sensitive,
  };
}

/** The largest radius a place may be stated with (the ledger's limit): 1,000 km. */
export const MAX_RADIUS_M = 1_000_000;

/** What the claims say that the ledger would refuse: a time not in ISO 8601 with its offset. */
export function checkClaims(claims: Claim[], formId: string): FieldProblem[] {
  return claims.flatMap((c, i) => [
    ...(c.time !== null && !isoInstant.safeParse(c.time).success
      ? [
          {
            field: claimFieldId(formId, i, "time"),
            reason: `Claim ${i + 1}'s time is not ISO 8601 with its offset (Z or +01:00).`,
          },
        ]
      : []),
    ...checkText(claimFieldId(formId, i, "detail"), `Claim ${i + 1}'s words`, c.detail, 2000),
    ...checkText(claimFieldId(formId, i, "placeName"), `Claim ${i + 1}'s place`, c.placeName ?? "", 500),
  ]);
}

/**
 * Everything the draft lacks or has wrong, each with the control it concerns, in the order of the
 * form: the claims, the place, its precision and confidence (or why it cannot be geolocated), the
 * clues, the places eliminated, the method.
 */
export function checkGeolocationDraft(d: GeolocationDraft): FieldProblem[] {
  const located = d.outcome === "located";
  const problems: FieldProblem[] = checkClaims(d.claims, "geo");
  if (located) {
    if (d.shape === "point" && !d.point)
      problems.push({ field: FIELD_IDS.place, reason: "Pick the place on the map or type its coordinates." });
    if (d.shape === "area" && d.ring.length < 3)
      problems.push({ field: FIELD_IDS.area, reason: "Draw the area with at least three corners." });
    if (!d.confidence) problems.push({ field: FIELD_IDS.confidence, reason: "Say how sure you are (confidence)." });
    if (d.precision === "radius" && !(Number.isFinite(d.radiusM) && d.radiusM > 0))
      problems.push({ field: FIELD_IDS.radius, reason: "State the radius as a positive number of metres." });
    else if (d.precision === "radius" && d.radiusM > MAX_RADIUS_M)
      problems.push({
        field: FIELD_IDS.radius,
        reason: "The radius is over 1,000 km (1,000,000 m): a place that vague is better recorded as not geolocated.",
      });
  } else {
    problems.push(
      ...checkText(
        FIELD_IDS.cannotReason,
        "The reason",
        d.cannotReason,
        4000,
        "Say why the item cannot be geolocated.",
      ),
    );
  }
  for (const [i, c] of d.clues.entries()) {
    const n = i + 1;
    problems.push(
      ...checkText(clueFieldId(c.id, "what"), `Clue ${n}'s name`, c.what, 200, `Clue ${n}: say what it is.`),
    );
    if (!c.frame) problems.push({ field: clueFieldId(c.id, "frame"), reason: `Clue ${n}: mark it on the frame.` });
    if (!c.map || !c.layer)
      problems.push({ field: clueFieldId(c.id, "map"), reason: `Clue ${n}: mark it on the map.` });
  }
  for (const [i, e] of d.eliminated.entries()) {
    const n = `Eliminated place ${i + 1}`;
    problems.push(
      ...checkText(eliminatedFieldId(e.id, "place"), `${n}'s name`, e.place, 500, `${n}: name it.`),
      ...checkText(eliminatedFieldId(e.id, "why"), `${n}'s reason`, e.why, 2000, `${n}: say why it was eliminated.`),
    );
  }
  problems.push(...checkText(FIELD_IDS.method, "The method", d.method, 20_000));
  return problems;
}

/** The proposal to send, or the first thing missing from it, in a line. */
export function proposalFromDraft(
  d: GeolocationDraft,
  replaces: EventRef | null,
): { ok: true; value: ProposalBody } | { ok: false; reason: string } {
  const located = d.outcome === "located";
  const [problem] = checkGeolocationDraft(d);
  if (problem) return { ok: false, reason: problem.reason };
  const clues: Clue[] = d.clues.map((c) => ({ what: c.what, frame: c.frame!, map: c.map!, layer: c.layer! }));
  return {
    ok: true,
    value: {
      replaces,
      claims: d.claims,
      outcome: d.outcome,
      place: !located
        ? null
        : d.shape === "point"
          ? { shape: "point", lat: d.point!.lat, lon: d.point!.lon }
          : { shape: "area", ring: d.ring },
      precision: located
        ? { class: d.precision, radiusM: d.precision === "radius" ? d.radiusM : PRECISION_RADIUS_M[d.precision] }
        : null,
      confidence: located ? d.confidence : null,
      cannotReason: located ? null : d.cannotReason,
      clues,
      eliminated: d.eliminated.map(({ place, why, location }) => ({ place, why, location })),
      method: d.method,
      sensitive: d.sensitive,
    },
  };
}

export interface ProposalBody {
  replaces: EventRef | null;
  claims: Claim[];
  outcome: "located" | "cannot-geolocate";
  place: { shape: "point"; lat: number; lon: number } | { shape: "area"; ring: LatLonValue[] } | null;
  precision: { class: PrecisionClass; radiusM: number } | null;
  confidence: ConfidenceLevel | null;
  cannotReason: string | null;
  clues: Clue[];
  eliminated: { place: string; why: string; location: LatLonValue | null }[];
  method: string;
  sensitive: boolean;
}
