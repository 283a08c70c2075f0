/**
 * Scoring a submitted exercise against its answer key (docs/TRAINING.md, "Scoring"). Pure: the
 * case's events up to the submission and the key in, a scorecard out; the same input always
 * gives the same card, so anyone can re-check a score by running it again. Each part's rule is in
 * scoringRubric.ts; distances and time gaps are measured in scoringMeasures.ts.
 */
import type { Scorecard } from "../api/trainingContract.js";
import type { LedgerEvent } from "../ledger/events.js";
import {
  ChronolocationRecordedPayload,
  GeolocationProposedPayload,
  type ChronolocationRecorded,
  type GeolocationProposed,
} from "../ledger/geoEvents.js";
import type { AnswerKey, ScoringWeights } from "./sampleFormat.js";
import { round, scoreLocation, scoreReasoning, scoreTime, scoreTrap } from "./scoringRubric.js";

/** 2: an acknowledged metadata warning catches a trap too (version 1 knew statuses, notes and tags). */
export const SCORING_VERSION = 2;

/** Points per location answer, per time answer, per trap, for the reasoning, and off per hint. */
export const DEFAULT_WEIGHTS: ScoringWeights = { location: 40, time: 20, trap: 10, reasoning: 20, hintPenalty: 5 };

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
