/**
 * The entries of a bundle, read from its central directory and checked before a byte of any of
 * them is written anywhere. A bundle is hostile input (DESIGN rule 5): every rule here refuses
 * the whole bundle with one line naming the entry and what is wrong with it.
 */
import { BUNDLE_ENTRIES, caseFileNameFault, type BundleDescription } from "../../../shared/exchange/bundleFormat.js";
import { SightlineError } from "../sightlineError.js";
import type { yauzl } from "./zipLibraries.js";

type ZipEntry = InstanceType<typeof yauzl.Entry>;

/** More entries than this is not a case anyone sends (two million files). */
export const MAX_ENTRIES = 2_000_000;
/** A deflated entry that grows more than this many times is a zip bomb; media barely compresses. */
const MAX_RATIO = 100;
const TOP_LEVEL = new Set<string>([
  BUNDLE_ENTRIES.readme,
  BUNDLE_ENTRIES.checker,
  BUNDLE_ENTRIES.sums,
  BUNDLE_ENTRIES.description,
]);

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

export function refuse(why: string): SightlineError {
  return new SightlineError("invalid-input", `bundle refused: ${why}; nothing was opened`);
}

/** An entry's name for a one-line message: JSON-quoted (control and bidi characters escaped) and bounded. */
export function shownEntry(name: string): string {
  const cut = name.length > 160 ? `${name.slice(0, 160)}…` : name;
  return JSON.stringify(cut).replace(
    /[\u0080-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Why yauzl refused a name (it checks `..`, absolute paths and backslashes itself), in plain words. */
export function describeZipError(error: Error): string {
  const message = error.message;
  const named = (prefix: string) => shownEntry(message.slice(prefix.length));
  if (message.startsWith("absolute path: ")) return `the entry ${named("absolute path: ")} is an absolute path`;
  if (message.startsWith("invalid relative path: ")) {
    return `the entry ${named("invalid relative path: ")} climbs out of its folder with ".."`;
  }
  if (message.startsWith("invalid characters in fileName: ")) {
    return `the entry ${named("invalid characters in fileName: ")} has a backslash (a Windows path)`;
  }
  if (message.startsWith("too many bytes in the stream")) return "an entry holds more bytes than its header says";
  if (message.startsWith("too few bytes in the stream")) return "an entry holds fewer bytes than its header says";
  if (/central directory|end of central directory|signature/i.test(message)) {
    return `it is not a zip file, or it is cut short (${message.split("\n")[0]})`;
  }
  return `the zip file cannot be read (${message.split("\n")[0]})`;
}

export interface CheckedEntries {
  /** File entries by name, in the zip's order. */
  files: Map<string, ZipEntry>;
}

/**
 * What a kind of zip file may hold: a bundle (below), or a training sample package
 * (services/training/samplePackage.ts), which shares every other rule of `checkEntries`.
 */
export interface ZipEntryRules {
  /** "bundle", "sample package": how messages name the file. */
  what: string;
  maxEntries: number;
  refuse: (why: string) => SightlineError;
  /** Why a file entry's name is not one this kind of zip holds, or null. */
  nameFault: (name: string) => string | null;
  /** Why a folder entry's name (without its final `/`) is not one it holds, or null. */
  folderFault: (name: string) => string | null;
}

const BUNDLE_RULES: ZipEntryRules = {
  what: "bundle",
  maxEntries: MAX_ENTRIES,
  refuse,
  nameFault,
  folderFault,
};

/** Checks every entry's name, type, method and sizes against the rules above and the zip file's size. */
export function checkEntries(
  entries: readonly ZipEntry[],
  bundleSize: number,
  rules: ZipEntryRules = BUNDLE_RULES,
): CheckedEntries {
  const { refuse } = rules;
  if (entries.length > rules.maxEntries) {
    throw refuse(`it has ${entries.length} entries, more than a ${rules.what} holds`);
  }
  const files = new Map<string, ZipEntry>();
  const folded = new Map<string, string>();
  for (const entry of entries) {
    const name = entry.fileName;
    const shown = shownEntry(name);
    const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
    if (mode === S_IFLNK) throw refuse(`the entry ${shown} is a symbolic link`);
    const isFolder = name.endsWith("/");
    if (mode !== 0 && mode !== S_IFREG && mode !== S_IFDIR) {
      throw refuse(`the entry ${shown} is a device, FIFO or socket, not a file`);
    }
    if (mode === S_IFDIR && !isFolder) throw refuse(`the entry ${shown} is marked as a folder but named as a file`);
    if (/[\u0000-\u001f\u007f]/.test(name)) throw refuse(`the entry ${shown} has control characters in its name`);
    if ((entry.generalPurposeBitFlag & 0x1) !== 0) throw refuse(`the entry ${shown} is encrypted`);
    // Names that are the same file on a case-insensitive or normalising file system (macOS, Windows).
    const key = name.normalize("NFC").toLowerCase();
    const earlier = folded.get(key);
    if (earlier !== undefined) {
      throw refuse(
        earlier === name
          ? `the entry ${shown} appears twice`
          : `the entries ${shownEntry(earlier)} and ${shown} differ only in letter case or Unicode normalisation`,
      );
    }
    folded.set(key, name);
  }
  // Then each name and its sizes: a name collision above is the more precise reason.
  for (const entry of entries) {
    const name = entry.fileName;
    const shown = shownEntry(name);
    const isFolder = name.endsWith("/");
    if (isFolder) {
      const fault = rules.folderFault(name.slice(0, -1));
      if (fault) throw refuse(`the folder entry ${shown} ${fault}`);
      continue;
    }
    const fault = rules.nameFault(name);
    if (fault) throw refuse(`the entry ${shown} ${fault}`);
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      throw refuse(
        `the entry ${shown} uses compression method ${entry.compressionMethod}, which a ${rules.what} never uses`,
      );
    }
    if (entry.compressionMethod === 0 && entry.compressedSize !== entry.uncompressedSize) {
      throw refuse(
        `the stored entry ${shown} claims ${entry.uncompressedSize} bytes but spans ${entry.compressedSize}`,
      );
    }
    if (entry.relativeOffsetOfLocalHeader + entry.compressedSize > bundleSize) {
      throw refuse(`the entry ${shown} claims ${entry.compressedSize} bytes, more than the ${rules.what} file holds`);
    }
    if (
      entry.compressionMethod === 8 &&
      entry.uncompressedSize > 1024 * 1024 &&
      entry.uncompressedSize / Math.max(1, entry.compressedSize) > MAX_RATIO
    ) {
      throw refuse(
        `the entry ${shown} would grow from ${entry.compressedSize} to ${entry.uncompressedSize} bytes (a zip bomb)`,
      );
    }
    files.set(name, entry);
  }
  return { files };
}

function nameFault(name: string): string | null {
  if (TOP_LEVEL.has(name)) return null;
  const prefix = `${BUNDLE_ENTRIES.caseFolder}/`;
  if (!name.startsWith(prefix)) return "is not a file a bundle holds";
  return caseFileNameFault(name.slice(prefix.length));
}

function folderFault(name: string): string | null {
  if (name === BUNDLE_ENTRIES.caseFolder) return null;
  const prefix = `${BUNDLE_ENTRIES.caseFolder}/`;
  if (!name.startsWith(prefix)) return "is not a folder a bundle holds";
  // A folder is fine where a file below it could be.
  return caseFileNameFault(`${name.slice(prefix.length)}/x`);
}

/**
 * The manifest (bundle.json) and the sums (SHA256SUMS) must both list exactly the bundle's other
 * files, with the sizes their headers claim and the same digests.
 */
export function checkAgainstManifest(
  checked: CheckedEntries,
  description: BundleDescription,
  sums: ReadonlyMap<string, string>,
): void {
  const listed = new Map(description.files.map((f) => [f.path, f]));
  if (listed.size !== description.files.length) throw refuse("bundle.json lists a file twice");
  for (const [name, entry] of checked.files) {
    if (name === BUNDLE_ENTRIES.sums || name === BUNDLE_ENTRIES.description) continue;
    const file = listed.get(name);
    if (!file) throw refuse(`the entry ${shownEntry(name)} is not in the manifest (bundle.json)`);
    if (file.size !== entry.uncompressedSize) {
      throw refuse(
        `the entry ${shownEntry(name)} is ${entry.uncompressedSize} bytes but the manifest says ${file.size}`,
      );
    }
    if (sums.get(name) !== file.sha256) throw refuse(`SHA256SUMS and bundle.json disagree about ${shownEntry(name)}`);
  }
  for (const file of description.files) {
    if (!checked.files.has(file.path))
      throw refuse(`the manifest lists ${shownEntry(file.path)}, which is not in the bundle`);
  }
  if (sums.size !== description.files.length) throw refuse("SHA256SUMS lists files that bundle.json does not");
  for (const required of [BUNDLE_ENTRIES.sums, BUNDLE_ENTRIES.description]) {
    if (!checked.files.has(required)) throw refuse(`it has no ${required}`);
  }
}
