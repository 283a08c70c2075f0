/**
 * Scoring a submitted exercise against its answer key (docs/TRAINING.md, "Scoring"). Pure: the
 * case's events up to the submission and the key in, a scorecard out; the same input always
 * gives the same card, so anyone can re-check a score by running it again.
 *
 * Distances are on the WGS 84 ellipsoid (geographiclib's geodesics, Karney 2013). A given area
 * scores 0 m when the true place lies inside it (tested on the plane of latitude and longitude,
 * which is right for the areas a geolocation draws, well away from the poles and the antimeridian),
 * else its distance to the nearest edge. Times are instants with offsets, compared on the time
 * line, so a window across midnight or given in another zone compares as it should.
 */
import geodesic from "geographiclib-geodesic";
import type { LocationScore, ReasoningScore, Scorecard, TimeScore, TrapScore } from "../api/trainingContract.js";
import type { LedgerEvent } from "../ledger/events.js";
import { NoteAddedPayload, StatusChangedPayload, TagsChangedPayload } from "../ledger/events.js";
import {
  ChronolocationRecordedPayload,
  GeolocationProposedPayload,
  PRECISION_RADIUS_M,
  type ChronolocationRecorded,
  type Clue,
  type EventRef,
  type GeolocationProposed,
  type LatLonValue,
} from "../ledger/geoEvents.js";
import type { AnswerKey, ScoringWeights } from "./sampleFormat.js";

export const SCORING_VERSION = 1;

/** Points per location answer, per time answer, per trap, for the reasoning, and off per hint. */
export const DEFAULT_WEIGHTS: ScoringWeights = { location: 40, time: 20, trap: 10, reasoning: 20, hintPenalty: 5 };
/** Of a location's points: this share for coming within the tolerance, the rest for a precision that covers the truth. */
export const LOCATION_DISTANCE_SHARE = 0.8;
/** Distances are compared to the millimetre: an answer exactly at its tolerance is within it. */
export const DISTANCE_EPSILON_M = 0.001;
/** Two clues matched on the same layer count as independent only when their map points are farther apart than this. */
export const INDEPENDENT_CLUE_DISTANCE_M = 50;

const WGS84 = geodesic.Geodesic.WGS84;

export interface ScoringInput {
  key: AnswerKey;
  sample: { id: string; title: string };
  trainee: string;
  timeAllowedMinutes: number | null;
  submission: { ts: string; minutesTaken: number; hintsOpened: number };
  /** The case's events before the submission, in ledger order. */
  events: readonly LedgerEvent[];
  /** An item's name in the case, by SHA-256. */
  fileName: (sha256: string) => string;
}

// --- Geometry --------------------------------------------------------------------------------------

/** Metres between two points on the WGS 84 ellipsoid. */
export function geodesicDistanceM(a: LatLonValue, b: LatLonValue): number {
  return WGS84.Inverse(a.lat, a.lon, b.lat, b.lon, geodesic.Geodesic.DISTANCE).s12 ?? NaN;
}

/** Metres from `p` to the nearest point of the geodesic segment a–b. */
export function distanceToSegmentM(p: LatLonValue, a: LatLonValue, b: LatLonValue): number {
  const line = WGS84.InverseLine(a.lat, a.lon, b.lat, b.lon);
  const length = line.s13;
  if (!(length > 0)) return geodesicDistanceM(p, a);
  const at = (s: number) => {
    const q = line.Position(s);
    return geodesicDistanceM(p, { lat: q.lat2!, lon: q.lon2! });
  };
  // Coarse samples find the stretch of the nearest point; a golden-section search then narrows it to
  // well under a millimetre on any segment a geolocation draws.
  const steps = 64;
  let best = 0;
  let bestD = at(0);
  for (let i = 1; i <= steps; i++) {
    const d = at((length * i) / steps);
    if (d < bestD) [best, bestD] = [i, d];
  }
  let lo = (length * Math.max(0, best - 1)) / steps;
  let hi = (length * Math.min(steps, best + 1)) / steps;
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60 && hi - lo > 1e-4; i++) {
    const m1 = hi - ratio * (hi - lo);
    const m2 = lo + ratio * (hi - lo);
    if (at(m1) <= at(m2)) hi = m2;
    else lo = m1;
  }
  return Math.min(bestD, at((lo + hi) / 2));
}

