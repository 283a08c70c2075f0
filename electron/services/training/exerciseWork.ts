/**
 * A trainee's exercise once started: what the page shows of it, its hints opened one by one, the
 * submission that freezes the work, the scoring against the key kept in the workbench's store,
 * and the recorded scorecard. The key's answers leave the store only after submission, inside
 * the scorecard.
 */
import path from "node:path";
import type { ApiOutput, ApiParsedInput } from "../../../shared/api/contract.js";
import type { ExerciseInfo, Scorecard, ScorecardInfo } from "../../../shared/api/trainingContract.js";
import type { CaseState } from "../../../shared/ledger/caseState.js";
import type { ExerciseRecord } from "../../../shared/training/exerciseState.js";
import { SCORING_VERSION, scoreExercise } from "../../../shared/training/scoring.js";
import { formatTime } from "../../../shared/text/times.js";
import { SightlineError } from "../sightlineError.js";
import { readCaseFile, readLedgerEvents } from "../vault/caseStore.js";
import type { TrainingTools } from "./trainingTools.js";

async function caseOf(tools: TrainingTools, dir: string): Promise<{ dir: string; state: CaseState }> {
  const absolute = path.resolve(dir);
  await readCaseFile(absolute);
  return { dir: absolute, state: await tools.states.get(absolute) };
}

function exerciseOf(state: CaseState): ExerciseRecord {
  const exercise = state.training.exercise;
  if (!exercise)
    throw new SightlineError("not-found", "this case is not an exercise: it was not started from a sample");
  return exercise;
}

export async function getExercise(
  tools: TrainingTools,
  input: ApiParsedInput<"getExercise">,
): Promise<ExerciseInfo | null> {
  const dir = path.resolve(input.dir);
  await readCaseFile(dir);
  // From the case's facts: a new session has them from its checkpoint, without waiting for a replay.
  const exercise = (await tools.states.facts(dir)).exercise;
  if (!exercise) return null;
  const started = exercise.started;
  const allowed = started.payload.briefing.timeAllowedMinutes;
  return {
    dir,
    sample: { id: started.payload.sample.id, title: started.payload.sample.title },
    trainee: started.payload.trainee,
    briefing: started.payload.briefing,
    startedAt: started.ts,
    dueAt: allowed === null ? null : new Date(Date.parse(started.ts) + allowed * 60_000).toISOString(),
    hints: started.payload.hintTitles.map((title, index) => {
      const opened = exercise.hints[index];
      return { index, title, opened: opened ? { at: opened.ts, text: opened.payload.text } : null };
    }),
    submitted: exercise.submitted && { at: exercise.submitted.ts, event: exercise.submitted.ref },
    scored: exercise.scored && {
      event: exercise.scored.ref,
      points: exercise.scored.payload.points,
      maxPoints: exercise.scored.payload.maxPoints,
    },
  };
}

export async function openHint(
  tools: TrainingTools,
  input: ApiParsedInput<"openHint">,
): Promise<ApiOutput<"openHint">> {
  const { dir, state } = await caseOf(tools, input.dir);
  const exercise = exerciseOf(state);
  const titles = exercise.started.payload.hintTitles;
  if (input.index >= titles.length) {
    throw new SightlineError(
      "not-found",
      `this exercise has ${titles.length === 0 ? "no hints" : `${titles.length} hint${titles.length === 1 ? "" : "s"}`}`,
    );
  }
  const opened = exercise.hints[input.index];
  if (opened) return { seq: opened.ref.seq, title: opened.payload.title, text: opened.payload.text };
  if (input.index > exercise.hints.length) {
    throw new SightlineError("invalid-input", `open hint ${exercise.hints.length + 1} first: hints open in order`);
  }
  const hint = (await tools.store.hints(exercise.started.payload.answerKeySha256))[input.index];
  if (!hint || hint.title !== titles[input.index]) {
    throw new SightlineError(
      "tampered",
      "the hints kept for this exercise are not the ones it started with; no hint was opened",
    );
  }
  // Under the lock: two requests opening one hint at once (two windows) must not both record it.
  const [event] = await tools.append(
    dir,
    [{ type: "hint.opened", payload: { index: input.index, title: hint.title, text: hint.text } }],
    (now) => {
      const earlier = now.training.exercise?.hints[input.index];
      if (earlier) {
        throw new SightlineError(
          "invalid-input",
          `hint ${input.index + 1} was opened by another request meanwhile (event #${earlier.ref.seq}); it is shown once the exercise is reloaded`,
        );
      }
    },
  );
  return { seq: event!.seq, title: hint.title, text: hint.text };
}

