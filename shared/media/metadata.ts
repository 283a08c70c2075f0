/**
 * What a file says about itself, in one normalised shape (plus the full raw
 * record), as `sightline inspect --json` prints it and as the
 * `metadata.extracted` ledger event records it.
 *
 * Nothing here is invented: a field the file does not give is null, and
 * anything an investigator should look at twice is a warning with a code a
 * program can test and a message a person can read.
 */
import { z } from "zod";

export const MEDIA_KINDS = ["image", "video", "audio", "other"] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/**
 * Warning codes. Each is one fact about the file, phrased for the report.
 *
 * - `empty-file`: zero bytes.
 * - `unknown-format`: the content is not a format Sightline reads; it is still preserved.
 * - `extension-mismatch`: the name's extension says one format, the bytes another.
 * - `no-metadata`: no EXIF, XMP or IPTC at all (typical of re-uploads through messaging apps);
 *   for video, no creation time, location or device tags.
 * - `metadata-unreadable`: a metadata block is present but could not be parsed.
 * - `metadata-truncated`: the raw record was too large and was cut to fit (the original is untouched).
 * - `editing-software`: `Software`, `CreatorTool` or the XMP history names an editing program.
 * - `captured-after-modified`: the stated capture time is later than the file's modification time.
 * - `gps-zero`: GPS tags are present but say 0, 0.
 * - `thumbnail-mismatch`: the thumbnail embedded in EXIF shows a different picture from the main image.
 * - `suspicious-text`: a metadata string holds control characters, bidirectional overrides or markup.
 * - `image-undecodable`: the pixels could not be decoded (truncated or corrupt); no thumbnail.
 * - `video-unreadable`: ffprobe could not read the container.
 * - `no-keyframes`: the video goes longer than `KEYFRAME_GAP_LIMIT_S` (see electron/services/media/keyframes.ts)
 *   without a keyframe, more than phones and platforms leave; frames were sampled at even intervals.
 * - `tool-missing`: a tool needed for this kind of file (ffmpeg, ffprobe, heif-convert) was not found.
 */
export const WARNING_CODES = [
  "empty-file",
  "unknown-format",
  "extension-mismatch",
  "no-metadata",
  "metadata-unreadable",
  "metadata-truncated",
  "editing-software",
  "captured-after-modified",
  "gps-zero",
  "thumbnail-mismatch",
  "suspicious-text",
  "image-undecodable",
  "video-unreadable",
  "no-keyframes",
  "tool-missing",
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export const MediaWarningSchema = z.object({
  code: z.enum(WARNING_CODES),
  /** One line a person understands. May quote file text: show it inert. */
  message: z.string(),
});
export type MediaWarning = z.infer<typeof MediaWarningSchema>;

export const GpsSchema = z.object({
  /** Decimal degrees, south negative. */
  lat: z.number().min(-90).max(90),
  /** Decimal degrees, west negative. */
  lon: z.number().min(-180).max(180),
  /** Metres above sea level (below is negative), or null. */
  altitude: z.number().nullable(),
});
export type Gps = z.infer<typeof GpsSchema>;

export const MediaMetadataSchema = z.object({
  /**
   * ISO 8601. Carries the offset when the file gives one (`2026-02-16T09:12:44+01:00`);
   * without an offset it is the camera's local wall-clock time with no zone (`2026-02-16T09:12:44`),
   * except QuickTime `creation_time`, which is UTC by definition (`…Z`).
   */
  capturedAt: z.string().nullable(),
  /** The tag it came from, e.g. `EXIF:DateTimeOriginal+OffsetTimeOriginal`, `QuickTime:com.apple.quicktime.creationdate`. */
  capturedAtSource: z.string().nullable(),
  gps: GpsSchema.nullable(),
  /**
   * Where `gps` came from, e.g. `EXIF:GPSLatitude/GPSLongitude`, `XMP:exif:GPSLatitude/GPSLongitude`,
   * `QuickTime:location`; null without GPS. Absent from events written before it was recorded.
   */
  gpsSource: z.string().nullable().optional(),
  camera: z.object({ make: z.string().nullable(), model: z.string().nullable() }).nullable(),
  software: z.string().nullable(),
  /** Stored pixel size (before orientation is applied). */
  dimensions: z.object({ width: z.number().int(), height: z.number().int() }).nullable(),
  /** EXIF orientation 1–8; for video, the rotation expressed the same way (90° clockwise = 6). */
  orientation: z.number().int().min(1).max(8).nullable(),
  durationS: z.number().nullable(),
  /** Codec or coding names: `jpeg`, `png`, `h264`, `aac`… */
  codecs: z.array(z.string()),
  /** Everything the parsers returned, made JSON-safe and bounded (see `RAW_LIMITS`). */
  raw: z.record(z.string(), z.unknown()),
});
export type MediaMetadata = z.infer<typeof MediaMetadataSchema>;

/** Bounds on the raw record, so a crafted 10 MB XMP block cannot swell the ledger. */
export const RAW_LIMITS = {
  maxStringChars: 4096,
  maxArrayItems: 256,
  maxDepth: 12,
  maxTotalChars: 256 * 1024,
} as const;

export const InspectResultSchema = z.object({
  /** The path as given. */
  file: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Sniffed from the bytes, not the name; `application/octet-stream` when unknown. */
  mime: z.string(),
  kind: z.enum(MEDIA_KINDS),
  metadata: MediaMetadataSchema,
  warnings: z.array(MediaWarningSchema),
});
export type InspectResult = z.infer<typeof InspectResultSchema>;

/** The empty record: every field unknown. */
export function emptyMetadata(): MediaMetadata {
  return {
    capturedAt: null,
    capturedAtSource: null,
    gps: null,
    camera: null,
    software: null,
    dimensions: null,
    orientation: null,
    durationS: null,
    codecs: [],
    raw: {},
  };
}
