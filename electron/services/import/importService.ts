/**
 * Imports through the API: files by path, and files the page uploads (the loopback host's
 * `PUT /upload`, staged in the case and then imported like files by path). Each runs in a job
 * with progress; the ledger lock is taken before the call answers, so "locked" reaches the caller.
 */
import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import type { ApiEvent, ApiParsedInput, JobInfo, NotImportedPage } from "../../../shared/api/contract.js";
import { CASE_PATHS, type CaseFile } from "../../../shared/case/caseFile.js";
import type { KeyStore } from "../examiners/keyStore.js";
import type { JobRegistry } from "../jobRegistry.js";
import { trustedExaminers } from "../ledger/caseTrust.js";
import { LedgerWriter } from "../ledger/ledgerWriter.js";
import { SightlineError, describeIoError } from "../sightlineError.js";
import { assertNotFrozen } from "../training/exerciseFreeze.js";
import type { CaseStateCache } from "../vault/caseStateCache.js";
import { readCaseFile } from "../vault/caseStore.js";
import { canSyncFileSystem } from "../vault/durableFs.js";
import { KEPT_OUTCOMES, missedCount } from "./importOutcomes.js";
import { notImportedPath, readNotImported } from "./notImportedLog.js";
import { importIntoCase, type ImportRequest } from "./importPipeline.js";
import { openWithThreads } from "./importThreadsStart.js";
import { scanCheckedFiles, type CheckedFile } from "./importScan.js";
import { damageWarnings, holdUploadsForRestore } from "./restoreOriginal.js";
import { UPLOAD_IDLE_MS, UploadSession } from "./uploadSession.js";
import { vaultDamage } from "./vaultDamage.js";

export interface ImportServiceDeps {
  keyStore: KeyStore;
  states: CaseStateCache;
  jobs: JobRegistry;
  emit: (event: ApiEvent) => void;
}

export class ImportService {
  private readonly uploads = new Map<string, { session: UploadSession; signal: AbortSignal }>();

  constructor(private readonly deps: ImportServiceDeps) {}

  /**
   * `dropped`: files dropped in the host's own window, taken by path (host/windowFiles.ts) only while
   * each is still the file the host checked (importScan.ts `scanCheckedFiles`); `input.paths` is then unused.
   */
  async importFiles(
    input: ApiParsedInput<"importFiles">,
    dropped?: readonly CheckedFile[],
  ): Promise<{ jobId: string }> {
    const dir = path.resolve(input.dir);
    // Started first, so that they start while the case is checked and its lock taken; not while
    // another job runs on this case, whose lock refuses this one.
    const {
      threads,
      opened: { writer, caseFile },
    } = await openWithThreads(
      dropped ?? input.paths,
      async () => {
        assertNotFrozen(await this.deps.states.get(dir), ["item.imported"]);
        const key = await this.deps.keyStore.findFor(await trustedExaminers(dir));
        const caseFile = await readCaseFile(dir);
        // Take the lock before answering, so "locked" is reported to the caller, not lost in a job.
        return { writer: await LedgerWriter.open(dir, { key }), caseFile };
      },
      !this.deps.jobs.isRunning(dir),
    );
    const info = this.deps.jobs.start(dir, (job, signal) =>
      this.runImport(job, signal, writer, caseFile, {
        paths: dropped ? [] : input.paths,
        collection: input.collection,
        ...(dropped && { channel: "window" as const, checked: dropped }),
        ...(threads && { threadsToStop: threads }),
      }),
    );
    return { jobId: info.jobId };
  }

  async beginUpload(input: ApiParsedInput<"beginUpload">): Promise<{ jobId: string; uploadId: string }> {
    const dir = path.resolve(input.dir);
    assertNotFrozen(await this.deps.states.get(dir), ["item.imported"]);
    const key = await this.deps.keyStore.findFor(await trustedExaminers(dir));
    const caseFile = await readCaseFile(dir);
    const writer = await LedgerWriter.open(dir, { key });
    const stagingDir = path.join(dir, CASE_PATHS.staging);
    try {
      await mkdir(stagingDir, { recursive: true, mode: 0o700 });
    } catch (error) {
      await writer.close();
      throw new SightlineError("io-error", `cannot prepare the case for the upload: ${describeIoError(error)}`);
    }
    const uploadId = randomUUID();
    const info = this.deps.jobs.start(dir, async (job, signal) => {
      const session = new UploadSession(
        uploadId,
        stagingDir,
        input.files,
        (p) => {
          job.progress = { ...job.progress, ...p };
          this.deps.emit({ type: "job.progress", jobId: job.jobId, progress: job.progress });
        },
        UPLOAD_IDLE_MS,
        caseFile.hashAlgorithms,
      );
      this.uploads.set(uploadId, { session, signal });
      job.progress = {
        ...job.progress,
        phase: "receiving",
        filesTotal: input.files.length,
        bytesTotal: input.files.reduce((n, f) => n + f.size, 0),
      };
      await session.settled(signal);
      const scanned = await session.scanned();
      await holdUploadsForRestore(dir, await this.deps.states.get(dir), scanned);
      await this.runImport(job, signal, writer, caseFile, { paths: [], scanned, collection: input.collection }, () => {
        this.uploads.delete(uploadId);
        return session.discard();
      });
    });
    return { jobId: info.jobId, uploadId };
  }

