/**
 * The parts of a sample that also enter a trainee's ledger (`exercise.started`): its id, title,
 * briefing and hints. Apart from sampleFormat.ts so that the ledger's event schemas
 * (ledger/trainingEvents.ts) can use them without importing the package format, which itself
 * reads the item statuses from ledger/events.ts.
 */
import { z } from "zod";
import { examinerText } from "../ledger/geoEvents.js";

export const requiredText = (max: number) => examinerText(max).refine((t) => t.trim().length > 0, "must not be empty");

/** A stable name for a sample, e.g. "river-compound-burn". */
export const SampleIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "a sample id is lower-case letters, digits and '-'");
export const SampleTitleSchema = requiredText(200);

/** What the trainee reads before starting: the task, what is claimed, the time allowed. */
export const BriefingSchema = z.strictObject({
  task: requiredText(4000),
  /** What the material claims (a caption, an uploader's words), to verify, not to trust. */
  claims: z.array(requiredText(1000)).max(20),
  /** Minutes allowed; null: no limit. */
  timeAllowedMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .nullable(),
});
export type Briefing = z.infer<typeof BriefingSchema>;

/** A staged hint: the trainee sees its title, and its text only once opened (a `hint.opened` event). */
export const HintSchema = z.strictObject({ title: requiredText(200), text: requiredText(4000) });
export type Hint = z.infer<typeof HintSchema>;
