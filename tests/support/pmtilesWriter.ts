/**
 * Writes a PMTiles v3 archive (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md) for
 * test basemaps. Written by hand because no maintained writer is reachable offline here: the npm
 * `pmtiles` package only reads, and the Python package that writes is not installable without
 * the Python package index. The archive is kept simple (one root directory, no leaf directories,
 * no internal compression, tiles not deduplicated) and every test that uses one reads it back with
 * the maintained `pmtiles` reader, which is the check that this writer follows the spec.
 */
import { writeFile } from "node:fs/promises";

export interface PmtilesTile {
  /** Hilbert tile id, from `zxyToTileId` of the `pmtiles` package. */
  tileId: number;
  data: Buffer;
}

export interface PmtilesArchive {
  tileType: "mvt" | "png" | "jpeg" | "webp" | "avif";
  tiles: PmtilesTile[];
  minZoom: number;
  maxZoom: number;
  bounds84: [number, number, number, number];
  centre: { lon: number; lat: number; zoom: number };
  metadata: Record<string, unknown>;
}

const TILE_TYPE = { mvt: 1, png: 2, jpeg: 3, webp: 4, avif: 5 } as const;
const HEADER_BYTES = 127;
/** The spec's limit for the root directory, so a reader's first 16 KiB fetch holds it. */
const MAX_ROOT_DIRECTORY = 16_384 - HEADER_BYTES;

function varints(values: number[]): Buffer {
  const out: number[] = [];
  for (let v of values) {
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    out.push(v);
  }
  return Buffer.from(out);
}

/** The spec's directory: count, then delta tile ids, run lengths, lengths, and offsets (0 = contiguous). */
function directory(entries: { tileId: number; offset: number; length: number }[]): Buffer {
  const ids: number[] = [];
  let last = 0;
  for (const e of entries) {
    ids.push(e.tileId - last);
    last = e.tileId;
  }
  const offsets = entries.map((e, i) => {
    const prev = entries[i - 1];
    return i > 0 && prev && e.offset === prev.offset + prev.length ? 0 : e.offset + 1;
  });
  return varints([entries.length, ...ids, ...entries.map(() => 1), ...entries.map((e) => e.length), ...offsets]);
}

export async function writePmtiles(file: string, archive: PmtilesArchive): Promise<void> {
  const tiles = [...archive.tiles].sort((a, b) => a.tileId - b.tileId);
  let offset = 0;
  const entries = tiles.map((t) => {
    const e = { tileId: t.tileId, offset, length: t.data.length };
    offset += t.data.length;
    return e;
  });
  const root = directory(entries);
  if (root.length > MAX_ROOT_DIRECTORY) throw new Error("too many tiles for a single root directory");
  const metadata = Buffer.from(JSON.stringify(archive.metadata));
  const tileData = Buffer.concat(tiles.map((t) => t.data));

  const header = Buffer.alloc(HEADER_BYTES);
  header.write("PMTiles", 0, "latin1");
  header.writeUInt8(3, 7);
  const rootOffset = HEADER_BYTES;
  const metadataOffset = rootOffset + root.length;
  const dataOffset = metadataOffset + metadata.length;
  const u64 = (at: number, v: number) => header.writeBigUInt64LE(BigInt(v), at);
  u64(8, rootOffset);
  u64(16, root.length);
  u64(24, metadataOffset);
  u64(32, metadata.length);
  u64(40, dataOffset); // no leaf directories: offset where they would be, length 0
  u64(48, 0);
  u64(56, dataOffset);
  u64(64, tileData.length);
  u64(72, tiles.length); // addressed tiles
  u64(80, tiles.length); // tile entries
  u64(88, tiles.length); // tile contents
  header.writeUInt8(1, 96); // clustered: tiles in tile-id order
  header.writeUInt8(1, 97); // internal compression: none
  header.writeUInt8(1, 98); // tile compression: none
  header.writeUInt8(TILE_TYPE[archive.tileType], 99);
  header.writeUInt8(archive.minZoom, 100);
  header.writeUInt8(archive.maxZoom, 101);
  const e7 = (v: number) => Math.round(v * 1e7);
  header.writeInt32LE(e7(archive.bounds84[0]), 102);
  header.writeInt32LE(e7(archive.bounds84[1]), 106);
  header.writeInt32LE(e7(archive.bounds84[2]), 110);
  header.writeInt32LE(e7(archive.bounds84[3]), 114);
  header.writeUInt8(archive.centre.zoom, 118);
  header.writeInt32LE(e7(archive.centre.lon), 119);
  header.writeInt32LE(e7(archive.centre.lat), 123);
  await writeFile(file, Buffer.concat([header, root, metadata, tileData]));
}
