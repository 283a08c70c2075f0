/**
 * One measured Sightline media job in its own process, so its time and peak RSS are the job's
 * alone. argv[2] is JSON naming the job; stdout gets one JSON result with `ms` (the measured
 * part, timed in here) and `maxRssBytes`. Each job checks its own output, so the benchmark
 * cannot pass by doing nothing:
 *
 *   metadata   sniffFile + readImageMetadata on every JPEG of a folder, `concurrency` in flight;
 *              counts the files whose capture time and GPS are not the expected ones
 *   import     creates a case (not timed), then LedgerWriter.open + importIntoCase with a
 *              MediaStage (hash, copy, metadata, thumbnail, pHash, ledger), as `sightline import` does
 *   keyframes  readVideoMetadata for the duration (not timed), then extractKeyframes + phashOf
 *              on each frame, as the media stage does
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";

// Each job loads only the modules it uses (below), so the metadata job's process start is not
// charged for the import pipeline's modules.
const mediaTools = async () => (await import("../../electron/services/media/mediaTools.js")).mediaTools();

export type MediaJob =
  | {
      job: "metadata";
      dir: string;
      concurrency: number;
      expected: { capturedAt: string; lat: number; lon: number };
    }
  | { job: "import"; profileDir: string; caseDir: string; paths: string[] }
  | { job: "keyframes"; file: string; scratch: string };

export interface MetadataResult {
  ms: number;
  maxRssBytes: number;
  files: number;
  /** Files whose capture time or GPS was not the expected one, with what was read. */
  wrong: { file: string; capturedAt: string | null; gps: unknown }[];
}

export interface ImportResult {
  ms: number;
  maxRssBytes: number;
  outcomes: Record<string, number>;
  analysed: number;
  /** How many analysed items had each number of derivatives. */
  derivatives: Record<string, number>;
  skipped: string[];
}

export interface KeyframesResult {
  ms: number;
  maxRssBytes: number;
  frames: number;
  method: string;
  warnings: string[];
  phashes: number;
}

const job = JSON.parse(process.argv[2]!) as MediaJob;

async function metadata(j: Extract<MediaJob, { job: "metadata" }>): Promise<Omit<MetadataResult, "maxRssBytes">> {
  const { sniffFile } = await import("../../electron/services/media/sniffFile.js");
  const { readImageMetadata } = await import("../../electron/services/media/imageMetadata.js");
  const tools = await mediaTools();

  const started = performance.now();
  const files = (await readdir(j.dir)).filter((n) => n.endsWith(".jpg")).map((n) => path.join(j.dir, n));
  const wrong: MetadataResult["wrong"] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: j.concurrency }, async () => {
      for (let i = next++; i < files.length; i = next++) {
        const file = files[i]!;
        const { sniffed } = await sniffFile(file, (await stat(file)).size);
        const { metadata: m } = await readImageMetadata(file, sniffed, tools);
        const isRight =
          m.capturedAt === j.expected.capturedAt &&
          !!m.gps &&
          Math.abs(m.gps.lat - j.expected.lat) < 1e-6 &&
          Math.abs(m.gps.lon - j.expected.lon) < 1e-6;
        if (!isRight) wrong.push({ file, capturedAt: m.capturedAt, gps: m.gps });
      }
    }),
  );
  return { ms: performance.now() - started, files: files.length, wrong };
}

async function importWithMedia(j: Extract<MediaJob, { job: "import" }>): Promise<Omit<ImportResult, "maxRssBytes">> {
  const { createCase, loadCaseState } = await import("../../electron/services/vault/caseStore.js");
  const { syncFileSystem } = await import("../../electron/services/vault/durableFs.js");
  const { importIntoCase } = await import("../../electron/services/import/importPipeline.js");
  const { KeyStore } = await import("../../electron/services/examiners/keyStore.js");
  const { LedgerWriter } = await import("../../electron/services/ledger/ledgerWriter.js");
  const { MediaStage } = await import("../../electron/services/media/mediaStage.js");
  const key = await new KeyStore(j.profileDir).getOrCreate("Bench Examiner");
  const caseFile = await createCase({ dir: j.caseDir, title: "bench", key, hashAlgorithms: ["sha256"] });

  const started = performance.now();
  const writer = await LedgerWriter.open(j.caseDir, { key });
  let report;
  try {
    const media = new MediaStage({
      writer,
      state: await loadCaseState(j.caseDir),
      canSyncFileSystem: await syncFileSystem(j.caseDir),
    });
    report = await importIntoCase(writer, caseFile, {
      paths: j.paths,
      collection: { sourceAccount: "bench", method: "bench", collectedAt: "2026-01-01T00:00:00Z" },
      media,
    });
  } finally {
    await writer.close();
  }
  const ms = performance.now() - started;

  const outcomes: Record<string, number> = {};
  for (const o of report.outcomes) outcomes[o.status] = (outcomes[o.status] ?? 0) + 1;
  const derivatives: Record<string, number> = {};
  for (const a of report.media?.analysed ?? []) derivatives[a.derivatives] = (derivatives[a.derivatives] ?? 0) + 1;
  return {
    ms,
    outcomes,
    analysed: report.media?.analysed.length ?? 0,
    derivatives,
    skipped: (report.media?.skipped ?? []).map((s) => `${s.displayPath}: ${s.reason}`),
  };
}

async function keyframes(j: Extract<MediaJob, { job: "keyframes" }>): Promise<Omit<KeyframesResult, "maxRssBytes">> {
  const { readVideoMetadata } = await import("../../electron/services/media/videoMetadata.js");
  const { extractKeyframes } = await import("../../electron/services/media/keyframes.js");
  const { phashOf } = await import("../../electron/services/media/imagePixels.js");
  const tools = await mediaTools();
  const { metadata: m } = await readVideoMetadata(j.file, tools);

  const started = performance.now();
  const result = await extractKeyframes(j.file, j.scratch, m.durationS, tools);
  const phashes: string[] = [];
  for (const frame of result.frames) phashes.push(await phashOf(await readFile(frame.file)));
  const ms = performance.now() - started;

  return {
    ms,
    frames: result.frames.length,
    method: result.method,
    warnings: result.warnings.map((w) => `${w.code}: ${w.message}`),
    phashes: phashes.filter((h) => /^[0-9a-f]{16}$/.test(h)).length,
  };
}

const result =
  job.job === "metadata"
    ? await metadata(job)
    : job.job === "import"
      ? await importWithMedia(job)
      : await keyframes(job);
process.stdout.write(JSON.stringify({ ...result, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
