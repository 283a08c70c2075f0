/**
 * An item's geolocations and chronolocations as a report gives them: every proposal (current and
 * replaced) with its reasoning, precision, confidence, claims, clues, places eliminated, map
 * snapshot and reviews; every chronolocation with its window and shadow measurements. Places are
 * handled as the examiner chose for sensitive ones (reportPlaces.ts).
 */
import type { Claim, LayerRef } from "../ledger/geoEvents.js";
import { PRECISION_RADIUS_M } from "../ledger/geoEvents.js";
import type { ChronolocationRecord, GeolocationRecord } from "../ledger/geoState.js";
import type {
  ReportChoices,
  ReportChronolocation,
  ReportClaim,
  ReportGeolocation,
  ReportImage,
} from "./reportModel.js";
import { reportPlace } from "./reportPlaces.js";
import { resamplingWords, snapshotResampling } from "../geo/snapshotResampling.js";
import { CLAIM_SOURCE_WORDS, CONFIDENCE_WORDS } from "./reportWords.js";

const PRECISION_WORDS: Record<string, string> = {
  exact: `exact (±${PRECISION_RADIUS_M.exact} m)`,
  vicinity: `vicinity (±${PRECISION_RADIUS_M.vicinity} m)`,
  locality: `locality (±${PRECISION_RADIUS_M.locality / 1000} km)`,
};

export interface GeoContext {
  choices: ReportChoices;
  /** Every place of the item is sensitive (one of its geolocations is marked so). */
  isSensitive: boolean;
  nameOf: (keyId: string) => string;
  /** The picture for a map snapshot, or null when the case does not hold it. */
  image: (file: { path: string; sha256: string; mime: string }, isGraphic: boolean) => ReportImage;
  /** The params of the item's map-snapshot derivative at that path and hash, or null. */
  snapshotParams: (snapshot: { path: string; sha256: string }) => unknown;
}

function claims(list: readonly Claim[], ctx: GeoContext): ReportClaim[] {
  return list.map((c) => ({
    source: CLAIM_SOURCE_WORDS[c.source] ?? c.source,
    detail: c.detail,
    placeName: c.placeName,
    location: c.location ? reportPlace(c.location, null, ctx.isSensitive, ctx.choices.sensitive) : null,
    time: c.time,
  }));
}

/**
 * A clue's map layer in words. A withheld place leaves out the scene id: a Sentinel-2 id names its
 * 100 km MGRS tile (`…_T31PDR_…`).
 */
function layerWords(layer: LayerRef, isWithheld: boolean): string {
  const parts = [layer.provider];
  if (layer.sceneId && !isWithheld) parts.push(`scene ${layer.sceneId}`);
  if (layer.date) parts.push(`imagery of ${layer.date}`);
  if (layer.sha256) parts.push(`reference item ${layer.sha256}`);
  return parts.join(", ");
}

export function reportGeolocation(g: GeolocationRecord, ctx: GeoContext): ReportGeolocation {
  const p = g.payload;
  const radiusM = p.precision?.radiusM ?? null;
  const showSnapshot = !ctx.isSensitive || ctx.choices.sensitive === "exact";
  // A withheld place says nothing that locates it: the resampling's EPSG codes name UTM zones.
  const isWithheld = ctx.isSensitive && ctx.choices.sensitive === "withheld";
  return {
    ref: g.ref,
    at: g.ts,
    examiner: ctx.nameOf(g.actor),
    isCurrent: g.replacedBy === null,
    replaces: p.replaces,
    replacedBy: g.replacedBy,
    outcome: p.outcome,
    place: p.place ? reportPlace(p.place, radiusM, ctx.isSensitive, ctx.choices.sensitive) : null,
    precision: p.precision
      ? p.precision.class === "radius"
        ? `within a stated radius of ${p.precision.radiusM} m`
        : (PRECISION_WORDS[p.precision.class] ?? p.precision.class)
      : null,
    confidence: p.confidence ? (CONFIDENCE_WORDS[p.confidence] ?? p.confidence) : null,
    cannotReason: p.cannotReason,
    isSensitive: p.sensitive,
    claims: claims(p.claims, ctx),
    clues: p.clues.map((c) => ({
      what: c.what,
      frame:
        c.frame.image === "original"
          ? `on the original at pixel ${Math.round(c.frame.x)}, ${Math.round(c.frame.y)}`
          : `on ${c.frame.image} at pixel ${Math.round(c.frame.x)}, ${Math.round(c.frame.y)}${c.frame.timestampS !== null ? ` (${c.frame.timestampS} s)` : ""}`,
      map: reportPlace(c.map, null, ctx.isSensitive, ctx.choices.sensitive),
      layer: layerWords(c.layer, isWithheld),
    })),
    eliminated: p.eliminated.map((e) => ({ place: e.place, why: e.why })),
    method: p.method,
    snapshot: p.snapshot
      ? showSnapshot
        ? ctx.image({ ...p.snapshot, mime: "image/png" }, false)
        : {
            ...p.snapshot,
            mime: "image/png",
            isVeiled: false,
            omitted: "left out: the map shows a place marked sensitive",
          }
      : null,
    snapshotResampling:
      p.snapshot && !isWithheld ? snapshotResampling(ctx.snapshotParams(p.snapshot)).map(resamplingWords) : [],
    reviews: g.reviews.map((r) => ({
      seq: r.ref.seq,
      at: r.ts,
      examiner: ctx.nameOf(r.actor),
      verdict: r.payload.verdict,
      reason: r.payload.reason,
    })),
  };
}

export function reportChronolocation(c: ChronolocationRecord, ctx: GeoContext): ReportChronolocation {
  const p = c.payload;
  return {
    ref: c.ref,
    at: c.ts,
    examiner: ctx.nameOf(c.actor),
    isCurrent: c.replacedBy === null,
    date: p.date,
    place: reportPlace(p.place, null, ctx.isSensitive, ctx.choices.sensitive),
    window: p.window,
    claims: claims(p.claims, ctx),
    shadows: p.shadows.map((s) => ({
      what: s.what,
      elevationDeg: s.elevationDeg,
      ratio: s.ratio,
      windows: s.windows,
    })),
    sunModel: p.sunModel,
    method: p.method,
  };
}
