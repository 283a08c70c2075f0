/**
 * Writes a bundle (shared/exchange/bundleFormat.ts): the case, or a subset of its items, in one
 * zip file streamed by yazl, entries stored (media does not compress) and ZIP64 where sizes call
 * for it, so memory stays flat whatever the case's size. Every file is hashed on its way into
 * the zip, and an original whose bytes do not give its name refuses the export. The zip is
 * written under a temporary name beside the target, fsynced, and linked into place without
 * replacing anything; then the export is recorded in the case's ledger (`bundle.exported`).
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, readFileSync } from "node:fs";
import { link, lstat, open, realpath, unlink } from "node:fs/promises";
import path from "node:path";
import {
  BUNDLE_ENTRIES,
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  formatSums,
  type BundleDescription,
  type BundleFile,
} from "../../../shared/exchange/bundleFormat.js";
import type { LedgerEvent } from "../../../shared/ledger/events.js";
import { TOOL } from "../appInfo.js";
import type { ExaminerKey } from "../examiners/keyStore.js";
import { LedgerWriter } from "../ledger/ledgerWriter.js";
import { SightlineError, describeIoError } from "../sightlineError.js";
import { fsyncDir } from "../vault/durableFs.js";
import { bundleReadme } from "./bundleReadme.js";
import { observing } from "./observingStream.js";
import { subsetSources, wholeCaseSources, type Source } from "./caseSources.js";
import { syncAhead } from "./syncAhead.js";
import { takeSnapshot } from "./caseSnapshot.js";
import { yazl } from "./zipLibraries.js";
import { zipDigest, type ZipDigest } from "./zipDigest.js";

export interface ExportProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface ExportBundleOptions {
  caseDir: string;
  outFile: string;
  key: ExaminerKey;
  /** SHA-256s of the items of a subset; absent for the whole case. */
  items?: readonly string[];
  clock?: () => Date;
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
}

export interface ExportBundleResult {
  file: string;
  sha256: string;
  size: number;
  head: { seq: number; hash: string };
  fileCount: number;
  payloadBytes: number;
  event: LedgerEvent;
}

export const CHECKER_SOURCE = new URL("../../../../resources/verify-ledger.py", import.meta.url);

export async function exportBundle(options: ExportBundleOptions): Promise<ExportBundleResult> {
  const clock = options.clock ?? (() => new Date());
  const outFile = path.resolve(options.outFile);
  await assertNewOutside(outFile, options.caseDir);
  const snapshot = await takeSnapshot(options.caseDir);
  const items = options.items ? [...new Set(options.items)] : null;
  const sources = items ? await subsetSources(snapshot, items) : await wholeCaseSources(snapshot);
  const exportedAt = clock().toISOString();
  const description: Omit<BundleDescription, "files"> = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    caseId: snapshot.state.caseId ?? "",
    title: snapshot.state.title,
    head: snapshot.head,
    eventCount: snapshot.events.length,
    scope: items ? "items" : "case",
    items: items ?? [],
    exportedAt,
    exportedBy: { keyId: options.key.keyId, name: options.key.name },
    tool: { name: TOOL.name, version: TOOL.version },
  };
  const readme = Buffer.from(
    bundleReadme({
      ...description,
      exportedBy: options.key.name,
      tool: `${TOOL.name} ${TOOL.version}`,
    }),
  );
  const leading: Source[] = [
    { path: BUNDLE_ENTRIES.readme, bytes: readme },
    { path: BUNDLE_ENTRIES.checker, bytes: readFileSync(CHECKER_SOURCE) },
  ];
  const all = [...leading, ...sources];
  const partial = `${outFile}.${process.pid}.${Date.now()}.partial`;
  const progress: ExportProgress = {
    filesDone: 0,
    filesTotal: all.length,
    bytesDone: 0,
    bytesTotal: all.reduce((n, s) => n + ("bytes" in s ? s.bytes.length : s.size), 0),
  };
  let written: { sha256: string; size: number };
  let files: BundleFile[];
  try {
    ({ written, files } = await writeZip(partial, all, description, progress, options));
    await link(partial, outFile).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "EEXIST")
        throw new SightlineError("case-exists", `${outFile} already exists; nothing was replaced`);
      throw error;
    });
    await fsyncDir(path.dirname(outFile));
  } catch (error) {
    throw asExportError(error, outFile);
  } finally {
    await unlink(partial).catch(() => undefined);
  }
  const caseFiles = files.filter((f) => f.path.startsWith(`${BUNDLE_ENTRIES.caseFolder}/`));
  const payloadBytes = caseFiles.reduce((n, f) => n + f.size, 0);
  const writer = await LedgerWriter.open(options.caseDir, { key: options.key, clock });
  try {
    const [event] = await writer.append([
      {
        type: "bundle.exported",
        payload: {
          file: { name: path.basename(outFile), sha256: written.sha256, size: written.size },
          head: snapshot.head,
          scope: description.scope,
          items: description.items,
          fileCount: caseFiles.length,
          payloadBytes,
          tool: description.tool,
        },
      },
    ]);
    return {
      file: outFile,
      ...written,
      head: snapshot.head,
      fileCount: caseFiles.length,
      payloadBytes,
      event: event!,
    };
  } finally {
    await writer.close();
  }
}

