/**
 * Ledger events of the where-and-when work (docs/LEDGER.md): reference imagery, geolocations,
 * their reviews, chronolocations and the exports of them. Map snapshots are `derivative.created`
 * events with the role `map-snapshot` (events.ts). Every record is append-only: a revision is a
 * new event that names the one it replaces by seq and hash, never an edit.
 *
 * The vocabulary (precision classes, confidence levels) follows what investigators' platforms
 * record and reviewers ask for; shared/geo/geolocation.ts gives each its plain-language label.
 */
import { z } from "zod";

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/** Free text from an examiner: bounded, without control characters (newlines and tabs allowed). */
export const examinerText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((t) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(t), "must not hold control characters");
const requiredText = (max: number) => examinerText(max).refine((t) => t.trim().length > 0, "must not be empty");

/**
 * A calendar date, `YYYY-MM-DD`, as the ledger reads it: the form only, as docs/LEDGER.md and
 * resources/verify-ledger.py read it (a case made elsewhere may hold 2026-02-30). What Sightline
 * writes is also a day that exists (`existingDay`).
 */
export const calendarDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "a date is YYYY-MM-DD");

/** `date` has the ledger's form and names a day that exists: 2024-02-29 does, 2026-02-29 and 2026-04-31 do not. */
export function isCalendarDay(date: string): boolean {
  if (!calendarDate.safeParse(date).success) return false;
  const day = new Date(`${date}T00:00:00Z`);
  return Number.isFinite(day.getTime()) && day.toISOString().slice(0, 10) === date;
}

/** A date given to Sightline to record: the ledger's form, and a day that exists. */
export const existingDay = calendarDate.refine(isCalendarDay, "there is no such day in the calendar");
/** An instant in ISO 8601 with its offset (`Z` or `±hh:mm`), e.g. `2026-02-16T09:12:00Z`. */
export const isoInstant = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:\d\d)$/, "a time is ISO 8601 with its offset");

/** WGS 84 latitude and longitude in decimal degrees. */
export const LatLonSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});
export type LatLonValue = z.infer<typeof LatLonSchema>;

/** Another event, by its seq and hash (a hash alone survives a re-numbering no one should make). */
export const EventRefSchema = z.strictObject({ seq: z.number().int().nonnegative(), hash: hex64 });
export type EventRef = z.infer<typeof EventRefSchema>;

// --- Reference imagery -------------------------------------------------------------------------

/** What a band of a multispectral scene measures, as the verifier maps it (e.g. Sentinel-2 B12 → swir2). */
export const BAND_ROLES = [
  "coastal",
  "blue",
  "green",
  "red",
  "red-edge",
  "nir",
  "nir-narrow",
  "swir1",
  "swir2",
  "pan",
  "thermal",
  "other",
] as const;
export type BandRole = (typeof BAND_ROLES)[number];

/** What the scene file itself says (read from its GeoTIFF tags at marking time, never edited). */
export const SceneTagsSchema = z.strictObject({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bandCount: z.number().int().positive(),
  /** Bits per sample and sample format of the first band, e.g. 16 and "uint". */
  bitsPerSample: z.number().int().positive(),
  sampleFormat: z.enum(["uint", "int", "float", "other"]),
  /** EPSG code of the projected or geographic CRS the GeoKeys name. */
  epsg: z.number().int().positive(),
  /** Bounds in the scene's own CRS: [minX, minY, maxX, maxY]. */
  bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  /** The same area in WGS 84 degrees: [west, south, east, north]. */
  bounds84: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  /** Ground size of a pixel in CRS units (metres for UTM): [x, y]. */
  resolution: z.tuple([z.number().positive(), z.number().positive()]),
  /** Internal tiling and reduced-resolution images: what makes a Cloud-Optimised GeoTIFF readable in ranges. */
  isTiled: z.boolean(),
  overviewCount: z.number().int().nonnegative(),
  /** TIFF DateTime / GDAL metadata acquisition tags as written in the file, if any (shown inert). */
  dateTime: examinerText(200).nullable(),
  description: examinerText(2000).nullable(),
  noData: z.number().nullable(),
});
export type SceneTags = z.infer<typeof SceneTagsSchema>;

/** What an offline basemap (PMTiles) says about itself. */
export const BasemapTagsSchema = z.strictObject({
  tileType: z.enum(["png", "jpeg", "webp", "avif", "mvt", "unknown"]),
  minZoom: z.number().int().min(0).max(30),
  maxZoom: z.number().int().min(0).max(30),
  bounds84: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  tileCount: z.number().int().nonnegative(),
  attribution: examinerText(2000).nullable(),
  name: examinerText(500).nullable(),
});
export type BasemapTags = z.infer<typeof BasemapTagsSchema>;

