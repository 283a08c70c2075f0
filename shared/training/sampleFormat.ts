/**
 * A training sample package (docs/TRAINING.md): a case whose answer a trainer knows, packed so
 * that another trainer can run it as an exercise.
 *
 * The package is one zip file, `<name>.sightline-sample`, stored (no compression needed: the media
 * are compressed already), holding:
 *
 *   sample.json       the manifest below: title, briefing, staged hints, the files and their roles
 *   answer-key.json   the answer key below, a separate entry: it never enters the trainee's case
 *   files/<name>      the evidence media and the reference imagery (GeoTIFF scenes, a PMTiles basemap)
 *
 * The manifest names the answer key by SHA-256 and every file by SHA-256 and size, so a package
 * whose key or files were swapped is refused before an exercise starts. When an exercise starts,
 * the workbench keeps the key and the hints in its own store, outside every case folder, and the
 * trainee's case records only the key's hash (`exercise.started`); the key is read back, and its
 * hash checked, only when the trainee submits.
 */
import { z } from "zod";
import { ITEM_STATUSES } from "../ledger/events.js";
import { LatLonSchema, TimeWindowSchema, existingDay } from "../ledger/geoEvents.js";
import { WARNING_CODES, type WarningCode } from "../media/metadata.js";
import { BriefingSchema, HintSchema, SampleIdSchema, SampleTitleSchema, requiredText } from "./briefing.js";

export const SAMPLE_FORMAT = "sightline-sample/1" as const;
export const ANSWER_KEY_FORMAT = "sightline-answer-key/1" as const;
/** The file name extension of a sample package. */
export const SAMPLE_EXTENSION = ".sightline-sample" as const;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "not a SHA-256 digest (64 lower-case hex digits)");
/** A file's name inside `files/`: plain, no folders, no leading dot. */
export const sampleFileName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._ -]{0,127}$/,
    "a sample file name is plain letters, digits, '.', '_', '-' and spaces",
  );

// --- The manifest ----------------------------------------------------------------------------------

/** How a file of the sample enters the trainee's case. */
export const SAMPLE_FILE_ROLES = ["evidence", "scene", "basemap"] as const;
export type SampleFileRole = (typeof SAMPLE_FILE_ROLES)[number];

export const SampleFileSchema = z
  .strictObject({
    name: sampleFileName,
    sha256: hex64,
    size: z.number().int().nonnegative(),
    role: z.enum(SAMPLE_FILE_ROLES),
    /** Where the trainee is told it came from (the collection record of its import). */
    source: requiredText(500),
    /**
     * A scene's acquisition date (YYYY-MM-DD, UTC) as the trainer states it: the exercise marks the
     * scene as reference imagery with it. Only for the role `scene`, which needs it.
     */
    acquiredOn: existingDay.optional(),
  })
  .refine((f) => (f.role === "scene") === (f.acquiredOn !== undefined), {
    message: "a scene states its acquisition date (acquiredOn), and only a scene does",
    path: ["acquiredOn"],
  });
export type SampleFile = z.infer<typeof SampleFileSchema>;

export { BriefingSchema, HintSchema, type Briefing, type Hint } from "./briefing.js";

export const SampleManifestSchema = z.strictObject({
  format: z.literal(SAMPLE_FORMAT),
  /** A stable name for the sample, e.g. "river-compound-burn". */
  id: SampleIdSchema,
  title: SampleTitleSchema,
  /** Who made it, for the trainer's list. */
  author: requiredText(200),
  createdAt: z.string().max(40),
  briefing: BriefingSchema,
  hints: z.array(HintSchema).max(20),
  files: z.array(SampleFileSchema).min(1).max(10_000),
  answerKey: z.strictObject({ sha256: hex64, size: z.number().int().positive() }),
});
export type SampleManifest = z.infer<typeof SampleManifestSchema>;

/** What a package's author gives; the writer adds the format, the files' and the key's hashes and sizes. */
export type SampleManifestDraft = Omit<SampleManifest, "format" | "files" | "answerKey">;

