/**
 * The cross-event rules of the where-and-when records (docs/LEDGER.md, "Where and when"), checked
 * while the ledger is walked: what a distrustful reader needs beyond each payload's own shape.
 *
 * - Every item a geo event names was imported earlier (`geo-item-unknown`).
 * - A review, a revision (`replaces`), a chronolocation revision and an export name an earlier
 *   event of the right type, by seq and hash, for the same item; a record is revised once (a
 *   second revision of it would fork the record); a clue's frame point is on the original or on
 *   a derivative of the same item, and its layer, unless online tiles, is an item marked as
 *   reference imagery of that kind (`geo-reference-broken`).
 * - A review is not signed by the examiner who signed the proposal it reviews
 *   (`geolocation-self-review`).
 * - A proposal's `snapshot` is an earlier `map-snapshot` derivative of the same item, with the
 *   same path and SHA-256 (`geo-snapshot-unknown`).
 * - The files `geolocations.exported` names are collected for verifyCase to re-hash.
 *
 * Pure and only ever called for the five geo event types and `map-snapshot` derivatives, so a
 * ledger without them pays one Set lookup per line.
 */
import type { CaseState } from "./caseState.js";
import type { LedgerEvent } from "./events.js";
import type { EventRef, FramePoint, GeolocationsExported, LayerRef } from "./geoEvents.js";
import type { ProblemCode } from "./problems.js";

/** What one `geolocations.exported` line recorded of its file; verifyCase holds each against exports/. */
export interface RecordedExport {
  line: number;
  seq: number;
  path: string;
  sha256: string;
  size: number;
}

export const GEO_EVENT_TYPES: ReadonlySet<string> = new Set([
  "reference.marked",
  "geolocation.proposed",
  "geolocation.reviewed",
  "chronolocation.recorded",
  "geolocations.exported",
]);

type Report = (code: ProblemCode, message: string, extra?: { item?: string }) => void;

interface Earlier {
  seq: number;
  type: string;
  sha256: string;
  actor: string;
}

const short = (sha256: string) => `${sha256.slice(0, 12)}…`;

export class GeoChecks {
  /** Geolocation proposals and chronolocations by event hash. */
  private readonly records = new Map<string, Earlier>();
  /** `parent path sha256` of every map-snapshot derivative so far. */
  private readonly snapshots = new Set<string>();
  /** The seq of the revision that replaced each record, by the replaced record's hash. */
  private readonly replacedBy = new Map<string, number>();
  /** What each item was last marked as: scene or basemap. */
  private readonly referenceKinds = new Map<string, string>();
  readonly exports: RecordedExport[] = [];

  /** Notes a valid `derivative.created` of role `map-snapshot` whose path the walk accepted. */
  noteSnapshot(payload: { parent: string; path: string; sha256: string }): void {
    this.snapshots.add(`${payload.parent} ${payload.path} ${payload.sha256}`);
  }

  /** Checks one geo event whose payload fits its schema (`payload` is the parsed value). */
  check(event: LedgerEvent, line: number, payload: Record<string, unknown>, state: CaseState, report: Report): void {
    const at = `line ${line}`;
    if (event.type === "geolocations.exported") {
      const p = payload as GeolocationsExported;
      for (const ref of p.geolocations) this.follow(ref, "geolocation.proposed", null, at, "exports", report);
      this.exports.push({ line, seq: event.seq, path: p.path, sha256: p.sha256, size: p.size });
      return;
    }
    const sha256 = payload.sha256 as string;
    if (!state.items.has(sha256)) {
      report("geo-item-unknown", `${at} (${event.type}) names item ${short(sha256)}, which was never imported`, {
        item: sha256,
      });
    }
    const item = state.items.get(sha256);
    switch (event.type) {
      case "reference.marked":
        if (item) this.referenceKinds.set(sha256, payload.kind as string);
        break;
      case "geolocation.proposed": {
        const replaces = payload.replaces as EventRef | null;
        if (replaces) this.revise(replaces, event.seq, "geolocation.proposed", sha256, at, report);
        const clues = payload.clues as { frame: FramePoint; layer: LayerRef }[];
        clues.forEach((clue, i) => {
          if (item) this.frameOn(item.derivatives, clue.frame.image, `clue ${i + 1}`, sha256, at, report);
          this.layerOf(clue.layer, `clue ${i + 1}`, sha256, at, report);
        });
        const snapshot = payload.snapshot as { path: string; sha256: string } | null;
        if (snapshot && !this.snapshots.has(`${sha256} ${snapshot.path} ${snapshot.sha256}`)) {
          report(
            "geo-snapshot-unknown",
            `${at} names the map snapshot ${snapshot.path}, which no earlier map-snapshot derivative of item ${short(sha256)} with that SHA-256 recorded`,
            { item: sha256 },
          );
        }
        break;
      }
      case "geolocation.reviewed": {
        const ref = payload.geolocation as EventRef;
        const reviewed = this.follow(ref, "geolocation.proposed", sha256, at, "reviews", report);
        if (reviewed && reviewed.actor === event.actor) {
          const name = state.examiners.get(event.actor)?.name ?? event.actor;
          report(
            "geolocation-self-review",
            `${at} is ${name}'s review of their own geolocation (event ${ref.seq}): a review must come from a second examiner`,
            { item: sha256 },
          );
        }
        break;
      }
      case "chronolocation.recorded": {
        const replaces = payload.replaces as EventRef | null;
        if (replaces) this.revise(replaces, event.seq, "chronolocation.recorded", sha256, at, report);
        const shadows = payload.shadows as { frame: { image: FramePoint["image"] } }[];
        shadows.forEach((shadow, i) => {
          if (item) this.frameOn(item.derivatives, shadow.frame.image, `shadow ${i + 1}`, sha256, at, report);
        });
        break;
      }
      default:
        break;
    }
    if (event.type === "geolocation.proposed" || event.type === "chronolocation.recorded") {
      this.records.set(event.hash, { seq: event.seq, type: event.type, sha256, actor: event.actor });
    }
  }