/** Whether `p` lies inside the ring (even-odd rule on latitude and longitude; the ring is not closed). */
export function insideRing(p: LatLonValue, ring: readonly LatLonValue[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    if (a.lat > p.lat !== b.lat > p.lat && p.lon < ((b.lon - a.lon) * (p.lat - a.lat)) / (b.lat - a.lat) + a.lon) {
      inside = !inside;
    }
  }
  return inside;
}

/** Metres from the true place to a given place: 0 inside a given area, else to its nearest edge. */
export function distanceToPlaceM(truth: LatLonValue, place: NonNullable<GeolocationProposed["place"]>): number {
  if (place.shape === "point") return geodesicDistanceM(truth, place);
  if (insideRing(truth, place.ring)) return 0;
  let nearest = Infinity;
  place.ring.forEach((a, i) => {
    nearest = Math.min(nearest, distanceToSegmentM(truth, a, place.ring[(i + 1) % place.ring.length]!));
  });
  return nearest;
}

/** The radius a stated precision stands for: the class's own, or the stated one for `radius`. */
export function precisionRadiusM(precision: NonNullable<GeolocationProposed["precision"]>): number {
  return precision.class === "radius" ? precision.radiusM : PRECISION_RADIUS_M[precision.class];
}

// --- Time ------------------------------------------------------------------------------------------

/** Minutes between two windows on the time line: 0 when they overlap (touching counts), else the gap. */
export function minutesBetween(a: { from: string; to: string }, b: { from: string; to: string }): number {
  const [af, at, bf, bt] = [a.from, a.to, b.from, b.to].map((t) => Date.parse(t)) as [number, number, number, number];
  if (at < bf) return (bf - at) / 60_000;
  if (bt < af) return (af - bt) / 60_000;
  return 0;
}

function widthMinutes(w: { from: string; to: string }): number {
  return (Date.parse(w.to) - Date.parse(w.from)) / 60_000;
}

// --- The scorecard ---------------------------------------------------------------------------------

const round = (n: number) => Math.round(n * 100) / 100;
const metres = (m: number) =>
  m >= 10_000 ? `${(m / 1000).toFixed(1)} km` : `${Math.round(m).toLocaleString("en-GB")} m`;
const refOf = (e: LedgerEvent): EventRef => ({ seq: e.seq, hash: e.hash });

/** The latest record of each item among events of one type whose payload passes its schema. */
function latestByItem<P extends { sha256: string }>(
  events: readonly LedgerEvent[],
  type: string,
  schema: { safeParse(v: unknown): { success: boolean; data?: P } },
): Map<string, { event: LedgerEvent; payload: P }> {
  const latest = new Map<string, { event: LedgerEvent; payload: P }>();
  for (const event of events) {
    if (event.type !== type) continue;
    const parsed = schema.safeParse(event.payload);
    if (parsed.success) latest.set(parsed.data!.sha256, { event, payload: parsed.data! });
  }
  return latest;
}

export function scoreExercise(input: ScoringInput): Scorecard {
  const weights = input.key.weights ?? DEFAULT_WEIGHTS;
  const geolocations = latestByItem<GeolocationProposed>(
    input.events,
    "geolocation.proposed",
    GeolocationProposedPayload,
  );
  const chronolocations = latestByItem<ChronolocationRecorded>(
    input.events,
    "chronolocation.recorded",
    ChronolocationRecordedPayload,
  );
  const locations = input.key.locations.map((answer) =>
    scoreLocation(answer, geolocations.get(answer.sha256), weights, input.fileName),
  );
  const times = input.key.times.map((answer) =>
    scoreTime(answer, chronolocations.get(answer.sha256), weights, input.fileName),
  );
  const traps = input.key.traps.map((trap) => scoreTrap(trap, input.events, weights, input.fileName));
  const reasoning = scoreReasoning(input.key, geolocations, weights, input.fileName);
  const hintPenalty = round(input.submission.hintsOpened * weights.hintPenalty);
  const earned = [...locations, ...times, ...traps, reasoning].reduce((n, l) => n + l.points, 0);
  const maxPoints = round([...locations, ...times, ...traps, reasoning].reduce((n, l) => n + l.maxPoints, 0));
  const allowed = input.timeAllowedMinutes;
  return {
    scoringVersion: SCORING_VERSION,
    sample: input.sample,
    trainee: input.trainee,
    submittedAt: input.submission.ts,
    minutesTaken: round(input.submission.minutesTaken),
    late: allowed !== null && input.submission.minutesTaken > allowed,
    hintsOpened: input.submission.hintsOpened,
    hintPenalty,
    locations,
    times,
    traps,
    reasoning,
    points: round(Math.max(0, earned - hintPenalty)),
    maxPoints,
    modelAnswer: input.key.modelAnswer,
  };
}

