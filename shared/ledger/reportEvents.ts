/**
 * Ledger events of custody reports (docs/LEDGER.md): each report generated is an event carrying the
 * report file's SHA-256 and the ledger head it was built from, so a court can be told exactly which
 * report came from which ledger. A copy of the file is kept in the case under `exports/`, where
 * verify re-hashes it like any export.
 */
import { z } from "zod";
import { REPORT_FORMATS, REPORT_GRAPHIC, REPORT_SENSITIVE } from "../reports/reportModel.js";
import { EventRefSchema } from "./geoEvents.js";

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const ReportGeneratedPayload = z.strictObject({
  format: z.enum(REPORT_FORMATS),
  /** The copy kept in the case: `exports/<plain name>`. */
  path: z.string().regex(/^exports\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/),
  sha256: hex64,
  size: z.number().int().nonnegative(),
  /** The last event the report covers (the one before this event). */
  head: EventRefSchema,
  /** The whole case, or the items named (by SHA-256). */
  scope: z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("case") }),
    z.strictObject({ kind: z.literal("items"), items: z.array(hex64).min(1).max(100_000) }),
  ]),
  /** What the examiner chose for sensitive places and graphic pictures. */
  choices: z.strictObject({ sensitive: z.enum(REPORT_SENSITIVE), graphic: z.enum(REPORT_GRAPHIC) }),
  /** The verification run at report time, as the report states it. */
  verification: z.strictObject({ isClean: z.boolean(), problemCount: z.number().int().nonnegative() }),
  /** The version of the report's own format (docs/REPORT.md). */
  reportFormatVersion: z.number().int().positive(),
  tool: z.strictObject({ name: z.string().min(1).max(128), version: z.string().max(128) }),
});
export type ReportGenerated = z.infer<typeof ReportGeneratedPayload>;

export const REPORT_PAYLOAD_SCHEMAS = {
  "report.generated": ReportGeneratedPayload,
} as const;
