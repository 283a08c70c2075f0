/**
 * dNBR of a before/after pair on different pixel grids (another origin, pixel size or UTM zone).
 * OpenLayers' GeoTIFF source combines several files only when they share a grid, so here the
 * source reads the before scene's NIR and SWIR as usual, on the before scene's own tile grid, and
 * each of its tiles is completed with the after scene's NIR and SWIR at the same places on the
 * ground: the after scene's window under the tile is read with geotiff (in byte ranges, from the
 * overview nearest the tile's resolution, decoded in a worker pool of its own: OpenLayers keeps its
 * pool private to its GeoTIFF module) and sampled bilinearly at
 * each before pixel's centre (gridMapping.ts). The tile then has four bands, as the same-grid dNBR
 * has, and one WebGL expression takes the difference.
 */
import { fromUrl, Pool, type GeoTIFF as GeoTiffFile, type GeoTIFFImage } from "geotiff";
import type { Options } from "ol/source/GeoTIFF.js";
import type { Loader } from "ol/source/DataTile.js";
import { toSize } from "ol/size.js";
import { BatchedGeoTIFF } from "./batchedGeoTiff.js";
import {
  imageLevels,
  levelFor,
  samplePositions,
  sampleBilinear,
  windowFor,
  type ImageLevel,
  type PixelGrid,
} from "./gridMapping.js";

export interface AfterScene {
  url: string;
  /** Band numbers (1-based) of the after scene's NIR and SWIR2. */
  bands: [number, number];
  grid: PixelGrid;
  noData: number;
  sourceOptions: { blockSize: number; cacheSize: number };
}

/** One pool for every cross-grid pair on the map, started on the first after-scene read. */
let pool: Pool | undefined;

/** The after scene's images, full resolution first, and how many full-resolution pixels each pixel spans. */
async function openAfter(after: AfterScene): Promise<ImageLevel<GeoTIFFImage>[]> {
  const tiff: GeoTiffFile = await fromUrl(after.url, after.sourceOptions);
  const count = await tiff.getImageCount();
  const images: GeoTIFFImage[] = [];
  for (let i = 0; i < count; i++) {
    const image = await tiff.getImage(i);
    const type = Number(image.fileDirectory.getValue("NewSubfileType") ?? 0);
    if ((type & 4) === 0) images.push(image);
  }
  return imageLevels(images);
}

export class ResampledPairGeoTIFF extends BatchedGeoTIFF {
  private readonly after: AfterScene;
  private readonly beforeEpsg: number;
  private afterImages: Promise<ImageLevel<GeoTIFFImage>[]> | null = null;

  constructor(options: Options, beforeEpsg: number, after: AfterScene) {
    super(options);
    this.after = after;
    this.beforeEpsg = beforeEpsg;
  }

  /** The after scene's NIR and SWIR under a block of the before grid, into bands 3 and 4 of `out`. */
  private async readAfter(extent: number[], width: number, height: number, out: Float32Array, signal?: AbortSignal) {
    this.afterImages ??= openAfter(this.after);
    const images = await this.afterImages;
    const { grid } = this.after;
    const positions = samplePositions(extent, width, height, this.beforeEpsg, grid);
    // The coarsest overview no coarser than the after pixels one before pixel spans.
    const level = levelFor(images, positions);
    const w = level.image.getWidth();
    const h = level.image.getHeight();
    const window = windowFor(positions, w, h);
    let win = null;
    if (window) {
      pool ??= new Pool();
      const rasters = (await level.image.readRasters({
        window,
        samples: this.after.bands.map((b) => b - 1),
        interleave: false,
        pool,
        signal,
      })) as unknown as ArrayLike<number>[];
      win = {
        bands: [rasters[0]!, rasters[1]!],
        x0: window[0]!,
        y0: window[1]!,
        width: window[2]! - window[0]!,
        height: window[3]! - window[1]!,
      };
    }
    sampleBilinear(positions, w, h, win, this.after.noData, out, 4, 2);
  }

  protected override setLoader(loader: Loader): void {
    // Called once the before scene is read: its bands (NIR, SWIR and, with nodata, an alpha band
    // OpenLayers adds) become bands 1–2, the after scene's bands 3–4.
    const beforeStride = this.bandCount;
    const hasAlpha = this.hasAlpha;
    this.bandCount = 4;
    this.nodataBandIndex = undefined;
    super.setLoader(async (z, x, y, options) => {
      const size = toSize(this.getTileSize(z));
      const [width, height] = [size[0]!, size[1]!];
      const extent = this.getTileGrid()!.getTileCoordExtent([z, x, y]);
      const out = new Float32Array(width * height * 4);
      const [before] = await Promise.all([
        loader(z, x, y, options) as Promise<ArrayLike<number>>,
        this.readAfter(extent, width, height, out, options.signal),
      ]);
      // Where either date has no data all four bands are 0, which the colour expression makes
      // transparent (NBR is undefined there anyway); no NaN comparison reaches the GPU.
      const noData = this.after.noData;
      const noDataIsNaN = Number.isNaN(noData);
      for (let p = 0, q = 0; p < width * height; p++, q += beforeStride) {
        const a = out[p * 4 + 2]!;
        const isEmpty = (hasAlpha && before[q + 2] === 0) || (noDataIsNaN ? Number.isNaN(a) : a === noData);
        out[p * 4] = isEmpty ? 0 : before[q]!;
        out[p * 4 + 1] = isEmpty ? 0 : before[q + 1]!;
        if (isEmpty) out[p * 4 + 2] = out[p * 4 + 3] = 0;
      }
      return out;
    });
  }
}
