/**
 * The pixel work on an image, decoding it once: sharp shrinks it on load to a
 * thumbnail (EXIF orientation applied), and both the JPEG thumbnail and the
 * perceptual hash are made from those thumbnail pixels.
 *
 * HEIC: the libvips inside sharp cannot decode HEVC, so `heif-convert`
 * (libheif) decodes it to a temporary PNG first, when it is installed.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import sharp, { type Raw, type Sharp } from "sharp";
import { dctPhashBits, hammingDistance, phashFromBits } from "../../../shared/media/phash.js";
import type { MediaWarning } from "../../../shared/media/metadata.js";
import { imageDamageWords } from "./imageDamage.js";
import { missingToolMessage, type MediaTools } from "./mediaTools.js";

const execFileAsync = promisify(execFile);

// Each original is decoded once and never again: libvips's operation cache would only hold
// memory (tens of MB of decoded pixels) that no later call can reuse.
sharp.cache(false);

export const THUMBNAIL_PARAMS = {
  size: 320,
  fit: "inside",
  withoutEnlargement: true,
  autoOrient: true,
  format: "jpeg",
  quality: 82,
  mozjpeg: false,
} as const;

export const PHASH_PARAMS = {
  library: "sharp-phash",
  sample: 32,
  lowFrequencies: 8,
  input: "thumbnail pixels",
} as const;

/** Embedded thumbnails differing from the image by more than this many bits of 64 are reported. */
export const THUMBNAIL_MISMATCH_BITS = 16;

export interface RenderedImage {
  /** JPEG bytes of the thumbnail. */
  thumbnail: Buffer;
  width: number;
  height: number;
  /** 16 hex digits. */
  phash: string;
}

export interface PixelResult {
  rendered: RenderedImage | null;
  warnings: MediaWarning[];
}

/** pHash of raw pixels or of an encoded image: sharp-phash's sampling, then `dctPhashBits`. */
export async function phashOf(input: Buffer | Uint8Array, raw?: Raw): Promise<string> {
  const sample = await sharp(Buffer.from(input.buffer, input.byteOffset, input.byteLength), raw ? { raw } : undefined)
    .greyscale()
    .resize(32, 32, { fit: "fill" })
    .rotate()
    .raw()
    .toBuffer();
  return phashFromBits(dctPhashBits(sample));
}

async function render(input: string, failOn: "warning" | "none"): Promise<RenderedImage> {
  const { data, info } = await sharp(input, { failOn, sequentialRead: true, limitInputPixels: 268_402_689 })
    .rotate()
    .resize(THUMBNAIL_PARAMS.size, THUMBNAIL_PARAMS.size, {
      fit: THUMBNAIL_PARAMS.fit,
      withoutEnlargement: THUMBNAIL_PARAMS.withoutEnlargement,
    })
    .removeAlpha()
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels };
  const [thumbnail, hash] = await Promise.all([
    sharp(data, { raw }).jpeg({ quality: THUMBNAIL_PARAMS.quality, mozjpeg: THUMBNAIL_PARAMS.mozjpeg }).toBuffer(),
    phashOf(data, raw),
  ]);
  return { thumbnail, width: info.width, height: info.height, phash: hash };
}

/** What is wrong with the picture, in words (imageDamage.ts), from the decoder's error. */
function reason(error: unknown): string {
  return imageDamageWords((error as Error)?.message ?? String(error));
}

/** Thumbnail and pHash of the image in `file`; damaged images render as far as they decode, with a warning. */
export async function renderImage(file: string, ext: string | null, tools: MediaTools): Promise<PixelResult> {
  const warnings: MediaWarning[] = [];
  let input = file;
  let scratch: string | null = null;
  try {
    if (ext === "heic") {
      if (!tools.heifConvert) {
        warnings.push({ code: "tool-missing", message: `No thumbnail: ${missingToolMessage("heif-convert")}.` });
        return { rendered: null, warnings };
      }
      scratch = await mkdtemp(path.join(os.tmpdir(), "sightline-heif-"));
      input = path.join(scratch, "primary.png");
      try {
        await execFileAsync(tools.heifConvert.path, [file, input], { timeout: 120_000, maxBuffer: 1 << 20 });
      } catch (error) {
        warnings.push({
          code: "image-undecodable",
          message: `The HEIC picture could not be decoded: ${reason((error as { stderr?: string }).stderr || error)}.`,
        });
        return { rendered: null, warnings };
      }
    }
    try {
      return { rendered: await render(input, "warning"), warnings };
    } catch (strictError) {
      try {
        const rendered = await render(input, "none");
        warnings.push({
          code: "image-undecodable",
          message: `The picture is damaged: ${reason(strictError)}. The thumbnail shows only what could be decoded.`,
        });
        return { rendered, warnings };
      } catch (error) {
        warnings.push({ code: "image-undecodable", message: `The picture could not be decoded: ${reason(error)}.` });
        return { rendered: null, warnings };
      }
    }
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

/** The rotations/flips EXIF orientation `o` asks for, applied to an image that carries no EXIF of its own. */
function orient(image: Sharp, o: number | null): Sharp {
  switch (o) {
    case 2:
      return image.flop();
    case 3:
      return image.rotate(180);
    case 4:
      return image.flip();
    case 5:
      return image.rotate(90).flop();
    case 6:
      return image.rotate(90);
    case 7:
      return image.rotate(270).flop();
    case 8:
      return image.rotate(270);
    default:
      return image;
  }
}

/** A `thumbnail-mismatch` warning when the EXIF thumbnail shows a different picture from the image. */
export async function compareExifThumbnail(
  embedded: Uint8Array,
  orientation: number | null,
  imagePhash: string,
): Promise<{ distance: number; warning: MediaWarning | null }> {
  try {
    const { data, info } = await orient(sharp(Buffer.from(embedded), { failOn: "none" }), orientation)
      .removeAlpha()
      .toColourspace("srgb")
      .raw()
      .toBuffer({ resolveWithObject: true });
    const distance = hammingDistance(
      imagePhash,
      await phashOf(data, { width: info.width, height: info.height, channels: info.channels }),
    );
    return {
      distance,
      warning:
        distance > THUMBNAIL_MISMATCH_BITS
          ? {
              code: "thumbnail-mismatch",
              message: `The thumbnail embedded in EXIF shows a different picture (perceptual distance ${distance} of 64 bits): the image may have been edited after the thumbnail was made.`,
            }
          : null,
    };
  } catch (error) {
    return {
      distance: -1,
      warning: {
        code: "metadata-unreadable",
        message: `The thumbnail embedded in EXIF could not be decoded: ${reason(error)}.`,
      },
    };
  }
}
