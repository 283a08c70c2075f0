/**
 * What a file is, from its bytes (file-type's signatures), never from its name.
 * The name's extension is only compared, so a PNG named `.jpg` or a video named
 * `.jpg` is reported rather than believed.
 */
import path from "node:path";
import { fileTypeFromFile } from "file-type";
import type { MediaKind, MediaWarning } from "../../../shared/media/metadata.js";

export interface Sniffed {
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
    return { sniffed: { mime: "application/octet-stream", ext: null, kind: "other" }, warnings };
  }
  let detected: { mime: string; ext: string } | undefined;
  try {
    detected = await fileTypeFromFile(file);
  } catch {
    detected = undefined;
  }
  const sniffed: Sniffed = detected
    ? { mime: detected.mime, ext: detected.ext, kind: kindOf(detected.mime) }
    : { mime: "application/octet-stream", ext: null, kind: "other" };

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
