/**
 * What the ledger walk checks of an exercise (docs/LEDGER.md, "Training exercises"): one
 * `exercise.started`, right after `case.created`; hints opened only among those it named; one
 * submission, after which only AFTER_SUBMISSION_TYPES may follow (the freeze); a score computed
 * against the key the exercise started with. The service refuses all of these as they are asked
 * for; verify finds them in a ledger written some other way.
 */
import type { LedgerEvent } from "../ledger/events.js";
import type { Problem } from "../ledger/problems.js";
import {
  AFTER_SUBMISSION_TYPES,
  type ExerciseScored,
  type ExerciseStarted,
  type HintOpened,
} from "../ledger/trainingEvents.js";

type Report = (code: Problem["code"], message: string, extra?: Partial<Problem>) => void;

const ALLOWED_AFTER: ReadonlySet<string> = new Set(AFTER_SUBMISSION_TYPES);

export class ExerciseChecks {
  private started: { line: number; hintCount: number; answerKeySha256: string } | null = null;
  private submitted: { line: number } | null = null;

  /** Called for every event in ledger order; `payload` is the parsed payload, or null when it did not parse. */
  check(event: LedgerEvent, line: number, payload: Record<string, unknown> | null, report: Report): void {
    if (this.submitted && !ALLOWED_AFTER.has(event.type)) {
      report(
        "exercise-frozen",
        `line ${line} (${event.type}) comes after the exercise was submitted (line ${this.submitted.line}): submitted work is frozen`,
      );
    }
    if (payload === null) return;
    switch (event.type) {
      case "exercise.started": {
        const p = payload as unknown as ExerciseStarted;
        if (this.started) {
          report(
            "exercise-repeated",
            `line ${line} is a second exercise.started (the first is line ${this.started.line}): a case holds one exercise`,
          );
          return;
        }
        if (event.seq !== 1) {
          report(
            "exercise-misplaced",
            `line ${line} starts an exercise, but an exercise starts right after case.created`,
          );
        }
        this.started = { line, hintCount: p.hintTitles.length, answerKeySha256: p.answerKeySha256 };
        return;
      }
      case "hint.opened": {
        const p = payload as unknown as HintOpened;
        const count = this.started?.hintCount ?? 0;
        if (p.index >= count) {
          report(
            "hint-beyond-count",
            `line ${line} opens hint ${p.index + 1}, but the exercise has ${count === 0 ? "no hints" : `only ${count}`}`,
          );
        }
        return;
      }
      case "exercise.submitted":
        if (!this.started) report("exercise-misplaced", `line ${line} submits an exercise this case never started`);
        else if (this.submitted) {
          report(
            "exercise-repeated",
            `line ${line} submits the exercise again (first submitted on line ${this.submitted.line})`,
          );
        } else this.submitted = { line };
        return;
      case "exercise.scored": {
        const p = payload as unknown as ExerciseScored;
        if (!this.submitted) {
          report("exercise-misplaced", `line ${line} scores an exercise that was not submitted`);
        } else if (p.answerKeySha256 !== this.started?.answerKeySha256) {
          report(
            "exercise-key-mismatch",
            `line ${line} scores the work against answer key ${p.answerKeySha256.slice(0, 12)}…, not the key ${this.started?.answerKeySha256.slice(0, 12)}… the exercise started with`,
          );
        }
        return;
      }
    }
  }
}
