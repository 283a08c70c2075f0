/**
 * What a file is, from its bytes (file-type's signatures), never from its name.
 * The name's extension is only compared, so a PNG named `.jpg` or a video named
 * `.jpg` is reported rather than believed.
 */
import { open } from "node:fs/promises";
import path from "node:path";
import { fileTypeFromBuffer } from "file-type";
import type { MediaKind, MediaWarning } from "../../../shared/media/metadata.js";

export interface Sniffed {
  /**
   * The first bytes of the file (up to `HEAD_BYTES`), read once and shared by the
   * readers: per-file opens, not parsing, are most of the cost of reading metadata.
   */
  head: Buffer;
  /** True when `head` is the whole file. */
  isWhole: boolean;
  mime: string;
  /** file-type's extension for the content, e.g. `jpg`; null when unknown. */
  ext: string | null;
  kind: MediaKind;
}

/** Extensions that name the same format (or the same container family, where mislabelling is routine). */
const FAMILIES: string[][] = [
  ["jpg", "jpeg", "jpe", "jfif", "jif"],
  ["tif", "tiff"],
  ["heic", "heif", "hif", "avci"],
  ["mp4", "m4v", "mov", "qt", "3gp", "3g2", "m4a"],
  ["mkv", "webm", "mka"],
  ["mpg", "mpeg", "ts", "mts", "m2ts"],
  ["ogg", "ogv", "oga", "opus"],
];

/** Enough for the signature, EXIF, and the XMP of nearly every photo. */
export const HEAD_BYTES = 256 * 1024;

async function readHead(file: string, size: number): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.allocUnsafe(Math.min(size, HEAD_BYTES));
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

function family(ext: string): string {
  const e = ext.toLowerCase();
  return FAMILIES.find((f) => f.includes(e))?.[0] ?? e;
}

function kindOf(mime: string): MediaKind {
  if (mime.startsWith("image/")) return "image";
  if (mime.startsWith("video/")) return "video";
  if (mime.startsWith("audio/")) return "audio";
  // MP4/QuickTime with a brand file-type reads as generic still holds video.
  if (mime === "application/mp4") return "video";
  return "other";
}

/** Sniffs `file`'s bytes; `name` is the name whose extension is judged (the original name of a vault copy). */
export async function sniffFile(
  name: string,
  size: number,
  file = name,
): Promise<{ sniffed: Sniffed; warnings: MediaWarning[] }> {
  const warnings: MediaWarning[] = [];
  if (size === 0) {
    warnings.push({ code: "empty-file", message: "The file is empty (0 bytes)." });
    const empty = { head: Buffer.alloc(0), isWhole: true };
    return { sniffed: { ...empty, mime: "application/octet-stream", ext: null, kind: "other" }, warnings };
  }
  const head = await readHead(file, size);
  const bytes = { head, isWhole: head.length >= size };
  let detected: { mime: string; ext: string } | undefined;
  try {
    detected = await fileTypeFromBuffer(head);
  } catch {
    detected = undefined;
  }
  const sniffed: Sniffed = detected
    ? { ...bytes, mime: detected.mime, ext: detected.ext, kind: kindOf(detected.mime) }
    : { ...bytes, mime: "application/octet-stream", ext: null, kind: "other" };

  const nameExt = path.extname(name).slice(1);
  if (!detected) {
    warnings.push({
      code: "unknown-format",
      message: `The content is not a format Sightline recognises${nameExt ? ` (named .${nameExt})` : ""}; it is preserved as it is.`,
    });
  } else if (nameExt && family(nameExt) !== family(detected.ext)) {
    warnings.push({
      code: "extension-mismatch",
      message: `Named .${nameExt}, but the content is ${detected.ext.toUpperCase()} (${detected.mime}).`,
    });
  }
  return { sniffed, warnings };
}