/**
 * An imported item marked as reference imagery: a satellite scene (GeoTIFF, COG) or an offline
 * basemap (PMTiles). What the verifier states (provider, scene id, acquisition date, band roles)
 * is kept apart from what the file's own tags say. A later `reference.marked` for the same item
 * replaces the earlier statement (both stay in the ledger).
 */
export const ReferenceMarkedPayload = z.discriminatedUnion("kind", [
  z.strictObject({
    sha256: hex64,
    kind: z.literal("scene"),
    provider: requiredText(200),
    sceneId: examinerText(300),
    /** The acquisition date as the verifier states it (UTC calendar date). */
    acquiredOn: calendarDate,
    bands: z
      .array(
        z.strictObject({ band: z.number().int().min(1).max(1000), role: z.enum(BAND_ROLES), label: examinerText(100) }),
      )
      .max(64),
    note: examinerText(4000),
    fileTags: SceneTagsSchema,
  }),
  z.strictObject({
    sha256: hex64,
    kind: z.literal("basemap"),
    provider: requiredText(200),
    note: examinerText(4000),
    fileTags: BasemapTagsSchema,
  }),
]);
export type ReferenceMarked = z.infer<typeof ReferenceMarkedPayload>;

// --- Geolocation -------------------------------------------------------------------------------

/** How precisely a place is known: exact ±10 m, vicinity ±100 m, locality ±1 km, or a stated radius. */
export const PRECISION_CLASSES = ["exact", "vicinity", "locality", "radius"] as const;
export type PrecisionClass = (typeof PRECISION_CLASSES)[number];
/** The radius each class stands for, in metres (`radius` states its own). */
export const PRECISION_RADIUS_M: Record<Exclude<PrecisionClass, "radius">, number> = {
  exact: 10,
  vicinity: 100,
  locality: 1000,
};

/** How sure the verifier is that the place is right. */
export const CONFIDENCE_LEVELS = ["verified", "strong-possibility", "possible", "unverified", "false"] as const;
export type ConfidenceLevel = (typeof CONFIDENCE_LEVELS)[number];

/** Where a claim of place or time comes from. Posting time is not capture time. */
export const CLAIM_SOURCES = ["metadata", "uploader", "caption", "post-time", "other"] as const;
export type ClaimSource = (typeof CLAIM_SOURCES)[number];

export const ClaimSchema = z.strictObject({
  source: z.enum(CLAIM_SOURCES),
  /** Where the claim says, if it says a point; a named place goes in `placeName`. */
  location: LatLonSchema.nullable(),
  placeName: examinerText(500).nullable(),
  /** When the claim says, as ISO 8601 with offset, or null. */
  time: isoInstant.nullable(),
  /** Who claims it and where (the caption's words, the channel, the tag name). */
  detail: examinerText(2000),
});
export type Claim = z.infer<typeof ClaimSchema>;

export const PlaceSchema = z.discriminatedUnion("shape", [
  z.strictObject({ shape: z.literal("point"), lat: LatLonSchema.shape.lat, lon: LatLonSchema.shape.lon }),
  /** A polygon's outer ring, not closed (the first point is not repeated). */
  z.strictObject({ shape: z.literal("area"), ring: z.array(LatLonSchema).min(3).max(500) }),
]);
export type Place = z.infer<typeof PlaceSchema>;

export const PrecisionSchema = z.strictObject({
  class: z.enum(PRECISION_CLASSES),
  /** Metres: the class's own radius, or the stated one for `radius`. */
  radiusM: z.number().positive().max(1_000_000),
});

/**
 * A point on the frame: pixel position on the original image, or on a keyframe derivative of a
 * video (its case path), with the frame's time in the video.
 */
export const FramePointSchema = z.strictObject({
  /** `original`, or the case path of the keyframe derivative the point was taken on. */
  image: z.union([
    z.literal("original"),
    z.string().regex(/^derived\/[0-9a-f]{64}\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/),
  ]),
  x: z.number().min(0).max(1_000_000),
  y: z.number().min(0).max(1_000_000),
  /** Seconds into the video; null for a still image. */
  timestampS: z.number().nonnegative().nullable(),
});
export type FramePoint = z.infer<typeof FramePointSchema>;

