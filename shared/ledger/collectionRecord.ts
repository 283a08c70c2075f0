/** The collection record every acquisition carries (`item.imported`), and the restore that reuses it. */
import { z } from "zod";

/** Fields of a collection record the examiner may leave out; each one left out is listed in `missing`. */
export const COLLECTION_FIELDS = ["source", "collectedAt", "method"] as const;
export type CollectionField = (typeof COLLECTION_FIELDS)[number];

export const CollectionRecordSchema = z.strictObject({
  sourceUrl: z.string().nullable(),
  sourceAccount: z.string().nullable(),
  /** When the examiner says the material was collected, with its offset, as given. */
  collectedAt: z.string().nullable(),
  collectedBy: z.strictObject({ name: z.string(), keyId: z.string() }),
  tool: z.strictObject({ name: z.string(), version: z.string() }),
  method: z.string().nullable(),
  note: z.string().nullable(),
  missing: z.array(z.enum(COLLECTION_FIELDS)),
});
export type CollectionRecord = z.infer<typeof CollectionRecordSchema>;
