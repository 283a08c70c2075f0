/**
 * The bundle part of the API (spread into `contract` in contract.ts): a case, or the items
 * selected on the board, exported as a bundle, and a bundle opened into a new case folder, each
 * as a job with progress whose `exchange` says what was written or opened (docs/EXCHANGE.md).
 */
import { z } from "zod";
import type { EventRef } from "../ledger/geoEvents.js";

const folder = z.string().min(1, "a folder is required").max(4096);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "not a SHA-256 digest (64 lower-case hex digits)");

type MethodSpec<I extends z.ZodType, O> = { input: I; output?: O; doc: string };
const method =
  <O>() =>
  <I extends z.ZodType>(input: I, doc: string): MethodSpec<I, O> => ({ input, doc });

/** What a finished bundle (or CASE/UCO export) job wrote or opened (`JobInfo.exchange`). */
export interface ExchangeJobResult {
  /** The bundle file: written beside the case folder, or the one opened; for `format` "case-uco", the JSON-LD file kept in the case's exports/. */
  bundle: string;
  /** "case-uco": a CASE/UCO export (exportCaseUco); absent: a bundle. */
  format?: "case-uco";
  /** A CASE/UCO export's investigative actions. */
  actionCount?: number;
  /** A CASE/UCO export's path within the case (`exports/…`), as its `uco.exported` event names it. */
  casePath?: string;
  sha256: string;
  size: number;
  /** The case folder exported, or the new one opened. */
  dir: string;
  caseId: string;
  /** The last event the bundle holds. */
  head: EventRef;
  scope: "case" | "items";
  itemCount: number;
  /** The `bundle.exported` or `bundle.opened` event, or null when a receipt could not be recorded (why in `notRecorded`). */
  seq: number | null;
  notRecorded: string | null;
}

export const exchangeContract = {
  exportBundle: method<{ jobId: string }>()(
    z.object({
      dir: folder,
      /** Items to export with a proof of their events; absent: the whole case. */
      items: z.array(sha256).min(1, "choose at least one item").max(100_000).optional(),
    }),
    "Writes the case (or the items, with a proof of their events) as a bundle beside the case folder, as a job; recorded as bundle.exported; the job's `exchange` names the file.",
  ),
  exportCaseUco: method<{ jobId: string }>()(
    z.object({ dir: folder }),
    "Writes the whole case as CASE/UCO JSON-LD into the case's exports/, as a job (as `sightline export --format case-uco`); recorded as uco.exported; the job's `exchange` names the file, with format case-uco.",
  ),
  openBundle: method<{ jobId: string }>()(
    z.object({ bundle: folder, dir: folder }),
    "Checks a bundle completely and opens it as a new case folder, as a job; the receipt is recorded as bundle.opened when this profile holds a key of the case.",
  ),
} as const;
