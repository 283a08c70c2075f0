/**
 * What exifr's first read misses and exiftool finds, read another way:
 *
 * - IPTC inside a TIFF: exifr's IPTC reader fails on it (MikeKovarik/exifr#96). sharp hands us the
 *   IPTC-IIM bytes of the TIFF's IPTC-NAA tag; we give them to exifr's own IPTC reader inside the
 *   Photoshop resource block (APP13 "Photoshop 3.0", resource 0x0404) it reads in a JPEG, so the
 *   IIM records are parsed by the maintained reader, not by hand.
 * - XMP in WebP, AVIF and HEIF, which exifr does not reach: sharp finds the packet, and exifr
 *   reads it inside the APP1 segment (`http://ns.adobe.com/xap/1.0/`) it reads in a JPEG.
 * - GPS written only in XMP (`exif:GPSLatitude` = `16,30.0N`): read by `gpsFromXmp`.
 */
import exifr from "exifr";
import sharp, { type Metadata } from "sharp";
import { gpsFromXmp } from "../../../shared/media/xmpGps.js";
import type { Gps } from "../../../shared/media/metadata.js";
import type { ExifrOutput } from "./exifrValues.js";

/** Photoshop image resource 0x0404 holds IPTC-IIM. */
const IPTC_RESOURCE = 0x0404;
/** A JPEG segment's length field is 16 bits and counts itself. */
const MAX_SEGMENT_BODY = 0xffff - 2;
const XMP_APP1 = Buffer.from("http://ns.adobe.com/xap/1.0/\0", "latin1");

/** A minimal JPEG (SOI, one segment `marker` holding `body`, EOI), or null when it does not fit one segment. */
function oneSegmentJpeg(marker: number, body: Buffer): Buffer | null {
  if (body.length > MAX_SEGMENT_BODY) return null;
  const head = Buffer.alloc(4);
  head.writeUInt16BE(marker, 0);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), head, body, Buffer.from([0xff, 0xd9])]);
}

/** A minimal JPEG (SOI, one APP13, EOI) carrying `iim` as Photoshop resource 0x0404, or null when too large. */
function iimAsJpeg(iim: Buffer): Buffer | null {
  const pad = iim.length % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0);
  const header = Buffer.alloc(12);
  header.write("8BIM", 0, "latin1");
  header.writeUInt16BE(IPTC_RESOURCE, 4);
  // An empty Pascal name padded to an even length (two zero bytes), then the data's size.
  header.writeUInt32BE(iim.length, 8);
  return oneSegmentJpeg(0xffed, Buffer.concat([Buffer.from("Photoshop 3.0\0", "latin1"), header, iim, pad]));
}

/** How a segment's values are read: as written (no revived dates, no translated values), keys named. */
const SEGMENT_OPTIONS = {
  mergeOutput: false,
  translateKeys: true,
  translateValues: false,
  reviveValues: false,
  sanitize: true,
} as const;

/** exifr's reading of one segment (`iptc` or `xmp`) of a minimal JPEG; null when it finds nothing or fails. */
async function readSegment(jpeg: Buffer, segment: "iptc" | "xmp"): Promise<Record<string, unknown> | null> {
  try {
    const out = (await exifr.parse(jpeg, {
      tiff: false,
      icc: false,
      jfif: false,
      xmp: segment === "xmp",
      iptc: segment === "iptc",
      ...SEGMENT_OPTIONS,
    } as unknown as Parameters<typeof exifr.parse>[1])) as Record<string, unknown> | undefined;
    return out && Object.keys(out).length > 0 ? out : null;
  } catch {
    return null;
  }
}

/** XMP packets larger than this are kept raw, not parsed (a hostile file can claim any size). */
export const MAX_XMP_PACKET_BYTES = 8 * 1024 * 1024;

/**
 * The XMP namespaces in an XMP packet, read by exifr; null when there is none, it does not parse,
 * or it is larger than MAX_XMP_PACKET_BYTES (the caller then keeps the packet raw). A packet that
 * fits one JPEG segment is read as exifr reads a JPEG's; a larger one (WebP, AVIF and HEIF carry
 * XMP of any size, where a JPEG would split it over extended-XMP segments) as an XMP sidecar.
 */
