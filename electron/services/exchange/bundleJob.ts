/**
 * Bundles as workbench jobs: export (the file written beside the case folder, named after it and
 * the time) and open, each with progress, cancellation of an export, and a result in the job's
 * `exchange`; and the case as CASE/UCO JSON-LD, kept in the case's exports/.
 */
import path from "node:path";
import type { ApiEvent, ApiParsedInput, JobInfo } from "../../../shared/api/contract.js";
import type { ExchangeJobResult } from "../../../shared/api/exchangeContract.js";
import type { KeyStore } from "../examiners/keyStore.js";
import type { JobRegistry } from "../jobRegistry.js";
import { trustedExaminers } from "../ledger/caseTrust.js";
import { SightlineError } from "../sightlineError.js";
import { readCaseFile } from "../vault/caseStore.js";
import { openBundle } from "./bundleReader.js";
import { exportBundle } from "./bundleWriter.js";
import { exportCaseUco } from "./caseUcoExport.js";

type Emit = (event: ApiEvent) => void;

export async function startExportBundleJob(
  jobs: JobRegistry,
  keyStore: KeyStore,
  input: ApiParsedInput<"exportBundle">,
  emit: Emit,
  clock: () => Date = () => new Date(),
): Promise<{ jobId: string }> {
  const { dir, caseFile, key, outFile } = await exportSetup(
    keyStore,
    input.dir,
    input.items ? "items" : "bundle",
    "zip",
    clock,
  );
  const info = jobs.start(
    dir,
    (job, signal) =>
      run(job, emit, async () => {
        const result = await exportBundle({
          caseDir: dir,
          outFile,
          key,
          ...(input.items ? { items: input.items } : {}),
          signal,
          onProgress: (p) => progress(job, emit, "copying", p.filesDone, p.filesTotal, p.bytesDone, p.bytesTotal),
        });
        emit({ type: "ledger.appended", dir, head: { seq: result.event.seq, hash: result.event.hash } });
        return {
          bundle: result.file,
          sha256: result.sha256,
          size: result.size,
          dir,
          caseId: caseFile.id,
          head: result.head,
          scope: input.items ? "items" : "case",
          itemCount: input.items?.length ?? 0,
          seq: result.event.seq,
          notRecorded: null,
        };
      }),
    "bundle",
  );
  return { jobId: info.jobId };
}

/** Before an export job starts: the case, the examiner's key that will record it, and the file it writes. */
async function exportSetup(keyStore: KeyStore, given: string, what: string, ext: string, clock: () => Date) {
  const dir = path.resolve(given);
  const caseFile = await readCaseFile(dir);
  const key = await keyStore.findFor(await trustedExaminers(dir));
  return { dir, caseFile, key, outFile: besideCase(dir, what, ext, clock) };
}

/** `<case folder>-<what>-<UTC time>.<ext>`, in the folder that holds the case. */
function besideCase(dir: string, what: string, ext: string, clock: () => Date): string {
  const stamp = clock()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return path.join(path.dirname(dir), `${path.basename(dir)}-${what}-${stamp}.${ext}`);
}

export async function startCaseUcoJob(
  jobs: JobRegistry,
  keyStore: KeyStore,
  input: ApiParsedInput<"exportCaseUco">,
  emit: Emit,
  clock: () => Date = () => new Date(),
): Promise<{ jobId: string }> {
  const { dir, caseFile, key } = await exportSetup(keyStore, input.dir, "case-uco", "jsonld", clock);
  const info = jobs.start(
    dir,
    (job) =>
      run(job, emit, async () => {
        progress(job, emit, "copying", 0, 0, 0, 0);
        // Kept in the case's exports/ like the other exports, where verify re-hashes it.
        const result = await exportCaseUco({ caseDir: dir, key, clock });
        emit({ type: "ledger.appended", dir, head: { seq: result.event.seq, hash: result.event.hash } });
        return {
          bundle: result.file,
          format: "case-uco",
          actionCount: result.actionCount,
          casePath: result.casePath,
          sha256: result.sha256,
          size: result.size,
          dir,
          caseId: caseFile.id,
          head: result.head,
          scope: "case",
          itemCount: result.itemCount,
          seq: result.event.seq,
          notRecorded: null,
        };
      }),
    "bundle",
  );
  return { jobId: info.jobId };
}

export async function startOpenBundleJob(
  jobs: JobRegistry,
  keyStore: KeyStore,
  input: ApiParsedInput<"openBundle">,
  emit: Emit,
): Promise<{ jobId: string }> {
  const target = path.resolve(input.dir);
  const info = jobs.start(
    target,
    (job) =>
      run(job, emit, async () => {
        const result = await openBundle({
          bundle: path.resolve(input.bundle),
          target,
          findKey: (trusted) => keyStore.findFor(trusted).catch(() => null),
          onProgress: (p) =>
            progress(job, emit, p.phase === "verifying" ? "verifying" : "copying", 0, 0, p.bytesDone, p.bytesTotal),
        });
        const d = result.description;
        return {
          bundle: path.resolve(input.bundle),
          sha256: result.bundleSha256,
          size: result.bundleSize,
          dir: target,
          caseId: d.caseId,
          head: d.head,
          scope: d.scope,
          itemCount: d.items.length,
          seq: result.event?.seq ?? null,
          notRecorded: result.notRecorded,
        };
      }),
    "bundle",
  );
  return { jobId: info.jobId };
}

function progress(
  job: JobInfo,
  emit: Emit,
  phase: JobInfo["progress"]["phase"],
  filesDone: number,
  filesTotal: number,
  bytesDone: number,
  bytesTotal: number,
) {
  job.progress = { ...job.progress, phase, filesDone, filesTotal, bytesDone, bytesTotal };
  emit({ type: "job.progress", jobId: job.jobId, progress: job.progress });
}

async function run(job: JobInfo, emit: Emit, work: () => Promise<ExchangeJobResult>): Promise<void> {
  try {
    job.exchange = await work();
    job.progress = { ...job.progress, phase: "finished" };
    job.status = "finished";
  } catch (error) {
    const cancelled = error instanceof SightlineError && error.code === "cancelled";
    job.status = cancelled ? "cancelled" : "failed";
    job.error = error instanceof SightlineError ? error.message : "the export job stopped on an unexpected error";
  } finally {
    emit({ type: "job.finished", job: { ...job } });
  }
}
