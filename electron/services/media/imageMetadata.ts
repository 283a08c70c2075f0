/**
 * What an image says about itself: exifr reads EXIF, GPS, XMP, IPTC, ICC and
 * JFIF (JPEG, PNG, HEIC/HEIF, TIFF, AVIF; for WebP we hand it the EXIF block
 * sharp finds), sharp reads the real pixel size from the image header.
 *
 * exifr runs with `reviveValues: false` so dates stay the strings the camera
 * wrote: reviving them would read them in this computer's time zone.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import exifr from "exifr";
import { imageSize } from "image-size";
import type { Metadata } from "sharp";
import {
  EDITORS,
  NOT_XMP,
  block,
  captureTime,
  decodeXmpEntities,
  editHistory,
  gpsFrom,
  num,
  str,
  xmpValue,
  type ExifrOutput,
} from "./exifrValues.js";
import { mergeXmp, rescueTiffIptc, sharpHeader, tiffBlockOf, xmpFromPacket, xmpGps } from "./metadataRescue.js";
import type { MediaMetadata, MediaWarning } from "../../../shared/media/metadata.js";
import type { Sniffed } from "./sniffFile.js";
import type { MediaTools } from "./mediaTools.js";

const execFileAsync = promisify(execFile);

const EXIFR_OPTIONS = {
  tiff: true,
  ifd0: true,
  ifd1: true,
  exif: true,
  gps: true,
  interop: true,
  xmp: true,
  iptc: true,
  icc: true,
  jfif: true,
  ihdr: true,
  // Maker notes are vendor-specific binary; we keep their size and digest, which the raw record does for bytes.
  makerNote: true,
  userComment: true,
  multiSegment: true,
  mergeOutput: false,
  translateKeys: true,
  translateValues: false,
  reviveValues: false,
  sanitize: true,
  silentErrors: true,
} as unknown as Parameters<typeof exifr.parse>[1];

/** Formats exifr parses from the file itself. */
const EXIFR_FORMATS = new Set(["jpg", "png", "tif", "heic", "avif", "cr2", "nef", "dng", "arw"]);
/** The fields of a PNG's IHDR chunk, as exifr names them (its other `ihdr` keys are text chunks). */
const PNG_HEADER_FIELDS = new Set([
  "ImageWidth",
  "ImageHeight",
  "BitDepth",
  "ColorType",
  "Compression",
  "Filter",
  "Interlace",
]);
/** Formats whose XMP exifr does not read: sharp hands us the packet. */
const XMP_VIA_SHARP = new Set(["webp", "avif", "heic"]);
/** Segments that say something about capture (JFIF, ICC and PNG's header do not). */
const DESCRIPTIVE = ["ifd0", "exif", "gps", "xmp", "iptc"];

const TIFF_BLOCKS = ["ifd0", "exif", "gps"];

/**
 * exifr with every segment; if its IPTC reader fails on the file (a known exifr
 * bug with some TIFFs, MikeKovarik/exifr#96), the rest is read without IPTC
 * rather than lost.
 */
async function parseWithFallback(input: string | Uint8Array): Promise<ExifrOutput> {
  const parse = async (options: typeof EXIFR_OPTIONS) =>
    ((await exifr.parse(input, options)) as ExifrOutput | undefined) ?? {};
  let failure: unknown = null;
  let out: ExifrOutput = {};
  try {
    out = await parse(EXIFR_OPTIONS);
  } catch (error) {
    failure = error;
  }
  const errors = Array.isArray(out.errors) ? out.errors : [];
  const gotTiff = TIFF_BLOCKS.some((k) => Object.keys(block(out, k)).length > 0);
  if (!failure && (errors.length === 0 || gotTiff)) return out;
  const retry = await parse({ ...(EXIFR_OPTIONS as object), iptc: false } as typeof EXIFR_OPTIONS);
  const first = failure ?? errors[0];
  retry.errors = [
    ...(Array.isArray(retry.errors) ? retry.errors : []),
    new Error(
      `the IPTC block could not be parsed (${oneLine((first as Error)?.message ?? String(first))}); the rest was read`,
    ),
  ];
  return retry;
}

/** The first line of a parser's message, cut to a readable length. */
function oneLine(message: string, max = 80): string {
  const first = message.split("\n")[0]!;
  return first.length > max ? `${first.slice(0, max)}…` : first;
}

