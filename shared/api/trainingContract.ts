/**
 * The training part of the API (spread into `contract` in contract.ts; docs/TRAINING.md): the
 * samples a trainer can run, an exercise started from one into a fresh case, its hints opened one
 * by one, the submission that freezes the work and scores it against the answer key, the
 * scorecard and its exports, and a sample authored from any case.
 *
 * The answer key is never returned before the exercise is submitted: `getExercise` gives the
 * briefing and the titles of the hints; `getScorecard` refuses until submission.
 */
import { z } from "zod";
import type { EventRef, LatLonValue } from "../ledger/geoEvents.js";
import type { ItemStatus } from "../ledger/events.js";
import type { WarningCode } from "../media/metadata.js";
import {
  BriefingSchema,
  HintSchema,
  LocationAnswerSchema,
  TimeAnswerSchema,
  TrapSchema,
  type Briefing,
  type TrapKind,
} from "../training/sampleFormat.js";

const folder = z.string().min(1, "a folder is required").max(4096);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "not a SHA-256 digest (64 lower-case hex digits)");

type MethodSpec<I extends z.ZodType, O> = { input: I; output?: O; doc: string };
const method =
  <O>() =>
  <I extends z.ZodType>(input: I, doc: string): MethodSpec<I, O> => ({ input, doc });

/** A sample package, as a trainer's list shows it (nothing of its answer key). */
export interface SampleSummary {
  /** The package file. */
  path: string;
  /** Shipped with the workbench (resources/samples/), or opened from elsewhere. */
  shipped: boolean;
  id: string;
  title: string;
  author: string;
  briefing: Briefing;
  hintCount: number;
  fileCount: number;
  size: number;
  sha256: string;
}

/** An exercise in a trainee's case, as the page shows it. */
export interface ExerciseInfo {
  dir: string;
  sample: { id: string; title: string };
  trainee: string;
  briefing: Briefing;
  startedAt: string;
  /** When the time allowed runs out; null: no limit. Work after it is still accepted, and marked late. */
  dueAt: string | null;
  hints: { index: number; title: string; opened: { at: string; text: string } | null }[];
  submitted: { at: string; event: EventRef } | null;
  scored: { event: EventRef; points: number; maxPoints: number } | null;
}

/** One part of a scorecard: what was asked, what the trainee answered, and the points. */
export interface ScoreLine {
  points: number;
  maxPoints: number;
  /** A plain sentence: "1,240 m from the answer; within the 2 km tolerance". */
  summary: string;
}

export interface LocationScore extends ScoreLine {
  sha256: string;
  fileName: string;
  answer: LatLonValue;
  toleranceM: number;
  /** The trainee's current geolocation of the item, or null when none was recorded. */
  given: { event: EventRef; place: LatLonValue; precisionM: number | null; confidence: string | null } | null;
  /** Metres on the WGS 84 ellipsoid from the answer to the given place (0 inside a given area). */
  distanceM: number | null;
  withinTolerance: boolean;
  /** Whether the precision the trainee stated covers the true place. */
  precisionCovers: boolean | null;
}

export interface TimeScore extends ScoreLine {
  sha256: string;
  fileName: string;
  answer: { from: string; to: string };
  toleranceMinutes: number;
  given: { event: EventRef; window: { from: string; to: string } | null } | null;
  /** Minutes between the given window and the answer's (0 when they overlap). */
  minutesOff: number | null;
  withinTolerance: boolean;
}

export interface TrapScore extends ScoreLine {
  id: string;
  sha256: string;
  fileName: string;
  kind: TrapKind;
  title: string;
  caught: boolean;
  /** What showed the trap was caught: the status set, the note or tag that named it, or the warning acknowledged (its remark). */
  caughtBy:
    | { kind: "status"; status: ItemStatus; event: EventRef }
    | { kind: "note" | "tag"; text: string; event: EventRef }
    | { kind: "warning"; code: WarningCode; text: string; event: EventRef }
    | null;
}

export interface ReasoningScore extends ScoreLine {
  /** Per geolocated item: clues listed, independent matches, confidence stated. */
  items: {
    sha256: string;
    fileName: string;
    clueCount: number;
    independentMatches: number;
    confidenceStated: boolean;
  }[];
}

