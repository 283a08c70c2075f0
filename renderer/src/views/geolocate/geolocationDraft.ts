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

/** The proposal to send, or the first thing missing from it, in a line. */
export function proposalFromDraft(
  d: GeolocationDraft,
  replaces: EventRef | null,
): { ok: true; value: ProposalBody } | { ok: false; reason: string } {
  const located = d.outcome === "located";
  if (located && d.shape === "point" && !d.point)
    return { ok: false, reason: "Pick the place on the map or type its coordinates." };
  if (located && d.shape === "area" && d.ring.length < 3)
    return { ok: false, reason: "Draw the area with at least three corners." };
  if (located && !d.confidence) return { ok: false, reason: "Say how sure you are (confidence)." };
  if (located && d.precision === "radius" && !(d.radiusM > 0))
    return { ok: false, reason: "State the radius in metres." };
  if (!located && !d.cannotReason.trim()) return { ok: false, reason: "Say why the item cannot be geolocated." };
  const clues: Clue[] = [];
  for (const [i, c] of d.clues.entries()) {
    if (!c.what.trim()) return { ok: false, reason: `Clue ${i + 1}: say what it is.` };
    if (!c.frame) return { ok: false, reason: `Clue ${i + 1}: mark it on the frame.` };
    if (!c.map || !c.layer) return { ok: false, reason: `Clue ${i + 1}: mark it on the map.` };
    clues.push({ what: c.what, frame: c.frame, map: c.map, layer: c.layer });
  }
  for (const [i, e] of d.eliminated.entries()) {
    if (!e.place.trim() || !e.why.trim())
      return { ok: false, reason: `Eliminated place ${i + 1}: name it and say why.` };
  }
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
