/**
 * Satellite scenes on the map: each marked scene (a GeoTIFF or COG, read in byte ranges by
 * `ol/source/GeoTIFF`) in the band views its mapped roles allow, computed on the GPU by
 * `ol/layer/WebGLTile` style expressions. dNBR of two scenes on one grid reads both dates through
 * one GeoTIFF source (`sources: [before, after]`), so both scenes' bands meet in one expression;
 * OpenLayers requires that they share a grid. Two scenes on different grids (another origin,
 * pixel size or UTM zone) are compared on the before scene's grid, the after scene resampled to
 * it (resampledPair.ts, gridMapping.ts); pairs that cannot be compared say why. The map is drawn in the grid of the scene
 * on top (viewProjection.ts), so that scene is shown as stored; a scene from another UTM zone
 * beneath it is reprojected by OpenLayers.
 */
import type GeoTIFF from "ol/source/GeoTIFF.js";
import WebGLTileLayer from "ol/layer/WebGLTile.js";
import type { Connection } from "../../connection.js";
import type { ReferenceInfo } from "../../../../shared/api/geoContract.js";
import type { BandRole, ReferenceMarked, SnapshotResampling } from "../../../../shared/ledger/geoEvents.js";
import { inertText } from "../../../../shared/text/inertText.js";
import type { BuiltLayer, LayerOption, LayerView } from "./layerCatalog.js";
import { isKnownEpsg } from "./projections.js";
import { DNBR_CLASSES, dnbrColourExpression, nbrColourExpression } from "./burnIndex.js";
import { warmDecoders } from "./geotiffWorker.js";
import { BatchedGeoTIFF } from "./batchedGeoTiff.js";
import { gridOf, pairGrids } from "./gridMapping.js";
import { ResampledPairGeoTIFF } from "./resampledPair.js";

type Scene = Extract<ReferenceMarked, { kind: "scene" }>;
type Expr = unknown[] | number;

const VIEW_NAMES: Record<LayerView, string> = {
  "as-is": "as stored",
  "true-colour": "true colour",
  "false-colour-burn": "false colour (burnt ground)",
  nbr: "NBR",
  dnbr: "dNBR",
};

/** Band number (1-based in the file) for a role, if the verifier mapped one. */
function bandOf(s: Scene, role: BandRole): number | null {
  return s.bands.find((b) => b.role === role)?.band ?? null;
}
/** The NIR band for burn indices: the narrow NIR (Sentinel-2 B8A, same 20 m grid as SWIR) when mapped. */
const nirOf = (s: Scene) => bandOf(s, "nir-narrow") ?? bandOf(s, "nir");

/** Which views a scene's band roles allow. */
export function sceneViews(s: Scene): LayerView[] {
  const views: LayerView[] = [];
  if (bandOf(s, "red") && bandOf(s, "green") && bandOf(s, "blue")) views.push("true-colour");
  else views.push("as-is");
  if (bandOf(s, "swir2") && nirOf(s) && bandOf(s, "red")) views.push("false-colour-burn");
  if (bandOf(s, "swir2") && nirOf(s)) views.push("nbr");
  return views;
}

const sceneLabel = (r: ReferenceInfo, s: Scene) =>
  `${inertText(s.provider)} ${s.acquiredOn}${s.sceneId ? ` · ${inertText(s.sceneId).slice(0, 40)}` : ""}`;

function option(r: ReferenceInfo, s: Scene, view: LayerView): LayerOption {
  const known = isKnownEpsg(s.fileTags.epsg);
  return {
    key: `scene:${r.sha256}:${view}`,
    label: `${sceneLabel(r, s)} — ${VIEW_NAMES[view]}`,
    group: view === "nbr" ? "Burn views" : "Scenes",
    ref: {
      kind: "scene",
      sha256: r.sha256,
      provider: s.provider,
      sceneId: s.sceneId || null,
      date: s.acquiredOn,
      template: null,
    },
    view,
    pair: null,
    attribution: inertText(s.provider),
    terms: "",
    host: inertText(r.name),
    unavailable: known ? null : `its projection (EPSG:${s.fileTags.epsg}) is not one the map knows`,
    projection: known ? `EPSG:${s.fileTags.epsg}` : null,
  };
}

const scenesOf = (refs: ReferenceInfo[]) =>
  refs.flatMap((r) => (r.marked.kind === "scene" ? [{ r, s: r.marked }] : []));

