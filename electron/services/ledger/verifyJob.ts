/**
 * Verification as a workbench job: progress as it runs, the result in the job, and the run itself
 * recorded in the ledger (`verification.run`) when the case can be written to. A case that cannot
 * (edited outside Sightline, busy, or no key of this profile) is still verified; only the record
 * is left out, and the job says why.
 */
import type { ApiEvent, JobInfo, VerifyResult } from "../../../shared/api/contract.js";
import type { PayloadOf } from "../../../shared/ledger/events.js";
import { TOOL } from "../appInfo.js";
import type { ExaminerKey, KeyStore } from "../examiners/keyStore.js";
import { SightlineError } from "../sightlineError.js";
import { trustedExaminers } from "./caseTrust.js";
import { LedgerWriter } from "./ledgerWriter.js";
import { examinerTimestampAnchors } from "../timestamps/tsaSettings.js";
import { verifyCase, type VerifyReport } from "./verifyCase.js";

/** The key that will record the run, or why the run cannot be recorded. */
export interface VerifyRecorder {
  key: ExaminerKey | null;
  reason: string | null;
  /** The trust anchors of the examiner's time-stamping authorities, for the timestamps in the case. */
  timestampAnchorsPem?: string[];
}

export async function verifyRecorder(dir: string, keyStore: KeyStore): Promise<VerifyRecorder> {
  return trustedExaminers(dir)
    .then((examiners) => keyStore.findFor(examiners))
    .then(async (key) => ({ key, reason: null, timestampAnchorsPem: await examinerTimestampAnchors(keyStore, dir) }))
    .catch((error: unknown) => ({ key: null, reason: messageOf(error) }));
}

/** Runs one verification into `job`, announcing progress, the ledger append and the end through `emit`. */
export async function runVerifyJob(
  dir: string,
  job: JobInfo,
  signal: AbortSignal,
  recorder: VerifyRecorder,
  emit: (event: ApiEvent) => void,
): Promise<void> {
  job.progress = { ...job.progress, phase: "verifying" };
  try {
    const report = await verifyCase(dir, {
      signal,
      timestampAnchorsPem: recorder.timestampAnchorsPem ?? [],
      onProgress: (p) => {
        job.progress = {
          ...job.progress,
          filesTotal: p.objectsTotal,
          filesDone: p.objectsDone,
          bytesTotal: p.bytesTotal,
          bytesDone: p.bytesDone,
        };
        emit({ type: "job.progress", jobId: job.jobId, progress: job.progress });
      },
    });
    job.verify = verifyResultOf(report);
    job.status = "finished";
    // The run is itself part of the case's history; a case locked by an import is verified, not recorded.
    let notRecorded = recorder.reason;
    const writer = recorder.key
      ? await LedgerWriter.open(dir, { key: recorder.key }).catch((error: unknown) => {
          notRecorded = messageOf(error);
          return null;
        })
      : null;
    if (writer) {
      try {
        await writer.append([{ type: "verification.run", payload: verificationRunPayload(report) }]);
        emit({ type: "ledger.appended", dir, head: writer.currentHead });
      } finally {
        await writer.close();
      }
    } else {
      job.warnings.push(`this run is not recorded in the ledger: ${notRecorded ?? "the case was busy"}`);
    }
  } catch (error) {
    const isCancelled = error instanceof SightlineError && error.code === "cancelled";
    job.status = isCancelled ? "cancelled" : "failed";
    job.error = error instanceof SightlineError ? error.message : "verification stopped on an unexpected error";
  } finally {
    job.progress = { ...job.progress, phase: "finished", currentFile: null };
    emit({ type: "job.finished", job: { ...job } });
  }
}

/** The report as the API returns it: the case's own identity stays out (the caller knows it). */
export function verifyResultOf(report: VerifyReport): VerifyResult {
  const { caseDir: _dir, caseId: _id, title: _title, examiners: _examiners, ...result } = report;
  return result;
}

function verificationRunPayload(report: VerifyReport): PayloadOf<"verification.run"> {
  return {
    head: report.head,
    isClean: report.isClean,
    eventCount: report.eventCount,
    itemCount: report.itemCount,
    objectsChecked: report.objectsChecked,
    bytesChecked: report.bytesChecked,
    derivativesChecked: report.derivativesChecked,
    problems: report.problems.slice(0, 1000).map((p) => ({
      code: p.code,
      ...(p.line !== undefined ? { line: p.line } : {}),
      ...(p.item !== undefined ? { item: p.item } : {}),
      ...(p.file !== undefined ? { file: p.file.slice(0, 4096) } : {}),
    })),
    problemCount: report.problems.length,
    noticeCount: report.notices.length,
    tool: { ...TOOL },
  };
}

function messageOf(error: unknown): string {
  return error instanceof SightlineError ? error.message : String(error);
}
