/**
 * The custody report of a case, or of some of its items, as data: a pure function of the verified
 * ledger's events and their replay, the result of verification run at report time, and the few
 * facts the ledger cannot hold (which pictures could be read back with their recorded hash).
 * Never built from a screen's projection. See docs/REPORT.md.
 */
import type { CaseState, ItemState } from "../ledger/caseState.js";
import type { LedgerEvent } from "../ledger/events.js";
import { COLLECTION_FIELDS } from "../ledger/events.js";
import { snapshotParamsOf } from "../geo/snapshotResampling.js";
import { reportChronolocation, reportGeolocation, type GeoContext } from "./reportGeo.js";
import {
  GRAPHIC_TAG,
  REPORT_FORMAT,
  REPORT_FORMAT_VERSION,
  type CustodyReport,
  type ReportAcquisition,
  type ReportChoices,
  type ReportImage,
  type ReportItem,
  type ReportTool,
  type ReportVerification,
} from "./reportModel.js";
import { reportPlace } from "./reportPlaces.js";
import { contentStrand, sourceStrand, technicalStrand } from "./reportStrands.js";
import { describeEvent } from "./reportWords.js";

export interface ReportInput {
  /** The ledger's events in order, as verified. */
  events: readonly LedgerEvent[];
  /** Their replay (caseState.ts). */
  state: CaseState;
  verification: ReportVerification;
  generatedAt: string;
  tool: ReportTool;
  choices: ReportChoices;
  /** Items to report on, by SHA-256; absent for the whole case. Each must be in the case. */
  items?: readonly string[];
  /** SHA-256 fingerprint of each examiner's public key, by key id. */
  fingerprints: ReadonlyMap<string, string>;
  /** Why a case image cannot be shown (unreadable, changed since recorded), or null when it can. */
  imageFault: (path: string, sha256: string) => string | null;
}

const COLLECTION_WORDS: Record<string, string> = {
  source: "where it was collected from (URL or account)",
  collectedAt: "when it was collected",
  method: "how it was collected",
};

/** Items named that the case does not hold. */
export function unknownItems(state: CaseState, items: readonly string[]): string[] {
  return items.filter((sha) => !state.items.has(sha));
}

/** The image an item is shown by: its thumbnail, else its poster frame, else its first keyframe. */
export function itemPicture(item: ItemState): { path: string; sha256: string; mime: string } | null {
  for (const role of ["thumbnail", "poster", "keyframe"]) {
    const d = item.derivatives.find((x) => x.role === role);
    if (d) return { path: d.path, sha256: d.sha256, mime: d.mime };
  }
  return null;
}

/** The paragraph on checking the case without Sightline. */
export function reverificationText(head: { seq: number; hash: string } | null): string {
  return (
    "Anyone can check this case without Sightline. The case folder holds ledger.jsonl, one event a line: " +
    "each event's hash is the SHA-256 of its canonical JSON (RFC 8785) without the hash and sig members, " +
    "each names the hash of the one before it, and each is signed with Ed25519 by the examiner key it names; " +
    "every original is stored under objects/sha256/ by its own SHA-256 and every derivative and export under the hash its event records. " +
    "The format is documented in docs/LEDGER.md, and resources/verify-ledger.py, a single Python 3 file using only the standard library, " +
    "checks all of it (python3 verify-ledger.py <case-folder>). " +
    (head
      ? `This report was made from the ledger up to event ${head.seq}, whose hash is ${head.hash}: a ledger whose event ${head.seq} has another hash is not the one reported on.`
      : "The ledger had no events when this report was made.")
  );
}

function acquisition(a: ItemState["acquisitions"][number], nameOf: (k: string) => string): ReportAcquisition {
  const c = a.collection;
  const notRecorded = COLLECTION_FIELDS.filter((f) => c.missing.includes(f)).map((f) => COLLECTION_WORDS[f] ?? f);
  const isUpload = a.source.channel === "upload";
  if (isUpload)
    notRecorded.push("the folder the file was in on the sending computer (sent through the workbench page)");
  return {
    seq: a.seq,
    at: a.acquisition.acquiredAt,
    examiner: nameOf(a.actor),
    isFirst: a.isNewObject,
    originalName: a.source.originalName,
    path: a.source.path,
    relativePath: a.source.relativePath,
    channel: a.source.channel ?? "file",
    fileModified: a.source.fileTimes?.modified ?? null,
    host: a.acquisition.host,
    user: a.acquisition.user,
    platform: a.acquisition.platform,
    sourceUrl: c.sourceUrl,
    sourceAccount: c.sourceAccount,
    collectedAt: c.collectedAt,
    method: c.method,
    note: c.note,
    tool: c.tool,
    notRecorded,
  };
}