/**
 * exifr's reason in words: "Segment unreachable: {…json…}" means a block's stated length runs past
 * the end of the file.
 */
function parserWords(message: string): string {
  const unreachable = /^Segment unreachable:.*"type":"(\w+)"/.exec(message);
  if (unreachable)
    return `the ${unreachable[1]!.toUpperCase()} block runs past the end of the file (the file is cut short)`;
  return oneLine(message, 200);
}

export interface ImageMetadataResult {
  metadata: Omit<MediaMetadata, "raw">;
  /** The parsers' output, not yet made JSON-safe. */
  raw: Record<string, unknown>;
  warnings: MediaWarning[];
  /** Whether EXIF carries an embedded thumbnail worth comparing. */
  hasExifThumbnail: boolean;
}

async function heifDimensions(file: string, tools: MediaTools): Promise<{ width: number; height: number } | null> {
  if (!tools.heifConvert) return null;
  // heif-info ships beside heif-convert in libheif's tools.
  const heifInfo = tools.heifConvert.path.replace(/heif-convert(\.exe)?$/, "heif-info$1");
  try {
    const { stdout } = await execFileAsync(heifInfo, [file], { timeout: 20_000, maxBuffer: 1 << 20 });
    const m = /image:\s*(\d+)x(\d+).*primary/.exec(stdout) ?? /image:\s*(\d+)x(\d+)/.exec(stdout);
    return m ? { width: Number(m[1]), height: Number(m[2]) } : null;
  } catch {
    return null;
  }
}

