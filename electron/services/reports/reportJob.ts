/**
 * A custody report as a workbench job: verification with progress, then the report built,
 * rendered, kept in exports/ and recorded; the job's `report` names the file for the page to
 * offer. In the workbench a report must be recorded (the file the page offers is the copy in the
 * case), so a case this profile cannot write to fails the job with the reason. Asked to, the job
 * then timestamps the head that records the report (its SHA-256), as `sightline report
 * --timestamp` does: the job's `report.timestamp` says granted (authority, time) or queued.
 */
import path from "node:path";
import type { ApiEvent, ApiParsedInput, JobInfo } from "../../../shared/api/contract.js";
import type { TimestampOutcome } from "../../../shared/api/timestampContract.js";
import type { KeyStore } from "../examiners/keyStore.js";
import type { JobRegistry } from "../jobRegistry.js";
import { SightlineError } from "../sightlineError.js";
import { readCaseFile } from "../vault/caseStore.js";
import { ChromiumPrinter, type ReportPrinter } from "./reportPrinter.js";
import { generateReport } from "./reportService.js";

/** The examiner's authorities and a timestamp of the head (the service's TimestampService). */
export interface ReportStamper {
  timestampAuthorities(input: { dir: string }): Promise<unknown[]>;
  /** `of`: the head to stamp, the one that records the report, even if the ledger has moved on since. */
  timestampLedger(input: { dir: string }, of?: { seq: number; hash: string }): Promise<TimestampOutcome>;
}

const PHASE_WORDS = {
  verifying: "verifying the case",
  building: "building the report from the ledger",
  rendering: "writing the report",
  recording: "keeping a copy in the case and recording it",
} as const;

export async function startReportJob(
  jobs: JobRegistry,
  keyStore: KeyStore,
  input: ApiParsedInput<"generateReport">,
  emit: (event: ApiEvent) => void,
  makePrinter: () => ReportPrinter = () => new ChromiumPrinter(),
  stamper?: ReportStamper,
): Promise<{ jobId: string }> {
  const resolved = { ...input, dir: path.resolve(input.dir) };
  await readCaseFile(resolved.dir);
  // Refused before any work, as the CLI refuses --timestamp: a report made but never stamped is not what was asked.
  if (input.timestamp && (!stamper || (await stamper.timestampAuthorities({ dir: resolved.dir })).length === 0)) {
    throw new SightlineError(
      "invalid-input",
      "no time-stamping authority is configured for this examiner, so the report cannot be timestamped; add one in the ledger view first",
    );
  }
  const info = jobs.start(
    resolved.dir,
    (job, signal) => runReportJob(job, signal, keyStore, resolved, emit, makePrinter, stamper),
    "report",
  );
  return { jobId: info.jobId };
}

async function runReportJob(
  job: JobInfo,
  signal: AbortSignal,
  keyStore: KeyStore,
  input: ApiParsedInput<"generateReport">,
  emit: (event: ApiEvent) => void,
  makePrinter: () => ReportPrinter,
  stamper: ReportStamper | undefined,
): Promise<void> {
  let printer: ReportPrinter | null = null;
  const dir = input.dir;
  try {
    const outcome = await generateReport(
      { dir, format: input.format, ...(input.items ? { items: input.items } : {}), choices: input },
      {
        keyStore,
        signal,
        printer: () => (printer ??= makePrinter()),
        onProgress: (phase, p) => {
          // The job's phase stays the one the workbench knows; what the report is doing is said in words.
          job.progress = {
            ...job.progress,
            phase: phase === "recording" ? "committing" : "verifying",
            currentFile: PHASE_WORDS[phase],
            ...(p
              ? {
                  filesTotal: p.objectsTotal,
                  filesDone: p.objectsDone,
                  bytesTotal: p.bytesTotal,
                  bytesDone: p.bytesDone,
                }
              : {}),
          };
          emit({ type: "job.progress", jobId: job.jobId, progress: job.progress });
        },
        onAppended: (head) => emit({ type: "ledger.appended", dir, head }),
      },
    );
    if (outcome.seq === null || outcome.hash === null || outcome.casePath === null || outcome.head === null) {
      throw new SightlineError(
        "no-key",
        `the report could not be recorded in the case: ${outcome.notRecorded ?? "unknown reason"}`,
      );
    }
    job.report = {
      format: outcome.format,
      path: outcome.casePath,
      sha256: outcome.sha256,
      size: outcome.bytes.length,
      seq: outcome.seq,
      head: outcome.head,
      itemCount: outcome.itemCount,
      isClean: outcome.isClean,
      problemCount: outcome.problemCount,
    };
    if (input.timestamp && stamper) {
      job.progress = { ...job.progress, currentFile: "timestamping the head that records the report" };
      emit({ type: "job.progress", jobId: job.jobId, progress: job.progress });
      const stamped = await stamper
        .timestampLedger({ dir }, { seq: outcome.seq, hash: outcome.hash })
        .catch((error: unknown) => {
          // The report is made and recorded: a timestamp that could not even be queued is a warning, not a failure.
          job.warnings.push(`the report's head was not timestamped: ${(error as Error).message}`);
          return null;
        });
      if (stamped) job.report.timestamp = stamped;
      if (stamped?.status === "queued")
        job.warnings.push(`no time-stamping authority answered, so the timestamp is queued: ${stamped.reason}`);
    }
    job.warnings.push(...outcome.warnings);
    if (!outcome.isClean)
      job.warnings.push(
        `verification failed at report time (${outcome.problemCount} problems); the report says so on every page`,
      );
    job.status = "finished";
  } catch (error) {
    const isCancelled = signal.aborted || (error instanceof SightlineError && error.code === "cancelled");
    job.status = isCancelled ? "cancelled" : "failed";
    job.error =
      error instanceof SightlineError
        ? error.message
        : `the report stopped on an unexpected error: ${String(error).split("\n")[0]}`;
  } finally {
    await (printer as ReportPrinter | null)?.close().catch(() => undefined);
    job.progress = { ...job.progress, phase: "finished", currentFile: null };
    emit({ type: "job.finished", job: { ...job } });
  }
}
