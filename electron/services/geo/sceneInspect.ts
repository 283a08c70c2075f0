/**
 * What a GeoTIFF scene says about itself (SceneTags), read with the `geotiff` package over
 * bounded byte ranges: size, bands, sample type, CRS, bounds in its own CRS and in WGS 84, pixel
 * size, tiling and overviews, and its DateTime and description tags. A scene the map could not
 * show as it is (no georeferencing, a CRS Sightline does not bundle, data past the end of the
 * file) is refused here with one line that says what to do.
 */
import { GeoTIFF, type GeoTIFFImage } from "geotiff";
import proj4 from "proj4";
import type { SceneTags } from "../../../shared/ledger/geoEvents.js";
import { SightlineError } from "../sightlineError.js";
import type { RangeReader } from "./rangeReader.js";
import { precheckTiff } from "./tiffPrecheck.js";

type GeoTiffSource = Parameters<typeof GeoTIFF.fromSource>[0];

const refuse = (message: string) => new SightlineError("invalid-input", message);

/**
 * The CRSs the map registers with proj4 (renderer/src/views/map/projections.ts): WGS 84, Web
 * Mercator and every UTM zone. Anything else must be reprojected before it is marked.
 */
export function bundledProjection(epsg: number): string | null {
  if (epsg === 4326) return "EPSG:4326";
  if (epsg === 3857) return "EPSG:3857";
  const zone = epsg % 100;
  if (epsg >= 32601 && epsg <= 32660) return `+proj=utm +zone=${zone} +datum=WGS84 +units=m +no_defs`;
  if (epsg >= 32701 && epsg <= 32760) return `+proj=utm +zone=${zone} +south +datum=WGS84 +units=m +no_defs`;
  return null;
}

const USER_DEFINED = 32767;

/** A GeoTIFF source over the reader: the `geotiff` package asks for slices, the reader bounds them. */
function sourceOver(reader: RangeReader): GeoTiffSource {
  const source = {
    fetch: (slices: { offset: number; length: number }[]) =>
      Promise.all(slices.map((s) => reader.readPadded(s.offset, s.length))),
    fetchSlice: async (slice: { offset: number; length: number }) => ({
      ...slice,
      data: await reader.readPadded(slice.offset, slice.length),
    }),
    get fileSize() {
      return reader.size;
    },
    close: async () => undefined,
  };
  return source as unknown as GeoTiffSource;
}

/** File text shown to examiners: control characters replaced, bounded (the UI shows it inert). */
function fileText(value: unknown, max: number): string | null {
  if (typeof value !== "string") return null;
  const text = value
    .replace(/\0+$/, "")
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "\ufffd")
    .trim();
  return text === "" ? null : text.slice(0, max);
}

function epsgOf(image: GeoTIFFImage): number {
  const keys = image.getGeoKeys();
  let hasTransform = image.fileDirectory.hasTag("ModelTransformation");
  hasTransform ||= image.fileDirectory.hasTag("ModelTiepoint") && image.fileDirectory.hasTag("ModelPixelScale");
  if (!keys || !hasTransform) {
    throw refuse(
      "the file is a TIFF image without georeferencing (no GeoTIFF keys or tie points): it cannot be placed on the map",
    );
  }
  const model = keys.GTModelTypeGeoKey as number | undefined;
  const projected = keys.ProjectedCSTypeGeoKey as number | undefined;
  const geographic = keys.GeographicTypeGeoKey as number | undefined;
  const code = model === 2 ? geographic : (projected ?? geographic);
  if (code === USER_DEFINED || code === undefined) {
    throw refuse(
      "the scene uses a user-defined projection that no EPSG code names; reproject it first, e.g. gdalwarp -t_srs EPSG:326xx (its UTM zone; 327xx south of the equator)",
    );
  }
  if (!bundledProjection(code)) {
    throw refuse(
      `the scene is in EPSG:${code}, which Sightline does not bundle (it reads WGS 84 EPSG:4326, Web Mercator EPSG:3857 and UTM EPSG:326xx/327xx); reproject it with gdalwarp -t_srs EPSG:326xx`,
    );
  }
  return code;
}

