/**
 * Writing and reading a training sample package (`.sightline-sample`, shared/training/sampleFormat.ts,
 * docs/TRAINING.md): one zip of stored entries holding the manifest, the answer key and the files.
 *
 * The writer computes every hash and size itself and reads its own package back before keeping it.
 * The reader treats a package as hostile input (DESIGN rule 5): the zip's entries pass the same
 * rules as a bundle's (exchange/bundleEntries.ts: names, types, sizes, counts, zip bombs,
 * duplicates, links) before a byte is read, then every file and the key are checked against the
 * manifest's SHA-256 and size; anything wrong refuses the whole package in one line.
 */
import { createHash, randomBytes } from "node:crypto";
import { constants, createReadStream, createWriteStream } from "node:fs";
import { link, open, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  AnswerKeySchema,
  SAMPLE_ENTRIES,
  SAMPLE_FORMAT,
  SampleManifestSchema,
  sampleFileName,
  type AnswerKey,
  type SampleFile,
  type SampleFileRole,
  type SampleManifest,
  type SampleManifestDraft,
} from "../../../shared/training/sampleFormat.js";
import { SightlineError, describeIoError } from "../sightlineError.js";
import { checkEntries, shownEntry, type ZipEntryRules } from "../exchange/bundleEntries.js";
import { observing } from "../exchange/observingStream.js";
import { yazl } from "../exchange/zipLibraries.js";
import { sha256File } from "../vault/fileDigest.js";
import { openEntry, openZip, readEntries, readSmallEntry, type ZipFile } from "../exchange/zipReading.js";

/** A manifest or key larger than this is not one a trainer wrote. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_KEY_BYTES = 16 * 1024 * 1024;
const FILE_PREFIX = `${SAMPLE_ENTRIES.filesFolder}/`;

export function refuseSample(why: string): SightlineError {
  return new SightlineError("invalid-input", `this sample package cannot be used: ${why}`);
}

const SAMPLE_RULES: ZipEntryRules = {
  what: "sample package",
  maxEntries: 10_002,
  refuse: refuseSample,
  nameFault: (name) => {
    if (name === SAMPLE_ENTRIES.manifest || name === SAMPLE_ENTRIES.answerKey) return null;
    if (!name.startsWith(FILE_PREFIX)) return "is not a file a sample package holds";
    return sampleFileName.safeParse(name.slice(FILE_PREFIX.length)).success ? null : "is not a plain file name";
  },
  folderFault: (name) => (name === SAMPLE_ENTRIES.filesFolder ? null : "is not a folder a sample package holds"),
};

// --- Writing ---------------------------------------------------------------------------------------

export interface SampleFileSource {
  /** The file's name inside the package (and the trainee's case). */
  name: string;
  /** Where the file is now. */
  path: string;
  role: SampleFileRole;
  /** Where the trainee is told it came from. */
  source: string;
  /** A scene's acquisition date, YYYY-MM-DD (required for, and only for, `scene`). */
  acquiredOn?: string;
}

export interface WriteSampleOptions {
  /** The package to write; it must not exist yet. */
  out: string;
  manifest: SampleManifestDraft;
  answerKey: AnswerKey;
  files: SampleFileSource[];
}

export interface WrittenSample {
  path: string;
  sha256: string;
  size: number;
  manifest: SampleManifest;
  manifestSha256: string;
  answerKeySha256: string;
}

