/**
 * The collection record an examiner gives with an import (Berkeley Protocol:
 * where it came from, when and how it was collected). Anything left out is
 * recorded as missing, never guessed.
 */
import { z } from "zod";
import type { CollectionField } from "../ledger/events.js";

// ISO 8601 date-time with an explicit offset: a collection time without a time zone is ambiguous.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

export function isIsoTimeWithOffset(text: string): boolean {
  return ISO_WITH_OFFSET.test(text) && !Number.isNaN(Date.parse(text));
}

const text = (max: number, what: string) =>
  z
    .string()
    .max(max, `${what} is longer than ${max} characters`)
    .refine((s) => !CONTROL.test(s), `${what} contains control characters`);

export const CollectionInputSchema = z.object({
  sourceUrl: text(8192, "the source URL")
    .refine(
      (s) => /^[a-z][a-z0-9+.-]*:[^\s]+$/i.test(s),
      "the source URL is not a URL (it needs a scheme such as https:)",
    )
    .optional(),
  sourceAccount: text(1024, "the source account").optional(),
  collectedAt: z
    .string()
    .refine(
      isIsoTimeWithOffset,
      "the collection time needs a date, a time and a time zone, e.g. 2026-02-16T09:12:00+01:00",
    )
    .optional(),
  method: text(4096, "the method").optional(),
  note: text(65536, "the note").optional(),
});
export type CollectionInput = z.infer<typeof CollectionInputSchema>;

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
