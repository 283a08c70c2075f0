/**
 * Replay of the training events (ledger/trainingEvents.ts) into the case state: the exercise a
 * trainee's case holds, the hints opened, the submission that froze it, its score and exports.
 * Pure, like caseState.ts, which calls `applyTrainingEvent` for each of these events once its
 * payload has passed its schema.
 *
 * What replay accepts is what the service would have written: one exercise per case; a hint only
 * in order, only before submission and only among the hints the exercise named; one submission;
 * one score, after it. Anything else changes nothing here, and verify reports it
 * (exerciseVerify.ts).
 */
import type { CaseState } from "../ledger/caseState.js";
import type { LedgerEvent } from "../ledger/events.js";
import type { EventRef } from "../ledger/geoEvents.js";
import type {
  ExerciseScored,
  ExerciseStarted,
  ExerciseSubmitted,
  HintOpened,
  SampleAuthored,
  ScorecardExported,
} from "../ledger/trainingEvents.js";

interface Recorded<P> {
  ref: EventRef;
  ts: string;
  actor: string;
  payload: P;
}

export interface ExerciseRecord {
  started: Recorded<ExerciseStarted>;
  /** Hints opened, in order (the n-th is hint n). */
  hints: Recorded<HintOpened>[];
  submitted: Recorded<ExerciseSubmitted> | null;
  scored: Recorded<ExerciseScored> | null;
  exports: Recorded<ScorecardExported>[];
}

export interface TrainingState {
  /** The exercise this case holds, if it is a trainee's case. */
  exercise: ExerciseRecord | null;
  /** Sample packages made from this case. */
  authored: Recorded<SampleAuthored>[];
}

export function emptyTrainingState(): TrainingState {
  return { exercise: null, authored: [] };
}

export const TRAINING_EVENT_TYPES: ReadonlySet<string> = new Set([
  "exercise.started",
  "hint.opened",
  "exercise.submitted",
  "exercise.scored",
  "scorecard.exported",
  "sample.authored",
]);

export function isTrainingEventType(type: string): boolean {
  return TRAINING_EVENT_TYPES.has(type);
}

export function applyTrainingEvent(state: CaseState, event: LedgerEvent, payload: unknown): void {
  const recorded = <P>(): Recorded<P> => ({
    ref: { seq: event.seq, hash: event.hash },
    ts: event.ts,
    actor: event.actor,
    payload: payload as P,
  });
  const training = state.training;
  const exercise = training.exercise;
  switch (event.type) {
    case "exercise.started":
      if (exercise === null) {
        training.exercise = { started: recorded(), hints: [], submitted: null, scored: null, exports: [] };
      }
      return;
    case "hint.opened": {
      const p = payload as HintOpened;
      if (
        exercise &&
        !exercise.submitted &&
        p.index === exercise.hints.length &&
        p.index < exercise.started.payload.hintTitles.length
      ) {
        exercise.hints.push(recorded());
      }
      return;
    }
    case "exercise.submitted":
      if (exercise && !exercise.submitted) exercise.submitted = recorded();
      return;
    case "exercise.scored":
      if (exercise?.submitted && !exercise.scored) exercise.scored = recorded();
      return;
    case "scorecard.exported":
      if (exercise?.scored) exercise.exports.push(recorded());
      return;
    case "sample.authored":
      training.authored.push(recorded());
      return;
  }
}
