/**
 * The where-and-when part of the API (spread into `contract` in contract.ts): reference imagery,
 * tile sources, map snapshots, geolocations, reviews, chronolocations, the case map and exports.
 * Inputs reuse the ledger's payload schemas, so what the page may send is exactly what may be
 * recorded; the service fills in what it must read itself (a scene's tags, a snapshot's hash).
 */
import { z } from "zod";
import {
  BAND_ROLES,
  ChronolocationRecordedPayload,
  ClaimSchema,
  ClueSchema,
  CONFIDENCE_LEVELS,
  EliminatedSchema,
  EventRefSchema,
  GEO_EXPORT_FORMATS,
  GeolocationReviewedPayload,
  LatLonSchema,
  LayerRefSchema,
  PlaceSchema,
  PrecisionSchema,
  SENSITIVE_HANDLING,
  SnapshotResamplingSchema,
  calendarDate,
  existingDay,
  examinerText,
  isoInstant,
  type BasemapTags,
  type ChronolocationRecorded,
  type EventRef,
  type GeolocationProposed,
  type GeolocationReviewed,
  type ReferenceMarked,
  type SceneTags,
  type SnapshotResampling,
} from "../ledger/geoEvents.js";
import type { ItemStatus } from "../ledger/events.js";

const caseDir = z.string().min(1, "a case folder is required").max(4096);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "not a SHA-256 digest (64 lower-case hex digits)");

/** What the service reads from a reference file before it is marked (never what the page says). */
export type ReferenceInspection = { kind: "scene"; tags: SceneTags } | { kind: "basemap"; tags: BasemapTags };

/** A reference item as the map lists it. */
export interface ReferenceInfo {
  sha256: string;
  name: string;
  /** Case path of the original, for byte-range reads (`GET /files?dir&path`). */
  objectPath: string;
  size: number;
  /** The latest `reference.marked` for the item. */
  marked: ReferenceMarked;
  seq: number;
  actorName: string;
}

/** An online tile layer: a preset shipped in resources/ or one the examiner added. */
export interface TileSourceInfo {
  id: string;
  name: string;
  /** `https://…/{z}/{x}/{y}.png`; `{key}` stands for the examiner's key, which never leaves the profile. */
  template: string;
  attribution: string;
  /** The provider's terms of use, in a line, and where to read them. */
  terms: string;
  isPreset: boolean;
  /** Whether the template needs a key and one is saved (the key itself is never returned). */
  needsKey: boolean;
  hasKey: boolean;
  maxZoom: number;
}

/** One layer of a map snapshot, as the map showed it. */
export const SnapshotLayerSchema = LayerRefSchema.extend({
  /** How a scene's bands were shown: "true-colour", "false-colour-burn", "nbr", "dnbr", or "as-is". */
  view: z.string().max(64),
  opacity: z.number().min(0).max(1),
  visible: z.boolean(),
  /** For dNBR: the before and after scenes. */
  pair: z.strictObject({ before: sha256, after: sha256 }).nullable(),
  /** For a dNBR whose scenes are on different pixel grids: how one was resampled onto the other. */
  resampling: SnapshotResamplingSchema.optional(),
});

/** Everything needed to show the same map again: written into the snapshot's `derivative.created` params. */
export const MapSnapshotParamsSchema = z.strictObject({
  layers: z.array(SnapshotLayerSchema).min(1).max(20),
  zoom: z.number().min(0).max(30),
  centre: LatLonSchema,
  /** WGS 84 [west, south, east, north] of the view. */
  bounds84: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  rotationDeg: z.number().min(-360).max(360),
  compare: z.strictObject({
    mode: z.enum(["single", "swipe", "opacity", "overlay"]),
    /** Swipe position or opacity, 0–1. */
    position: z.number().min(0).max(1),
  }),
  markers: z
    .array(z.strictObject({ label: examinerText(200), lat: LatLonSchema.shape.lat, lon: LatLonSchema.shape.lon }))
    .max(200),
  /** When the page rendered it. */
  renderedAt: isoInstant,
  viewport: z.strictObject({
    width: z.number().int().positive().max(16384),
    height: z.number().int().positive().max(16384),
  }),
});
export type MapSnapshotParams = z.infer<typeof MapSnapshotParamsSchema>;

