/**
 * Replay: the case's state is what you get by applying its ledger events in
 * order (DESIGN rule 2). Pure; used by the services, the verifier and, later,
 * the renderer's projection.
 */
import type {
  CollectionRecord,
  DerivativeCreated,
  Examiner,
  HashAlgorithm,
  ItemStatus,
  ItemImported,
  LedgerEvent,
  MetadataExtracted,
} from "./events.js";
import { PAYLOAD_SCHEMAS, type PayloadOf } from "./events.js";
import { applyGeoEvent, emptyGeoState, isGeoEventType, type GeoState } from "./geoState.js";
import {
  applyTrainingEvent,
  emptyTrainingState,
  isTrainingEventType,
  type TrainingState,
} from "../training/exerciseState.js";
import { applyVerificationRun, type ItemIntegrity } from "./integrity.js";
import isDeepEqual from "fast-deep-equal";

export interface Acquisition {
  seq: number;
  eventId: string;
  ts: string;
  actor: string;
  isNewObject: boolean;
  source: ItemImported["source"];
  acquisition: ItemImported["acquisition"];
  collection: CollectionRecord;
}

export interface ItemState {
  /** Items are identified by the SHA-256 of their bytes. */
  sha256: string;
  md5?: string;
  sha1?: string;
  size: number;
  objectPath: string;
  /** The name the bytes had when first acquired. */
  displayName: string;
  acquisitions: Acquisition[];
  /** The latest `metadata.extracted` for the item, if any. */
  metadata: (Omit<MetadataExtracted, "sha256"> & { seq: number }) | null;
  /** Derivatives in ledger order; a later event for the same path replaces an earlier one. */
  derivatives: (DerivativeCreated & { seq: number })[];
  status: ItemStatus;
  tags: string[];
  notes: { seq: number; ts: string; actor: string; text: string }[];
  /** Warnings acknowledged (`warning.acknowledged`), oldest first. */
  acknowledgements: { seq: number; ts: string; actor: string; code: string; remark: string }[];
  /** Every event that concerns the item, by seq, oldest first: its custody timeline. */
  eventSeqs: number[];
  /** What the last verification found wrong with the item (integrity.ts); null when it found nothing. */
  integrity: ItemIntegrity | null;
  /** Restores of the vault copy (`original.restored`), oldest first. */
  restores: {
    seq: number;
    ts: string;
    acquisitionSeq: number;
    damagedKind: string;
    setAside: string | null;
    foundBySeq: number | null;
  }[];
}

export interface CaseState {
  caseId: string | null;
  title: string;
  formatVersion: number;
  hashAlgorithms: HashAlgorithm[];
  /** Examiners whose keys the ledger trusts, by key id. */
  examiners: Map<string, Examiner>;
  items: Map<string, ItemState>;
  head: { seq: number; hash: string } | null;
  eventCount: number;
  /** The latest `verification.run`: when the case was last proved intact (or not), and by whom. */
  lastVerification: {
    seq: number;
    ts: string;
    actor: string;
    /** The last event the run checked (events appended while it ran are not among them). */
    verifiedSeq: number;
    isClean: boolean;
    problemCount: number;
  } | null;
  /** Reference imagery, geolocations, chronolocations and their exports (geoState.ts). */
  geo: GeoState;
  /** A trainee's exercise and the samples authored from the case (training/exerciseState.ts). */
  training: TrainingState;
}

export function emptyCaseState(): CaseState {
  return {
    caseId: null,
    title: "",
    formatVersion: 0,
    hashAlgorithms: [],
    examiners: new Map(),
    items: new Map(),
    head: null,
    eventCount: 0,
    lastVerification: null,
    geo: emptyGeoState(),
    training: emptyTrainingState(),
  };
}

/**
 * Applies one event to `state` in place. Events whose payload does not match
 * its schema change nothing but the head; types this version does not know are
 * skipped (a newer version wrote them).
 */
