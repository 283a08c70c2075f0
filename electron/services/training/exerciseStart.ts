/**
 * Starting an exercise from a sample package, as a job: the package read and checked whole, its
 * key and hints kept in the workbench's store (exerciseStore.ts), a fresh case for the trainee
 * whose first event after `case.created` is `exercise.started` (the briefing, the hint titles and
 * only the key's hash), the sample's files imported through the ordinary import pipeline with a
 * collection record from each file's `source`, and its scenes and basemap marked as reference
 * imagery so they show on the map. The files are unpacked into a private temporary folder outside
 * the case, removed at the end whatever happens.
 */
import { lstat, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ApiOutput, ApiParsedInput, JobInfo } from "../../../shared/api/contract.js";
import type { CollectionInput } from "../../../shared/case/collection.js";
import type { SampleFile, SampleManifest } from "../../../shared/training/sampleFormat.js";
import { createCase, readCaseFile } from "../vault/caseStore.js";
import { importIntoCase } from "../import/importPipeline.js";
import { LedgerWriter } from "../ledger/ledgerWriter.js";
import { SightlineError, describeIoError } from "../sightlineError.js";
import { syncFileSystem } from "../vault/durableFs.js";
import { parseAnswerKey, readSamplePackage } from "./samplePackage.js";
import type { TrainingTools } from "./trainingTools.js";

export async function startExercise(
  tools: TrainingTools,
  input: ApiParsedInput<"startExercise">,
): Promise<ApiOutput<"startExercise">> {
  const dir = path.resolve(input.dir);
  const sample = path.resolve(input.sample);
  // What can be refused at once is refused to the caller, not inside the job.
  const existing = await lstat(dir).catch(() => null);
  if (existing && (!existing.isDirectory() || (await readdir(dir)).length > 0)) {
    throw new SightlineError(
      "case-exists",
      `${dir} already exists and is not an empty folder; choose a new folder for the trainee's case`,
    );
  }
  if (!(await lstat(path.dirname(dir)).catch(() => null))?.isDirectory()) {
    throw new SightlineError("not-found", `the folder ${path.dirname(dir)} does not exist`);
  }
  const info = await lstat(sample).catch((error: unknown) => {
    throw new SightlineError("not-found", `cannot read ${sample}: ${describeIoError(error)}`);
  });
  if (!info.isFile()) throw new SightlineError("invalid-input", `${sample} is not a sample package file`);
  const job = tools.jobs.start(
    dir,
    (job, signal) => runStart(tools, job, signal, sample, dir, input.trainee),
    "exercise",
  );
  return { jobId: job.jobId };
}

