/**
 * The custody report as data (docs/REPORT.md, docs/report.schema.json): everything a report says,
 * built from the verified ledger alone by buildReport.ts, and rendered by reportHtml.ts (HTML and
 * PDF), as JSON, and as CSV rows. Versioned: a reader checks `format` and `formatVersion` first.
 * Image bytes are not part of it: the HTML gets them beside the model, the JSON names them by path
 * and SHA-256.
 */
import type { EventRef, LatLonValue } from "../ledger/geoEvents.js";

export const REPORT_FORMAT = "sightline-custody-report" as const;
export const REPORT_FORMAT_VERSION = 1 as const;

/** What the report does with the places of items whose geolocation is marked sensitive. */
export const REPORT_SENSITIVE = ["rounded", "withheld", "exact"] as const;
export type ReportSensitive = (typeof REPORT_SENSITIVE)[number];
/** What the report does with pictures of items tagged graphic. */
export const REPORT_GRAPHIC = ["veiled", "shown"] as const;
export type ReportGraphic = (typeof REPORT_GRAPHIC)[number];
export const REPORT_FORMATS = ["pdf", "html", "json", "csv"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The tag that marks an item's pictures as graphic (violence, injury, death). */
export const GRAPHIC_TAG = "graphic";

export interface ReportChoices {
  sensitive: ReportSensitive;
  graphic: ReportGraphic;
}

export interface ReportTool {
  name: string;
  version: string;
}

export interface ReportExaminer {
  name: string;
  keyId: string;
  /** Base64 DER SubjectPublicKeyInfo, as the ledger holds it. */
  publicKey: string;
  /** SHA-256 of the DER public key, hex in groups of four. */
  fingerprint: string;
}

export interface ReportProblem {
  code: string;
  message: string;
  line?: number;
  item?: string;
  file?: string;
}

export interface ReportVerification {
  isClean: boolean;
  checkedAt: string;
  eventCount: number;
  itemCount: number;
  objectsChecked: number;
  bytesChecked: number;
  derivativesChecked: number;
  exportsChecked: number;
  problems: ReportProblem[];
  notices: ReportProblem[];
}

/** A place as the report gives it: as recorded, rounded to ~1 km, or withheld. */
export type ReportPlace =
  | { handling: "exact" | "rounded"; shape: "point"; at: LatLonValue; radiusM: number | null }
  | { handling: "exact"; shape: "area"; ring: LatLonValue[]; radiusM: number | null }
  | { handling: "rounded"; shape: "area-centroid"; at: LatLonValue; radiusM: number | null }
  | { handling: "withheld" };

/** An image file of the case the report shows (thumbnail, poster, map snapshot). */
export interface ReportImage {
  path: string;
  sha256: string;
  mime: string;
  /** Shown blurred (graphic item, veiled by choice); the clear picture is not in the report. */
  isVeiled: boolean;
  /** Left out, with the reason (withheld place, unreadable file, changed since recorded). */
  omitted: string | null;
}

export interface ReportAcquisition {
  seq: number;
  at: string;
  examiner: string;
  isFirst: boolean;
  originalName: string;
  path: string;
  relativePath: string | null;
  /** `file`: a path typed or given on the command line; `window`: dropped in the workbench window, read from disk; `upload`: sent by the page. */
  channel: "file" | "upload" | "window";
  fileModified: string | null;
  host: string;
  user: string;
  platform: string;
  sourceUrl: string | null;
  sourceAccount: string | null;
  collectedAt: string | null;
  method: string | null;
  note: string | null;
  tool: ReportTool;
  /** What the examiner did not record, in words. */
  notRecorded: string[];
}

export interface ReportStatusChange {
  seq: number;
  at: string;
  examiner: string;
  from: string;
  to: string;
  reason: string;
}

export interface ReportNote {
  seq: number;
  at: string;
  examiner: string;
  text: string;
}

export interface ReportReview {
  seq: number;
  at: string;
  examiner: string;
  verdict: "agree" | "disagree";
  reason: string;
}

export interface ReportClue {
  what: string;
  frame: string;
  map: ReportPlace;
  layer: string;
}

export interface ReportGeolocation {
  ref: EventRef;
  at: string;
  examiner: string;
  isCurrent: boolean;
  replaces: EventRef | null;
  replacedBy: EventRef | null;
  outcome: "located" | "cannot-geolocate";
  place: ReportPlace | null;
  precision: string | null;
  confidence: string | null;
  cannotReason: string | null;
  isSensitive: boolean;
  claims: ReportClaim[];
  clues: ReportClue[];
  eliminated: { place: string; why: string }[];
  method: string;
  snapshot: ReportImage | null;
  /** How the snapshot's dNBR layers were resampled, in plain words (empty when none was). */
  snapshotResampling: string[];
  reviews: ReportReview[];
}

export interface ReportClaim {
  source: string;
  detail: string;
  placeName: string | null;
  location: ReportPlace | null;
  time: string | null;
}

export interface ReportChronolocation {
  ref: EventRef;
  at: string;
  examiner: string;
  isCurrent: boolean;
  date: string;
  place: ReportPlace;
  window: { from: string; to: string } | null;
  claims: ReportClaim[];
  shadows: { what: string; elevationDeg: number; ratio: number; windows: { from: string; to: string }[] }[];
  sunModel: ReportTool;
  method: string;
}

export interface ReportTimelineEntry {
  seq: number;
  at: string;
  type: string;
  title: string;
  detail: string;
  examiner: string;
  hash: string;
}

/** One of the three strands of verification the Berkeley Protocol keeps apart. */
export interface ReportStrand {
  isPerformed: boolean;
  /** What was done and found, one fact a line. */
  findings: string[];
  methods: ReportTool[];
  /** What the conclusions cannot say; how sure they are. */
  limits: string[];
}

export interface ReportItem {
  sha256: string;
  md5: string | null;
  sha1: string | null;
  size: number;
  names: string[];
  mime: string | null;
  kind: string | null;
  status: string;
  tags: string[];
  isGraphic: boolean;
  isLocationSensitive: boolean;
  acquisitions: ReportAcquisition[];
  metadata: {
    capturedAt: string | null;
    capturedAtSource: string | null;
    gps: ReportPlace | null;
    /** The tags the position was read from (`EXIF:GPSLatitude/GPSLongitude`, `XMP:exif:…`, `QuickTime:…`); null without a position. */
    gpsSource: string | null;
    camera: string | null;
    software: string | null;
    dimensions: string | null;
    durationS: number | null;
    codecs: string[];
    tools: ReportTool[];
  } | null;
  warnings: { code: string; message: string }[];
  derivatives: { role: string; path: string; sha256: string; size: number; tool: ReportTool }[];
  picture: ReportImage | null;
  statusHistory: ReportStatusChange[];
  notes: ReportNote[];
  geolocations: ReportGeolocation[];
  chronolocations: ReportChronolocation[];
  strands: { source: ReportStrand; technical: ReportStrand; content: ReportStrand };
  timeline: ReportTimelineEntry[];
}

export interface CustodyReport {
  format: typeof REPORT_FORMAT;
  formatVersion: typeof REPORT_FORMAT_VERSION;
  generatedAt: string;
  tool: ReportTool;
  scope: { kind: "case" | "items"; items: string[] };
  choices: ReportChoices & { graphicTag: string };
  case: { id: string | null; title: string; formatVersion: number; hashAlgorithms: string[] };
  examiners: ReportExaminer[];
  ledger: { head: EventRef | null; eventCount: number };
  verification: ReportVerification;
  /** How anyone can check the case without Sightline. */
  reverification: string;
  items: ReportItem[];
}