function scoreLocation(
  answer: AnswerKey["locations"][number],
  record: { event: LedgerEvent; payload: GeolocationProposed } | undefined,
  weights: ScoringWeights,
  fileName: (sha256: string) => string,
): LocationScore {
  const base = {
    sha256: answer.sha256,
    fileName: fileName(answer.sha256),
    answer: answer.place,
    toleranceM: answer.toleranceM,
    maxPoints: weights.location,
  };
  const p = record?.payload;
  if (!record || !p || p.outcome !== "located" || !p.place || !p.precision) {
    return {
      ...base,
      given: null,
      distanceM: null,
      withinTolerance: false,
      precisionCovers: null,
      points: 0,
      summary: p ? "Recorded as not possible to geolocate." : "No geolocation was recorded.",
    };
  }
  const distanceM = distanceToPlaceM(answer.place, p.place);
  const radius = precisionRadiusM(p.precision);
  const withinTolerance = distanceM <= answer.toleranceM + DISTANCE_EPSILON_M;
  const precisionCovers = distanceM <= radius + DISTANCE_EPSILON_M;
  const precisionEarns = withinTolerance && precisionCovers && radius <= answer.toleranceM;
  const points =
    (withinTolerance ? weights.location * LOCATION_DISTANCE_SHARE : 0) +
    (precisionEarns ? weights.location * (1 - LOCATION_DISTANCE_SHARE) : 0);
  const centre =
    p.place.shape === "point"
      ? { lat: p.place.lat, lon: p.place.lon }
      : {
          lat: p.place.ring.reduce((n, q) => n + q.lat, 0) / p.place.ring.length,
          lon: p.place.ring.reduce((n, q) => n + q.lon, 0) / p.place.ring.length,
        };
  const where =
    distanceM === 0 && p.place.shape === "area"
      ? "The true place lies inside the area given"
      : `${metres(distanceM)} from the answer`;
  return {
    ...base,
    given: { event: refOf(record.event), place: centre, precisionM: radius, confidence: p.confidence },
    distanceM: round(distanceM),
    withinTolerance,
    precisionCovers,
    points: round(points),
    summary: `${where}; ${withinTolerance ? "within" : "outside"} the ${metres(answer.toleranceM)} tolerance; the stated precision (±${metres(radius)}) ${precisionCovers ? "covers" : "does not cover"} the true place.`,
  };
}

function scoreTime(
  answer: AnswerKey["times"][number],
  record: { event: LedgerEvent; payload: ChronolocationRecorded } | undefined,
  weights: ScoringWeights,
  fileName: (sha256: string) => string,
): TimeScore {
  const base = {
    sha256: answer.sha256,
    fileName: fileName(answer.sha256),
    answer: answer.window,
    toleranceMinutes: answer.toleranceMinutes,
    maxPoints: weights.time,
  };
  if (!record) {
    return {
      ...base,
      given: null,
      minutesOff: null,
      withinTolerance: false,
      points: 0,
      summary: "No time was recorded.",
    };
  }
  const window = record.payload.window;
  if (!window) {
    return {
      ...base,
      given: { event: refOf(record.event), window: null },
      minutesOff: null,
      withinTolerance: false,
      points: 0,
      summary: "The time was recorded without a window.",
    };
  }
  const minutesOff = minutesBetween(window, answer.window);
  const withinTolerance = minutesOff <= answer.toleranceMinutes;
  // A window wider than the answer's, with the tolerance on both sides, earns in proportion: a wide
  // enough window always overlaps, and saying "some time that week" is not a chronolocation.
  const fair = widthMinutes(answer.window) + 2 * answer.toleranceMinutes;
  const given = widthMinutes(window);
  const narrowness = given <= fair ? 1 : fair / given;
  const points = withinTolerance ? weights.time * narrowness : 0;
  const off = minutesOff === 0 ? "Overlaps the true window" : `${round(minutesOff)} minutes off the true window`;
  return {
    ...base,
    given: { event: refOf(record.event), window },
    minutesOff: round(minutesOff),
    withinTolerance,
    points: round(points),
    summary: `${off}; ${withinTolerance ? "within" : "outside"} the ${answer.toleranceMinutes}-minute tolerance${withinTolerance && narrowness < 1 ? `; the window given is ${round(given / 60)} hours wide, so it earns ${Math.round(narrowness * 100)}%` : ""}.`,
  };
}

