/**
 * An offline basemap: a raster PMTiles archive in the case, read in byte ranges by the maintained
 * `pmtiles` reader and drawn by an OpenLayers WebGL tile layer. ol-pmtiles' own source answers a
 * tile the archive lacks with an empty array, which the WebGL layer draws black over whatever lies
 * beneath; here such a tile is transparent, and the layer says in one line when the archive has no
 * tiles in view at the map's zoom (an archive often covers one area, or only some zooms).
 */
import WebGLTileLayer from "ol/layer/WebGLTile.js";
import DataTileSource from "ol/source/DataTile.js";
import { transformExtent } from "ol/proj.js";
import { createXYZ, extentFromProjection } from "ol/tilegrid.js";
import type TileGrid from "ol/tilegrid/TileGrid.js";
import { Compression, PMTiles, SharedPromiseCache } from "pmtiles";
import type { Connection } from "../../connection.js";
import type { ReferenceInfo } from "../../../../shared/api/geoContract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import type { BuiltLayer } from "./layerCatalog.js";

const TILE_SIZE = 256;
const EMPTY_TILE = new Uint8Array(TILE_SIZE * TILE_SIZE * 4);

/**
 * The most a directory or the metadata may inflate to, as when the basemap was marked
 * (electron/services/geo/basemapInspect.ts): a few kilobytes of gzip can claim gigabytes, and
 * pmtiles' own decompressor has no bound. Leaf directories are first read here, by the map.
 */
const MAX_INFLATED_BYTES = 2 * 1024 * 1024;

async function boundedDecompress(data: ArrayBuffer, compression: Compression): Promise<ArrayBuffer> {
  if (compression === Compression.None || compression === Compression.Unknown) return data;
  if (compression !== Compression.Gzip) throw new Error("the basemap uses a compression the map cannot read");
  const reader = new Response(data).body!.pipeThrough(new DecompressionStream("gzip")).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_INFLATED_BYTES) {
      await reader.cancel();
      throw new Error(`the basemap's directories do not inflate to under ${MAX_INFLATED_BYTES / 1024 / 1024} MB`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out.buffer;
}

/** Beyond this many tiles in view (a zoomed-out view of a fine grid), coverage is not judged. */
const MAX_JUDGED_TILES = 400;

/**
 * Says, after each frame the layer draws, whether the archive has any tile in view at the zoom
 * drawn: a line when every tile in view it has been asked for so far was missing, null once one
 * was there (tiles not yet asked for change nothing until they are).
 */
function watchCoverage(layer: WebGLTileLayer, grid: TileGrid, say: (z: number) => void, clear: () => void) {
  const known = new Map<string, boolean>();
  const record = (z: number, x: number, y: number, found: boolean) => {
    if (known.size > 20_000) known.clear();
    known.set(`${z}/${x}/${y}`, found);
  };
  layer.on("postrender", (e) => {
    const frame = e.frameState;
    if (!frame?.extent) return;
    // The map may be drawn in a scene's grid (viewProjection.ts): judge in the archive's own.
    const isMercator = frame.viewState.projection.getCode() === "EPSG:3857";
    const extent = isMercator ? frame.extent : transformExtent(frame.extent, frame.viewState.projection, "EPSG:3857");
    const resolution = isMercator
      ? frame.viewState.resolution
      : (extent[2]! - extent[0]!) / Math.max(1, frame.size[0]!);
    const z = grid.getZForResolution(resolution);
    const range = grid.getTileRangeForExtentAndZ(extent, z);
    if (range.getWidth() * range.getHeight() > MAX_JUDGED_TILES) return;
    let missing = false;
    for (let x = range.minX; x <= range.maxX; x++) {
      for (let y = range.minY; y <= range.maxY; y++) {
        const found = known.get(`${z}/${x}/${y}`);
        if (found) return clear();
        if (found === false) missing = true;
      }
    }
    if (missing) say(z);
  });
  layer.on("change:visible", () => {
    if (!layer.getVisible()) clear();
  });
  return record;
}

export async function buildBasemapLayer(
  connection: Connection,
  dir: string,
  r: ReferenceInfo,
  onCoverage: (line: string | null) => void,
): Promise<BuiltLayer> {
  const url = await connection.fileUrl(dir, r.objectPath);
  // The header cache inflates the root directory with its own decompressor, the archive the
  // metadata and leaves: both get the bounded one.
  const archive = new PMTiles(url, new SharedPromiseCache(100, true, boundedDecompress), boundedDecompress);
  const header = await archive.getHeader();
  const name = r.marked.kind === "basemap" ? inertText(r.marked.provider) : "The basemap";
  const grid = createXYZ({
    extent: extentFromProjection("EPSG:3857"),
    minZoom: header.minZoom,
    maxZoom: header.maxZoom,
    tileSize: TILE_SIZE,
  });
  let record: ReturnType<typeof watchCoverage> = () => undefined;
  const source = new DataTileSource({
    projection: "EPSG:3857",
    tileGrid: grid,
    transition: 0,
    async loader(z, x, y) {
      const tile = await archive.getZxy(z, x, y);
      record(z, x, y, Boolean(tile));
      if (!tile) return EMPTY_TILE;
      return createImageBitmap(new Blob([tile.data]));
    },
  });
  const layer = new WebGLTileLayer({ source });
  const zooms = `${header.minZoom}–${header.maxZoom}`;
  record = watchCoverage(
    layer,
    grid,
    (z) => onCoverage(`${name} has no tiles here at zoom ${z} (it holds zooms ${zooms}); it is left clear`),
    () => onCoverage(null),
  );
  return { layer, tileSource: source };
}
