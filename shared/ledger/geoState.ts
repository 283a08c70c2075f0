/**
 * Replay of the where-and-when events (geoEvents.ts) into the case state: reference imagery by
 * item, geolocation proposals with the proposal that replaced each and their reviews,
 * chronolocations with their revisions, and the exports of them. Pure, like caseState.ts, which
 * calls `applyGeoEvent` for each of these events once its payload has passed its schema.
 *
 * What replay accepts is what the services would have written: an event about an item the case
 * does not hold changes nothing; a revision links to the record it replaces only when that record
 * is of the same item, is named by its seq and hash, and was not already replaced; a review counts
 * only for a proposal that exists, of the same item, by an examiner other than its proposer.
 */
import type { CaseState } from "./caseState.js";
import type { LedgerEvent } from "./events.js";
import type {
  ChronolocationRecorded,
  EventRef,
  GeolocationProposed,
  GeolocationReviewed,
  GeolocationsExported,
  ReferenceMarked,
} from "./geoEvents.js";

interface Recorded<P> {
  ref: EventRef;
  ts: string;
  actor: string;
  payload: P;
}

export type ReferenceRecord = Recorded<ReferenceMarked>;
export type ReviewRecord = Recorded<GeolocationReviewed>;
export type ExportRecord = Recorded<GeolocationsExported>;

export interface GeolocationRecord extends Recorded<GeolocationProposed> {
  /** The proposal that revised this one; only a proposal with none is current. */
  replacedBy: EventRef | null;
  reviews: ReviewRecord[];
}

export interface ChronolocationRecord extends Recorded<ChronolocationRecorded> {
  replacedBy: EventRef | null;
}

export interface GeoState {
  /** The latest `reference.marked` of each item, by the item's SHA-256. */
  references: Map<string, ReferenceRecord>;
  /** Every geolocation proposal, in ledger order. */
  geolocations: GeolocationRecord[];
  /** Every chronolocation, in ledger order. */
  chronolocations: ChronolocationRecord[];
  exports: ExportRecord[];
}

export function emptyGeoState(): GeoState {
  return { references: new Map(), geolocations: [], chronolocations: [], exports: [] };
}

export type GeoEventType =
  | "reference.marked"
  | "geolocation.proposed"
  | "geolocation.reviewed"
  | "chronolocation.recorded"
  | "geolocations.exported";

export function isGeoEventType(type: string): type is GeoEventType {
  return (
    type === "reference.marked" ||
    type === "geolocation.proposed" ||
    type === "geolocation.reviewed" ||
    type === "chronolocation.recorded" ||
    type === "geolocations.exported"
  );
}

const sameRef = (a: EventRef, b: EventRef) => a.seq === b.seq && a.hash === b.hash;

/** The record `ref` names among `records` (and, given `sha256`, only if it is of that item). */
function findRecord<R extends Recorded<{ sha256: string }>>(
  records: R[],
  ref: EventRef,
  sha256?: string,
): R | undefined {
  // Records are in seq order: a binary search keeps replay linear on cases with many revisions.
  let lo = 0;
  let hi = records.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = records[mid]!;
    if (r.ref.seq === ref.seq)
      return sameRef(r.ref, ref) && (sha256 === undefined || r.payload.sha256 === sha256) ? r : undefined;
    if (r.ref.seq < ref.seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** The current geolocation proposal of an item: the latest that no later proposal replaced. */
export function currentGeolocation(geo: GeoState, sha256: string): GeolocationRecord | null {
  for (let i = geo.geolocations.length - 1; i >= 0; i--) {
    const g = geo.geolocations[i]!;
    if (g.payload.sha256 === sha256 && g.replacedBy === null) return g;
  }
  return null;
}

/** The current chronolocation of an item. */
export function currentChronolocation(geo: GeoState, sha256: string): ChronolocationRecord | null {
  for (let i = geo.chronolocations.length - 1; i >= 0; i--) {
    const c = geo.chronolocations[i]!;
    if (c.payload.sha256 === sha256 && c.replacedBy === null) return c;
  }
  return null;
}

/** A geolocation proposal by its seq and hash. */
export function findGeolocation(geo: GeoState, ref: EventRef): GeolocationRecord | undefined {
  return findRecord(geo.geolocations, ref);
}

/** Applies one geo event whose payload already passed its schema. */
export function applyGeoEvent(state: CaseState, event: LedgerEvent, type: GeoEventType, payload: unknown): void {
  const geo = state.geo;
  const base = { ref: { seq: event.seq, hash: event.hash }, ts: event.ts, actor: event.actor };
  if (type === "geolocations.exported") {
    const p = payload as GeolocationsExported;
    geo.exports.push({ ...base, payload: p });
    // The export is in the custody timeline of every item it wrote.
    const items = new Set<string>();
    for (const ref of p.geolocations) {
      const g = findGeolocation(geo, ref);
      if (g) items.add(g.payload.sha256);
    }
    for (const sha of items) state.items.get(sha)?.eventSeqs.push(event.seq);
    return;
  }
  const sha256 = (payload as { sha256: string }).sha256;
  const item = state.items.get(sha256);
  if (!item) return;
  switch (type) {
    case "reference.marked":
      geo.references.set(sha256, { ...base, payload: payload as ReferenceMarked });
      break;
    case "geolocation.proposed": {
      const p = payload as GeolocationProposed;
      if (p.replaces) {
        const old = findRecord(geo.geolocations, p.replaces, sha256);
        if (old && old.replacedBy === null) old.replacedBy = base.ref;
      }
      geo.geolocations.push({ ...base, payload: p, replacedBy: null, reviews: [] });
      break;
    }
    case "geolocation.reviewed": {
      const p = payload as GeolocationReviewed;
      const target = findRecord(geo.geolocations, p.geolocation, sha256);
      if (!target || target.actor === event.actor) return;
      target.reviews.push({ ...base, payload: p });
      break;
    }
    case "chronolocation.recorded": {
      const p = payload as ChronolocationRecorded;
      if (p.replaces) {
        const old = findRecord(geo.chronolocations, p.replaces, sha256);
        if (old && old.replacedBy === null) old.replacedBy = base.ref;
      }
      geo.chronolocations.push({ ...base, payload: p, replacedBy: null });
      break;
    }
  }
  item.eventSeqs.push(event.seq);
}
