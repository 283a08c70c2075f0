/**
 * The pixels of the test scenes (tests/support/geoFixtures.ts): what surface lies where (soil, a
 * ridge running south-west to north-east, a wadi with green banks, a grass field, a burn scar),
 * the Sentinel-2 reflectances of each, and the band-sequential raw file and VRT that GDAL turns
 * into a GeoTIFF. Written row by row, so a 10,980 × 10,980 scene never sits in memory whole.
 */
import { open } from "node:fs/promises";
import path from "node:path";

/** A scene's surface classes, with Sentinel-2 reflectances for B02, B03, B04, B8A, B11, B12. */
const SURFACE = {
  soil: [1200, 1600, 2200, 2800, 3800, 3200],
  ridge: [800, 1000, 1300, 1800, 2400, 2100],
  ridgeLit: [1500, 1900, 2500, 3000, 4000, 3500],
  water: [600, 700, 600, 400, 200, 150],
  vegetation: [400, 800, 500, 3500, 2000, 1000],
  grass: [700, 1000, 1100, 3000, 2300, 1500],
  burnt: [500, 600, 700, 800, 3000, 2800],
} as const;
type Surface = keyof typeof SURFACE;

/** Sentinel-2 band names and roles in the order the fixtures write them. */
export const SENTINEL_BANDS = [
  { name: "B02", role: "blue" },
  { name: "B03", role: "green" },
  { name: "B04", role: "red" },
  { name: "B8A", role: "nir-narrow" },
  { name: "B11", role: "swir1" },
  { name: "B12", role: "swir2" },
] as const;

/** An ellipse in pixels of the scene: centre, semi-axes, rotation clockwise from the x axis. */
export interface PixelEllipse {
  cx: number;
  cy: number;
  a: number;
  b: number;
  rotationDeg: number;
}

/** Deterministic per-pixel texture in [-1, 1]: an integer hash, so every run writes the same bytes. */
function texture(x: number, y: number): number {
  let h = Math.imul(x, 374761393) ^ Math.imul(y, 668265263);
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return (((h ^ (h >>> 16)) >>> 0) / 0xffffffff) * 2 - 1;
}

function insideEllipse(x: number, y: number, e: PixelEllipse): boolean {
  const t = (e.rotationDeg * Math.PI) / 180;
  const dx = x - e.cx;
  const dy = y - e.cy;
  const u = dx * Math.cos(t) + dy * Math.sin(t);
  const v = -dx * Math.sin(t) + dy * Math.cos(t);
  return (u * u) / (e.a * e.a) + (v * v) / (e.b * e.b) <= 1;
}

/** The grass field the burn pair's scar lies in, in scene fractions, so both dates share it. */
export const FIELD = { cx: 0.36, cy: 0.34, a: 0.2, b: 0.11, rotationDeg: -25 };

function surfaceAt(x: number, y: number, w: number, h: number, burn: PixelEllipse | undefined): Surface {
  const u = x / w;
  const v = y / h;
  if (burn && insideEllipse(x, y, burn)) return "burnt";
  // Ridge: a band along v = 1 - u (south-west to north-east), lit on its south-east side.
  const ridge = (u + v - 1) * Math.SQRT1_2;
  if (Math.abs(ridge) < 0.012) return ridge > 0 ? "ridgeLit" : "ridge";
  // Wadi: a meandering channel across the lower half with green banks.
  const wadiV = 0.68 + 0.07 * Math.sin(u * Math.PI * 3);
  const off = Math.abs(v - wadiV);
  if (off < 0.006) return "water";
  if (off < 0.03) return "vegetation";
  const field = { cx: FIELD.cx * w, cy: FIELD.cy * h, a: FIELD.a * w, b: FIELD.b * h, rotationDeg: FIELD.rotationDeg };
  if (insideEllipse(x, y, field)) return "grass";
  return "soil";
}

/** One row of samples of the bands `which` (indices into SENTINEL_BANDS), written into `rows[b]`. */
function fillRow(
  rows: Uint16Array[],
  which: number[],
  y: number,
  w: number,
  h: number,
  burn: PixelEllipse | undefined,
): void {
  for (let x = 0; x < w; x++) {
    const values = SURFACE[surfaceAt(x, y, w, h, burn)];
    const shade = 1 + 0.06 * texture(x, y) + 0.05 * Math.sin(x / 37) * Math.cos(y / 53);
    for (let b = 0; b < rows.length; b++) {
      rows[b]![x] = Math.max(1, Math.min(10000, Math.round(values[which[b]!]! * shade)));
    }
  }
}

export function vrtXml(o: {
  raw: string;
  width: number;
  height: number;
  bandNames: string[];
  srs: string;
  origin: { x: number; y: number };
  pixelSize: number;
}): string {
  const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const bands = o.bandNames
    .map((name, b) => {
      const offset = b * o.width * o.height * 2;
      return `  <VRTRasterBand dataType="UInt16" band="${b + 1}" subClass="VRTRawRasterBand">
    <Description>${name}</Description>
    <SourceFilename relativeToVRT="1">${esc(path.basename(o.raw))}</SourceFilename>
    <ImageOffset>${offset}</ImageOffset><PixelOffset>2</PixelOffset><LineOffset>${o.width * 2}</LineOffset>
    <ByteOrder>LSB</ByteOrder>
  </VRTRasterBand>`;
    })
    .join("\n");
  return `<VRTDataset rasterXSize="${o.width}" rasterYSize="${o.height}">
  <SRS>${esc(o.srs)}</SRS>
  <GeoTransform>${o.origin.x}, ${o.pixelSize}, 0, ${o.origin.y}, 0, ${-o.pixelSize}</GeoTransform>
${bands}
</VRTDataset>
`;
}

export async function writeBandSequential(
  raw: string,
  width: number,
  height: number,
  which: number[],
  burn: PixelEllipse | undefined,
): Promise<void> {
  const bandCount = which.length;
  const handle = await open(raw, "w");
  try {
    const rowsPerChunk = Math.max(1, Math.floor((4 * 1024 * 1024) / (width * 2)));
    const chunk = Array.from({ length: bandCount }, () => new Uint16Array(width * rowsPerChunk));
    for (let y0 = 0; y0 < height; y0 += rowsPerChunk) {
      const n = Math.min(rowsPerChunk, height - y0);
      for (let r = 0; r < n; r++) {
        const rows = chunk.map((c) => c.subarray(r * width, (r + 1) * width));
        fillRow(rows, which, y0 + r, width, height, burn);
      }
      for (let b = 0; b < bandCount; b++) {
        const bytes = Buffer.from(chunk[b]!.buffer, 0, n * width * 2);
        await handle.write(bytes, 0, bytes.length, (b * height + y0) * width * 2);
      }
    }
  } finally {
    await handle.close();
  }
}