/** The layer a clue was matched on, enough to find the same imagery again. */
export const LayerRefSchema = z.strictObject({
  kind: z.enum(["scene", "basemap", "tiles"]),
  /** The reference item (scene, basemap) by its SHA-256; null for online tiles. */
  sha256: hex64.nullable(),
  provider: examinerText(200),
  sceneId: examinerText(300).nullable(),
  /** Acquisition date of the imagery, if known. */
  date: calendarDate.nullable(),
  /** An online layer's URL template, with any key left as `{key}`; null otherwise. */
  template: examinerText(2000).nullable(),
});
export type LayerRef = z.infer<typeof LayerRefSchema>;

/** How a resampled scene's pixels were given values on another grid: the methods the map can use. */
export const RESAMPLING_METHODS = ["nearest", "bilinear"] as const;
/** An EPSG code as the map records it (EPSG codes have at most six digits). */
const epsgCode = z.number().int().min(1).max(999_999);
const sceneOnDate = z.strictObject({ sha256: hex64, date: calendarDate });

/**
 * A map snapshot's dNBR layer whose two scenes were not on one pixel grid: which scene's pixels
 * were resampled, onto which scene's grid (its EPSG code, pixel size across and down in that
 * CRS's units — metres, or degrees for EPSG:4326 — and size in pixels), from which CRS, and how.
 * Absent from a layer whose scenes shared a grid, and from snapshots made before it was recorded.
 */
export const SnapshotResamplingSchema = z.strictObject({
  resampled: sceneOnDate,
  onto: sceneOnDate,
  grid: z.strictObject({
    epsg: epsgCode,
    pixelSize: z.tuple([z.number().positive().max(10_000_000), z.number().positive().max(10_000_000)]),
    width: z.number().int().min(1).max(10_000_000),
    height: z.number().int().min(1).max(10_000_000),
  }),
  fromEpsg: epsgCode,
  method: z.enum(RESAMPLING_METHODS),
});
export type SnapshotResampling = z.infer<typeof SnapshotResamplingSchema>;

export const ClueSchema = z.strictObject({
  /** What the feature is: "ridge line", "minaret", "wadi bend". */
  what: requiredText(200),
  frame: FramePointSchema,
  map: LatLonSchema,
  layer: LayerRefSchema,
});
export type Clue = z.infer<typeof ClueSchema>;

export const EliminatedSchema = z.strictObject({
  place: requiredText(500),
  location: LatLonSchema.nullable(),
  why: requiredText(2000),
});

/**
 * A geolocation of an item: the claims kept apart from the verifier's finding, the clues that
 * support it, the places considered and eliminated, the method in the verifier's words. `replaces`
 * names the proposal this one revises (same item); the one it replaces stays in the ledger.
 */
export const GeolocationProposedPayload = z
  .strictObject({
    sha256: hex64,
    replaces: EventRefSchema.nullable(),
    claims: z.array(ClaimSchema).max(20),
    outcome: z.enum(["located", "cannot-geolocate"]),
    /** Required when located; null when the item cannot be geolocated. */
    place: PlaceSchema.nullable(),
    precision: PrecisionSchema.nullable(),
    confidence: z.enum(CONFIDENCE_LEVELS).nullable(),
    /** Why the item cannot be geolocated; null when located. */
    cannotReason: examinerText(4000).nullable(),
    clues: z.array(ClueSchema).max(100),
    eliminated: z.array(EliminatedSchema).max(100),
    method: examinerText(20_000),
    /** The place could expose a witness: exports round or omit it unless the examiner chooses otherwise. */
    sensitive: z.boolean(),
    /** The map snapshot saved with it (a `map-snapshot` derivative of the item), if any. */
    snapshot: z.strictObject({ path: z.string().max(300), sha256: hex64 }).nullable(),
  })
  .superRefine((p, ctx) => {
    const located = p.outcome === "located";
    if (located && (p.place === null || p.precision === null || p.confidence === null)) {
      ctx.addIssue({ code: "custom", message: "a located item needs a place, a precision and a confidence" });
    }
    if (!located && (p.place !== null || p.precision !== null || p.confidence !== null)) {
      ctx.addIssue({
        code: "custom",
        message: "an item that cannot be geolocated has no place, precision or confidence",
      });
    }
    if (!located && (p.cannotReason === null || p.cannotReason.trim() === "")) {
      ctx.addIssue({ code: "custom", message: "say why the item cannot be geolocated" });
    }
    if (located && p.cannotReason !== null) {
      ctx.addIssue({ code: "custom", message: "a located item has no reason it cannot be geolocated" });
    }
  });
export type GeolocationProposed = z.infer<typeof GeolocationProposedPayload>;