export function buildReport(input: ReportInput): CustodyReport {
  const { state, choices } = input;
  const nameOf = (keyId: string) => state.examiners.get(keyId)?.name ?? keyId;
  const bySeq = new Map(input.events.map((e) => [e.seq, e]));
  const chosen = input.items ? [...new Set(input.items)] : [...state.items.keys()];
  const missing = unknownItems(state, chosen);
  if (missing.length) throw new RangeError(`not items of this case: ${missing.join(", ")}`);
  // Geolocations and chronolocations by item, once, so a large case stays linear.
  const geoByItem = groupBy(state.geo.geolocations, (g) => g.payload.sha256);
  const chronoByItem = groupBy(state.geo.chronolocations, (c) => c.payload.sha256);

  const items = chosen.map((sha) => {
    const item = state.items.get(sha)!;
    const geos = geoByItem.get(sha) ?? [];
    const isGraphic = item.tags.includes(GRAPHIC_TAG);
    const isSensitive = geos.some((g) => g.payload.sensitive);
    const image = (file: { path: string; sha256: string; mime: string }, graphic: boolean): ReportImage => ({
      ...file,
      isVeiled: graphic && choices.graphic === "veiled",
      omitted: input.imageFault(file.path, file.sha256),
    });
    const snapshotParams = (shot: { path: string; sha256: string }) => snapshotParamsOf(item, shot);
    const ctx: GeoContext = { choices, isSensitive, nameOf, image, snapshotParams };
    const timelineEvents = [...new Set(item.eventSeqs)].map((s) => bySeq.get(s)).filter((e) => e !== undefined);
    const m = item.metadata;
    const picture = itemPicture(item);
    const report: ReportItem = {
      sha256: item.sha256,
      md5: item.md5 ?? null,
      sha1: item.sha1 ?? null,
      size: item.size,
      names: [...new Set(item.acquisitions.map((a) => a.source.originalName))],
      mime: m?.mime ?? null,
      kind: m?.kind ?? null,
      status: item.status,
      tags: item.tags,
      isGraphic,
      isLocationSensitive: isSensitive,
      acquisitions: item.acquisitions.map((a) => acquisition(a, nameOf)),
      metadata: m && {
        capturedAt: m.metadata.capturedAt,
        capturedAtSource: m.metadata.capturedAtSource,
        gps: m.metadata.gps ? reportPlace(m.metadata.gps, null, isSensitive, choices.sensitive) : null,
        gpsSource: m.metadata.gps ? (m.metadata.gpsSource ?? null) : null,
        camera: m.metadata.camera
          ? [m.metadata.camera.make, m.metadata.camera.model].filter(Boolean).join(" ") || null
          : null,
        software: m.metadata.software,
        dimensions: m.metadata.dimensions
          ? `${m.metadata.dimensions.width} × ${m.metadata.dimensions.height} pixels`
          : null,
        durationS: m.metadata.durationS,
        codecs: m.metadata.codecs,
        tools: m.tools,
      },
      warnings: (m?.warnings ?? []).map((w) => ({ code: w.code, message: w.message })),
      derivatives: item.derivatives.map((d) => ({
        role: d.role,
        path: d.path,
        sha256: d.sha256,
        size: d.size,
        tool: d.tool,
      })),
      picture: picture ? image(picture, isGraphic) : null,
      statusHistory: timelineEvents
        .filter((e) => e.type === "status.changed")
        .map((e) => ({
          seq: e.seq,
          at: e.ts,
          examiner: nameOf(e.actor),
          from: String(e.payload.from),
          to: String(e.payload.to),
          reason: String(e.payload.reason),
        })),
      notes: item.notes.map((n) => ({ seq: n.seq, at: n.ts, examiner: nameOf(n.actor), text: n.text })),
      geolocations: geos.map((g) => reportGeolocation(g, ctx)),
      chronolocations: (chronoByItem.get(sha) ?? []).map((c) => reportChronolocation(c, ctx)),
      strands: { source: emptyStrand(), technical: emptyStrand(), content: emptyStrand() },
      timeline: timelineEvents.map((e) => ({
        seq: e.seq,
        at: e.ts,
        type: e.type,
        ...describeEvent(e.type, e.payload),
        examiner: nameOf(e.actor),
        hash: e.hash,
      })),
    };
    report.strands = {
      source: sourceStrand(report),
      technical: technicalStrand(report, item),
      content: contentStrand(report),
    };
    return report;
  });

  return {
    format: REPORT_FORMAT,
    formatVersion: REPORT_FORMAT_VERSION,
    generatedAt: input.generatedAt,
    tool: input.tool,
    scope: input.items ? { kind: "items", items: chosen } : { kind: "case", items: [] },
    choices: { ...choices, graphicTag: GRAPHIC_TAG },
    case: {
      id: state.caseId,
      title: state.title,
      formatVersion: state.formatVersion,
      hashAlgorithms: state.hashAlgorithms,
    },
    examiners: [...state.examiners.values()].map((e) => ({
      name: e.name,
      keyId: e.keyId,
      publicKey: e.publicKey,
      fingerprint: input.fingerprints.get(e.keyId) ?? "",
    })),
    ledger: { head: state.head, eventCount: state.eventCount },
    verification: input.verification,
    reverification: reverificationText(state.head),
    items,
  };
}

const emptyStrand = () => ({ isPerformed: false, findings: [], methods: [], limits: [] });

function groupBy<T>(list: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of list) {
    const k = key(t);
    const group = out.get(k);
    if (group) group.push(t);
    else out.set(k, [t]);
  }
  return out;
}