export interface Scorecard {
  scoringVersion: number;
  sample: { id: string; title: string };
  trainee: string;
  submittedAt: string;
  minutesTaken: number;
  late: boolean;
  hintsOpened: number;
  hintPenalty: number;
  locations: LocationScore[];
  times: TimeScore[];
  traps: TrapScore[];
  reasoning: ReasoningScore;
  points: number;
  maxPoints: number;
  /** From the answer key, shown beside the scorecard. */
  modelAnswer: string;
}

/** The scorecard with the event that recorded it, and the key's answers for the model-answer view. */
export interface ScorecardInfo {
  scorecard: Scorecard;
  scored: EventRef;
  answerKeySha256: string;
}

export interface ScorecardExportResult {
  path: string;
  sha256: string;
  size: number;
  seq: number;
}

export interface AuthoredSample {
  path: string;
  sha256: string;
  size: number;
  seq: number;
}

export const AuthorSampleInput = z.object({
  /** The trainer's case the sample is made from. */
  dir: folder,
  /** Where to write the package (a `.sightline-sample` file that does not exist yet). */
  out: folder,
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "a sample id is lower-case letters, digits and '-'"),
  title: z.string().trim().min(1, "a sample needs a title").max(200),
  briefing: BriefingSchema,
  hints: z.array(HintSchema).max(20),
  /** Case items packed as evidence, by SHA-256; the case's reference imagery goes with them when chosen. */
  items: z.array(sha256).min(1, "choose at least one item").max(10_000),
  locations: z.array(LocationAnswerSchema).max(1000),
  times: z.array(TimeAnswerSchema).max(1000),
  traps: z.array(TrapSchema).max(1000),
  modelAnswer: z.string().trim().min(1, "write the model answer").max(20_000),
});

export const trainingContract = {
  listSamples: method<SampleSummary[]>()(
    z.object({}),
    "The sample packages shipped with the workbench, checked against their manifests (a damaged one is left out, and the reason logged).",
  ),
  inspectSample: method<SampleSummary>()(
    z.object({ path: folder }),
    "Reads a sample package (any `.sightline-sample` file) and checks every file and the answer key against its manifest, without opening the key.",
  ),
  startExercise: method<{ jobId: string }>()(
    z.object({
      sample: folder,
      /** The trainee's new case folder (must not exist, or be empty). */
      dir: folder,
      trainee: z.string().trim().min(1, "say who the trainee is").max(200),
    }),
    "Makes a fresh case for the trainee from a sample package, as a job: the case, `exercise.started` (briefing, hint titles, the answer key's hash), the sample's files imported with their collection records and its imagery marked as references. The key and the hints are kept in the workbench's own store, outside the case.",
  ),
  getExercise: method<ExerciseInfo | null>()(
    z.object({ dir: folder }),
    "The exercise of a case (null when the case is not an exercise): briefing, hints opened so far, submission and score.",
  ),
  openHint: method<{ seq: number; title: string; text: string }>()(
    z.object({ dir: folder, index: z.number().int().min(0).max(19) }),
    "Opens the next staged hint (a `hint.opened` event holding its text); hints open in order, and a hint opened once is returned again without a new event.",
  ),
  submitExercise: method<ScorecardInfo>()(
    z.object({ dir: folder }),
    "Submits the exercise (`exercise.submitted`, which freezes the work), then reads the answer key from the workbench's store, checks its hash against the one the case recorded, scores the work and records it (`exercise.scored`). A key that does not match is refused and nothing is scored.",
  ),
  getScorecard: method<ScorecardInfo>()(
    z.object({ dir: folder }),
    "The recorded scorecard and the model answer; refused before submission.",
  ),
  exportScorecard: method<ScorecardExportResult>()(
    z.object({ dir: folder, format: z.enum(["pdf", "json", "html"]) }),
    "Writes the scorecard to the case's exports/ (PDF printed like the custody report, or JSON) and records it (`scorecard.exported`).",
  ),
  authorSample: method<AuthoredSample>()(
    AuthorSampleInput,
    "Packs a sample from a case: the chosen items' original bytes, the briefing, hints and answer key, into a new `.sightline-sample` file, and records it in the case (`sample.authored`).",
  ),
} as const;
