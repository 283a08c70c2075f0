/**
 * Reads what a file says about itself. Shared by `sightline inspect` (no case,
 * never writes) and by import, which records the same result in a
 * `metadata.extracted` event and keeps the thumbnail pixels for derivatives.
 *
 * Hostile files never make this throw: whatever could be read is returned,
 * and everything that could not is a warning.
 */
import { stat } from "node:fs/promises";
import { hasZone } from "../../../shared/media/captureTime.js";
import {
  emptyMetadata,
  type InspectResult,
  type MediaMetadata,
  type MediaWarning,
} from "../../../shared/media/metadata.js";
import { SightlineError, describeIoError } from "../sightlineError.js";
import { exifThumbnail, readImageMetadata } from "./imageMetadata.js";
import { compareExifThumbnail, renderImage, type RenderedImage } from "./imagePixels.js";
import { mediaTools, type MediaTools } from "./mediaTools.js";
import { toRawRecord } from "./rawRecord.js";
import { sniffFile, type Sniffed } from "./sniffFile.js";
import { readVideoMetadata, type VideoMetadataResult } from "./videoMetadata.js";
import { sha256File } from "../vault/fileDigest.js";

export interface AnalyseOptions {
  tools?: MediaTools;
  /** Known already (import hashed it on the way in): skips the hashing read. */
  sha256?: string;
  /** The name to judge the extension by, when `file` is a vault object named by its hash. */
  originalName?: string;
  /** The source's modification time, when `file` is a vault copy. */
  modifiedAt?: Date;
  /** Decode the pixels (thumbnail, pHash, embedded-thumbnail check). Default true. */
  render?: boolean;
}

export interface Analysis {
  result: Omit<InspectResult, "file">;
  sniffed: Sniffed;
  /** The image's thumbnail pixels and pHash, when it could be decoded. */
  rendered: RenderedImage | null;
  /** Container and codecs of a video, for keyframes and the proxy decision. */
  video: VideoMetadataResult | null;
}

function capturedAfterModified(capturedAt: string | null, modified: Date): MediaWarning | null {
  if (!capturedAt) return null;
  const zoned = hasZone(capturedAt);
  const instant = Date.parse(zoned ? capturedAt : `${capturedAt}Z`);
  if (!Number.isFinite(instant)) return null;
  // A time without a zone could be anywhere from UTC-12 to UTC+14: only flag what no zone explains.
  const earliest = zoned ? instant : instant - 14 * 3600_000;
  if (earliest <= modified.getTime() + 2000) return null;
  return {
    code: "captured-after-modified",
    message: `The stated capture time ${capturedAt} is later than the file's modification time ${modified.toISOString()}${zoned ? "" : " in every time zone"}.`,
  };
}

export async function analyseFile(file: string, options: AnalyseOptions = {}): Promise<Analysis> {
  const tools = options.tools ?? mediaTools();
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    throw new SightlineError("not-found", `${file}: ${describeIoError(error)}`);
  }
  if (!info.isFile()) throw new SightlineError("invalid-input", `${file}: not a regular file`);

  const sha256 = options.sha256 ?? (await sha256File(file)).sha256;
  const { sniffed, warnings } = await sniffFile(options.originalName ?? file, info.size, file);
  let metadata: Omit<MediaMetadata, "raw"> = emptyMetadata();
  let raw: Record<string, unknown> = {};
  let rendered: RenderedImage | null = null;
  let video: VideoMetadataResult | null = null;

  if (sniffed.kind === "image") {
    const [meta, pixels] = await Promise.all([
      readImageMetadata(file, sniffed, tools),
      options.render === false
        ? Promise.resolve({ rendered: null, warnings: [] })
        : renderImage(file, sniffed.ext, tools),
    ]);
    metadata = meta.metadata;
    raw = meta.raw;
    warnings.push(...meta.warnings, ...pixels.warnings);
    rendered = pixels.rendered;
    if (rendered && meta.hasExifThumbnail) {
      const embedded = await exifThumbnail(file);
      if (embedded) {
        const cmp = await compareExifThumbnail(embedded, metadata.orientation, rendered.phash);
        if (cmp.warning) warnings.push(cmp.warning);
        raw.exifThumbnail = { bytes: embedded.length, phashDistance: cmp.distance };
      }
    }
  } else if (sniffed.kind === "video" || sniffed.kind === "audio") {
    video = await readVideoMetadata(file, tools);
    metadata = video.metadata;
    raw = video.raw;
    warnings.push(...video.warnings);
  }

  const after = capturedAfterModified(metadata.capturedAt, options.modifiedAt ?? info.mtime);
  if (after) warnings.push(after);

  const converted = toRawRecord(raw);
  if (converted.truncated) {
    warnings.push({
      code: "metadata-truncated",
      message: "The metadata is unusually large; the recorded copy was cut to fit (the original file is untouched).",
    });
  }
  if (converted.suspicious.length > 0) {
    warnings.push({
      code: "suspicious-text",
      message: `Metadata text holds control characters, direction overrides or markup (${converted.suspicious
        .slice(0, 4)
        .join(", ")}${converted.suspicious.length > 4 ? ", …" : ""}); it is shown inert.`,
    });
  }

  return {
    result: {
      size: info.size,
      sha256,
      mime: sniffed.mime,
      kind: sniffed.kind,
      metadata: { ...metadata, raw: converted.value },
      warnings,
    },
    sniffed,
    rendered,
    video,
  };
}

/** `sightline inspect`: reads, never writes. */
export async function inspectFile(file: string, options: AnalyseOptions = {}): Promise<InspectResult> {
  const { result } = await analyseFile(file, options);
  return { file, ...result };
}
