/**
 * A first look at a TIFF's image directories before the `geotiff` reader parses them. The reader
 * allocates an array of whatever length a tag claims before it reads it, and trusts the image
 * size: a crafted header (a tag claiming a billion offsets, 2,000,000 × 2,000,000 pixels, millions
 * of 16-pixel tiles) would cost gigabytes or hang a map. So the directory chain is walked here
 * first, by hand but only as far as the TIFF 6.0 and BigTIFF layouts of entry counts and inline
 * values, and anything past the limits below is refused with the limit in the message.
 */
import { SightlineError } from "../sightlineError.js";
import type { RangeReader } from "./rangeReader.js";

/** The longest side of a scene Sightline reads: a 10 m scene 2,000 km wide. */
export const MAX_SCENE_SIDE = 200_000;
/** The most tiles (or strips) one image of a scene may be cut into. */
export const MAX_SCENE_TILES = 1_000_000;
/** Image directories followed (full resolution, overviews, masks). */
const MAX_DIRECTORIES = 64;
const MAX_ENTRIES = 1000;
/** The largest single tag value (16 MB holds the offsets and sizes of 1,000,000 tiles). */
const MAX_TAG_BYTES = 16 * 1024 * 1024;

const TYPE_SIZE: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
  16: 8,
  17: 8,
  18: 8,
};

export interface TiffLayout {
  width: number;
  height: number;
  /** Tiles (or strips) of the full-resolution image. */
  blocks: number;
  blockWidth: number;
  blockHeight: number;
  isTiled: boolean;
  directoryCount: number;
}

const refuse = (message: string) => new SightlineError("invalid-input", message);

export function isTiffMagic(head: Uint8Array): boolean {
  const le = head[0] === 0x49 && head[1] === 0x49 && (head[2] === 42 || head[2] === 43) && head[3] === 0;
  const be = head[0] === 0x4d && head[1] === 0x4d && head[2] === 0 && (head[3] === 42 || head[3] === 43);
  return le || be;
}

/** Walks the directory chain; throws a one-line refusal for anything a reader should not be handed. */
export async function precheckTiff(reader: RangeReader): Promise<TiffLayout> {
  const head = new DataView((await reader.readPadded(0, 16)).slice(0));
  const little = head.getUint8(0) === 0x49;
  const big = head.getUint16(2, little) === 43;
  const u = (view: DataView, at: number, bytes: number): number =>
    bytes === 2
      ? view.getUint16(at, little)
      : bytes === 4
        ? view.getUint32(at, little)
        : Number(view.getBigUint64(at, little));
  const offsetBytes = big ? 8 : 4;
  const entryBytes = big ? 20 : 12;
  const countBytes = big ? 8 : 2;
  let next = u(head, big ? 8 : 4, offsetBytes);
  const seen = new Set<number>();
  let first: TiffLayout | null = null;
  let directories = 0;
  while (next !== 0) {
    if (next >= reader.size) {
      throw refuse(
        directories === 0
          ? "the file is cut short: its first image directory lies past its end"
          : "the file is damaged: an image directory lies past its end",
      );
    }
    if (seen.has(next)) throw refuse("the file is damaged: its image directories loop back on themselves");
    if (++directories > MAX_DIRECTORIES)
      throw refuse(`the file has more than ${MAX_DIRECTORIES} image directories; refused`);
    seen.add(next);
    const countView = new DataView(await reader.readPadded(next, countBytes));
    const count = u(countView, 0, countBytes);
    if (count === 0 || count > MAX_ENTRIES)
      throw refuse(`the file is damaged: an image directory claims ${count} entries`);
    const body = new DataView(await reader.readPadded(next + countBytes, count * entryBytes + offsetBytes));
    const values = new Map<number, number>();
    for (let i = 0; i < count; i++) {
      const at = i * entryBytes;
      const tag = body.getUint16(at, little);
      const type = body.getUint16(at + 2, little);
      const n = u(body, at + 4, big ? 8 : 4);
      const size = (TYPE_SIZE[type] ?? 1) * n;
      if (size > MAX_TAG_BYTES) {
        throw refuse(
          `the file claims a tag (${tag}) of ${size} bytes; the limit is ${MAX_TAG_BYTES} (a crafted or damaged header)`,
        );
      }
      // LONG8 is a BigTIFF type: in a classic TIFF its 8 bytes cannot sit in the 4-byte value field,
      // so it is not read inline there (a reader following its offset could see another number).
      if (n === 1 && (type === 3 || type === 4 || (type === 16 && big))) {
        values.set(tag, u(body, at + 4 + (big ? 8 : 4), type === 3 ? 2 : type === 4 ? 4 : 8));
      }
    }
    next = u(body, count * entryBytes, offsetBytes);
    const layout = layoutOf(values, directories);
    first ??= layout;
  }
  if (!first) throw refuse("the file holds no image");
  return { ...first, directoryCount: directories };
}

function layoutOf(values: Map<number, number>, directory: number): TiffLayout {
  const width = values.get(256);
  const height = values.get(257);
  if (!width || !height) throw refuse("the file is damaged: an image has no width or height");
  if (width > MAX_SCENE_SIDE || height > MAX_SCENE_SIDE) {
    throw refuse(
      `the scene claims ${width} × ${height} pixels; Sightline reads scenes up to ${MAX_SCENE_SIDE} pixels a side`,
    );
  }
  const tileWidth = values.get(322);
  const tileHeight = values.get(323);
  const isTiled = tileWidth !== undefined && tileHeight !== undefined;
  const blockWidth = isTiled ? tileWidth : width;
  const blockHeight = isTiled ? tileHeight : Math.min(height, values.get(278) ?? height);
  if (!blockWidth || !blockHeight) throw refuse("the file is damaged: it has tiles or strips of no size");
  const planes = values.get(284) === 2 ? (values.get(277) ?? 1) : 1;
  const blocks = Math.ceil(width / blockWidth) * Math.ceil(height / blockHeight) * planes;
  if (blocks > MAX_SCENE_TILES) {
    throw refuse(
      `the scene${directory > 1 ? "'s overview" : ""} is cut into ${blocks} ${isTiled ? "tiles" : "strips"} of ${blockWidth} × ${blockHeight} pixels; ` +
        `Sightline reads scenes of up to ${MAX_SCENE_TILES} tiles (rewrite it with gdal_translate -of COG)`,
    );
  }
  return { width, height, blocks, blockWidth, blockHeight, isTiled, directoryCount: 0 };
}
