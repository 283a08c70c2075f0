/**
 * Opens a bundle into a new case folder, verifying everything before accepting it: the entries
 * (bundleEntries.ts) before a byte is written, every file against the manifest's SHA-256 while
 * it is extracted, then the case itself (ledger chain, signatures, every object and derivative
 * against the ledger, via verifyCase) or, for a subset, its proof (bundleSubset.ts). All of it
 * happens in a staging folder beside the target, renamed into place only when everything holds;
 * a refusal removes the staging folder, so nothing is left behind and nothing is written
 * anywhere else. Entry paths are built from names already checked to be plain, below the
 * staging folder, and every file is created new (never through a link).
 */
import { createHash } from "node:crypto";
import { constants, createReadStream, createWriteStream } from "node:fs";
import { chmod, lstat, mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import {
  BUNDLE_ENTRIES,
  BundleDescriptionSchema,
  MAX_DESCRIPTION_BYTES,
  parseSums,
  type BundleDescription,
} from "../../../shared/exchange/bundleFormat.js";
import type { Examiner, LedgerEvent } from "../../../shared/ledger/events.js";
import { TOOL } from "../appInfo.js";
import type { ExaminerKey } from "../examiners/keyStore.js";
import { trustedExaminers } from "../ledger/caseTrust.js";
import { LedgerWriter } from "../ledger/ledgerWriter.js";
import { verifyCase } from "../ledger/verifyCase.js";
import { SightlineError, describeIoError } from "../sightlineError.js";
import { fsyncDir } from "../vault/durableFs.js";
import { checkAgainstManifest, checkEntries, describeZipError, refuse, shownEntry } from "./bundleEntries.js";
import { checkSubset } from "./bundleSubset.js";
import { observing } from "./observingStream.js";
import { openEntry, openZip, readEntries, readSmallEntry, type ZipEntry, type ZipFile } from "./zipReading.js";

export interface OpenProgress {
  bytesDone: number;
  bytesTotal: number;
  phase: "extracting" | "verifying";
}

export interface OpenBundleOptions {
  bundle: string;
  target: string;
  /**
   * The examiner receiving it, given the keys the opened case trusts: the receipt is signed into
   * the case's ledger with the key returned, or not recorded when there is none.
   */
  findKey?: (trusted: readonly Examiner[]) => Promise<ExaminerKey | null>;
  clock?: () => Date;
  onProgress?: (progress: OpenProgress) => void;
}

export interface OpenBundleResult {
  target: string;
  description: BundleDescription;
  bundleSha256: string;
  bundleSize: number;
  /** The `bundle.opened` event, or null when it could not be recorded (why in `notRecorded`). */
  event: LedgerEvent | null;
  notRecorded: string | null;
}

export async function openBundle(options: OpenBundleOptions): Promise<OpenBundleResult> {
  const bundle = path.resolve(options.bundle);
  const target = path.resolve(options.target);
  const info = await stat(bundle).catch((error: unknown) => {
    throw new SightlineError("not-found", `cannot read ${bundle}: ${describeIoError(error)}`);
  });
  if (!info.isFile()) throw refuse(`${bundle} is not a file`);
  if (info.size === 0) throw refuse("the file is empty, not a zip file");
  await assertFreeTarget(target);
  const wholeHash = hashFile(bundle);
  wholeHash.catch(() => undefined);
  const zip = await openZip(bundle, refuse);
  const staging = path.join(path.dirname(target), `.${path.basename(target)}.opening-${process.pid}-${Date.now()}`);
  try {
    const checked = checkEntries(await readEntries(zip, refuse), info.size);
    const description = parseDescription(await readSmall(zip, checked.files.get(BUNDLE_ENTRIES.description)));
    const sums = parseSums((await readSmall(zip, checked.files.get(BUNDLE_ENTRIES.sums))).toString("utf8"));
    if (!sums) throw refuse("SHA256SUMS is not a list of sha256sum lines");
    checkAgainstManifest(checked, description, sums);
    await mkdir(staging, { mode: 0o700 });
    const progress: OpenProgress = {
      phase: "extracting",
      bytesDone: 0,
      bytesTotal: description.files.reduce((n, f) => n + f.size, 0),
    };
    const expected = new Map(description.files.map((f) => [f.path, f.sha256]));
    for (const [name, entry] of checked.files) {
      if (name === BUNDLE_ENTRIES.sums || name === BUNDLE_ENTRIES.description) continue;
      const sha256 = await extract(zip, entry, staging, (n) => {
        progress.bytesDone += n;
        options.onProgress?.({ ...progress });
      });
      if (sha256 !== expected.get(name)) {
        throw refuse(`the entry ${shownEntry(name)} does not match its SHA-256 in the manifest (it was changed)`);
      }
    }
    const caseDir = path.join(staging, BUNDLE_ENTRIES.caseFolder);
    options.onProgress?.({ ...progress, phase: "verifying" });
    if (description.scope === "case") await verifyWholeCase(caseDir, description);
    else await checkSubset(caseDir, description);
    const { sha256: bundleSha256, size: bundleSize } = await wholeHash;
    await settle(caseDir);
    // The case folder becomes the target; the bundle's README, checker and sums stay behind with it.
    await rename(caseDir, target);
    await fsyncDir(path.dirname(target));
    const receipt =
      description.scope === "case"
        ? await recordReceipt(
            target,
            description,
            { name: path.basename(bundle), sha256: bundleSha256, size: bundleSize },
            options,
          )
        : { event: null, notRecorded: "a subset is not a case: it has no ledger to record the receipt in" };
    return { target, description, bundleSha256, bundleSize, ...receipt };
  } catch (error) {
    if (error instanceof SightlineError) throw error;
    // A file system's own failure (disk full, permission, the target taken meanwhile) is not the bundle's fault.
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
      throw new SightlineError(
        code === "ENOTEMPTY" || code === "EEXIST" ? "case-exists" : "io-error",
        `cannot open the bundle into ${target}: ${code === "ENOTEMPTY" ? "the folder was filled meanwhile" : describeIoError(error)}; nothing was kept`,
      );
    }
    throw refuse(describeZipError(error as Error));
  } finally {
    zip.close();
    await rm(staging, { recursive: true, force: true });
  }
}

