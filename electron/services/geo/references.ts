/**
 * Reference imagery of a case: marking an imported item as a satellite scene or an offline
 * basemap (a `reference.marked` event with what the verifier states and what the file's own tags
 * say, read here, never taken from the page), and listing what is marked.
 */
import type { ApiOutput, ApiParsedInput } from "../../../shared/api/contract.js";
import type { ReferenceInfo } from "../../../shared/api/geoContract.js";
import type { ReferenceMarked } from "../../../shared/ledger/geoEvents.js";
import { SightlineError } from "../sightlineError.js";
import { appendOne, examinerName, itemIn, openGeoCase, type GeoServiceTools } from "./geoCase.js";
import { inspectReferenceItem } from "./referenceInspect.js";

export async function inspectReference(
  tools: GeoServiceTools,
  input: ApiParsedInput<"inspectReference">,
): Promise<ApiOutput<"inspectReference">> {
  const { dir, state } = await openGeoCase(tools, input.dir);
  return inspectReferenceItem(dir, itemIn(state, input.sha256));
}

export async function markReference(
  tools: GeoServiceTools,
  input: ApiParsedInput<"markReference">,
): Promise<ApiOutput<"markReference">> {
  const { dir, state } = await openGeoCase(tools, input.dir);
  const item = itemIn(state, input.sha256);
  const inspection = await inspectReferenceItem(dir, item);
  let payload: ReferenceMarked;
  if (input.kind === "scene") {
    if (inspection.kind !== "scene") {
      throw new SightlineError("invalid-input", "this file is a PMTiles basemap, not a scene: mark it as a basemap");
    }
    const beyond = input.bands.find((b) => b.band > inspection.tags.bandCount);
    if (beyond) {
      throw new SightlineError(
        "invalid-input",
        `band ${beyond.band} is named, but the scene has ${inspection.tags.bandCount} band${inspection.tags.bandCount === 1 ? "" : "s"}`,
      );
    }
    const numbers = input.bands.map((b) => b.band);
    if (new Set(numbers).size !== numbers.length) {
      throw new SightlineError("invalid-input", "a band is given a role twice; give each band one role");
    }
    payload = {
      sha256: item.sha256,
      kind: "scene",
      provider: input.provider.trim(),
      sceneId: input.sceneId.trim(),
      acquiredOn: input.acquiredOn,
      bands: input.bands,
      note: input.note,
      fileTags: inspection.tags,
    };
  } else {
    if (inspection.kind !== "basemap") {
      throw new SightlineError("invalid-input", "this file is a GeoTIFF scene, not a basemap: mark it as a scene");
    }
    payload = {
      sha256: item.sha256,
      kind: "basemap",
      provider: input.provider.trim(),
      note: input.note,
      fileTags: inspection.tags,
    };
  }
  const event = await appendOne(tools, dir, { type: "reference.marked", payload });
  return { seq: event.seq };
}

export async function listReferences(
  tools: GeoServiceTools,
  input: ApiParsedInput<"listReferences">,
): Promise<ApiOutput<"listReferences">> {
  const { state } = await openGeoCase(tools, input.dir);
  const out: ReferenceInfo[] = [];
  for (const [sha256, record] of state.geo.references) {
    const item = state.items.get(sha256);
    if (!item) continue;
    out.push({
      sha256,
      name: item.displayName,
      objectPath: item.objectPath,
      size: item.size,
      marked: record.payload,
      seq: record.ref.seq,
      actorName: examinerName(state, record.actor),
    });
  }
  return out.sort((a, b) => b.seq - a.seq);
}
