/**
 * Map snapshots: the map as the verifier saw it when saving a geolocation, kept as a PNG
 * derivative of the item (`derived/<sha>/map-snapshot-<UTC stamp>.png`) and named in a
 * `derivative.created` event (role `map-snapshot`) whose params say how to show the same map
 * again: layers (provider, template with any key left as `{key}`, scene hashes), zoom, centre,
 * bounds, compare mode, markers and time. Online imagery is replaced over the years; the
 * snapshot keeps what the comparison was made against.
 */
import { lstat, rm } from "node:fs/promises";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { ApiOutput, ApiParsedInput } from "../../../shared/api/contract.js";
import { MAX_SNAPSHOT_BYTES } from "../../../shared/api/geoContract.js";
import type { CaseState } from "../../../shared/ledger/caseState.js";
import type { ReferenceMarked } from "../../../shared/ledger/geoEvents.js";
import { TOOL } from "../appInfo.js";
import { storeDerivativeBytes } from "../media/derivativeStore.js";
import { loadSharp } from "../media/sharpLoad.js";
import { SightlineError } from "../sightlineError.js";
import { assertCaseLayout } from "../vault/caseLayout.js";
import { syncFileSystem } from "../vault/durableFs.js";
import { appendOne, itemIn, openGeoCase, type GeoServiceTools } from "./geoCase.js";
import type { TileSources } from "./tileSources.js";
import { imageDamageWords } from "../media/imageDamage.js";

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
type SceneMarked = Extract<ReferenceMarked, { kind: "scene" }>;
const refuse = (message: string) => new SightlineError("invalid-input", message);

/** The PNG bytes of a base64 string, or a one-line refusal. */
async function checkedPng(base64: string): Promise<{ bytes: Buffer; width: number; height: number }> {
  if (base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) {
    throw refuse("the snapshot is not base64 (send the PNG's bytes as standard base64)");
  }
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length > MAX_SNAPSHOT_BYTES) {
    throw refuse(
      `the snapshot is ${bytes.length} bytes; the limit is ${MAX_SNAPSHOT_BYTES} (${MAX_SNAPSHOT_BYTES / 1024 / 1024} MB)`,
    );
  }
  if (bytes.length < PNG_MAGIC.length || !bytes.subarray(0, 8).equals(PNG_MAGIC)) {
    throw refuse("the snapshot is not a PNG image (it does not begin with the PNG signature)");
  }
  const sharp = await loadSharp();
  try {
    const image = sharp(bytes, { failOn: "truncated", limitInputPixels: 16384 * 16384 });
    const meta = await image.metadata();
    if (meta.format !== "png" || !meta.width || !meta.height) throw new Error("not a PNG");
    // Decoding every row shows a damaged or cut-short image; the small output keeps memory low.
    await image.resize(32, 32, { fit: "inside" }).raw().toBuffer();
    return { bytes, width: meta.width, height: meta.height };
  } catch (error) {
    throw refuse(`the snapshot is a damaged PNG: ${imageDamageWords((error as Error).message)}`);
  }
}

/**
 * A resampled dNBR layer's record must be what the case says of its pair, since the report and the
 * custody timeline print it as fact: the map resamples the after scene onto the before scene's
 * grid, so `resampled` is the pair's after scene and `onto` its before scene, each dated as marked,
 * the grid is the before scene's and `fromEpsg` the after scene's CRS (their `reference.marked` tags).
 */
function refuseUnfoundedResampling(state: CaseState, params: ApiParsedInput<"saveMapSnapshot">["params"]): void {
  params.layers.forEach((layer, n) => {
    const r = layer.resampling;
    if (!r) return;
    const at = `layer ${n + 1}'s resampling`;
    if (!layer.pair) throw refuse(`${at} names scenes, but the layer is not a pair of scenes`);
    if (r.resampled.sha256 !== layer.pair.after || r.onto.sha256 !== layer.pair.before) {
      throw refuse(
        `${at} names other scenes than the layer's pair (the after scene is resampled onto the before scene)`,
      );
    }
    const [before, after] = [layer.pair.before, layer.pair.after].map((sha) => {
      const marked = state.geo.references.get(sha)?.payload;
      if (marked?.kind !== "scene")
        throw refuse(`${at} names item ${sha.slice(0, 12)}, which is not marked as a scene`);
      return marked;
    }) as [SceneMarked, SceneMarked];
    if (r.resampled.date !== after.acquiredOn || r.onto.date !== before.acquiredOn) {
      throw refuse(`${at} dates the scenes otherwise than they are marked (${before.acquiredOn}, ${after.acquiredOn})`);
    }
    const t = before.fileTags;
    const grid = { epsg: t.epsg, pixelSize: t.resolution, width: t.width, height: t.height };
    if (!isDeepStrictEqual(r.grid, grid) || r.fromEpsg !== after.fileTags.epsg) {
      throw refuse(`${at} describes other grids than the scenes' own tags`);
    }
  });
}

/** A plain UTC stamp for the file name, e.g. 20260216T091244123Z. */
function stamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, "");
}

export async function saveMapSnapshot(
  tools: GeoServiceTools,
  tiles: TileSources,
  input: ApiParsedInput<"saveMapSnapshot">,
): Promise<ApiOutput<"saveMapSnapshot">> {
  const { dir, state } = await openGeoCase(tools, input.dir);
  const item = itemIn(state, input.sha256);
  const png = await checkedPng(input.png);
  refuseUnfoundedResampling(state, input.params);
  await tiles.refuseKeys(input.params);
  await assertCaseLayout(dir);
  const base = `map-snapshot-${stamp(new Date())}`;
  let name = `${base}.png`;
  for (let n = 2; await exists(path.join(dir, "derived", item.sha256, name)); n++) name = `${base}-${n}.png`;
  const stored = await storeDerivativeBytes(dir, item.sha256, name, png.bytes, await syncFileSystem(dir));
  try {
    const event = await appendOne(tools, dir, {
      type: "derivative.created",
      payload: {
        parent: item.sha256,
        role: "map-snapshot",
        path: stored.path,
        sha256: stored.sha256,
        size: stored.size,
        mime: "image/png",
        width: png.width,
        height: png.height,
        timestampS: null,
        phash: null,
        tool: { name: "Sightline map", version: TOOL.version },
        params: input.params,
      },
    });
    return { seq: event.seq, path: stored.path, sha256: stored.sha256, size: stored.size };
  } catch (error) {
    // Nothing names the file if the event was not written: remove it rather than leave it unreferenced.
    await rm(path.join(dir, ...stored.path.split("/")), { force: true });
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}
