/**
 * The ledger event of a restored original (docs/LEDGER.md, "Restoring a damaged original"): the
 * vault copy of an item was found damaged (missing, changed, truncated, or not a file), the same
 * bytes were acquired again, and that acquisition's bytes replaced the vault copy. The damaged
 * copy is moved aside under `recovered/`, never deleted.
 */
import { z } from "zod";
import { CollectionRecordSchema } from "./collectionRecord.js";

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/** How a vault copy was found damaged. */
export const DAMAGE_KINDS = ["missing", "changed", "truncated", "not-a-file"] as const;
export type DamageKind = (typeof DAMAGE_KINDS)[number];

/** What is wrong with a vault copy, in words, by kind. */
export const DAMAGE_WORDS: Record<DamageKind, string> = {
  missing: "the vault copy is missing",
  changed: "the vault copy's bytes have changed since import",
  truncated: "the vault copy's size has changed since import (cut short or added to)",
  "not-a-file": "the vault copy is not a plain file (a link, folder or device)",
};

/** Where a damaged copy is set aside: `recovered/damaged-<sha256>-<time>` (time as in ledger-tail names). */
export const SET_ASIDE_PATTERN = /^recovered\/damaged-[0-9a-f]{64}-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

export const OriginalRestoredPayload = z.strictObject({
  /** The item: the SHA-256 its vault copy must have. */
  sha256: hex64,
  objectPath: z.string().max(200),
  /** The `item.imported` event (seq) of the acquisition whose bytes were restored into the vault. */
  acquisitionSeq: z.number().int().nonnegative(),
  /** That acquisition's collection record, as its event gives it. */
  collection: CollectionRecordSchema,
  damaged: z.strictObject({
    kind: z.enum(DAMAGE_KINDS),
    /** SHA-256 and size of the damaged copy when it was a file; null when it was missing or not a file. */
    sha256: hex64.nullable(),
    size: z.number().int().nonnegative().nullable(),
    /** Case-relative path it was moved to; null when nothing was there to move. */
    setAside: z.string().regex(SET_ASIDE_PATTERN).nullable(),
  }),
  /** The `verification.run` (seq) that last reported the damage, or null when the import found it. */
  foundBySeq: z.number().int().nonnegative().nullable(),
  tool: z.strictObject({ name: z.string(), version: z.string() }),
});
export type OriginalRestored = z.infer<typeof OriginalRestoredPayload>;

export const RESTORE_PAYLOAD_SCHEMAS = {
  "original.restored": OriginalRestoredPayload,
} as const;