export async function xmpFromPacket(packet: Buffer | undefined): Promise<Record<string, unknown> | null> {
  if (!packet || packet.length === 0 || packet.length > MAX_XMP_PACKET_BYTES) return null;
  const jpeg = oneSegmentJpeg(0xffe1, Buffer.concat([XMP_APP1, packet]));
  return jpeg ? readSegment(jpeg, "xmp") : readXmpSidecar(packet);
}

async function readXmpSidecar(packet: Buffer): Promise<Record<string, unknown> | null> {
  try {
    const out = (await exifr.sidecar(packet, SEGMENT_OPTIONS, "xmp")) as Record<string, unknown> | undefined;
    // The namespace declarations come back as a block of their own; they say nothing of the picture.
    const namespaces = Object.entries(out ?? {}).filter(([k]) => k !== "xmlns");
    return namespaces.length > 0 ? Object.fromEntries(namespaces) : null;
  } catch {
    return null;
  }
}

/** XMP namespaces merged into exifr's output; XMP's `exif:` properties never replace EXIF's own. */
export function mergeXmp(out: ExifrOutput, xmp: Record<string, unknown>): void {
  for (const [ns, value] of Object.entries(xmp)) {
    if (!value || typeof value !== "object" || Array.isArray(value)) continue;
    const existing = out[ns];
    out[ns] = existing && typeof existing === "object" && !Array.isArray(existing) ? { ...value, ...existing } : value;
  }
}

/** The IPTC records in `iim` (raw IPTC-IIM bytes, as sharp gives them), read by exifr; null when none. */
export async function iptcFromIim(iim: Buffer | undefined): Promise<Record<string, unknown> | null> {
  if (!iim || iim.length === 0 || iim[0] !== 0x1c) return null;
  const jpeg = iimAsJpeg(iim);
  const iptc = jpeg ? (await readSegment(jpeg, "iptc"))?.iptc : null;
  return iptc && typeof iptc === "object" && Object.keys(iptc).length > 0 ? (iptc as Record<string, unknown>) : null;
}

/**
 * GPS from XMP's `exif:` namespace. exifr puts XMP `exif:` properties into the same `exif` block
 * as the EXIF sub-IFD, but EXIF's own GPS lives in the `gps` block and is numeric: a `GPSLatitude`
 * string in `exif` can only have come from XMP.
 */
export function xmpGps(exifBlock: Record<string, unknown>): { gps: Gps; source: string } | null {
  if (typeof exifBlock.GPSLatitude !== "string" || typeof exifBlock.GPSLongitude !== "string") return null;
  const gps = gpsFromXmp(exifBlock);
  return gps ? { gps, source: "XMP:exif:GPSLatitude/GPSLongitude" } : null;
}

/** sharp's reading of the image header (EXIF, XMP and IPTC blocks included), noted in `raw.image`; null when it fails. */
export async function sharpHeader(file: string, raw: Record<string, unknown>): Promise<Metadata | null> {
  try {
    const header = await sharp(file, { failOn: "none" }).metadata();
    raw.image = {
      format: header.format,
      width: header.width,
      height: header.height,
      space: header.space,
      channels: header.channels,
      depth: header.depth,
      density: header.density,
      isProgressive: header.isProgressive,
      hasProfile: header.hasProfile,
      hasAlpha: header.hasAlpha,
      pages: header.pages,
      orientation: header.orientation,
    };
    return header;
  } catch {
    return null;
  }
}

/** The TIFF structure of the EXIF block sharp found, without its `Exif\0\0` prefix. */
export function tiffBlockOf(header: Metadata | null): Buffer | null {
  if (!header?.exif) return null;
  return header.exif.subarray(0, 6).toString("latin1") === "Exif\0\0" ? header.exif.subarray(6) : header.exif;
}

/** A TIFF's IPTC, which exifr cannot parse there, read from the IIM bytes sharp finds; its failure is then no longer one. */
export async function rescueTiffIptc(file: string, out: ExifrOutput, raw: Record<string, unknown>): Promise<void> {
  const iptc = await iptcFromIim((await sharpHeader(file, raw))?.iptc);
  if (!iptc) return;
  out.iptc = iptc;
  if (Array.isArray(out.errors)) {
    out.errors = out.errors.filter((e) => !/IPTC block could not be parsed/.test(String((e as Error)?.message ?? e)));
  }
}
