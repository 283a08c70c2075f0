/**
 * Map tiles for tests without a network: raster tiles drawn with sharp (a land colour, grid lines,
 * the tile's z/x/y written small, so a screenshot shows which tile is where), an XYZ tile server
 * on 127.0.0.1 that serves them, fails or answers slowly on demand and counts what it was asked,
 * and an offline PMTiles basemap of the fixture area (tests/support/pmtilesWriter.ts).
 */
import { createServer, type Server } from "node:http";
import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import sharp from "sharp";
import { zxyToTileId } from "pmtiles";
import { KIDAL } from "./geoFixtures.js";
import { writePmtiles, type PmtilesTile } from "./pmtilesWriter.js";

export interface TileStyle {
  /** Land colour, CSS. Default a pale sand. */
  land?: string;
  /** Grid line colour. */
  grid?: string;
}

/** A 256 × 256 PNG for tile z/x/y: land colour, a grid every 64 pixels, its z/x/y in the corner. */
export async function renderTile(z: number, x: number, y: number, style: TileStyle = {}): Promise<Buffer> {
  const land = style.land ?? "#e8dcc0";
  const grid = style.grid ?? "#b8a888";
  const lines = [64, 128, 192]
    .map((p) => `<line x1="${p}" y1="0" x2="${p}" y2="256"/><line x1="0" y1="${p}" x2="256" y2="${p}"/>`)
    .join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256">
<rect width="256" height="256" fill="${land}"/>
<g stroke="${grid}" stroke-width="1">${lines}</g>
<rect x="0.5" y="0.5" width="255" height="255" fill="none" stroke="#806850" stroke-width="1"/>
<text x="6" y="16" font-family="sans-serif" font-size="12" fill="#403020">${z}/${x}/${y}</text>
</svg>`;
  return sharp(Buffer.from(svg)).png({ palette: true, colours: 16 }).toBuffer();
}

export type TileServerMode = { kind: "serve" } | { kind: "fail" } | { kind: "slow"; delayMs: number };

export interface TileServer {
  /** `http://127.0.0.1:<port>/tiles/{z}/{x}/{y}.png` */
  template: string;
  origin: string;
  port: number;
  /** Requests seen, by path, in order. */
  requests: string[];
  setMode(mode: TileServerMode): void;
  close(): Promise<void>;
}

/**
 * An XYZ tile server on 127.0.0.1 (random port). `serve` draws each tile; `fail` answers 500;
 * `slow` waits `delayMs` before serving. Tiles carry `Access-Control-Allow-Origin: *` so a map may
 * draw them into a canvas it then exports, as real imagery providers allow.
 */
export async function startTileServer(
  mode: TileServerMode = { kind: "serve" },
  style: TileStyle = {},
): Promise<TileServer> {
  let current = mode;
  const requests: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const url = req.url ?? "/";
    requests.push(url);
    // The path names the tile; a query (a keyed layer's ?access=…) is accepted and ignored.
    const m = /^\/tiles\/(\d{1,2})\/(\d{1,9})\/(\d{1,9})\.png$/.exec(url.split("?")[0]!);
    const answer = async () => {
      if (current.kind === "fail") {
        res.writeHead(500, { "content-type": "text/plain", "access-control-allow-origin": "*" });
        res.end("tile server failure for tests");
        return;
      }
      if (!m) {
        res.writeHead(404, { "content-type": "text/plain" }).end("no such tile");
        return;
      }
      const [z, x, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (x >= 2 ** z || y >= 2 ** z) {
        res.writeHead(404, { "content-type": "text/plain" }).end("outside the world");
        return;
      }
      const png = await renderTile(z, x, y, style);
      res.writeHead(200, {
        "content-type": "image/png",
        "content-length": png.length,
        "access-control-allow-origin": "*",
        "cache-control": "no-store",
      });
      res.end(png);
    };
    const go = () => void answer().catch(() => res.destroy());
    if (current.kind === "slow") {
      const t = setTimeout(() => {
        timers.delete(t);
        go();
      }, current.delayMs);
      timers.add(t);
    } else go();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    template: `${origin}/tiles/{z}/{x}/{y}.png`,
    origin,
    port,
    requests,
    setMode: (m) => {
      current = m;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Web Mercator tile x/y holding a WGS 84 point at zoom z (the standard slippy-map formula). */
function tileOf(z: number, lat: number, lon: number): { x: number; y: number } {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  const x = Math.floor(((lon + 180) / 360) * n);
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return { x: Math.min(n - 1, Math.max(0, x)), y: Math.min(n - 1, Math.max(0, y)) };
}

export interface BasemapOptions {
  minZoom?: number;
  maxZoom?: number;
  /** [west, south, east, north] the tiles from zoom 3 up cover. Default 0.3° around Kidal. */
  bounds84?: [number, number, number, number];
  name?: string;
  attribution?: string;
  style?: TileStyle;
}

/**
 * An offline raster basemap as PMTiles: the whole world at zooms 0–2, and from zoom 3 to `maxZoom`
 * (default 8) only the tiles over `bounds84`, so the archive stays small (a few dozen tiles).
 */
export async function makeBasemap(
  file: string,
  options: BasemapOptions = {},
): Promise<{ path: string; tileCount: number }> {
  const minZoom = options.minZoom ?? 0;
  const maxZoom = options.maxZoom ?? 8;
  const b = options.bounds84 ?? [KIDAL.lon - 0.3, KIDAL.lat - 0.3, KIDAL.lon + 0.3, KIDAL.lat + 0.3];
  const tiles: PmtilesTile[] = [];
  for (let z = minZoom; z <= maxZoom; z++) {
    const n = 2 ** z;
    const [x0, x1, y0, y1] =
      z <= 2
        ? [0, n - 1, 0, n - 1]
        : [tileOf(z, b[3], b[0]).x, tileOf(z, b[1], b[2]).x, tileOf(z, b[3], b[0]).y, tileOf(z, b[1], b[2]).y];
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        tiles.push({ tileId: zxyToTileId(z, x, y), data: await renderTile(z, x, y, options.style) });
      }
    }
  }
  await mkdir(path.dirname(file), { recursive: true });
  await writePmtiles(file, {
    tileType: "png",
    tiles,
    minZoom,
    maxZoom,
    bounds84: [...b],
    centre: { lon: (b[0] + b[2]) / 2, lat: (b[1] + b[3]) / 2, zoom: Math.min(maxZoom, 6) },
    metadata: {
      name: options.name ?? "Sightline test basemap",
      attribution: options.attribution ?? "Sightline test tiles",
      format: "png",
    },
  });
  return { path: file, tileCount: tiles.length };
}

/** A PMTiles archive of vector tiles (MVT): a valid archive the workbench must refuse as a raster basemap. */
export async function makeVectorBasemap(file: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  // An empty MVT tile is a valid protobuf (no layers): zero bytes.
  await writePmtiles(file, {
    tileType: "mvt",
    tiles: [{ tileId: zxyToTileId(0, 0, 0), data: Buffer.alloc(0) }],
    minZoom: 0,
    maxZoom: 0,
    bounds84: [-180, -85, 180, 85],
    centre: { lon: 0, lat: 0, zoom: 0 },
    metadata: { name: "vector tiles", vector_layers: [] },
  });
  return file;
}