/** The names of a package's entries. */
export const SAMPLE_ENTRIES = {
  manifest: "sample.json",
  answerKey: "answer-key.json",
  filesFolder: "files",
} as const;

// --- The answer key --------------------------------------------------------------------------------

/** Where an item was made, and how close an answer must come to count. */
export const LocationAnswerSchema = z.strictObject({
  sha256: hex64,
  place: LatLonSchema,
  /** An answer within this distance (metres, on the WGS 84 ellipsoid) is right. */
  toleranceM: z.number().positive().max(1_000_000),
  /** What a verifier should have matched, for the model answer. */
  explanation: requiredText(4000),
});
export type LocationAnswer = z.infer<typeof LocationAnswerSchema>;

/** When an item was made: a window (UTC instants with offsets), and how far outside still counts. */
export const TimeAnswerSchema = z.strictObject({
  sha256: hex64,
  window: TimeWindowSchema,
  toleranceMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60),
  explanation: requiredText(4000),
});
export type TimeAnswer = z.infer<typeof TimeAnswerSchema>;

export const TRAP_KINDS = [
  "stripped-reupload",
  "false-gps",
  "edited-near-duplicate",
  "container-date-mismatch",
  "other",
] as const;
export type TrapKind = (typeof TRAP_KINDS)[number];

/**
 * A trap in the material. It counts as caught when the trainee, on that item, set one of
 * `statuses`, wrote a note or a tag containing one of `keywords` (case-insensitive), or
 * acknowledged one of `warnings` (by default the warning its kind raises, TRAP_WARNINGS), before
 * submitting.
 */
export const TrapSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  sha256: hex64,
  kind: z.enum(TRAP_KINDS),
  title: requiredText(200),
  explanation: requiredText(4000),
  statuses: z.array(z.enum(ITEM_STATUSES)).max(5),
  keywords: z.array(requiredText(100)).max(20),
  /** The metadata warnings whose acknowledgement on the item catches the trap; absent: TRAP_WARNINGS[kind]. */
  warnings: z.array(z.enum(WARNING_CODES)).max(20).optional(),
});
export type Trap = z.infer<typeof TrapSchema>;

/**
 * The warning the workbench raises for a trap of each kind, when the key names none: a stripped
 * re-upload has no metadata, an edit names its editing software, a lying GPS may say 0, 0. A GPS
 * tag pointing elsewhere and a container date at odds with the pictures raise no warning of their
 * own: a note, a tag or a status must say so.
 */
export const TRAP_WARNINGS: Record<TrapKind, readonly WarningCode[]> = {
  "stripped-reupload": ["no-metadata"],
  "false-gps": ["gps-zero"],
  "edited-near-duplicate": ["editing-software"],
  "container-date-mismatch": [],
  other: [],
};

/** The warnings whose acknowledgement catches `trap`. */
export const trapWarnings = (trap: Trap): readonly WarningCode[] => trap.warnings ?? TRAP_WARNINGS[trap.kind];

/** Points for each part of the scorecard (the defaults in scoring.ts when absent). */
export const ScoringWeightsSchema = z.strictObject({
  location: z.number().min(0).max(1000),
  time: z.number().min(0).max(1000),
  trap: z.number().min(0).max(1000),
  reasoning: z.number().min(0).max(1000),
  /** Points taken off per hint opened. */
  hintPenalty: z.number().min(0).max(1000),
});
export type ScoringWeights = z.infer<typeof ScoringWeightsSchema>;

export const AnswerKeySchema = z.strictObject({
  format: z.literal(ANSWER_KEY_FORMAT),
  sampleId: SampleManifestSchema.shape.id,
  locations: z.array(LocationAnswerSchema).max(1000),
  times: z.array(TimeAnswerSchema).max(1000),
  traps: z.array(TrapSchema).max(1000),
  weights: ScoringWeightsSchema.optional(),
  /** The model answer, in the trainer's words, shown beside the scorecard after submission. */
  modelAnswer: requiredText(20_000),
});
export type AnswerKey = z.infer<typeof AnswerKeySchema>;