export function applyEvent(state: CaseState, event: LedgerEvent): void {
  state.head = { seq: event.seq, hash: event.hash };
  state.eventCount++;
  const schema = PAYLOAD_SCHEMAS[event.type as keyof typeof PAYLOAD_SCHEMAS];
  if (!schema) return;
  const parsed = schema.safeParse(event.payload);
  if (!parsed.success) return;
  applyParsed(state, event, parsed.data);
}

/**
 * The last acquisition and collection records kept in each state. An import's files share one
 * collection record, and its files read in the same millisecond (`acquiredAt`) and on the same
 * machine an equal acquisition record; each event carries its own copy. Replaying a case of
 * 100,000 photos kept 100,000 equal copies, 37 MB of the collection records alone: an event whose
 * record equals the last one kept shares that object instead. A kept record is frozen, so that code
 * changing one in place (and so every item sharing it) fails at once rather than silently.
 */
const lastKept = new WeakMap<CaseState, { acquisition?: unknown; collection?: unknown }>();

function reuseLast<T>(state: CaseState, kind: "acquisition" | "collection", value: T): T {
  let kept = lastKept.get(state);
  if (!kept) lastKept.set(state, (kept = {}));
  const last = kept[kind];
  if (last !== undefined && isDeepEqual(last, value)) return last as T;
  kept[kind] = deepFreeze(value);
  return value;
}

