/**
 * Exports of a case's geolocations to `exports/` as GeoJSON, KML or CSV (shared/geo/geoExport.ts
 * renders them; csv-stringify writes the CSV text here, its types being Node's). Each file is
 * written durably (temporary name, fsync, rename, read-only) and recorded by a
 * `geolocations.exported` event with its SHA-256 and size, the proposals it holds, what was done
 * with sensitive places and the ledger head it was made from; verify re-hashes it later.
 */
import { createHash } from "node:crypto";
import { unlink } from "node:fs/promises";
import path from "node:path";
import { stringify } from "csv-stringify/sync";
import type { GeolocationInfo } from "../../../shared/api/geoContract.js";
import type { ApiOutput, ApiParsedInput } from "../../../shared/api/contract.js";
import {
  csvTable,
  geoJsonText,
  kmlText,
  planGeoExport,
  rowsWritten,
  type GeoExportEntry,
} from "../../../shared/geo/geoExport.js";
import type { CaseState } from "../../../shared/ledger/caseState.js";
import type { EventRef, GeoExportFormat, SnapshotResampling } from "../../../shared/ledger/geoEvents.js";
import { snapshotParamsOf, snapshotResampling } from "../../../shared/geo/snapshotResampling.js";
import { findGeolocation, type GeolocationRecord } from "../../../shared/ledger/geoState.js";
import { TOOL } from "../appInfo.js";
import { SightlineError } from "../sightlineError.js";
import { writeCaseFolderFile } from "../vault/caseFolderFile.js";
import type { GeoServiceTools } from "./geoService.js";

const EXTENSION: Record<GeoExportFormat, string> = { geojson: "geojson", kml: "kml", csv: "csv" };

/** A proposal as the API describes it, with the examiners' names the ledger gives. */
export function geolocationInfo(state: CaseState, record: GeolocationRecord): GeolocationInfo {
  const nameOf = (keyId: string) => state.examiners.get(keyId)?.name ?? keyId;
  return {
    ref: record.ref,
    ts: record.ts,
    actor: record.actor,
    actorName: nameOf(record.actor),
    payload: record.payload,
    replacedBy: record.replacedBy,
    reviews: record.reviews.map((r) => ({ ...r, actorName: nameOf(r.actor) })),
    ...resamplingOf(state, record),
  };
}

/** What the proposal's map snapshot records of resampled dNBR layers, if anything. */
function resamplingOf(state: CaseState, record: GeolocationRecord): { snapshotResampling?: SnapshotResampling[] } {
  const list = snapshotResampling(snapshotParamsOf(state.items.get(record.payload.sha256), record.payload.snapshot));
  return list.length > 0 ? { snapshotResampling: list } : {};
}

export async function exportGeolocations(
  tools: Pick<GeoServiceTools, "states" | "append">,
  input: ApiParsedInput<"exportGeolocations">,
  clock: () => Date = () => new Date(),
): Promise<ApiOutput<"exportGeolocations">> {
  const { dir, format, sensitive } = input;
  const state = await tools.states.get(dir);
  if (!state.head || state.caseId === null) throw new SightlineError("not-a-case", `${dir} has no case ledger`);
  const head: EventRef = { ...state.head };
  const chosen = chooseProposals(state, input.geolocations);
  if (chosen.length === 0) {
    throw new SightlineError("invalid-input", "this case has no geolocation to export yet; nothing was written");
  }
  const entries: GeoExportEntry[] = chosen.map((record) => ({
    info: geolocationInfo(state, record),
    itemName: state.items.get(record.payload.sha256)?.displayName ?? record.payload.sha256,
  }));
  const plan = planGeoExport(entries, sensitive);
  const written = rowsWritten(plan, format);
  const now = clock();
  const meta = { caseId: state.caseId, head, exportedAt: now.toISOString(), sensitive, tool: { ...TOOL } };
  const text =
    format === "geojson"
      ? geoJsonText(plan, meta)
      : format === "kml"
        ? kmlText(plan, meta)
        : // A byte-order mark, so spreadsheet programs read the file as UTF-8 rather than the local code page.
          stringify(csvTable(plan), { bom: true, record_delimiter: "windows" });
  const bytes = Buffer.from(text, "utf8");
  const relative = await writeExport(dir, fileName(state.caseId, "geolocations", now, EXTENSION[format]), bytes);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const removeFile = () => unlink(path.join(dir, relative)).catch(() => undefined);
  const [event] = await tools
    .append(dir, [
      {
        type: "geolocations.exported",
        payload: {
          format,
          path: relative,
          sha256,
          size: bytes.length,
          geolocations: written.map((r) => r.ref),
          sensitive,
          head,
          tool: { ...TOOL },
        },
      },
    ])
    .catch(async (error: unknown) => {
      await removeFile(); // not recorded, so not evidence: nothing is left for verify to call unreferenced
      throw error;
    });
  return { seq: event!.seq, path: relative, sha256, size: bytes.length, count: written.length };
}

/** The proposals named (each must exist), or every current one: those no later proposal replaced. */
function chooseProposals(state: CaseState, refs: EventRef[] | undefined): GeolocationRecord[] {
  if (refs === undefined) return state.geo.geolocations.filter((g) => g.replacedBy === null);
  const seen = new Set<string>();
  const out: GeolocationRecord[] = [];
  for (const ref of refs) {
    const record = findGeolocation(state.geo, ref);
    if (!record) {
      throw new SightlineError(
        "invalid-input",
        `event ${ref.seq} (${ref.hash.slice(0, 12)}…) is not a geolocation of this case; nothing was exported`,
      );
    }
    if (!seen.has(record.ref.hash)) out.push(record);
    seen.add(record.ref.hash);
  }
  return out;
}

/** `<first 8 of the case id>-<kind>-<UTC time to the millisecond>.<ext>`, plain characters only. */
export function fileName(caseId: string, kind: "geolocations" | "case-uco", at: Date, extension: string): string {
  const prefix = caseId.replace(/[^A-Za-z0-9]/g, "").slice(0, 8) || "case";
  const stamp = at.toISOString().replace(/[-:]/g, "").replace(".", "");
  return `${prefix}-${kind}-${stamp}.${extension}`;
}

/** Writes `bytes` into exports/ under `name`, or `name-2`… if taken (vault/caseFolderFile.ts). */
export function writeExport(dir: string, name: string, bytes: Buffer): Promise<string> {
  return writeCaseFolderFile(dir, "exports", name, bytes);
}