/** A geolocation proposal with what happened to it since. */
export interface GeolocationInfo {
  ref: EventRef;
  ts: string;
  actor: string;
  actorName: string;
  payload: GeolocationProposed;
  /** The proposal that revised this one, if any: only a proposal no one replaced is current. */
  replacedBy: EventRef | null;
  reviews: { ref: EventRef; ts: string; actor: string; actorName: string; payload: GeolocationReviewed }[];
  /** How the dNBR layers of its map snapshot were resampled (from the snapshot's params); absent when none was. */
  snapshotResampling?: SnapshotResampling[];
}

export interface ChronolocationInfo {
  ref: EventRef;
  ts: string;
  actor: string;
  actorName: string;
  payload: ChronolocationRecorded;
  replacedBy: EventRef | null;
}

/** An item on the case map: where its metadata says it was made, or where it was geolocated. */
export interface CaseMapEntry {
  sha256: string;
  name: string;
  status: ItemStatus;
  source: "metadata" | "geolocation";
  lat: number;
  lon: number;
  /** Metres, for a geolocation; null for a metadata position. */
  precisionM: number | null;
  confidence: (typeof CONFIDENCE_LEVELS)[number] | null;
  sensitive: boolean;
}

/** The geolocation form, as the page sends it: the payload without what the service decides. */
const ProposalInput = z.object({
  dir: caseDir,
  sha256,
  replaces: EventRefSchema.nullable().default(null),
  claims: z.array(ClaimSchema).max(20).default([]),
  outcome: z.enum(["located", "cannot-geolocate"]),
  place: PlaceSchema.nullable().default(null),
  precision: PrecisionSchema.nullable().default(null),
  confidence: z.enum(CONFIDENCE_LEVELS).nullable().default(null),
  cannotReason: examinerText(4000).nullable().default(null),
  clues: z.array(ClueSchema).max(100).default([]),
  eliminated: z.array(EliminatedSchema).max(100).default([]),
  method: examinerText(20_000).default(""),
  sensitive: z.boolean().default(false),
  snapshot: z
    .strictObject({ path: z.string().max(300), sha256 })
    .nullable()
    .default(null),
});

/** The largest map snapshot accepted, as PNG bytes (base64 in the request). */
export const MAX_SNAPSHOT_BYTES = 24 * 1024 * 1024;

type MethodSpec<I extends z.ZodType, O> = { input: I; output?: O; doc: string };
const method =
  <O>() =>
  <I extends z.ZodType>(input: I, doc: string): MethodSpec<I, O> => ({ input, doc });

