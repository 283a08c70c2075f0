/**
 * Geolocation records: a proposal (where an item was made, or why it cannot be told, with its
 * clues, the candidates eliminated and the method), revisions that name the proposal they
 * replace, and a second examiner's review. Every check the ledger's replay and verify rely on is
 * made here before anything is written, with a one-line reason when something does not hold.
 */
import type { ApiOutput, ApiParsedInput } from "../../../shared/api/contract.js";
import type { ChronolocationInfo, GeolocationInfo } from "../../../shared/api/geoContract.js";
import type { CaseState, ItemState } from "../../../shared/ledger/caseState.js";
import { GeolocationProposedPayload, type FramePoint, type LayerRef } from "../../../shared/ledger/geoEvents.js";
import { findGeolocation } from "../../../shared/ledger/geoState.js";
import { SightlineError } from "../sightlineError.js";
import { geolocationInfo } from "./geoExports.js";
import { appendOne, examinerName, itemIn, openGeoCase, signingExaminer, type GeoServiceTools } from "./geoCase.js";
import type { TileSources } from "./tileSources.js";

const refuse = (message: string) => new SightlineError("invalid-input", message);

/** A frame point must be on the original or on a derivative of this same item. */
export function checkFrameImage(item: ItemState, image: FramePoint["image"], what: string): void {
  if (image === "original") return;
  if (!item.derivatives.some((d) => d.path === image)) {
    throw refuse(`${what} is on ${image.slice(0, 120)}, which is not a derivative of this item`);
  }
}

function checkLayer(state: CaseState, layer: LayerRef, what: string): void {
  if (layer.kind === "tiles") {
    if (layer.sha256 !== null) throw refuse(`${what} is matched on online tiles, which have no item hash`);
    return;
  }
  if (layer.sha256 === null) throw refuse(`${what} is matched on a ${layer.kind} but does not name its item`);
  const marked = state.geo.references.get(layer.sha256);
  if (!marked)
    throw refuse(`${what} is matched on item ${layer.sha256.slice(0, 12)}…, which is not marked as reference imagery`);
  if (marked.payload.kind !== layer.kind) {
    throw refuse(
      `${what} names item ${layer.sha256.slice(0, 12)}… as a ${layer.kind}, but it is marked as a ${marked.payload.kind}`,
    );
  }
}

export async function proposeGeolocation(
  tools: GeoServiceTools,
  tiles: TileSources,
  input: ApiParsedInput<"proposeGeolocation">,
): Promise<ApiOutput<"proposeGeolocation">> {
  const { dir, state } = await openGeoCase(tools, input.dir);
  const item = itemIn(state, input.sha256);
  const checkReplaced = (now: CaseState) => {
    if (!input.replaces) return;
    const old = findGeolocation(now.geo, input.replaces);
    if (!old || old.payload.sha256 !== item.sha256) {
      throw refuse(`event ${input.replaces.seq} is not a geolocation of this item, so it cannot be replaced`);
    }
    if (old.replacedBy) {
      throw refuse(`that geolocation was already replaced (by event ${old.replacedBy.seq}); revise the current one`);
    }
  };
  checkReplaced(state);
  if (input.snapshot) {
    const { path, sha256 } = input.snapshot;
    const d = item.derivatives.find((x) => x.path === path);
    if (!d || d.role !== "map-snapshot" || d.sha256 !== sha256) {
      throw refuse("the snapshot named is not a map snapshot of this item (save the map snapshot first)");
    }
  }
  input.clues.forEach((clue, i) => {
    checkFrameImage(item, clue.frame.image, `clue ${i + 1}`);
    checkLayer(state, clue.layer, `clue ${i + 1}`);
  });
  const { dir: _dir, ...fields } = input;
  const parsed = GeolocationProposedPayload.safeParse(fields);
  if (!parsed.success) throw refuse(parsed.error.issues[0]?.message ?? "the geolocation is not complete");
  await tiles.refuseKeys(parsed.data.clues);
  // Again under the lock: two revisions of one geolocation sent at once must not both be written.
  const event = await appendOne(tools, dir, { type: "geolocation.proposed", payload: parsed.data }, checkReplaced);
  return { seq: event.seq, hash: event.hash };
}

export async function reviewGeolocation(
  tools: GeoServiceTools,
  input: ApiParsedInput<"reviewGeolocation">,
): Promise<ApiOutput<"reviewGeolocation">> {
  const { dir, state } = await openGeoCase(tools, input.dir);
  itemIn(state, input.sha256);
  const checkCurrent = (now: CaseState) => {
    const target = findGeolocation(now.geo, input.geolocation);
    if (!target || target.payload.sha256 !== input.sha256) {
      throw new SightlineError("not-found", `event ${input.geolocation.seq} is not a geolocation of this item`);
    }
    if (target.replacedBy) {
      throw refuse(
        `this geolocation was replaced by a revision (event ${target.replacedBy.seq}); review the current one`,
      );
    }
    return target;
  };
  const target = checkCurrent(state);
  const reviewer = await signingExaminer(tools, dir);
  if (reviewer.keyId === target.actor) {
    throw refuse("a second examiner must review this geolocation; you proposed it");
  }
  const event = await appendOne(
    tools,
    dir,
    {
      type: "geolocation.reviewed",
      payload: {
        sha256: input.sha256,
        geolocation: input.geolocation,
        verdict: input.verdict,
        reason: input.reason.trim(),
      },
    },
    // Again under the lock: a revision written by another window meanwhile replaces the target.
    (now) => {
      checkCurrent(now);
    },
  );
  return { seq: event.seq, hash: event.hash };
}

export async function listGeolocations(
  tools: GeoServiceTools,
  input: ApiParsedInput<"listGeolocations">,
): Promise<ApiOutput<"listGeolocations">> {
  const { state } = await openGeoCase(tools, input.dir);
  if (input.sha256) itemIn(state, input.sha256);
  const wanted = (sha: string) => input.sha256 === undefined || sha === input.sha256;
  const name = (keyId: string) => examinerName(state, keyId);
  const geolocations: GeolocationInfo[] = state.geo.geolocations
    .filter((g) => wanted(g.payload.sha256))
    .map((g) => geolocationInfo(state, g));
  const chronolocations: ChronolocationInfo[] = state.geo.chronolocations
    .filter((c) => wanted(c.payload.sha256))
    .map((c) => ({
      ref: c.ref,
      ts: c.ts,
      actor: c.actor,
      actorName: name(c.actor),
      payload: c.payload,
      replacedBy: c.replacedBy,
    }));
  return { geolocations, chronolocations };
}