/** The target must not exist, or be an empty folder; its parent must exist. */
async function assertFreeTarget(target: string): Promise<void> {
  const parent = await stat(path.dirname(target)).catch(() => null);
  if (!parent?.isDirectory())
    throw new SightlineError("not-found", `the folder ${path.dirname(target)} does not exist`);
  const existing = await lstat(target).catch(() => null);
  if (!existing) return;
  if (!existing.isDirectory() || (await readdir(target)).length > 0) {
    throw new SightlineError("case-exists", `${target} already exists and is not an empty folder; nothing was opened`);
  }
}

async function readSmall(zip: ZipFile, entry: ZipEntry | undefined): Promise<Buffer> {
  if (!entry) throw refuse("it has no bundle.json or no SHA256SUMS: it is not a Sightline bundle");
  return readSmallEntry(zip, entry, MAX_DESCRIPTION_BYTES, refuse);
}

function parseDescription(bytes: Buffer): BundleDescription {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw refuse("bundle.json is not JSON");
  }
  const parsed = BundleDescriptionSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw refuse(
      `bundle.json is not a bundle description of a version this build reads (${issue?.path.join(".")}: ${issue?.message})`,
    );
  }
  return parsed.data;
}

/** Writes one entry below the staging folder, hashing it on the way; returns its SHA-256. */
async function extract(zip: ZipFile, entry: ZipEntry, staging: string, onBytes: (n: number) => void): Promise<string> {
  const file = path.join(staging, ...entry.fileName.split("/"));
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const hash = createHash("sha256");
  const hashing = observing((chunk) => {
    hash.update(chunk);
    onBytes(chunk.length);
  });
  const handle = await open(
    file,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o600,
  );
  const output = createWriteStream("", { fd: handle, highWaterMark: 1 << 20 });
  try {
    await pipeline(await openEntry(zip, entry, refuse), hashing, output);
  } catch (error) {
    if (error instanceof SightlineError) throw error;
    const why = describeZipError(error as Error);
    throw refuse(why.startsWith("an entry") ? why.replace("an entry", `the entry ${shownEntry(entry.fileName)}`) : why);
  }
  return hash.digest("hex");
}

