/**
 * The collection record an examiner gives with an import (Berkeley Protocol:
 * where it came from, when and how it was collected). Anything left out is
 * recorded as missing, never guessed.
 */
import { z } from "zod";
import type { CollectionField } from "../ledger/events.js";
import { COLLECTED_AT_FORMS, readCollectedAt, type CollectedAtReading } from "./collectedAt.js";

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** Whether a text is ISO 8601 with a date, a time and an offset (what the ledger records). */
export function isIsoTimeWithOffset(text: string): boolean {
  const read = readCollectedAt(text);
  return read.kind === "ok" && /^\d{4}-\d{2}-\d{2}T/.test(text);
}

/**
 * A refusal whose message is whole in itself ("Collected at: …"): the API gives it as it is,
 * without the method and field path it gives for a malformed request.
 */
export const PLAIN_ISSUE = { isPlain: true } as const;

const text = (max: number, what: string) =>
  z
    .string()
    .max(max, `${what} is longer than ${max} characters`)
    .refine((s) => !CONTROL.test(s), `${what} contains control characters`);

export const CollectionInputSchema = z
  .object({
    sourceUrl: text(8192, "the source URL")
      .refine(
        (s) => /^[a-z][a-z0-9+.-]*:[^\s]+$/i.test(s),
        "the source URL is not a URL (it needs a scheme such as https:)",
      )
      .optional(),
    sourceAccount: text(1024, "the source account").optional(),
    /** As typed: any form `readCollectedAt` accepts; recorded as ISO 8601 with its offset. */
    collectedAt: z.string().max(100_000).optional(),
    /** The zone of a `collectedAt` that names none (`+01:00`, `UTC`, `UTC-05:00`). */
    collectedAtZone: z.string().max(100_000).optional(),
    method: text(4096, "the method").optional(),
    note: text(65536, "the note").optional(),
  })
  .transform(({ collectedAtZone, ...given }, ctx) => {
    const read = readCollectedAt(given.collectedAt, collectedAtZone);
    if (read.kind === "bad" || read.kind === "needs-zone") {
      ctx.addIssue({
        code: "custom",
        path: ["collectedAt"],
        params: PLAIN_ISSUE,
        message: collectedAtRefusal(read),
      });
      return z.NEVER;
    }
    const rest = { ...given };
    delete rest.collectedAt;
    return read.kind === "ok" ? { ...rest, collectedAt: read.iso } : rest;
  });
/** A collection record as the import pipeline takes it: `collectedAt`, if any, is ISO 8601 with its offset. */
export type CollectionInput = z.output<typeof CollectionInputSchema>;
/** A collection record as an examiner gives it (the API's and the CLI's input). */
export type CollectionForm = z.input<typeof CollectionInputSchema>;

/** The one sentence every door (form, API, CLI) refuses a collection time with. */
export function collectedAtRefusal(
  read: Extract<CollectedAtReading, { kind: "bad" } | { kind: "needs-zone" }>,
): string {
  return read.kind === "needs-zone"
    ? `Collected at: ${read.words} has no time zone; say which (e.g. +01:00 or UTC).`
    : `Collected at: ${read.reason}. Accepted forms: ${COLLECTED_AT_FORMS}.`;
}

/** The fields of a collection record the examiner did not give. */
export function missingCollectionFields(input: CollectionInput): CollectionField[] {
  const missing: CollectionField[] = [];
  if (!input.sourceUrl && !input.sourceAccount) missing.push("source");
  if (!input.collectedAt) missing.push("collectedAt");
  if (!input.method) missing.push("method");
  return missing;
}

const FIELD_WORDS: Record<CollectionField, string> = {
  // Named as both the CLI flags and the workbench's Provenance fields call them.
  source: "where it came from (source URL or account)",
  collectedAt: "when it was collected (collected at)",
  method: "how it was collected (method)",
};

/** The warning shown when a collection record is incomplete, or null when it is complete. */
export function missingFieldsWarning(missing: readonly CollectionField[]): string | null {
  if (missing.length === 0) return null;
  return `the collection record does not say ${missing.map((f) => FIELD_WORDS[f]).join(", ")}; recorded as missing`;
}

/** A collection form checked as it is typed: what each field lacks, and the record to send when nothing does. */
export interface CollectionCheck {
  /** The record with blank fields left out and the time as ISO 8601, or null while a field is wrong. */
  collection: CollectionInput | null;
  /** What is wrong, by field, in words to show under it. */
  problems: Partial<Record<keyof CollectionForm, string>>;
  /** How the typed time reads (to show back, e.g. "16 February 2026, 09:12 UTC+01:00"). */
  collectedAt: CollectedAtReading;
  /** True when the typed time names its own zone, so a zone picked apart does not apply. */
  hasOwnZone: boolean;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function checkCollection(form: CollectionForm): CollectionCheck {
  const given = Object.fromEntries(
    Object.entries(form).filter(([, v]) => typeof v === "string" && v.trim() !== ""),
  ) as CollectionForm;
  // A form's zone picker speaks only for a time that names no zone of its own (the API refuses two zones).
  const own = readCollectedAt(given.collectedAt);
  if (own.kind !== "needs-zone") delete given.collectedAtZone;
  const collectedAt = own.kind === "needs-zone" ? readCollectedAt(given.collectedAt, given.collectedAtZone) : own;
  const problems: CollectionCheck["problems"] = {};
  if (collectedAt.kind === "bad") problems.collectedAt = `${capitalise(collectedAt.reason)}.`;
  if (collectedAt.kind === "needs-zone") problems.collectedAtZone = `Which time zone is ${collectedAt.words} in?`;
  const others = { ...given };
  delete others.collectedAt;
  delete others.collectedAtZone;
  const parsed = CollectionInputSchema.safeParse(others);
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const field = issue.path[0] as keyof CollectionForm | undefined;
    if (field && !problems[field]) problems[field] = `${capitalise(issue.message)}.`;
  }
  const hasOwnZone = own.kind === "ok";
  if (Object.keys(problems).length > 0) return { collection: null, problems, collectedAt, hasOwnZone };
  return { collection: CollectionInputSchema.parse(given), problems, collectedAt, hasOwnZone };
}