/** Writes a package: hashes every file, builds and checks the manifest, writes the zip, reads it back. */
export async function writeSamplePackage(options: WriteSampleOptions): Promise<WrittenSample> {
  const out = path.resolve(options.out);
  const key = AnswerKeySchema.safeParse(options.answerKey);
  if (!key.success) throw new SightlineError("invalid-input", `the answer key is not valid: ${firstIssue(key.error)}`);
  if (key.data.sampleId !== options.manifest.id) {
    throw new SightlineError(
      "invalid-input",
      `the answer key is for sample "${key.data.sampleId}", not "${options.manifest.id}"`,
    );
  }
  const keyBytes = Buffer.from(`${JSON.stringify(key.data, null, 1)}\n`);
  const files: SampleFile[] = [];
  for (const file of options.files) {
    const { sha256, size } = await hashSourceFile(file.path);
    files.push({
      name: file.name,
      sha256,
      size,
      role: file.role,
      source: file.source,
      ...(file.acquiredOn !== undefined ? { acquiredOn: file.acquiredOn } : {}),
    });
  }
  const manifest = SampleManifestSchema.safeParse({
    ...options.manifest,
    format: SAMPLE_FORMAT,
    files,
    answerKey: { sha256: sha256Of(keyBytes), size: keyBytes.length },
  });
  if (!manifest.success) {
    throw new SightlineError("invalid-input", `the sample is not valid: ${firstIssue(manifest.error)}`);
  }
  const invalid = (why: string) => new SightlineError("invalid-input", why);
  assertUniqueNames(manifest.data, invalid);
  checkManifestAgainstKey(manifest.data, key.data, invalid);
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest.data, null, 1)}\n`);

  // Random, not only pid and time: two packages for one name written at once must not share it.
  const partial = path.join(
    path.dirname(out),
    `.${path.basename(out)}.writing-${process.pid}-${randomBytes(6).toString("hex")}`,
  );
  try {
    await writeZip(partial, manifest.data, manifestBytes, keyBytes, options.files);
    // What was written is what a reader will see: a file changed while it was packed is caught here.
    const read = await readSamplePackage(partial);
    if (read.manifestSha256 !== sha256Of(manifestBytes)) throw refuseSample("the package read back differs");
    await assertAbsent(out);
    // link() refuses a name that exists, at the moment of naming: rename() would replace a package
    // another request named meanwhile (whose ledger event would then name bytes no longer there).
    // A file system without hard links (FAT, exFAT on a memory stick) gets rename() after the check.
    await link(partial, out).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code === "EEXIST") {
        throw new SightlineError("case-exists", `${out} already exists; choose another name for the package`);
      }
      if (error.code !== "EPERM" && error.code !== "ENOTSUP" && error.code !== "EOPNOTSUPP") throw error;
      await rename(partial, out);
    });
    return {
      path: out,
      sha256: read.sha256,
      size: read.size,
      manifest: manifest.data,
      manifestSha256: read.manifestSha256,
      answerKeySha256: manifest.data.answerKey.sha256,
    };
  } finally {
    await rm(partial, { force: true });
  }
}

async function writeZip(
  file: string,
  manifest: SampleManifest,
  manifestBytes: Buffer,
  keyBytes: Buffer,
  sources: readonly SampleFileSource[],
): Promise<void> {
  // A fixed time: the same inputs make the same package, byte for byte.
  const mtime = new Date(Date.parse(manifest.createdAt) || Date.UTC(2000, 0, 1));
  const entry = { compress: false, mtime, mode: 0o100444 };
  const zip = new yazl.ZipFile();
  zip.addBuffer(manifestBytes, SAMPLE_ENTRIES.manifest, entry);
  zip.addBuffer(keyBytes, SAMPLE_ENTRIES.answerKey, entry);
  manifest.files.forEach((listed, i) => {
    const source = sources[i]!;
    zip.addReadStreamLazy(`${FILE_PREFIX}${listed.name}`, { ...entry, size: listed.size }, (callback) =>
      callback(null, createReadStream(source.path)),
    );
  });
  zip.end();
  const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  const output = createWriteStream("", { fd: handle });
  try {
    await pipeline(zip.outputStream, output);
  } catch (error) {
    throw new SightlineError("io-error", `cannot write the sample package: ${describeIoError(error)}`);
  }
}

async function hashSourceFile(file: string): Promise<{ sha256: string; size: number }> {
  const info = await stat(file).catch((error: unknown) => {
    throw new SightlineError("not-found", `cannot read ${file}: ${describeIoError(error)}`);
  });
  if (!info.isFile()) throw new SightlineError("invalid-input", `${file} is not a file`);
  return sha256File(file);
}

async function assertAbsent(file: string): Promise<void> {
  if (
    await stat(file).then(
      () => true,
      () => false,
    )
  ) {
    throw new SightlineError("case-exists", `${file} already exists; choose another name for the package`);
  }
}

// --- Reading ---------------------------------------------------------------------------------------

export interface ReadSample {
  path: string;
  sha256: string;
  size: number;
  manifest: SampleManifest;
  manifestSha256: string;
  /** The key's bytes as packed (their SHA-256 is `manifest.answerKey.sha256`). */
  answerKeyBytes: Buffer;
}

export interface ReadSampleOptions {
  /** A folder to write the package's files into (each as `<folder>/<name>`, created new). */
  extractTo?: string;
}

/** Reads a package and checks every entry against its manifest; throws a one-line refusal otherwise. */
export async function readSamplePackage(file: string, options: ReadSampleOptions = {}): Promise<ReadSample> {
  const absolute = path.resolve(file);
  const info = await stat(absolute).catch((error: unknown) => {
    throw new SightlineError("not-found", `cannot read ${absolute}: ${describeIoError(error)}`);
  });
  if (!info.isFile()) throw refuseSample(`${absolute} is not a file`);
  if (info.size === 0) throw refuseSample("the file is empty, not a zip file");
  const whole = hashSourceFile(absolute);
  whole.catch(() => undefined);
  const zip = await openZip(absolute, refuseSample);
  try {
    const { files: entries } = checkEntries(await readEntries(zip, refuseSample), info.size, SAMPLE_RULES);
    const manifestEntry = entries.get(SAMPLE_ENTRIES.manifest);
    if (!manifestEntry) throw refuseSample(`it has no ${SAMPLE_ENTRIES.manifest}: it is not a Sightline sample`);
    const manifestBytes = await readSmallEntry(zip, manifestEntry, MAX_MANIFEST_BYTES, refuseSample);
    const manifest = parseManifest(manifestBytes);
    const keyEntry = entries.get(SAMPLE_ENTRIES.answerKey);
    if (!keyEntry) throw refuseSample(`it has no ${SAMPLE_ENTRIES.answerKey}`);
    if (keyEntry.uncompressedSize !== manifest.answerKey.size) {
      throw refuseSample(
        `the answer key is ${keyEntry.uncompressedSize} bytes but the manifest says ${manifest.answerKey.size} (it was swapped)`,
      );
    }
    const answerKeyBytes = await readSmallEntry(zip, keyEntry, MAX_KEY_BYTES, refuseSample);
    if (sha256Of(answerKeyBytes) !== manifest.answerKey.sha256) {
      throw refuseSample("the answer key does not match its SHA-256 in the manifest (it was swapped or changed)");
    }
    const listed = new Map(manifest.files.map((f) => [`${FILE_PREFIX}${f.name}`, f]));
    for (const name of entries.keys()) {
      if (name === SAMPLE_ENTRIES.manifest || name === SAMPLE_ENTRIES.answerKey) continue;
      if (!listed.has(name)) throw refuseSample(`the entry ${shownEntry(name)} is not in the manifest`);
    }
    for (const [name, listedFile] of listed) {
      const entry = entries.get(name);
      if (!entry) throw refuseSample(`the manifest lists ${shownEntry(name)}, which is not in the package`);
      if (entry.uncompressedSize !== listedFile.size) {
        throw refuseSample(
          `the entry ${shownEntry(name)} is ${entry.uncompressedSize} bytes but the manifest says ${listedFile.size}`,
        );
      }
      const target = options.extractTo ? path.join(options.extractTo, listedFile.name) : null;
      const sha256 = await hashEntry(zip, entry, target);
      if (sha256 !== listedFile.sha256) {
        throw refuseSample(`the entry ${shownEntry(name)} does not match its SHA-256 in the manifest (it was changed)`);
      }
    }
    const { sha256, size } = await whole;
    return { path: absolute, sha256, size, manifest, manifestSha256: sha256Of(manifestBytes), answerKeyBytes };
  } finally {
    zip.close();
  }
}

/** The answer key of a package, parsed: its bytes must be the ones the manifest names. */
export function parseAnswerKey(bytes: Buffer, manifest: SampleManifest): AnswerKey {
  if (sha256Of(bytes) !== manifest.answerKey.sha256) {
    throw refuseSample("the answer key does not match its SHA-256 in the manifest (it was swapped or changed)");
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw refuseSample("the answer key is not JSON");
  }
  const parsed = AnswerKeySchema.safeParse(json);
  if (!parsed.success) throw refuseSample(`the answer key is not one this build reads (${firstIssue(parsed.error)})`);
  checkManifestAgainstKey(manifest, parsed.data, refuseSample);
  return parsed.data;
}

function parseManifest(bytes: Buffer): SampleManifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw refuseSample(`${SAMPLE_ENTRIES.manifest} is not JSON`);
  }
  const parsed = SampleManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw refuseSample(
      `${SAMPLE_ENTRIES.manifest} is not a sample manifest this build reads (${firstIssue(parsed.error)})`,
    );
  }
  assertUniqueNames(parsed.data, refuseSample);
  return parsed.data;
}

/** Names that are one file on a case-insensitive or normalising file system count as the same. */
function assertUniqueNames(manifest: SampleManifest, refuse: (why: string) => SightlineError): void {
  const names = new Set<string>();
  for (const file of manifest.files) {
    const folded = file.name.normalize("NFC").toLowerCase();
    if (names.has(folded)) throw refuse(`the sample lists the file ${shownEntry(file.name)} twice`);
    names.add(folded);
  }
}

/** The key may speak only of the package's evidence files, and of the same sample. */
function checkManifestAgainstKey(
  manifest: SampleManifest,
  key: AnswerKey,
  refuse: (why: string) => SightlineError,
): void {
  if (key.sampleId !== manifest.id)
    throw refuse(`the answer key is for sample "${key.sampleId}", not "${manifest.id}"`);
  const evidence = new Set(manifest.files.filter((f) => f.role === "evidence").map((f) => f.sha256));
  for (const answer of [...key.locations, ...key.times, ...key.traps]) {
    if (!evidence.has(answer.sha256)) {
      throw refuse(
        `the answer key speaks of an item (${answer.sha256.slice(0, 12)}…) that is not among the sample's evidence files`,
      );
    }
  }
  const trapIds = key.traps.map((t) => t.id);
  if (new Set(trapIds).size !== trapIds.length) throw refuse("the answer key names a trap id twice");
}

/** Hashes one entry, writing it to `target` (created new, never through a link) when given. */
async function hashEntry(zip: ZipFile, entry: Parameters<typeof openEntry>[1], target: string | null): Promise<string> {
  const hash = createHash("sha256");
  const hashing = observing((chunk) => hash.update(chunk));
  const stream = await openEntry(zip, entry, refuseSample);
  try {
    if (target === null) {
      // Read to the end for the hash alone.
      await pipeline(stream, hashing, new Writable({ write: (_chunk, _encoding, done) => done() }));
    } else {
      const handle = await open(
        target,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        0o600,
      );
      await pipeline(stream, hashing, createWriteStream("", { fd: handle }));
    }
  } catch (error) {
    if (error instanceof SightlineError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
      throw new SightlineError("io-error", `cannot unpack ${shownEntry(entry.fileName)}: ${describeIoError(error)}`);
    }
    throw refuseSample(
      `the entry ${shownEntry(entry.fileName)} cannot be read (${(error as Error).message.split("\n")[0]})`,
    );
  }
  return hash.digest("hex");
}

export function sha256Of(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function firstIssue(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.map(String).join(".") || "value"}: ${issue.message}` : "invalid";
}