async function verifyWholeCase(caseDir: string, description: BundleDescription): Promise<void> {
  for (const folder of ["objects/sha256", "derived", "exports", "tmp"]) {
    await mkdir(path.join(caseDir, folder), { recursive: true, mode: 0o700 });
  }
  const report = await verifyCase(caseDir);
  if (!report.isClean) {
    const first = report.problems[0]!;
    const more = report.problems.length > 1 ? ` (and ${report.problems.length - 1} more)` : "";
    throw refuse(`the case in it does not verify: ${first.code}: ${first.message}${more}`);
  }
  if (report.caseId !== description.caseId) {
    throw refuse(`bundle.json names case ${description.caseId} but the ledger holds case ${report.caseId}`);
  }
  if (report.head?.seq !== description.head.seq || report.head.hash !== description.head.hash) {
    throw refuse(
      `bundle.json names head ${description.head.seq} ${description.head.hash} but the ledger ends at ${report.head?.seq} ${report.head?.hash}`,
    );
  }
}

/** Files as a case keeps them: evidence read-only, the rest the owner's alone; then all of it to disk. */
async function settle(caseDir: string): Promise<void> {
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(path.join(caseDir, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) {
        await walk(child);
        continue;
      }
      const isEvidence = /^(objects|derived|exports|timestamps)[\\/]/.test(child);
      await chmod(path.join(caseDir, child), isEvidence ? 0o400 : 0o600);
      const handle = await open(path.join(caseDir, child), "r");
      await handle.sync().finally(() => handle.close());
    }
    await fsyncDir(path.join(caseDir, relative));
  };
  await walk("");
}

async function recordReceipt(
  target: string,
  description: BundleDescription,
  file: { name: string; sha256: string; size: number },
  options: OpenBundleOptions,
): Promise<{ event: LedgerEvent | null; notRecorded: string | null }> {
  const trusted = await trustedExaminers(target);
  const key = options.findKey ? await options.findKey(trusted) : null;
  if (!key || !trusted.some((e) => e.keyId === key.keyId && e.publicKey === key.publicKey)) {
    return {
      event: null,
      notRecorded:
        'none of your examiner keys is one this case trusts, so the receipt could not be signed into its ledger (an examiner of the case can add your key with "sightline examiner add")',
    };
  }
  const caseFiles = description.files.filter((f) => f.path.startsWith(`${BUNDLE_ENTRIES.caseFolder}/`));
  const writer = await LedgerWriter.open(target, { key, ...(options.clock ? { clock: options.clock } : {}) });
  try {
    const [event] = await writer.append([
      {
        type: "bundle.opened",
        payload: {
          file: { ...file, name: plainName(file.name) },
          head: description.head,
          fileCount: caseFiles.length,
          payloadBytes: caseFiles.reduce((n, f) => n + f.size, 0),
          tool: { name: TOOL.name, version: TOOL.version },
        },
      },
    ]);
    return { event: event!, notRecorded: null };
  } finally {
    await writer.close();
  }
}

/** The bundle's file name as the ledger may hold it: control characters and slashes replaced, bounded. */
function plainName(name: string): string {
  const clean = name.replace(/[/\\\u0000-\u001f\u007f]/g, "_").slice(0, 255);
  return clean.length > 0 ? clean : "bundle.zip";
}

async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), size };
}
