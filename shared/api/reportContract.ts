/**
 * The custody-report part of the API (spread into `contract` in contract.ts): a report of the whole
 * case, the items selected on the board, or one item, made as a job (verification first, then the
 * report) whose result names the copy kept in the case's exports/, which the page offers as a
 * download. See docs/REPORT.md.
 */
import { z } from "zod";
import type { EventRef } from "../ledger/geoEvents.js";
import type { TimestampOutcome } from "./timestampContract.js";
import { REPORT_FORMATS, REPORT_GRAPHIC, REPORT_SENSITIVE, type ReportFormat } from "../reports/reportModel.js";

const caseDir = z.string().min(1, "a case folder is required").max(4096);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "not a SHA-256 digest (64 lower-case hex digits)");

type MethodSpec<I extends z.ZodType, O> = { input: I; output?: O; doc: string };
const method =
  <O>() =>
  <I extends z.ZodType>(input: I, doc: string): MethodSpec<I, O> => ({ input, doc });

/** What a finished report job made (`JobInfo.report`). */
export interface ReportJobResult {
  format: ReportFormat;
  /** The copy kept in the case, `exports/<name>`: the file the page offers to save. */
  path: string;
  sha256: string;
  size: number;
  /** The `report.generated` event that records it. */
  seq: number;
  /** The last event the report covers. */
  head: EventRef;
  itemCount: number;
  /** Verification at report time: a failed one is stated on every page of the report. */
  isClean: boolean;
  problemCount: number;
  /**
   * Asked with `timestamp`: the head recording the report, timestamped (`recorded`: authority and
   * time) or queued because no authority answered.
   */
  timestamp?: TimestampOutcome;
}

export const GenerateReportInput = z.object({
  dir: caseDir,
  format: z.enum(REPORT_FORMATS),
  /** Items to report on; absent: the whole case. */
  items: z.array(sha256).min(1, "choose at least one item").max(100_000).optional(),
  sensitive: z.enum(REPORT_SENSITIVE).default("rounded"),
  graphic: z.enum(REPORT_GRAPHIC).default("veiled"),
  /** Timestamp the head that records the report (RFC 3161), as `sightline report --timestamp`. */
  timestamp: z.boolean().default(false),
});

export const reportContract = {
  generateReport: method<{ jobId: string }>()(
    GenerateReportInput,
    "Verifies the case and makes its custody report (PDF, HTML, JSON or CSV) as a job; the report is kept in exports/ and recorded (a report.generated event); the job's `report` names it.",
  ),
} as const;
