/**
 * What exifr's output says, in Sightline's terms: the capture time and which tag gave it, GPS from
 * the EXIF GPS block, XMP properties by local name, the editing software in the history, and
 * XMP text decoded from its XML escapes. Pure reading of values exifr already parsed (the
 * reading of the file itself is imageMetadata.ts).
 */
import { exifDateToIso, isoLikeToIso, pngTimeToIso } from "../../../shared/media/captureTime.js";
import type { Gps } from "../../../shared/media/metadata.js";

/** Names of editing software, as a file's Software tag or XMP history gives them. */
export const EDITORS =
  /photoshop|lightroom|gimp|snapseed|pixelmator|affinity|paint\.net|picsart|facetune|canva|capture one|luminar|darktable|rawtherapee|vsco|afterlight|faceapp|remini|meitu|airbrush|photopea|fotor|polarr|photoscape|acdsee|corel|inpixio|fotojet|befunky/i;

export type Block = Record<string, unknown>;

/** Top-level keys of exifr's output that are not XMP namespaces. */
export const NOT_XMP = new Set(["ifd0", "ifd1", "exif", "gps", "interop", "iptc", "icc", "jfif", "ihdr", "errors"]);

const ENTITY = /&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g;
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** XML character references as the characters they stand for, in one pass (so `&amp;lt;` stays `&lt;`). */
export function decodeXmlEntities(text: string): string {
  return text.replace(ENTITY, (whole, name: string) => {
    if (name in NAMED) return NAMED[name]!;
    const code = name.startsWith("#x") ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** exifr leaves XMP text XML-escaped; decode it in place so `&lt;script&gt;` is seen (and shown) as what it is. */
export function decodeXmpEntities(out: ExifrOutput): void {
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > 16) return v;
    if (typeof v === "string") return decodeXmlEntities(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    if (v && typeof v === "object" && !ArrayBuffer.isView(v)) {
      for (const [k, x] of Object.entries(v)) (v as Record<string, unknown>)[k] = walk(x, depth + 1);
    }
    return v;
  };
  for (const key of Object.keys(out)) if (!NOT_XMP.has(key)) out[key] = walk(out[key], 0);
}
export type ExifrOutput = Record<string, Block | unknown>;

export const str = (v: unknown): string | null => {
  if (typeof v !== "string") return null;
  const t = v.replace(/\0+$/, "").trim();
  return t === "" ? null : t;
};

export function block(out: ExifrOutput, name: string): Block {
  const b = out[name];
  return b && typeof b === "object" && !Array.isArray(b) ? (b as Block) : {};
}

export function num(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (ArrayBuffer.isView(v) && (v as Uint8Array).length > 0) return (v as Uint8Array)[0]!;
  if (Array.isArray(v) && typeof v[0] === "number") return v[0];
  return null;
}

export function dms(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === "number" && Number.isFinite(x))) return null;
  const [d, m = 0, s = 0] = v as number[];
  return d! + m / 60 + s / 3600;
}

export function gpsFrom(out: ExifrOutput): Gps | null {
  const g = block(out, "gps");
  let lat = dms(g.GPSLatitude);
  let lon = dms(g.GPSLongitude);
  if (lat === null || lon === null) return null;
  if (str(g.GPSLatitudeRef)?.toUpperCase() === "S") lat = -Math.abs(lat);
  if (str(g.GPSLongitudeRef)?.toUpperCase() === "W") lon = -Math.abs(lon);
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  let altitude = num(g.GPSAltitude);
  if (altitude !== null && num(g.GPSAltitudeRef) === 1) altitude = -Math.abs(altitude);
  return { lat, lon, altitude };
}

/** XMP properties by local name, from whatever namespace blocks exifr returned. */
export function xmpValue(out: ExifrOutput, names: string[]): { value: string; tag: string } | null {
  for (const ns of ["xmp", "photoshop", "exif", "tiff", "xmpMM", "dc", "Iptc4xmpCore"]) {
    const b = block(out, ns);
    for (const n of names) {
      const v = b[n];
      const s = typeof v === "string" ? str(v) : v && typeof v === "object" && "value" in v ? str(v.value) : null;
      if (s) return { value: s, tag: `XMP:${ns}:${n}` };
    }
  }
  return null;
}

export function captureTime(out: ExifrOutput): { at: string; source: string } | null {
  const exif = block(out, "exif");
  const fromExif = (tag: string, sub: string, offset: string) => {
    const at = exifDateToIso(str(exif[tag]), str(exif[sub]), str(exif[offset]));
    return at ? { at, source: `EXIF:${tag}${str(exif[offset]) ? `+${offset}` : ""}` } : null;
  };
  const exifTime =
    fromExif("DateTimeOriginal", "SubSecTimeOriginal", "OffsetTimeOriginal") ??
    fromExif("CreateDate", "SubSecTimeDigitized", "OffsetTimeDigitized");
  if (exifTime) return exifTime;
  const xmp = xmpValue(out, ["DateTimeOriginal", "DateCreated", "CreateDate"]);
  if (xmp) {
    const at = isoLikeToIso(xmp.value) ?? exifDateToIso(xmp.value);
    if (at) return { at, source: xmp.tag };
  }
  const iptc = block(out, "iptc");
  const d = str(iptc.DateCreated);
  if (d && /^\d{8}$/.test(d)) {
    const t = str(iptc.TimeCreated) ?? "";
    const m = /^(\d{2})(\d{2})(\d{2})([+-]\d{4})?$/.exec(t);
    const at = exifDateToIso(
      `${d.slice(0, 4)}:${d.slice(4, 6)}:${d.slice(6, 8)} ${m ? `${m[1]}:${m[2]}:${m[3]}` : "00:00:00"}`,
      null,
      m?.[4] ?? null,
    );
    if (at && m) return { at, source: "IPTC:DateCreated+TimeCreated" };
  }
  // A PNG's `Creation Time` text chunk (exifr returns PNG text with the header fields).
  const png = pngTimeToIso(str(block(out, "ihdr")["Creation Time"]));
  return png ? { at: png, source: "PNG:CreationTime" } : null;
}

export function editHistory(out: ExifrOutput): string[] {
  const found: string[] = [];
  const history = block(out, "xmpMM").History;
  const walk = (v: unknown, depth: number) => {
    if (depth > 6 || found.length > 20) return;
    if (typeof v === "string") {
      if (EDITORS.test(v)) found.push(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1));
    else if (v && typeof v === "object") Object.values(v).forEach((x) => walk(x, depth + 1));
  };
  walk(history, 0);
  return found;
}
