/**
 * The layers a case can show: online tile layers (presets and the examiner's own), offline
 * basemaps (PMTiles marked as reference imagery) and, from sceneLayers.ts, satellite scenes in
 * their band views. Each entry knows what to record about itself (a LayerRef: provider, scene,
 * date, template with `{key}` left in) and how to build its OpenLayers layer.
 *
 * Case files are read through `connection.fileUrl`: /files of the page's own origin (the loopback
 * host in a browser, the app:// protocol in Electron), in byte ranges, so a 2 GB scene is read in
 * pieces. Offline basemaps are built in basemapLayer.ts.
 */
import type BaseLayer from "ol/layer/Base.js";
import TileLayer from "ol/layer/Tile.js";
import XYZ from "ol/source/XYZ.js";
import type TileSource from "ol/source/Tile.js";
import type { Connection } from "../../connection.js";
import type { ReferenceInfo, TileSourceInfo } from "../../../../shared/api/geoContract.js";
import type { LayerRef, SnapshotResampling } from "../../../../shared/ledger/geoEvents.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { templateHost } from "./tileHealth.js";

/** How a layer shows its imagery; recorded in a snapshot's params. */
export type LayerView = "as-is" | "true-colour" | "false-colour-burn" | "nbr" | "dnbr";

export interface LayerOption {
  /** Stable key: `tiles:<id>`, `basemap:<sha256>`, `scene:<sha256>:<view>`, `dnbr:<before>:<after>`. */
  key: string;
  /** What the layer list shows (inert). */
  label: string;
  group: "Online tiles" | "Offline basemaps" | "Scenes" | "Burn views";
  ref: LayerRef;
  view: LayerView;
  pair: { before: string; after: string } | null;
  /** Attribution and terms shown under the map (inert text, never handed to OpenLayers as HTML). */
  attribution: string;
  terms: string;
  /** Where tiles come from, for health messages. */
  host: string;
  /** Why it cannot be shown, if it cannot (a keyed layer without its key). */
  unavailable: string | null;
  /** The grid a scene is stored in ("EPSG:32631"): the map is drawn in it while the scene is on top. */
  projection: string | null;
  /** For a dNBR pair on different grids: how the after scene is brought onto the before scene's grid. */
  gridNote?: string | null;
  /** For such a pair: what a map snapshot records of the resampling. */
  resampling?: SnapshotResampling | null;
}

export interface BuiltLayer {
  layer: BaseLayer;
  /** The source to watch for tile errors and slowness. */
  tileSource: TileSource | null;
  stopWatching?: () => void;
}

export function tileOption(t: TileSourceInfo): LayerOption {
  return {
    key: `tiles:${t.id}`,
    label: inertText(t.name),
    group: "Online tiles",
    ref: {
      kind: "tiles",
      sha256: null,
      provider: t.name.slice(0, 200),
      sceneId: null,
      date: null,
      template: t.template,
    },
    view: "as-is",
    pair: null,
    attribution: inertText(t.attribution),
    terms: inertText(t.terms),
    host: templateHost(t.template),
    unavailable: t.needsKey && !t.hasKey ? "needs a key: add it under Add a tile layer" : null,
    projection: null,
  };
}

export function basemapOption(r: ReferenceInfo): LayerOption | null {
  if (r.marked.kind !== "basemap") return null;
  return {
    key: `basemap:${r.sha256}`,
    label: `${inertText(r.marked.provider)} (offline)`,
    group: "Offline basemaps",
    ref: { kind: "basemap", sha256: r.sha256, provider: r.marked.provider, sceneId: null, date: null, template: null },
    view: "as-is",
    pair: null,
    attribution: inertText(r.marked.fileTags.attribution ?? r.marked.provider),
    terms: "",
    host: inertText(r.name),
    unavailable: r.marked.fileTags.tileType === "mvt" ? "vector basemaps are not shown yet" : null,
    projection: null,
  };
}

/** Builds an online tile layer: the template with the key filled in comes from `tileUrl`, for fetching only. */
export async function buildTileLayer(
  connection: Connection,
  dir: string,
  id: string,
  maxZoom: number,
): Promise<BuiltLayer> {
  const r = await connection.client.api.tileUrl({ dir, id });
  if (!r.ok) throw new Error(r.error.message);
  // Anonymous CORS keeps the canvas readable for snapshots; providers used for this serve CORS headers.
  const source = new XYZ({ url: r.value.template, crossOrigin: "anonymous", maxZoom, transition: 0 });
  return { layer: new TileLayer({ source }), tileSource: source };
}
