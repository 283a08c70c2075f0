/**
 * What an offline basemap (PMTiles) says about itself (BasemapTags), read with the `pmtiles`
 * package over bounded byte ranges: its header (tile type, zooms, bounds, tile count) and its JSON
 * metadata (name, attribution). Only raster basemaps are shown by the map; vector tiles are refused.
 */
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { Compression, PMTiles, SharedPromiseCache, TileType, type Source } from "pmtiles";
import type { BasemapTags } from "../../../shared/ledger/geoEvents.js";
import { SightlineError } from "../sightlineError.js";
import type { RangeReader } from "./rangeReader.js";

const refuse = (message: string) => new SightlineError("invalid-input", message);

/** The largest metadata section read (the spec sets none; real archives hold a few kilobytes). */
const MAX_METADATA_BYTES = 1024 * 1024;

const TILE_TYPES: Record<number, BasemapTags["tileType"]> = {
  [TileType.Mvt]: "mvt",
  [TileType.Png]: "png",
  [TileType.Jpeg]: "jpeg",
  [TileType.Webp]: "webp",
  [TileType.Avif]: "avif",
};

/** The most a directory or the metadata may inflate to (real ones hold kilobytes). */
const MAX_INFLATED_BYTES = 2 * 1024 * 1024;
const gunzipAsync = promisify(gunzip);

/**
 * The archive's own directories and metadata, inflated with a bound: the byte ranges read are
 * bounded, but a few kilobytes of gzip can claim gigabytes, and pmtiles' own decompressor has no
 * limit (a crafted root directory then builds millions of entries in one synchronous call).
 */
async function boundedDecompress(data: ArrayBuffer, compression: Compression): Promise<ArrayBuffer> {
  if (compression === Compression.None || compression === Compression.Unknown) return data;
  if (compression !== Compression.Gzip)
    throw refuse("the basemap's directories use a compression Sightline does not read");
  let inflated: Buffer;
  try {
    inflated = await gunzipAsync(Buffer.from(data), { maxOutputLength: MAX_INFLATED_BYTES });
  } catch {
    throw refuse(
      `the basemap's directories or metadata do not inflate to under ${MAX_INFLATED_BYTES / 1024 / 1024} MB of valid data`,
    );
  }
  return inflated.buffer.slice(inflated.byteOffset, inflated.byteOffset + inflated.byteLength) as ArrayBuffer;
}

function sourceOver(reader: RangeReader): Source {
  return {
    getKey: () => "reference",
    getBytes: async (offset, length) => ({ data: await reader.readPadded(offset, Math.min(length, reader.size)) }),
  };
}

function text(value: unknown, max: number): string | null {
  if (typeof value !== "string") return null;
  const t = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "\ufffd").trim();
  return t === "" ? null : t.slice(0, max);
}

export async function inspectBasemap(reader: RangeReader): Promise<BasemapTags> {
  // The header cache inflates the root directory with its own decompressor, the archive the metadata
  // and leaves: both get the bounded one.
  const archive = new PMTiles(
    sourceOver(reader),
    new SharedPromiseCache(100, true, boundedDecompress),
    boundedDecompress,
  );
  let header: Awaited<ReturnType<PMTiles["getHeader"]>>;
  try {
    header = await archive.getHeader();
  } catch (error) {
    if (error instanceof SightlineError) throw error;
    throw refuse(`the PMTiles archive could not be read: ${(error as Error).message.split("\n")[0]}`);
  }
  if (header.specVersion < 3)
    throw refuse(`the PMTiles archive is version ${header.specVersion}; Sightline reads version 3`);
  const tileType = TILE_TYPES[header.tileType] ?? "unknown";
  if (tileType === "mvt") {
    throw refuse(
      "the PMTiles archive holds vector tiles; only raster basemaps (PNG, JPEG, WebP, AVIF tiles) are supported",
    );
  }
  if (tileType === "unknown")
    throw refuse("the PMTiles archive does not say what its tiles are; only raster basemaps are supported");
  const ends = [
    header.rootDirectoryOffset + header.rootDirectoryLength,
    header.jsonMetadataOffset + header.jsonMetadataLength,
    header.leafDirectoryOffset + (header.leafDirectoryLength ?? 0),
    header.tileDataOffset + (header.tileDataLength ?? 0),
  ];
  if (ends.some((end) => end > reader.size)) {
    throw refuse(`the PMTiles archive is cut short: its sections run past the file's ${reader.size} bytes`);
  }
  if (header.minZoom > header.maxZoom || header.maxZoom > 30)
    throw refuse("the PMTiles archive's zoom levels are damaged");
  if (header.jsonMetadataLength > MAX_METADATA_BYTES) {
    throw refuse(
      `the PMTiles archive's metadata is ${header.jsonMetadataLength} bytes; the limit is ${MAX_METADATA_BYTES}`,
    );
  }
  let metadata: Record<string, unknown> = {};
  try {
    const m = (await archive.getMetadata()) as unknown;
    if (m && typeof m === "object" && !Array.isArray(m)) metadata = m as Record<string, unknown>;
  } catch (error) {
    if (error instanceof SightlineError) throw error;
    // Metadata that is not JSON leaves the name and attribution unknown; the tiles are still readable.
  }
  const clamp = (v: number, lim: number) => Math.max(-lim, Math.min(lim, v));
  return {
    tileType,
    minZoom: header.minZoom,
    maxZoom: header.maxZoom,
    bounds84: [
      clamp(header.minLon, 180),
      clamp(header.minLat, 90),
      clamp(header.maxLon, 180),
      clamp(header.maxLat, 90),
    ],
    tileCount: Math.max(0, Math.floor(header.numAddressedTiles ?? 0)),
    attribution: text(metadata.attribution, 2000),
    name: text(metadata.name, 500),
  };
}