export const geoContract = {
  inspectReference: method<ReferenceInspection>()(
    z.object({ dir: caseDir, sha256 }),
    "Reads an item as reference imagery (a GeoTIFF scene or a PMTiles basemap) in byte ranges and says what it holds, or in one line why it cannot be used.",
  ),
  markReference: method<{ seq: number }>()(
    z.discriminatedUnion("kind", [
      z.object({
        dir: caseDir,
        sha256,
        kind: z.literal("scene"),
        provider: examinerText(200).refine((t) => t.trim() !== "", "name the provider"),
        sceneId: examinerText(300).default(""),
        acquiredOn: existingDay,
        bands: z
          .array(
            z.strictObject({
              band: z.number().int().min(1).max(1000),
              role: z.enum(BAND_ROLES),
              label: examinerText(100),
            }),
          )
          .max(64)
          .default([]),
        note: examinerText(4000).default(""),
      }),
      z.object({
        dir: caseDir,
        sha256,
        kind: z.literal("basemap"),
        provider: examinerText(200).refine((t) => t.trim() !== "", "name the provider"),
        note: examinerText(4000).default(""),
      }),
    ]),
    "Marks an imported item as reference imagery with what the verifier states about it; the file's own tags are read and recorded beside (a reference.marked event).",
  ),
  listReferences: method<ReferenceInfo[]>()(z.object({ dir: caseDir }), "The case's reference imagery, newest first."),
  tileSources: method<TileSourceInfo[]>()(
    z.object({ dir: caseDir }),
    "The online tile layers: the presets and this examiner's own (keys are never returned).",
  ),
  saveTileSource: method<TileSourceInfo[]>()(
    z.object({
      dir: caseDir,
      id: z
        .string()
        .regex(/^[a-z0-9-]{1,40}$/)
        .optional(),
      name: examinerText(100).refine((t) => t.trim() !== "", "name the layer"),
      template: z.string().min(1).max(2000),
      attribution: examinerText(500).default(""),
      terms: examinerText(1000).default(""),
      /** Kept in the examiner's profile only; absent keeps the saved key, "" removes it. */
      key: z.string().max(500).optional(),
      maxZoom: z.number().int().min(0).max(24).default(19),
    }),
    "Adds or changes one of this examiner's tile layers (http(s) templates only); the page must reload for its host to be allowed.",
  ),
  removeTileSource: method<TileSourceInfo[]>()(
    z.object({ dir: caseDir, id: z.string().regex(/^[a-z0-9-]{1,40}$/) }),
    "Removes one of this examiner's tile layers.",
  ),
  tileUrl: method<{ template: string }>()(
    z.object({ dir: caseDir, id: z.string().regex(/^[a-z0-9-]{1,40}$/) }),
    "The template to fetch tiles with, key filled in: for the map only, never recorded.",
  ),
  saveMapSnapshot: method<{ seq: number; path: string; sha256: string; size: number }>()(
    z.object({
      dir: caseDir,
      sha256,
      /** The rendered map as PNG, base64. */
      png: z
        .string()
        .min(8)
        .max(Math.ceil(MAX_SNAPSHOT_BYTES / 3) * 4),
      params: MapSnapshotParamsSchema,
    }),
    "Keeps the map as shown as a PNG derivative of the item, with its layers, zoom, centre, bounds and time (a derivative.created event, role map-snapshot).",
  ),
  proposeGeolocation: method<EventRef>()(
    ProposalInput,
    "Records where an item was made, or why it cannot be told, with clues, eliminated candidates and method (a geolocation.proposed event); a revision names the proposal it replaces.",
  ),
  reviewGeolocation: method<EventRef>()(
    GeolocationReviewedPayload.extend({ dir: caseDir }),
    "A second examiner agrees or disagrees with a geolocation, saying why (a geolocation.reviewed event).",
  ),
  recordChronolocation: method<EventRef>()(
    ChronolocationRecordedPayload.omit({ sunModel: true }).extend({ dir: caseDir, date: existingDay }),
    "Records when an item was made as far as the sun tells, beside the claimed times (a chronolocation.recorded event).",
  ),
  listGeolocations: method<{ geolocations: GeolocationInfo[]; chronolocations: ChronolocationInfo[] }>()(
    z.object({ dir: caseDir, sha256: sha256.optional() }),
    "Every geolocation and chronolocation of the case, or of one item, oldest first, with reviews and revisions.",
  ),
  caseMap: method<CaseMapEntry[]>()(
    z.object({ dir: caseDir }),
    "Every item with a place: its current geolocation, else the position its metadata claims.",
  ),
  exportGeolocations: method<{ seq: number; path: string; sha256: string; size: number; count: number }>()(
    z.object({
      dir: caseDir,
      format: z.enum(GEO_EXPORT_FORMATS),
      /** Proposals to write; absent: every current proposal of the case. */
      geolocations: z.array(EventRefSchema).max(100_000).optional(),
      sensitive: z.enum(SENSITIVE_HANDLING).default("rounded"),
    }),
    "Writes geolocations to exports/ as GeoJSON, KML or CSV and records the file's SHA-256 (a geolocations.exported event).",
  ),
} as const;

export { LatLonSchema, calendarDate, isoInstant };