async function writeZip(
  partial: string,
  sources: readonly Source[],
  description: Omit<BundleDescription, "files">,
  progress: ExportProgress,
  options: ExportBundleOptions,
): Promise<{ written: { sha256: string; size: number }; files: BundleFile[] }> {
  const zip = new yazl.ZipFile();
  const output = createWriteStream(partial, { flags: "wx", mode: 0o600, highWaterMark: 1 << 20 });
  const whole = zipDigest();
  try {
    return await writeZipHashed(zip, output, whole, sources, description, progress, options, partial);
  } finally {
    await whole.close();
  }
}

async function writeZipHashed(
  zip: InstanceType<typeof yazl.ZipFile>,
  output: ReturnType<typeof createWriteStream>,
  whole: ZipDigest,
  sources: readonly Source[],
  description: Omit<BundleDescription, "files">,
  progress: ExportProgress,
  options: ExportBundleOptions,
  partial: string,
): Promise<{ written: { sha256: string; size: number }; files: BundleFile[] }> {
  const tee = whole.stream;
  const ahead = syncAhead(output);
  const finished = new Promise<void>((resolve, reject) => {
    output.on("close", resolve);
    output.on("error", reject);
    zip.outputStream.on("error", reject);
    tee.on("error", reject);
    (zip as unknown as NodeJS.EventEmitter).on("error", reject);
  });
  zip.outputStream.pipe(tee).pipe(ahead).pipe(output);
  const zipOut = zip.outputStream as unknown as NodeJS.ReadableStream & { destroy(error?: Error): void };
  // Tearing down ends the file too: a piped stream does not pass its source's end or error on.
  const tearDown = (error: Error) => {
    zipOut.destroy(error);
    output.destroy(error);
  };
  const abort = () => tearDown(new SightlineError("cancelled", "the export was cancelled"));
  options.signal?.addEventListener("abort", abort, { once: true });
  if (options.signal?.aborted) abort();
  const mtime = new Date(description.exportedAt);
  const files: Promise<BundleFile>[] = sources.map((source) => addSource(zip, whole, source, mtime, progress, options));
  // A failure in one file fails the export; the zip stream is torn down so the writer stops.
  const all = Promise.all(files).catch((error: unknown) => {
    tearDown(error as Error);
    throw error;
  });
  // Whichever fails first is the reason given; the other's later failure is no news.
  all.catch(() => undefined);
  const ended = finished.then(() => null);
  ended.catch(() => undefined);
  const race = await Promise.race([all, ended]);
  if (race === null) throw new SightlineError("io-error", "the zip stream ended before every file was written");
  const listed = race;
  zip.addBuffer(Buffer.from(formatSums(listed)), BUNDLE_ENTRIES.sums, { compress: false, mtime, mode: 0o100444 });
  const full: BundleDescription = { ...description, files: listed };
  zip.addBuffer(Buffer.from(`${JSON.stringify(full, null, 1)}\n`), BUNDLE_ENTRIES.description, {
    compress: false,
    mtime,
    mode: 0o100444,
  });
  zip.end();
  try {
    await finished;
  } finally {
    options.signal?.removeEventListener("abort", abort);
  }
  const handle = await open(partial, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { written: await whole.result(), files: listed };
}

function addSource(
  zip: InstanceType<typeof yazl.ZipFile>,
  whole: ZipDigest,
  source: Source,
  mtime: Date,
  progress: ExportProgress,
  options: ExportBundleOptions,
): Promise<BundleFile> {
  const entryOptions = { compress: false, mtime, mode: 0o100444 };
  const done = (bytes: number) => {
    progress.filesDone++;
    progress.bytesDone += bytes;
    options.onProgress?.({ ...progress });
  };
  if ("bytes" in source) {
    zip.addBuffer(source.bytes, source.path, entryOptions);
    done(source.bytes.length);
    return Promise.resolve({
      path: source.path,
      size: source.bytes.length,
      sha256: createHash("sha256").update(source.bytes).digest("hex"),
    });
  }
  return new Promise<BundleFile>((resolve, reject) => {
    zip.addReadStreamLazy(source.path, { ...entryOptions, size: source.size }, (callback) => {
      // yazl asks for the stream just after writing the entry's local header: the file's bytes
      // are the zip's from here on (stored), and its SHA-256 is taken from them on the hashing thread.
      const start = (zip as unknown as { outputStreamCursor: number }).outputStreamCursor;
      whole.fileAt(start, source.size).then((sha256) => {
        if (source.expect !== null && sha256 !== source.expect) {
          reject(
            new SightlineError(
              "tampered",
              `${source.path.slice(BUNDLE_ENTRIES.caseFolder.length + 1)} no longer matches the SHA-256 the case records; run "sightline verify"; no bundle was written`,
            ),
          );
          return;
        }
        progress.filesDone++;
        options.onProgress?.({ ...progress });
        resolve({ path: source.path, size: source.size, sha256 });
      }, reject);
      const input = createReadStream(source.file, { highWaterMark: 1 << 20 });
      const counting = observing((chunk) => {
        progress.bytesDone += chunk.length;
      });
      input.on("error", (error) => {
        counting.destroy(error);
        reject(error);
      });
      counting.on("error", reject);
      callback(null, input.pipe(counting));
    });
  });
}

/**
 * The target must be new, and outside the case (a bundle inside the case it holds would hold
 * itself; a CASE/UCO export is not part of the case it describes). `what` names the file.
 */
export async function assertNewOutside(outFile: string, caseDir: string, what = "a bundle"): Promise<void> {
  if (
    await lstat(outFile).then(
      () => true,
      () => false,
    )
  ) {
    throw new SightlineError("case-exists", `${outFile} already exists; nothing was replaced`);
  }
  const parent = await realpath(path.dirname(outFile)).catch(() => {
    throw new SightlineError("not-found", `the folder ${path.dirname(outFile)} does not exist`);
  });
  const caseReal = await realpath(caseDir).catch(() => {
    throw new SightlineError("not-a-case", `${caseDir} is not a Sightline case (no such folder)`);
  });
  if (parent === caseReal || parent.startsWith(`${caseReal}${path.sep}`)) {
    throw new SightlineError(
      "invalid-input",
      `${what} cannot be written inside the case it holds; choose a folder outside it`,
    );
  }
}

function asExportError(error: unknown, outFile: string): Error {
  if (error instanceof SightlineError) return error;
  return new SightlineError("io-error", `cannot write ${outFile}: ${describeIoError(error)}`);
}