  /** A revision: `ref` must be an earlier record of the item that no other revision replaced. */
  private revise(ref: EventRef, seq: number, type: string, sha256: string, at: string, report: Report): void {
    if (!this.follow(ref, type, sha256, at, "revises", report)) return;
    const earlier = this.replacedBy.get(ref.hash);
    if (earlier === undefined) {
      this.replacedBy.set(ref.hash, seq);
      return;
    }
    report(
      "geo-reference-broken",
      `${at} revises event ${ref.seq}, which event ${earlier} already revised: a record is revised once, its revision revised after it`,
      { item: sha256 },
    );
  }

  /** A frame point is on the original, or on a derivative of the same item. */
  private frameOn(
    derivatives: readonly { path: string }[],
    image: FramePoint["image"],
    what: string,
    sha256: string,
    at: string,
    report: Report,
  ): void {
    if (image === "original" || derivatives.some((d) => d.path === image)) return;
    report(
      "geo-reference-broken",
      `${at}: ${what} is on ${image}, which is not a derivative of item ${short(sha256)}`,
      {
        item: sha256,
      },
    );
  }

  /** A clue's layer: online tiles name no item; a scene or basemap names an item marked as one. */
  private layerOf(layer: LayerRef, what: string, sha256: string, at: string, report: Report): void {
    let why: string | null = null;
    if (layer.kind === "tiles") {
      if (layer.sha256 !== null) why = "online tiles have no item hash";
    } else if (layer.sha256 === null) {
      why = `it is a ${layer.kind} but names no item`;
    } else if (this.referenceKinds.get(layer.sha256) !== layer.kind) {
      const marked = this.referenceKinds.get(layer.sha256);
      why = `item ${short(layer.sha256)} is ${marked ? `marked as a ${marked}` : "not marked as reference imagery"}`;
    }
    if (why !== null) {
      report("geo-reference-broken", `${at}: ${what} is matched on a ${layer.kind} layer, but ${why}`, {
        item: sha256,
      });
    }
  }

  /** The earlier record `ref` names, if it is of `type` and (unless null) of item `sha256`; else reported. */
  private follow(
    ref: EventRef,
    type: string,
    sha256: string | null,
    at: string,
    verb: string,
    report: Report,
  ): Earlier | null {
    const found = this.records.get(ref.hash);
    let why: string | null = null;
    if (!found || found.seq !== ref.seq) why = "no earlier event has that seq and hash";
    else if (found.type !== type) why = `it is a ${found.type}`;
    else if (sha256 !== null && found.sha256 !== sha256) why = `it is about item ${short(found.sha256)}`;
    if (why === null) return found ?? null;
    report(
      "geo-reference-broken",
      `${at} ${verb} event ${ref.seq} (${ref.hash.slice(0, 12)}…) as a ${type}${sha256 ? ` of item ${short(sha256)}` : ""}, but ${why}`,
      sha256 ? { item: sha256 } : {},
    );
    return null;
  }
}