async function runStart(
  tools: TrainingTools,
  job: JobInfo,
  signal: AbortSignal,
  sample: string,
  dir: string,
  trainee: string,
): Promise<void> {
  const unpacked = await mkdtemp(path.join(os.tmpdir(), "sightline-exercise-"));
  try {
    job.progress = { ...job.progress, phase: "scanning" };
    const read = await readSamplePackage(sample, { extractTo: unpacked });
    const manifest = read.manifest;
    // Parsed now, so a key this build cannot read is refused before the trainee's case exists.
    parseAnswerKey(read.answerKeyBytes, manifest);
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`);
    const answerKeySha256 = await tools.store.keep(manifestBytes, read.answerKeyBytes, manifest.hints);
    if (signal.aborted) throw new SightlineError("cancelled", "the exercise was cancelled before its case was made");

    const key = await tools.keyStore.getOrCreate(trainee);
    await createCase({ dir, title: `Exercise: ${manifest.title}`, key, hashAlgorithms: ["sha256"] });
    const caseFile = await readCaseFile(dir);
    const writer = await LedgerWriter.open(dir, { key });
    try {
      await writer.append([
        {
          type: "exercise.started",
          payload: {
            sample: { id: manifest.id, title: manifest.title, manifestSha256: read.manifestSha256 },
            briefing: manifest.briefing,
            hintTitles: manifest.hints.map((h) => h.title),
            answerKeySha256,
            trainee,
          },
        },
      ]);
      tools.emit({ type: "ledger.appended", dir, head: writer.currentHead });
      await importSampleFiles(tools, job, signal, writer, caseFile, manifest, unpacked);
    } finally {
      await writer.close();
    }
    await markReferences(tools, dir, manifest);
    job.status = signal.aborted ? "cancelled" : "finished";
  } catch (error) {
    job.status = error instanceof SightlineError && error.code === "cancelled" ? "cancelled" : "failed";
    job.error =
      error instanceof SightlineError
        ? error.message
        : `the exercise could not be started: ${(error as Error).message}`;
  } finally {
    await rm(unpacked, { recursive: true, force: true }).catch(() =>
      job.warnings.push(`the unpacked sample files in ${unpacked} could not all be removed`),
    );
    tools.emit({ type: "job.finished", job: { ...job } });
  }
}

/** One import per distinct source, so each file carries the collection record its source gives. */
async function importSampleFiles(
  tools: TrainingTools,
  job: JobInfo,
  signal: AbortSignal,
  writer: LedgerWriter,
  caseFile: Awaited<ReturnType<typeof readCaseFile>>,
  manifest: SampleManifest,
  unpacked: string,
): Promise<void> {
  const bySource = new Map<string, SampleFile[]>();
  for (const file of manifest.files) bySource.set(file.source, [...(bySource.get(file.source) ?? []), file]);
  const dir = writer.caseDir;
  // Loaded here rather than at start: the media stage brings in sharp, exifr and the rest.
  const { MediaStage } = await import("../media/mediaStage.js");
  for (const [source, files] of bySource) {
    if (signal.aborted) return;
    const media = new MediaStage({
      writer,
      state: await tools.states.get(dir),
      canSyncFileSystem: await syncFileSystem(dir),
      signal,
      onNearDuplicate: (notice) => tools.emit({ type: "item.nearDuplicate", dir, jobId: job.jobId, notice }),
    });
    const report = await importIntoCase(writer, caseFile, {
      paths: files.map((f) => path.join(unpacked, f.name)),
      collection: collectionOf(manifest, source),
      media,
      signal,
      onProgress: (progress) => {
        job.progress = progress;
        tools.emit({ type: "job.progress", jobId: job.jobId, progress });
      },
      onCommitted: () => tools.emit({ type: "ledger.appended", dir, head: writer.currentHead }),
    });
    job.outcomes.push(...report.outcomes);
    job.warnings.push(...report.warnings);
    const failed = report.outcomes.find((o) => o.status === "refused" || o.status === "failed");
    if (failed && "reason" in failed) {
      throw new SightlineError(
        "io-error",
        `the sample's file ${failed.displayPath} was not imported: ${failed.reason}`,
      );
    }
  }
}

function collectionOf(manifest: SampleManifest, source: string): CollectionInput {
  return {
    sourceAccount: source,
    collectedAt: new Date().toISOString(),
    method: `Training sample "${manifest.title}" (${manifest.id}) by ${manifest.author}, opened as an exercise`,
  };
}

async function markReferences(tools: TrainingTools, dir: string, manifest: SampleManifest): Promise<void> {
  for (const file of manifest.files) {
    if (file.role === "scene") {
      await tools.markReference({
        dir,
        sha256: file.sha256,
        kind: "scene",
        provider: file.source,
        sceneId: "",
        acquiredOn: file.acquiredOn!,
        bands: [],
        note: `From the training sample "${manifest.title}".`,
      });
    } else if (file.role === "basemap") {
      await tools.markReference({
        dir,
        sha256: file.sha256,
        kind: "basemap",
        provider: file.source,
        note: `From the training sample "${manifest.title}".`,
      });
    }
  }
}