export async function readImageMetadata(
  file: string,
  sniffed: Sniffed,
  tools: MediaTools,
): Promise<ImageMetadataResult> {
  const warnings: MediaWarning[] = [];
  const raw: Record<string, unknown> = {};
  let out: ExifrOutput = {};

  // Pixel size from the bytes already read (image-size, pure JS); sharp opens the file only
  // for formats whose EXIF/XMP exifr cannot reach (WebP), when the header lies further in, or
  // when exifr's first read found no EXIF (PNG) or no IPTC (TIFF) and sharp may find it.
  let header: Metadata | null = null;
  let size: { width: number; height: number } | null = null;
  try {
    const found = imageSize(sniffed.head);
    if (found.width > 0 && found.height > 0) size = { width: found.width, height: found.height };
  } catch {
    size = null;
  }
  if (!size || !EXIFR_FORMATS.has(sniffed.ext ?? "")) header = await sharpHeader(file, raw);
  size ??= header?.width && header.height ? { width: header.width, height: header.height } : null;

  try {
    if (sniffed.ext && EXIFR_FORMATS.has(sniffed.ext)) {
      out = await parseWithFallback(sniffed.isWhole ? sniffed.head : file);
      // exifr reads a PNG's chunks only as far as its first read reaches; an eXIf chunk
      // after a large XMP chunk is missed. sharp always finds it: read that block instead.
      if (!TIFF_BLOCKS.some((k) => Object.keys(block(out, k)).length > 0)) {
        header ??= await sharpHeader(file, raw);
        const tiff = tiffBlockOf(header);
        const rescued = tiff ? await parseWithFallback(tiff) : null;
        // EXIF read this way answers the first read's complaint about the EXIF it could not reach
        // (exifr calls the Exif item of some HEIF files "Malformed EXIF data"; sharp reads it whole).
        const isRead = rescued && TIFF_BLOCKS.some((k) => Object.keys(block(rescued, k)).length > 0);
        if (rescued) out = isRead ? { ...out, errors: undefined, ...rescued } : { ...out, ...rescued };
      }
      if (sniffed.ext === "tif" && Object.keys(block(out, "iptc")).length === 0) await rescueTiffIptc(file, out, raw);
    } else {
      // WebP and others: sharp found the EXIF block; exifr reads it as the TIFF structure it is.
      const tiff = tiffBlockOf(header);
      if (tiff) out = await parseWithFallback(tiff);
    }
  } catch (error) {
    warnings.push({
      code: "metadata-unreadable",
      message: `The metadata could not be read: ${(error as Error).message.split("\n")[0]}.`,
    });
    out = {};
  }
  // exifr does not reach the XMP of WebP, AVIF and HEIF (nor a PNG's past its first read): sharp
  // finds the packet, and exifr reads it as it would in a JPEG.
  const hasXmp = () => Object.keys(out).some((k) => !NOT_XMP.has(k) && Object.keys(block(out, k)).length > 0);
  if (!hasXmp() && (XMP_VIA_SHARP.has(sniffed.ext ?? "") || (sniffed.ext === "png" && header))) {
    header ??= await sharpHeader(file, raw);
    const xmp = await xmpFromPacket(header?.xmp);
    if (xmp) mergeXmp(out, xmp);
    else if (header?.xmp) raw.xmpPacket = header.xmp.toString("utf8");
  }
  decodeXmpEntities(out);
  const errors = out.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    warnings.push({
      code: "metadata-unreadable",
      message: `Part of the metadata could not be read: ${parserWords(String((errors[0] as Error)?.message ?? errors[0]))}.`,
    });
  }
  for (const [k, v] of Object.entries(out)) if (k !== "errors") raw[k] = v;

  const ifd0 = block(out, "ifd0");
  const make = str(ifd0.Make);
  const model = str(ifd0.Model);
  const software = str(ifd0.Software) ?? xmpValue(out, ["CreatorTool"])?.value ?? null;
  const time = captureTime(out);
  const orientationTag = num(ifd0.Orientation);
  const orientation =
    orientationTag !== null && orientationTag >= 1 && orientationTag <= 8
      ? orientationTag
      : (header?.orientation ?? null);

  let dimensions = size;
  if (!dimensions && (sniffed.ext === "heic" || sniffed.mime === "image/heif")) {
    dimensions = await heifDimensions(file, tools);
  }
  const exifGps = gpsFrom(out);
  const fromXmp = exifGps ? null : xmpGps(block(out, "exif"));
  const gps = exifGps ?? fromXmp?.gps ?? null;
  const gpsSource = exifGps ? "EXIF:GPSLatitude/GPSLongitude" : (fromXmp?.source ?? null);

  // XMP comes back as one block per namespace (dc, photoshop, xmpMM…): any of them is descriptive.
  const xmpNamespaces = Object.keys(out).filter((k) => !NOT_XMP.has(k) && Object.keys(block(out, k)).length > 0);
  // PNG text chunks come back with the header's own fields: any other key is a text the file carries.
  const pngTexts = Object.keys(block(out, "ihdr")).filter((k) => !PNG_HEADER_FIELDS.has(k));
  const hasDescriptive =
    DESCRIPTIVE.some((k) => Object.keys(block(out, k)).length > 0) ||
    xmpNamespaces.length > 0 ||
    pngTexts.length > 0 ||
    !!raw.xmpPacket;
  if (!hasDescriptive && !warnings.some((w) => w.code === "metadata-unreadable")) {
    warnings.push({
      code: "no-metadata",
      message: "No EXIF, XMP or IPTC metadata at all: typical of a copy re-saved by a messaging app or website.",
    });
  }
  const editors = [software, ...editHistory(out)].filter((s): s is string => !!s && EDITORS.test(s));
  if (editors.length > 0) {
    warnings.push({
      code: "editing-software",
      message: `The metadata names editing software: "${[...new Set(editors)].slice(0, 3).join('", "')}".`,
    });
  }
  if (gps && gps.lat === 0 && gps.lon === 0) {
    warnings.push({
      code: "gps-zero",
      message: "GPS tags are present but give 0, 0 (a placeholder, not a place).",
    });
  }

  return {
    metadata: {
      capturedAt: time?.at ?? null,
      capturedAtSource: time?.source ?? null,
      gps,
      gpsSource,
      camera: make || model ? { make, model } : null,
      software,
      dimensions,
      orientation,
      durationS: null,
      codecs: [header?.format ?? (sniffed.ext === "jpg" ? "jpeg" : sniffed.ext) ?? "unknown"],
    },
    raw,
    warnings,
    hasExifThumbnail: Object.keys(block(out, "ifd1")).length > 0,
  };
}

/** The JPEG thumbnail embedded in EXIF (IFD1), if any. */
export async function exifThumbnail(file: string): Promise<Uint8Array | null> {
  try {
    return (await exifr.thumbnail(file)) ?? null;
  } catch {
    return null;
  }
}