  /** The bytes of one announced file, or of one range of it (the loopback host's `PUT /upload`). */
  async receiveUpload(
    uploadId: string,
    index: number,
    body: Readable,
    range: { start: number; length: number } | null = null,
  ): Promise<{ bytes: number }> {
    const upload = this.uploads.get(uploadId);
    if (!upload) throw new SightlineError("not-found", "no upload with that id is waiting (finished or cancelled)");
    return upload.session.receive(index, body, upload.signal, range);
  }

  async abandonUpload({ uploadId, index, reason }: ApiParsedInput<"abandonUpload">): Promise<{ abandoned: boolean }> {
    const upload = this.uploads.get(uploadId);
    if (!upload) throw new SightlineError("not-found", "no upload with that id is waiting (finished or cancelled)");
    return { abandoned: upload.session.abandon(index, `the page could not send it: ${reason}`) };
  }

  /** One page of an import job's files not imported, from the list the import kept (notImportedLog.ts). */
  async listNotImported({ jobId, cursor, limit }: ApiParsedInput<"listNotImported">): Promise<NotImportedPage> {
    const job = this.deps.jobs.get(jobId);
    if (job.kind !== "import") throw new SightlineError("invalid-input", "that job is not an import");
    if (job.status === "running") {
      throw new SightlineError("invalid-input", "the import is still running; its full list is ready when it ends");
    }
    if (!job.hasNotImportedList) {
      throw new SightlineError("not-found", "this import kept no full list of the files it did not bring in");
    }
    const total = job.outcomeCounts ? missedCount(job.outcomeCounts) : null;
    // A list is made on the first file not imported: none, nothing to read.
    if (total === 0) return { outcomes: [], next: null, total };
    return { ...readNotImported(notImportedPath(jobId), cursor, limit), total };
  }

  /** Runs an import inside a job, reporting into it; closes the writer at the end. */
  private async runImport(
    job: JobInfo,
    signal: AbortSignal,
    writer: LedgerWriter,
    caseFile: CaseFile,
    request: Pick<ImportRequest, "paths" | "scanned" | "collection" | "channel" | "threadsToStop"> & {
      checked?: readonly CheckedFile[];
    },
    /** Runs before the job is announced as finished (an upload removes its staging files). */
    cleanUp?: () => Promise<void>,
  ): Promise<void> {
    const dir = writer.caseDir;
    try {
      // The media stage brings in sharp, exifr, file-type and ffmpeg's wrapper: loaded by the first import, not at start.
      const { MediaStage } = await import("../media/mediaStage.js");
      const media = new MediaStage({
        writer,
        state: await this.deps.states.get(dir),
        canSyncFileSystem: await canSyncFileSystem(),
        signal,
        onNearDuplicate: (notice) => this.deps.emit({ type: "item.nearDuplicate", dir, jobId: job.jobId, notice }),
      });
      const state = await this.deps.states.get(dir);
      const { checked, ...asked } = request;
      const report = await importIntoCase(writer, caseFile, {
        ...asked,
        // Listed here, as the job starts, and refused here if swapped since the host's check.
        ...(checked && { scanned: await scanCheckedFiles(checked) }),
        media,
        signal,
        notImportedId: job.jobId,
        damageOf: (sha256) => vaultDamage(dir, state, sha256),
        onProgress: (progress) => {
          job.progress = progress;
          this.deps.emit({ type: "job.progress", jobId: job.jobId, progress });
        },
        onCommitted: (outcomes) => {
          // While it runs, the job lists the first files committed; the report's bounded list replaces them.
          job.outcomes.push(...outcomes.slice(0, Math.max(0, KEPT_OUTCOMES - job.outcomes.length)));
          this.deps.emit({ type: "ledger.appended", dir, head: writer.currentHead });
        },
      });
      job.outcomes = report.outcomes;
      job.outcomeCounts = report.counts;
      job.outcomesLeftOff = report.outcomesLeftOff;
      job.hasNotImportedList = report.hasNotImportedList;
      job.warnings = [...report.warnings, ...damageWarnings(report.outcomes)];
      job.status = report.isCancelled || signal.aborted ? "cancelled" : "finished";
    } catch (error) {
      job.status = "failed";
      job.error = error instanceof SightlineError ? error.message : "the import stopped on an unexpected error";
    } finally {
      // Each step on its own: whatever fails, the threads stop, the lock is released, staging is
      // emptied and the end announced.
      await request.threadsToStop
        ?.close()
        .catch(() => job.warnings.push("the import's staging threads could not be stopped cleanly"));
      await writer
        .close()
        .catch(() => job.warnings.push("the case's lock could not be released cleanly; the next writer recovers it"));
      await cleanUp?.().catch(() =>
        job.warnings.push("some staging files could not be removed; the next import removes them"),
      );
      this.deps.emit({ type: "job.finished", job: { ...job } });
    }
  }
}
