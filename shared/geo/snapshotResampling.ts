/**
 * What a map snapshot records of its resampled dNBR layers (`params.layers[].resampling`,
 * shared/ledger/geoEvents.ts), read back from the snapshot's `derivative.created` and put in
 * plain words for the item's page and the custody report:
 * "Burn index: the 14 March 2026 scene resampled onto the 2 March 2026 scene's 10 m grid (bilinear)".
 */
import { SnapshotResamplingSchema, type SnapshotResampling } from "../ledger/geoEvents.js";

/** At most this many resampled layers are read from one snapshot (a snapshot holds at most 20 layers). */
const MAX_LAYERS = 20;

/** A derivative as the case state keeps it: only what finding a map snapshot's params needs. */
interface DerivativeLike {
  role: string;
  path: string;
  sha256: string;
  params?: unknown;
}

/** The params of the item's map-snapshot derivative at the snapshot's path and hash, or null. */
export function snapshotParamsOf(
  item: { derivatives: readonly DerivativeLike[] } | undefined,
  shot: { path: string; sha256: string } | null | undefined,
): unknown {
  if (!item || !shot) return null;
  const found = item.derivatives.find(
    (d) => d.role === "map-snapshot" && d.path === shot.path && d.sha256 === shot.sha256,
  );
  return found?.params ?? null;
}

/**
 * The resampling of each layer of a snapshot's params that records one, in layer order. Anything
 * that does not fit the schema is left out (the ledger checkers report such a payload).
 */
export function snapshotResampling(params: unknown): SnapshotResampling[] {
  const layers = params !== null && typeof params === "object" ? (params as { layers?: unknown }).layers : undefined;
  if (!Array.isArray(layers)) return [];
  const out: SnapshotResampling[] = [];
  for (const layer of layers.slice(0, MAX_LAYERS)) {
    if (layer === null || typeof layer !== "object" || !("resampling" in layer)) continue;
    const checked = SnapshotResamplingSchema.safeParse((layer as { resampling: unknown }).resampling);
    if (checked.success) out.push(checked.data);
  }
  return out;
}

const DAY_WORDS = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** `2026-03-14` as "14 March 2026"; a day the month does not have (`2026-02-31`) as it was recorded. */
function dateWords(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  return day.toISOString().slice(0, 10) === date ? DAY_WORDS.format(day) : date;
}

/** A pixel size in the grid's units: degrees for EPSG:4326, metres otherwise; "10 m", "20 × 30 m". */
function sizeWords(r: SnapshotResampling): string {
  const [x, y] = r.grid.pixelSize.map((n) => Number(n.toPrecision(3)));
  const unit = r.grid.epsg === 4326 ? "°" : " m";
  return x === y ? `${x}${unit}` : `${x} × ${y}${unit}`;
}

/** One line, in plain words, of how a dNBR layer's two scenes were brought onto one grid. */
export function resamplingWords(r: SnapshotResampling): string {
  const reprojected = r.fromEpsg === r.grid.epsg ? "" : `, reprojected from EPSG:${r.fromEpsg} to EPSG:${r.grid.epsg}`;
  return (
    `Burn index: the ${dateWords(r.resampled.date)} scene resampled onto the ${dateWords(r.onto.date)} scene's ` +
    `${sizeWords(r)} grid (${r.grid.width} × ${r.grid.height} pixels${reprojected}; ${r.method})`
  );
}