/** Freezes a record parsed from JSON and everything in it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function applyParsed(state: CaseState, event: LedgerEvent, payload: unknown): void {
  switch (event.type) {
    case "case.created": {
      if (state.caseId !== null) return; // a case is created once; a second genesis changes nothing
      const p = payload as PayloadOf<"case.created">;
      state.caseId = p.caseId;
      state.title = p.title;
      state.formatVersion = p.formatVersion;
      state.hashAlgorithms = p.hashAlgorithms;
      state.examiners.set(p.examiner.keyId, p.examiner);
      return;
    }
    case "examiner.added": {
      const p = payload as PayloadOf<"examiner.added">;
      state.examiners.set(p.examiner.keyId, p.examiner);
      return;
    }
    case "item.imported": {
      const p = payload as PayloadOf<"item.imported">;
      const acquisition: Acquisition = {
        seq: event.seq,
        eventId: event.id,
        ts: event.ts,
        actor: event.actor,
        isNewObject: p.isNewObject,
        source: p.source,
        acquisition: reuseLast(state, "acquisition", p.acquisition),
        collection: reuseLast(state, "collection", p.collection),
      };
      const existing = state.items.get(p.sha256);
      if (existing) {
        existing.acquisitions.push(acquisition);
        existing.eventSeqs.push(event.seq);
        existing.md5 ??= p.md5;
        existing.sha1 ??= p.sha1;
      } else {
        state.items.set(p.sha256, {
          sha256: p.sha256,
          ...(p.md5 ? { md5: p.md5 } : {}),
          ...(p.sha1 ? { sha1: p.sha1 } : {}),
          size: p.size,
          objectPath: p.objectPath,
          displayName: p.source.originalName,
          acquisitions: [acquisition],
          metadata: null,
          derivatives: [],
          status: "unverified",
          tags: [],
          notes: [],
          acknowledgements: [],
          eventSeqs: [event.seq],
          integrity: null,
          restores: [],
        });
      }
      return;
    }
    case "metadata.extracted": {
      const p = payload as PayloadOf<"metadata.extracted">;
      const item = state.items.get(p.sha256);
      if (!item) return;
      item.metadata = {
        mime: p.mime,
        kind: p.kind,
        metadata: p.metadata,
        warnings: p.warnings,
        tools: p.tools,
        seq: event.seq,
      };
      item.eventSeqs.push(event.seq);
      return;
    }
    case "derivative.created": {
      const p = payload as PayloadOf<"derivative.created">;
      const item = state.items.get(p.parent);
      // A derivative must sit in its own parent's folder; anything else is ignored here and reported by verify.
      if (!item || !p.path.startsWith(`derived/${p.parent}/`)) return;
      item.derivatives = item.derivatives.filter((d) => d.path !== p.path);
      item.derivatives.push({ ...p, seq: event.seq });
      item.eventSeqs.push(event.seq);
      return;
    }
    case "note.added": {
      const p = payload as PayloadOf<"note.added">;
      const item = state.items.get(p.sha256);
      if (!item) return;
      item.notes.push({ seq: event.seq, ts: event.ts, actor: event.actor, text: p.text });
      item.eventSeqs.push(event.seq);
      return;
    }
    case "warning.acknowledged": {
      const p = payload as PayloadOf<"warning.acknowledged">;
      const item = state.items.get(p.sha256);
      if (!item) return;
      item.acknowledgements.push({ seq: event.seq, ts: event.ts, actor: event.actor, code: p.code, remark: p.remark });
      item.eventSeqs.push(event.seq);
      return;
    }
    case "tags.changed": {
      const p = payload as PayloadOf<"tags.changed">;
      const item = state.items.get(p.sha256);
      if (!item) return;
      const tags = new Set(item.tags);
      for (const t of p.removed) tags.delete(t);
      for (const t of p.added) tags.add(t);
      item.tags = [...tags].sort();
      item.eventSeqs.push(event.seq);
      return;
    }
    case "status.changed": {
      const p = payload as PayloadOf<"status.changed">;
      const item = state.items.get(p.sha256);
      if (!item) return;
      item.status = p.to;
      item.eventSeqs.push(event.seq);
      return;
    }
    case "verification.run": {
      const p = payload as PayloadOf<"verification.run">;
      state.lastVerification = {
        seq: event.seq,
        ts: event.ts,
        actor: event.actor,
        verifiedSeq: p.head?.seq ?? -1,
        isClean: p.isClean,
        problemCount: p.problemCount,
      };
      applyVerificationRun(
        state.items,
        { seq: event.seq, ts: event.ts, verifiedSeq: p.head?.seq ?? -1, problems: p.problems },
        (sha) => {
          const seqs = state.items.get(sha)?.eventSeqs;
          if (seqs && seqs.at(-1) !== event.seq) seqs.push(event.seq);
        },
      );
      return;
    }
    case "original.restored": {
      const p = payload as PayloadOf<"original.restored">;
      const item = state.items.get(p.sha256);
      if (!item) return;
      item.restores.push({
        seq: event.seq,
        ts: event.ts,
        acquisitionSeq: p.acquisitionSeq,
        damagedKind: p.damaged.kind,
        setAside: p.damaged.setAside,
        foundBySeq: p.foundBySeq,
      });
      if (item.integrity) item.integrity.restored = { at: event.ts, seq: event.seq };
      item.eventSeqs.push(event.seq);
      return;
    }
    case "report.generated": {
      // A report is in the custody timeline of every item it reported on.
      const p = payload as PayloadOf<"report.generated">;
      const shas = p.scope.kind === "items" ? new Set(p.scope.items) : state.items.keys();
      for (const sha of shas) state.items.get(sha)?.eventSeqs.push(event.seq);
      return;
    }
    case "bundle.exported":
    case "bag.exported": {
      // A copy that left the case is in the custody timeline of every item it carried.
      const p = payload as PayloadOf<"bundle.exported">;
      const shas = p.scope === "items" ? new Set(p.items) : state.items.keys();
      for (const sha of shas) state.items.get(sha)?.eventSeqs.push(event.seq);
      return;
    }
    case "bundle.opened":
      // The case as received: every item it holds came with it.
      for (const item of state.items.values()) item.eventSeqs.push(event.seq);
      return;
    default:
      if (isGeoEventType(event.type)) applyGeoEvent(state, event, event.type, payload);
      else if (isTrainingEventType(event.type)) applyTrainingEvent(state, event, payload);
      return;
  }
}
