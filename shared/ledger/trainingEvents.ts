/**
 * Ledger events of training exercises (docs/LEDGER.md, docs/TRAINING.md). A trainee's case is an
 * ordinary case that begins, after `case.created`, with `exercise.started`: the briefing, the
 * number of staged hints, and the SHA-256 of the answer key, which itself stays outside the case.
 * Each hint the trainee opens is a `hint.opened` event carrying the hint's text, so the scorecard
 * can count it and a reader sees what was revealed when. `exercise.submitted` freezes the work:
 * after it the workbench refuses every change but the scoring and its exports, and verify reports
 * any other event after it. `exercise.scored` records the scorecard, computed against the key
 * whose hash `exercise.started` holds. `sample.authored` records, in a trainer's case, a sample
 * package made from it.
 */
import { z } from "zod";
import { EventRefSchema } from "./geoEvents.js";
import { BriefingSchema, SampleIdSchema, SampleTitleSchema } from "../training/briefing.js";

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const ExerciseStartedPayload = z.strictObject({
  sample: z.strictObject({
    id: SampleIdSchema,
    title: SampleTitleSchema,
    /** SHA-256 of the package's `sample.json`. */
    manifestSha256: hex64,
  }),
  briefing: BriefingSchema,
  /** The hints the trainee may open, by title (their texts stay outside the case until opened). */
  hintTitles: z.array(z.string().min(1).max(200)).max(20),
  /** The answer key the work will be scored against: only its hash enters the case. */
  answerKeySha256: hex64,
  /** The examiner doing the exercise. */
  trainee: z.string().min(1).max(200),
});
export type ExerciseStarted = z.infer<typeof ExerciseStartedPayload>;

export const HintOpenedPayload = z.strictObject({
  /** 0-based, in the order of `hintTitles`. */
  index: z.number().int().min(0).max(19),
  title: z.string().min(1).max(200),
  text: z.string().min(1).max(4000),
});
export type HintOpened = z.infer<typeof HintOpenedPayload>;

export const ExerciseSubmittedPayload = z.strictObject({
  /** The last event of the work submitted (the one before this event). */
  head: EventRefSchema,
  /** Minutes from `exercise.started` to submission. */
  minutesTaken: z.number().min(0),
  hintsOpened: z.number().int().min(0).max(20),
});
export type ExerciseSubmitted = z.infer<typeof ExerciseSubmittedPayload>;

export const ExerciseScoredPayload = z.strictObject({
  submission: EventRefSchema,
  answerKeySha256: hex64,
  /** The scorecard (shared/training/scorecard.ts), as computed then. */
  scorecard: z.record(z.string(), z.unknown()),
  /** Points earned and possible, for a reader who does not open the scorecard. */
  points: z.number(),
  maxPoints: z.number().positive(),
  scoringVersion: z.number().int().positive(),
});
export type ExerciseScored = z.infer<typeof ExerciseScoredPayload>;

export const ScorecardExportedPayload = z.strictObject({
  format: z.enum(["pdf", "json", "html"]),
  path: z.string().regex(/^exports\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/),
  sha256: hex64,
  size: z.number().int().nonnegative(),
  scored: EventRefSchema,
});
export type ScorecardExported = z.infer<typeof ScorecardExportedPayload>;

export const SampleAuthoredPayload = z.strictObject({
  id: SampleIdSchema,
  title: SampleTitleSchema,
  /** The package's file name as written (the trainer chose where). */
  fileName: z.string().min(1).max(255),
  sha256: hex64,
  size: z.number().int().positive(),
  manifestSha256: hex64,
  answerKeySha256: hex64,
  /** The case items packed, by SHA-256. */
  items: z.array(hex64).min(1).max(10_000),
});
export type SampleAuthored = z.infer<typeof SampleAuthoredPayload>;

/** After `exercise.submitted`, only these may follow. */
export const AFTER_SUBMISSION_TYPES = [
  "exercise.scored",
  "scorecard.exported",
  "verification.run",
  "report.generated",
  "timestamp.requested",
  "timestamp.recorded",
  // A crash's torn line moved aside: housekeeping of the file, not work.
  "ledger.recovered",
] as const;

export const TRAINING_PAYLOAD_SCHEMAS = {
  "exercise.started": ExerciseStartedPayload,
  "hint.opened": HintOpenedPayload,
  "exercise.submitted": ExerciseSubmittedPayload,
  "exercise.scored": ExerciseScoredPayload,
  "scorecard.exported": ScorecardExportedPayload,
  "sample.authored": SampleAuthoredPayload,
} as const;