/** Every scene view and every before/after dNBR pair the case's scenes allow (older first). */
export function sceneOptions(refs: ReferenceInfo[]): LayerOption[] {
  const scenes = scenesOf(refs);
  const out = scenes.flatMap(({ r, s }) => sceneViews(s).map((v) => option(r, s, v)));
  const burnable = scenes
    .filter(({ s }) => bandOf(s, "swir2") && nirOf(s))
    .sort((a, b) => a.s.acquiredOn.localeCompare(b.s.acquiredOn));
  for (let i = 0; i < burnable.length && out.length < 200; i++) {
    for (let j = i + 1; j < burnable.length; j++) {
      const before = burnable[i]!;
      const after = burnable[j]!;
      if (before.s.acquiredOn === after.s.acquiredOn) continue;
      const base = option(after.r, after.s, "dnbr");
      const unknown = option(before.r, before.s, "dnbr").unavailable ?? base.unavailable;
      const plan = unknown ? null : pairGrids(before.s.fileTags, after.s.fileTags);
      out.push({
        ...base,
        key: `dnbr:${before.r.sha256}:${after.r.sha256}`,
        label: `dNBR ${before.s.acquiredOn} → ${after.s.acquiredOn} (${inertText(after.s.provider)})`,
        group: "Burn views",
        pair: { before: before.r.sha256, after: after.r.sha256 },
        unavailable: unknown ?? (plan?.kind === "refused" ? plan.reason : null),
        // Compared on the before scene's grid, so the map is drawn in it.
        projection: `EPSG:${before.s.fileTags.epsg}`,
        gridNote: plan?.kind === "resampled" ? plan.note : null,
        resampling: plan?.kind === "resampled" ? resamplingOf(before, after) : null,
      });
    }
  }
  return out;
}

/** What a map snapshot records of a pair compared on the before scene's grid (sampled bilinearly, gridMapping.ts). */
function resamplingOf(
  before: { r: ReferenceInfo; s: Scene },
  after: { r: ReferenceInfo; s: Scene },
): SnapshotResampling {
  const t = before.s.fileTags;
  return {
    resampled: { sha256: after.r.sha256, date: after.s.acquiredOn },
    onto: { sha256: before.r.sha256, date: before.s.acquiredOn },
    grid: { epsg: t.epsg, pixelSize: [t.resolution[0], t.resolution[1]], width: t.width, height: t.height },
    fromEpsg: after.s.fileTags.epsg,
    method: "bilinear",
  };
}

/**
 * The top of the display range for reflectance bands: 8-bit scenes use their full range; 16-bit
 * scenes are taken as reflectance × 10,000 (Sentinel-2 L2A, Landsat surface reflectance after
 * scaling), shown up to 0.3 reflectance like most true-colour renderings; floats as reflectance.
 */
function displayMax(s: Scene): number {
  if (s.fileTags.sampleFormat === "float") return 0.3;
  return s.fileTags.bitsPerSample <= 8 ? 255 : 3000;
}

/**
 * Byte-range reads in 1 MiB blocks: a full-resolution tile of an uncompressed scene is 0.5–1.5 MB,
 * which geotiff's default 64 KiB blocks split into dozens of requests.
 */
const SOURCE_OPTIONS = { blockSize: 1024 * 1024, cacheSize: 64 };

const b = (i: number): Expr => ["band", i];
/** Transparent where every listed band is zero or the file's nodata value (outside the scene). */
function masked(bands: number[], noData: number | null, colour: Expr): Expr {
  const empty = bands.map((i) => ["==", b(i), noData ?? 0]);
  return ["case", ["all", ...empty], [0, 0, 0, 0], colour];
}

/**
 * The three read bands as red, green and blue. The source has already stretched them from 0 to the
 * display maximum into 8 bits (what the screen shows anyway) and added a fourth band, opaque where
 * any band differs from the file's nodata value (0 when it names none), computed on the raw values.
 */
const RGB: Expr = ["array", b(1), b(2), b(3), b(4)];

/**
 * The source bands to read, the colour expression over them (band numbers in the expression count
 * from 1 within the read bands), and whether the view is a picture (8-bit, stretched by the source)
 * or an index computed from the stored values.
 */
function styleFor(s: Scene, view: LayerView): { bands: number[]; color: Expr; picture: boolean } {
  const red = bandOf(s, "red");
  const nir = nirOf(s);
  const swir2 = bandOf(s, "swir2");
  switch (view) {
    case "true-colour":
      return { bands: [red!, bandOf(s, "green")!, bandOf(s, "blue")!], color: RGB, picture: true };
    case "false-colour-burn":
      return { bands: [swir2!, nir!, red!], color: RGB, picture: true };
    case "nbr":
      return {
        bands: [nir!, swir2!],
        color: masked([1, 2], s.fileTags.noData, nbrColourExpression(b(1), b(2))),
        picture: false,
      };
    default: {
      const n = Math.min(3, s.fileTags.bandCount);
      return { bands: n === 3 ? [1, 2, 3] : [1, 1, 1], color: RGB, picture: true };
    }
  }
}