/** A second examiner's review of a geolocation proposal (never by the examiner who proposed it). */
export const GeolocationReviewedPayload = z.strictObject({
  sha256: hex64,
  geolocation: EventRefSchema,
  verdict: z.enum(["agree", "disagree"]),
  reason: requiredText(4000),
});
export type GeolocationReviewed = z.infer<typeof GeolocationReviewedPayload>;

// --- Chronolocation ----------------------------------------------------------------------------

/** A span of time, both ends ISO 8601 with offset, `from` ≤ `to`. */
export const TimeWindowSchema = z
  .strictObject({ from: isoInstant, to: isoInstant })
  .refine((w) => Date.parse(w.from) <= Date.parse(w.to), "a window ends after it starts");

const PixelSchema = z.strictObject({ x: z.number().min(0).max(1_000_000), y: z.number().min(0).max(1_000_000) });

/** An object and its shadow measured on the frame, and the times of day they fit. */
export const ShadowMeasurementSchema = z.strictObject({
  frame: FramePointSchema.omit({ x: true, y: true }),
  /** What casts the shadow: "lamp post", "wall corner". */
  what: requiredText(200),
  /** The object's foot and top on the frame; null when its height is known instead. */
  object: z.strictObject({ base: PixelSchema, top: PixelSchema }).nullable(),
  knownHeightM: z.number().positive().max(10_000).nullable(),
  shadow: z.strictObject({ base: PixelSchema, tip: PixelSchema }),
  /** Shadow length over object height, as measured. */
  ratio: z.number().positive().max(1000),
  /** The shadow's direction on the map, degrees clockwise from true north, if the verifier set it. */
  shadowBearingDeg: z.number().min(0).max(360).nullable(),
  /** Sun elevation the ratio implies, degrees. */
  elevationDeg: z.number().min(0).max(90),
  /** The times of day on `date` at `place` when the sun stands at that elevation (and bearing, if set). */
  windows: z.array(TimeWindowSchema).max(8),
});
export type ShadowMeasurement = z.infer<typeof ShadowMeasurementSchema>;

/**
 * When an item was made, as far as the sun tells: the claimed times (metadata, post time, caption)
 * side by side with the verifier's estimated window, the shadow measurements behind it, and the
 * sun model used. `replaces` names the record this one revises.
 */
export const ChronolocationRecordedPayload = z.strictObject({
  sha256: hex64,
  replaces: EventRefSchema.nullable(),
  place: LatLonSchema,
  date: calendarDate,
  claims: z.array(ClaimSchema).max(20),
  /** The verifier's estimate, UTC; null when the evidence does not narrow it. */
  window: TimeWindowSchema.nullable(),
  shadows: z.array(ShadowMeasurementSchema).max(20),
  sunModel: z.strictObject({ name: z.string().max(64), version: z.string().max(64) }),
  method: examinerText(20_000),
});
export type ChronolocationRecorded = z.infer<typeof ChronolocationRecordedPayload>;

// --- Exports -----------------------------------------------------------------------------------

export const GEO_EXPORT_FORMATS = ["geojson", "kml", "csv"] as const;
export type GeoExportFormat = (typeof GEO_EXPORT_FORMATS)[number];

/** What an export did with sensitive places: rounded to ~1 km, left out, or included as recorded. */
export const SENSITIVE_HANDLING = ["rounded", "omitted", "included"] as const;

/** A file of geolocations written to `exports/`, named with its hash so it can be checked later. */
export const GeolocationsExportedPayload = z.strictObject({
  format: z.enum(GEO_EXPORT_FORMATS),
  /** Case-relative path, always `exports/<plain name>`. */
  path: z.string().regex(/^exports\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/),
  sha256: hex64,
  size: z.number().int().nonnegative(),
  /** The geolocation proposals written, by seq and hash. */
  geolocations: z.array(EventRefSchema).max(100_000),
  sensitive: z.enum(SENSITIVE_HANDLING),
  /** Head of the ledger the export was made from. */
  head: EventRefSchema,
  tool: z.strictObject({ name: z.string().max(128), version: z.string().max(128) }),
});
export type GeolocationsExported = z.infer<typeof GeolocationsExportedPayload>;

export const GEO_PAYLOAD_SCHEMAS = {
  "reference.marked": ReferenceMarkedPayload,
  "geolocation.proposed": GeolocationProposedPayload,
  "geolocation.reviewed": GeolocationReviewedPayload,
  "chronolocation.recorded": ChronolocationRecordedPayload,
  "geolocations.exported": GeolocationsExportedPayload,
} as const;