function bounds84(epsg: number, b: number[]): SceneTags["bounds84"] {
  const def = bundledProjection(epsg)!;
  const [minX, minY, maxX, maxY] = b as [number, number, number, number];
  const xs = [minX, (minX + maxX) / 2, maxX];
  const ys = [minY, (minY + maxY) / 2, maxY];
  const points = xs.flatMap((x) => ys.map((y) => (epsg === 4326 ? [x, y] : proj4(def, "EPSG:4326", [x, y]))));
  const lons = points.map((p) => p[0]!);
  const lats = points.map((p) => p[1]!);
  const out: SceneTags["bounds84"] = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
  if (!out.every(Number.isFinite) || out[1] < -90 || out[3] > 90) {
    throw refuse("the scene's georeferencing puts it outside the Earth (check its tie points and CRS)");
  }
  return out;
}

/** Every tile or strip of `image` must lie inside the file: a cut-short download shows here. */
async function checkDataInside(image: GeoTIFFImage, size: number, which: string): Promise<void> {
  const dir = image.fileDirectory;
  const tiled = dir.hasTag("TileOffsets");
  const offsets = (await dir.loadValue(tiled ? "TileOffsets" : "StripOffsets")) as
    ArrayLike<number> | number | undefined;
  const counts = (await dir.loadValue(tiled ? "TileByteCounts" : "StripByteCounts")) as
    ArrayLike<number> | number | undefined;
  if (offsets === undefined || counts === undefined) throw refuse(`the file is damaged: ${which} has no data offsets`);
  const o = typeof offsets === "number" ? [offsets] : offsets;
  const c = typeof counts === "number" ? [counts] : counts;
  let end = 0;
  for (let i = 0; i < o.length; i++) end = Math.max(end, Number(o[i]) + Number(c[i] ?? 0));
  if (end > size) {
    throw refuse(
      `the file is cut short: ${which} needs ${end} bytes but the file holds ${size} (an interrupted download or copy?)`,
    );
  }
}

const SAMPLE_FORMATS: Record<number, SceneTags["sampleFormat"]> = { 1: "uint", 2: "int", 3: "float" };

export async function inspectScene(reader: RangeReader): Promise<SceneTags> {
  const layout = await precheckTiff(reader);
  let tiff: GeoTIFF;
  let image: GeoTIFFImage;
  try {
    tiff = await GeoTIFF.fromSource(sourceOver(reader));
    image = await tiff.getImage(0);
  } catch (error) {
    if (error instanceof SightlineError) throw error;
    throw refuse(`the TIFF could not be read: ${(error as Error).message.split("\n")[0]}`);
  }
  const epsg = epsgOf(image);
  await checkDataInside(image, reader.size, "the full-resolution image");
  let overviewCount = 0;
  for (let i = 1; i < layout.directoryCount; i++) {
    const overview = await tiff.getImage(i);
    const subfileType = (overview.fileDirectory.getValue("NewSubfileType") as number | undefined) ?? 0;
    if ((subfileType & 4) !== 0) continue; // a transparency mask, not an overview
    await checkDataInside(overview, reader.size, `overview ${i}`);
    overviewCount++;
  }
  const bbox = image.getBoundingBox();
  const [rx, ry] = image.getResolution();
  const metadata = (await image.getGDALMetadata().catch(() => null)) ?? {};
  const acquisition = Object.entries(metadata).find(([k]) => /acqui|sensing|datetime/i.test(k))?.[1];
  const dateTime = fileText(await image.fileDirectory.loadValue("DateTime"), 200) ?? fileText(acquisition, 200);
  const sampleFormat = SAMPLE_FORMATS[image.getSampleFormat(0)] ?? "other";
  const noData = image.getGDALNoData();
  return {
    width: image.getWidth(),
    height: image.getHeight(),
    bandCount: image.getSamplesPerPixel(),
    bitsPerSample: image.getBitsPerSample(0),
    sampleFormat,
    epsg,
    bounds: [bbox[0]!, bbox[1]!, bbox[2]!, bbox[3]!],
    bounds84: bounds84(epsg, bbox),
    resolution: [Math.abs(rx!), Math.abs(ry!)],
    isTiled: image.isTiled,
    overviewCount,
    dateTime,
    description: fileText(await image.fileDirectory.loadValue("ImageDescription"), 2000),
    noData: noData !== null && Number.isFinite(noData) ? noData : null,
  };
}