export async function submitExercise(
  tools: TrainingTools,
  input: ApiParsedInput<"submitExercise">,
): Promise<ScorecardInfo> {
  const { dir, state } = await caseOf(tools, input.dir);
  const exercise = exerciseOf(state);
  refuseScored(exercise);
  const answerKeySha256 = exercise.started.payload.answerKeySha256;
  // The key first: a key changed in the store refuses the submission, and nothing is frozen or scored.
  const key = await tools.store.answerKey(answerKeySha256);
  if (!exercise.submitted) {
    const head = state.head!;
    const minutesTaken = Math.max(0, (Date.now() - Date.parse(exercise.started.ts)) / 60_000);
    // Under the lock: of two submissions sent at once (two windows), one is written.
    await tools.append(
      dir,
      [{ type: "exercise.submitted", payload: { head, minutesTaken, hintsOpened: exercise.hints.length } }],
      (now) => {
        const submitted = now.training.exercise?.submitted;
        if (submitted) {
          throw new SightlineError(
            "invalid-input",
            `This exercise was submitted on ${formatTime(submitted.ts)} by another request; it cannot be submitted again.`,
          );
        }
        // The submission names the head and counts the hints: both must be the ledger's as written.
        if (now.head?.hash !== head.hash) {
          throw new SightlineError(
            "invalid-input",
            `the case changed while the submission was on its way (event #${now.head?.seq}); nothing was submitted: submit again`,
          );
        }
      },
    );
  }
  // Scored from the ledger as written: the events before the submission, and the submission itself.
  const events = await readLedgerEvents(dir);
  const after = await tools.states.get(dir);
  const submitted = after.training.exercise!.submitted!;
  const before = events.filter((e) => e.seq < submitted.ref.seq);
  const scorecard = scoreExercise({
    key,
    sample: { id: exercise.started.payload.sample.id, title: exercise.started.payload.sample.title },
    trainee: exercise.started.payload.trainee,
    timeAllowedMinutes: exercise.started.payload.briefing.timeAllowedMinutes,
    submission: {
      ts: submitted.ts,
      minutesTaken: submitted.payload.minutesTaken,
      hintsOpened: submitted.payload.hintsOpened,
    },
    events: before,
    fileName: (sha256) => after.items.get(sha256)?.displayName ?? `${sha256.slice(0, 12)}…`,
  });
  if (!(scorecard.maxPoints > 0)) {
    throw new SightlineError("invalid-input", "the answer key's weights give no points to earn; nothing was scored");
  }
  const [event] = await tools.append(
    dir,
    [
      {
        type: "exercise.scored",
        payload: {
          submission: submitted.ref,
          answerKeySha256,
          scorecard: scorecard as unknown as Record<string, unknown>,
          points: scorecard.points,
          maxPoints: scorecard.maxPoints,
          scoringVersion: SCORING_VERSION,
        },
      },
    ],
    // Under the lock: a submitted exercise retried from two windows is scored once.
    (now) => refuseScored(now.training.exercise!),
  );
  return { scorecard, scored: { seq: event!.seq, hash: event!.hash }, answerKeySha256 };
}

function refuseScored(exercise: ExerciseRecord): void {
  if (exercise.scored) {
    throw new SightlineError(
      "invalid-input",
      `This exercise was submitted on ${formatTime(exercise.submitted!.ts)} and scored; it cannot be submitted again.`,
    );
  }
}

export async function getScorecard(
  tools: TrainingTools,
  input: ApiParsedInput<"getScorecard">,
): Promise<ScorecardInfo> {
  const { state } = await caseOf(tools, input.dir);
  const exercise = exerciseOf(state);
  if (!exercise.scored) {
    throw new SightlineError(
      "invalid-input",
      exercise.submitted
        ? "this exercise was submitted but not scored yet; submit it again to score it"
        : "the scorecard and the answers are shown only after the exercise is submitted",
    );
  }
  return {
    scorecard: exercise.scored.payload.scorecard as unknown as Scorecard,
    scored: exercise.scored.ref,
    answerKeySha256: exercise.scored.payload.answerKeySha256,
  };
}
