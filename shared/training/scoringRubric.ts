/**
 * The rubric of a scorecard (docs/TRAINING.md, "Scoring"): how each part is scored from the
 * trainee's latest records against the answer key: a location by its distance and stated
 * precision, a time by its window, a trap by whether the trainee caught it, the reasoning by its
 * clues and stated confidence. Pure, like the scoring that adds the parts up.
 */
import type { LocationScore, ReasoningScore, TimeScore, TrapScore } from "../api/trainingContract.js";
import type { LedgerEvent } from "../ledger/events.js";
import {
  NoteAddedPayload,
  StatusChangedPayload,
  TagsChangedPayload,
  WarningAcknowledgedPayload,
} from "../ledger/events.js";
import type { ChronolocationRecorded, Clue, EventRef, GeolocationProposed } from "../ledger/geoEvents.js";
import { warningTitle } from "../text/plainWords.js";
import { trapWarnings, type AnswerKey, type ScoringWeights } from "./sampleFormat.js";
import {
  distanceToPlaceM,
  geodesicDistanceM,
  minutesBetween,
  precisionRadiusM,
  widthMinutes,
} from "./scoringMeasures.js";

/** Of a location's points: this share for coming within the tolerance, the rest for a precision that covers the truth. */
export const LOCATION_DISTANCE_SHARE = 0.8;
/** Distances are compared to the millimetre: an answer exactly at its tolerance is within it. */
export const DISTANCE_EPSILON_M = 0.001;
/** Two clues matched on the same layer count as independent only when their map points are farther apart than this. */
export const INDEPENDENT_CLUE_DISTANCE_M = 50;

/** To hundredths, as a scorecard gives points and minutes. */
export const round = (n: number) => Math.round(n * 100) / 100;
const metres = (m: number) =>
  m >= 10_000 ? `${(m / 1000).toFixed(1)} km` : `${Math.round(m).toLocaleString("en-GB")} m`;
const refOf = (e: LedgerEvent): EventRef => ({ seq: e.seq, hash: e.hash });

export function scoreLocation(
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

export function scoreTime(
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

export function scoreTrap(
  trap: AnswerKey["traps"][number],
  events: readonly LedgerEvent[],
  weights: ScoringWeights,
  fileName: (sha256: string) => string,
): TrapScore {
  const keywords = trap.keywords.map((k) => k.toLocaleLowerCase());
  const names = (text: string) => keywords.some((k) => text.toLocaleLowerCase().includes(k));
  const warnings = trapWarnings(trap);
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
    } else if (event.type === "warning.acknowledged") {
      const p = WarningAcknowledgedPayload.safeParse(event.payload).data;
      if (p?.sha256 === trap.sha256 && warnings.includes(p.code)) {
        caughtBy = { kind: "warning", code: p.code, text: p.remark, event: refOf(event) };
      }
    }
  }
  const how = !caughtBy
    ? "Not flagged."
    : caughtBy.kind === "status"
      ? `Caught: marked ${caughtBy.status}.`
      : caughtBy.kind === "warning"
        ? `Caught: the warning “${warningTitle(caughtBy.code)}” (${caughtBy.code}) acknowledged.`
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

export function scoreReasoning(
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