function scoreTrap(
  trap: AnswerKey["traps"][number],
  events: readonly LedgerEvent[],
  weights: ScoringWeights,
  fileName: (sha256: string) => string,
): TrapScore {
  const keywords = trap.keywords.map((k) => k.toLocaleLowerCase());
  const names = (text: string) => keywords.some((k) => text.toLocaleLowerCase().includes(k));
  let caughtBy: TrapScore["caughtBy"] = null;
  for (const event of events) {
    if (caughtBy) break;
    if (event.type === "status.changed") {
      const p = StatusChangedPayload.safeParse(event.payload).data;
      if (p?.sha256 === trap.sha256 && trap.statuses.includes(p.to)) {
        caughtBy = { kind: "status", status: p.to, event: refOf(event) };
      }
    } else if (event.type === "note.added") {
      const p = NoteAddedPayload.safeParse(event.payload).data;
      if (p?.sha256 === trap.sha256 && names(p.text)) caughtBy = { kind: "note", text: p.text, event: refOf(event) };
    } else if (event.type === "tags.changed") {
      const p = TagsChangedPayload.safeParse(event.payload).data;
      const tag = p?.sha256 === trap.sha256 ? p.added.find(names) : undefined;
      if (tag !== undefined) caughtBy = { kind: "tag", text: tag, event: refOf(event) };
    }
  }
  const how = !caughtBy
    ? "Not flagged."
    : caughtBy.kind === "status"
      ? `Caught: marked ${caughtBy.status}.`
      : `Caught: named in a ${caughtBy.kind}.`;
  return {
    id: trap.id,
    sha256: trap.sha256,
    fileName: fileName(trap.sha256),
    kind: trap.kind,
    title: trap.title,
    caught: caughtBy !== null,
    caughtBy,
    points: caughtBy ? weights.trap : 0,
    maxPoints: weights.trap,
    summary: how,
  };
}

const layerKey = (c: Clue) => JSON.stringify([c.layer.kind, c.layer.sha256, c.layer.provider, c.layer.sceneId]);

/** How many of the clues are independent of each other: on different layers, or on the map more than 50 m apart. */
export function independentMatches(clues: readonly Clue[]): number {
  const chosen: Clue[] = [];
  for (const clue of clues) {
    const independent = chosen.every(
      (c) => layerKey(c) !== layerKey(clue) || geodesicDistanceM(c.map, clue.map) > INDEPENDENT_CLUE_DISTANCE_M,
    );
    if (independent) chosen.push(clue);
  }
  return chosen.length;
}

function scoreReasoning(
  key: AnswerKey,
  geolocations: Map<string, { event: LedgerEvent; payload: GeolocationProposed }>,
  weights: ScoringWeights,
  fileName: (sha256: string) => string,
): ReasoningScore {
  // The items the key asks to locate; with none, every item the trainee located.
  const asked = key.locations.map((l) => l.sha256);
  const graded =
    asked.length > 0
      ? asked
      : [...geolocations.values()].filter((g) => g.payload.outcome === "located").map((g) => g.payload.sha256);
  const items = graded.map((sha256) => {
    const p = geolocations.get(sha256)?.payload;
    const located = p?.outcome === "located";
    return {
      sha256,
      fileName: fileName(sha256),
      clueCount: located ? p.clues.length : 0,
      independentMatches: located ? independentMatches(p.clues) : 0,
      confidenceStated: located && p.confidence !== null,
    };
  });
  const share =
    items.length === 0
      ? 0
      : items.reduce(
          (n, i) =>
            n + ((i.clueCount > 0 ? 1 : 0) + (i.independentMatches >= 2 ? 1 : 0) + (i.confidenceStated ? 1 : 0)) / 3,
          0,
        ) / items.length;
  const met = items.filter((i) => i.clueCount > 0 && i.independentMatches >= 2 && i.confidenceStated).length;
  return {
    items,
    points: round(weights.reasoning * share),
    maxPoints: weights.reasoning,
    summary:
      items.length === 0
        ? "No geolocation to judge the reasoning by."
        : `${met} of ${items.length} geolocation${items.length === 1 ? "" : "s"} list clues, at least two independent matches and a confidence.`,
  };
}
