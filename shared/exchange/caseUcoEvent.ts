/**
 * The ledger event of a CASE/UCO export (docs/LEDGER.md, "Cases that travel"): the JSON-LD file
 * written, by name, SHA-256 and size, the copy kept in the case's exports/, the ledger head it was built from, the ontology versions
 * it targets and how many items and actions it holds. Spread into EXCHANGE_PAYLOAD_SCHEMAS.
 */
import { z } from "zod";
import { EventRefSchema } from "../ledger/geoEvents.js";

// exchangeEvents.ts spreads this module's map, so its file schema cannot be imported from there (a cycle).
export const UcoExportedPayload = z.strictObject({
  /** The file written, by plain name (never a path on the examiner's disk), SHA-256 and size. */
  file: z.strictObject({
    name: z
      .string()
      .min(1)
      .max(255)
      .refine((t) => !/[/\\\u0000-\u001f\u007f]/.test(t), "a plain file name, without folders or control characters"),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    size: z.number().int().nonnegative(),
  }),
  /**
   * The copy kept in the case, `exports/<plain name>`, which verify re-hashes; absent from events
   * written before exports were kept in the case (the file then lay outside it only).
   */
  path: z
    .string()
    .regex(/^exports\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/)
    .optional(),
  head: EventRefSchema,
  /** The CASE and UCO releases the document's classes and properties are taken from. */
  ontology: z.strictObject({ case: z.string().max(32), uco: z.string().max(32) }),
  itemCount: z.number().int().nonnegative(),
  actionCount: z.number().int().nonnegative(),
  tool: z.strictObject({ name: z.string().min(1).max(128), version: z.string().max(128) }),
});
export type UcoExported = z.infer<typeof UcoExportedPayload>;

export const CASE_UCO_PAYLOAD_SCHEMAS = { "uco.exported": UcoExportedPayload } as const;