/**
 * How a picture view's source reads the scene: stretched from 0 to the display maximum into 8
 * bits, with nodata made transparent from the raw values. 8-bit tiles are a quarter of the bytes
 * of the 32-bit floats OpenLayers otherwise keeps, through both the copies in script and the
 * texture uploads to the software renderer; the screen shows 8 bits per channel either way.
 * Indices (NBR, dNBR) keep the stored values.
 */
function pictureSource(s: Scene) {
  return { min: 0, max: displayMax(s), nodata: s.fileTags.noData ?? 0 };
}

/**
 * The dNBR source and colour of a before/after pair: both read through one GeoTIFF source when they
 * share a grid; otherwise the before scene's source, its tiles completed with the after scene
 * resampled to them. Bands 1–2 are the before scene's NIR and SWIR, 3–4 the after scene's;
 * transparent where either date has no data, so ground outside one scene never reads as unburnt.
 */
function pairSource(before: Scene, urlBefore: string, after: Scene, urlAfter: string) {
  const plan = pairGrids(before.fileTags, after.fileTags);
  if (plan.kind === "refused") throw new Error(`these two scenes cannot be compared: ${plan.reason}`);
  const beforeBands = [nirOf(before)!, bandOf(before, "swir2")!];
  const afterBands: [number, number] = [nirOf(after)!, bandOf(after, "swir2")!];
  const dnbr = dnbrColourExpression(b(1), b(2), b(3), b(4));
  const common = { normalize: false, sourceOptions: SOURCE_OPTIONS, transition: 0 };
  if (plan.kind === "same-grid") {
    const source = new BatchedGeoTIFF({
      ...common,
      sources: [
        { url: urlBefore, bands: beforeBands },
        { url: urlAfter, bands: afterBands },
      ],
      projection: `EPSG:${after.fileTags.epsg}`,
    });
    return { source, color: masked([1, 2, 3, 4], after.fileTags.noData, dnbr) };
  }
  const afterNoData = after.fileTags.noData ?? 0;
  const source = new ResampledPairGeoTIFF(
    { ...common, sources: [{ url: urlBefore, bands: beforeBands }], projection: `EPSG:${before.fileTags.epsg}` },
    before.fileTags.epsg,
    {
      url: urlAfter,
      bands: afterBands,
      grid: gridOf(after.fileTags),
      noData: afterNoData,
      sourceOptions: SOURCE_OPTIONS,
    },
  );
  // The source writes 0 into all four bands where either date has no data (resampledPair.ts).
  const zero = (i: number) => ["all", ["==", b(i), 0], ["==", b(i + 1), 0]];
  return { source, color: ["case", ["any", zero(1), zero(3)], [0, 0, 0, 0], dnbr] as Expr };
}

export async function buildSceneLayer(
  connection: Connection,
  dir: string,
  opt: LayerOption,
  refs: ReferenceInfo[],
  onProblem: (message: string | null) => void,
): Promise<BuiltLayer> {
  warmDecoders();
  const find = (sha: string) => {
    const r = refs.find((x) => x.sha256 === sha);
    if (!r || r.marked.kind !== "scene") throw new Error("the scene is no longer marked as reference imagery");
    return { r, s: r.marked };
  };
  let source: GeoTIFF;
  let color: Expr;
  if (opt.pair) {
    const before = find(opt.pair.before);
    const after = find(opt.pair.after);
    const [urlBefore, urlAfter] = await Promise.all([
      connection.fileUrl(dir, before.r.objectPath),
      connection.fileUrl(dir, after.r.objectPath),
    ]);
    ({ source, color } = pairSource(before.s, urlBefore, after.s, urlAfter));
  } else {
    const { r, s } = find(opt.ref.sha256!);
    const style = styleFor(s, opt.view);
    const url = await connection.fileUrl(dir, r.objectPath);
    source = new BatchedGeoTIFF({
      sources: [{ url, bands: style.bands, ...(style.picture ? pictureSource(s) : {}) }],
      normalize: style.picture,
      sourceOptions: SOURCE_OPTIONS,
      projection: `EPSG:${s.fileTags.epsg}`,
      transition: 0,
    });
    color = style.color;
  }
  source.on("change", () => {
    if (source.getState() === "error") {
      const e = source.getError();
      onProblem(
        `${opt.label} could not be read: ${inertText(e instanceof Error ? e.message : String(e ?? "unknown error")).slice(0, 200)}`,
      );
    }
  });
  const layer = new WebGLTileLayer({ source, style: { color: color as never } });
  return { layer, tileSource: source };
}

export { DNBR_CLASSES };
