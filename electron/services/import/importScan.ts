/**
 * Turns the paths an examiner names into the list of files to import.
 *
 * Folders are walked recursively in name order. Inside a folder, a symbolic
 * link is followed only when its target is inside the same folder (a link to a
 * file is imported through the link's path; a link to a folder is skipped, its
 * files come in through their own paths). A path named directly is followed
 * like `cp` does. Anything but a regular file (FIFO, socket, device) is refused
 * with a reason, without being opened: opening a FIFO would block.
 *
 * On Linux a file name is bytes, not text. Names are listed as strings (the fast, common case);
 * a folder with a name that is not valid UTF-8 is listed again as bytes, and from there on the
 * path is carried as a Buffer, so the file is opened by its true bytes. What is shown and
 * recorded (names, display and relative paths) is text, with the invalid bytes as U+FFFD.
 */
import { isUtf8 } from "node:buffer";
import type { Stats } from "node:fs";
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { HashAlgorithm } from "../../../shared/ledger/events.js";
import { describeIoError } from "../sightlineError.js";

export interface ImportCandidate {
  /**
   * The real path to open (symlinks resolved). A Buffer when the path is not valid UTF-8: its
   * true bytes, never shown or recorded (displayPath, relativePath and originalName are the text).
   */
  realPath: FsPath;
  /** The path as the examiner would recognise it. */
  displayPath: string;
  /** Path under the imported folder, `/`-separated; null when the file was named directly. */
  relativePath: string | null;
  originalName: string;
  size: number;
  /** What lstat/stat said when scanned; checked again at open. */
  dev: number;
  ino: number;
  /**
   * For bytes sent by the workbench page and held in the case's staging folder: what the page
   * said of the file. The ledger records this instead of the staging file's path and times.
   */
  uploaded?: {
    name: string;
    modified: string;
    /**
     * The host hashed the bytes as they arrived and wrote them read-only to staging: the
     * import takes this copy as it is (a rename at commit) instead of reading and writing it again.
     */
    staged?: { digests: Partial<Record<HashAlgorithm, string>> & { sha256: string } };
  };
}

/** A path as the file system takes it: text, or the bytes when they are not valid UTF-8. */
export type FsPath = string | Buffer;

export interface ScanRefusal {
  displayPath: string;
  reason: string;
}

export interface ScanResult {
  files: ImportCandidate[];
  refused: ScanRefusal[];
  totalBytes: number;
}

export async function scanImportPaths(paths: readonly string[]): Promise<ScanResult> {
  const result: ScanResult = { files: [], refused: [], totalBytes: 0 };
  for (const given of paths) {
    const display = given;
    const absolute = path.resolve(given);
    let info: Stats;
    let real: FsPath;
    try {
      real = await realPathOf(absolute);
      info = await stat(real);
    } catch (error) {
      result.refused.push({ displayPath: display, reason: describeIoError(error) });
      continue;
    }
    if (info.isDirectory()) {
      await walkFolder(real, real, display, "", new Set([visitKey(real)]), result);
    } else if (info.isFile()) {
      add(result, real, display, null, path.basename(absolute), info);
    } else {
      result.refused.push({ displayPath: display, reason: `not a regular file (${kindOf(info)})` });
    }
  }
  return result;
}

async function walkFolder(
  root: FsPath,
  dir: FsPath,
  displayDir: string,
  relativeDir: string,
  visited: Set<string>,
  result: ScanResult,
): Promise<void> {
  let entries: { name: FsPath; text: string }[];
  try {
    entries = await listFolder(dir);
  } catch (error) {
    result.refused.push({ displayPath: displayDir, reason: `cannot read folder: ${describeIoError(error)}` });
    return;
  }
  for (const entry of entries) {
    const full = joinName(dir, entry.name);
    const display = path.join(displayDir, entry.text);
    const relative = relativeDir === "" ? entry.text : `${relativeDir}/${entry.text}`;
    let info: Stats;
    try {
      info = await lstat(full);
    } catch (error) {
      result.refused.push({ displayPath: display, reason: describeIoError(error) });
      continue;
    }
    if (info.isSymbolicLink()) {
      let target: FsPath;
      let targetInfo: Stats;
      try {
        target = await realPathOf(full);
        targetInfo = await stat(target);
      } catch (error) {
        result.refused.push({ displayPath: display, reason: `broken symbolic link: ${describeIoError(error)}` });
        continue;
      }
      if (!isWithin(target, root)) {
        result.refused.push({
          displayPath: display,
          reason: "symbolic link to a place outside the imported folder; not followed",
        });
      } else if (targetInfo.isFile()) {
        add(result, target, display, relative, entry.text, targetInfo);
      } else if (targetInfo.isDirectory()) {
        result.refused.push({
          displayPath: display,
          reason:
            "symbolic link to a folder inside the imported folder; its files are imported through their own paths",
        });
      } else {
        result.refused.push({
          displayPath: display,
          reason: `symbolic link to something that is not a regular file (${kindOf(targetInfo)})`,
        });
      }
    } else if (info.isDirectory()) {
      const key = visitKey(full);
      if (visited.has(key)) continue;
      visited.add(key);
      await walkFolder(root, full, display, relative, visited, result);
    } else if (info.isFile()) {
      add(result, full, display, relative, entry.text, info);
    } else {
      result.refused.push({ displayPath: display, reason: `not a regular file (${kindOf(info)})` });
    }
  }
}

/**
 * The folder's names in name order. Listed as strings; only when one holds U+FFFD (which is how
 * Node decodes bytes that are not UTF-8) is the folder listed again as bytes, and a name that is
 * not valid UTF-8 kept as its Buffer, with `text` its decoding (invalid bytes as U+FFFD).
 */
async function listFolder(dir: FsPath): Promise<{ name: FsPath; text: string }[]> {
  const names = await readdir(dir);
  if (!names.some((name) => name.includes("\uFFFD"))) {
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return names.map((name) => ({ name, text: name }));
  }
  const raw = await readdir(dir, { encoding: "buffer" });
  const entries = raw.map((bytes) => {
    const text = bytes.toString("utf8");
    return { name: isUtf8(bytes) ? text : bytes, text };
  });
  // Two names that are not UTF-8 can decode to the same text: their bytes decide, so the order stays stable.
  return entries.sort((a, b) =>
    a.text < b.text ? -1 : a.text > b.text ? 1 : Buffer.compare(asBytes(a.name), asBytes(b.name)),
  );
}

/** The real path, as text when it is valid UTF-8 and as its bytes when not. */
async function realPathOf(file: FsPath): Promise<FsPath> {
  if (typeof file === "string") {
    const real = await realpath(file);
    // Node decodes bytes that are not UTF-8 as U+FFFD: ask again for the bytes.
    if (!real.includes("\uFFFD")) return real;
  }
  const bytes = await realpath(file, { encoding: "buffer" });
  return isUtf8(bytes) ? bytes.toString("utf8") : bytes;
}

function joinName(dir: FsPath, name: FsPath): FsPath {
  if (typeof dir === "string" && typeof name === "string") return path.join(dir, name);
  const parent = asBytes(dir);
  const separator = parent.at(-1) === SEPARATOR_BYTE ? [] : [SEPARATOR];
  return Buffer.concat([parent, ...separator, asBytes(name)]);
}

/** Whether `target` is `root` or inside it, compared as bytes when either is not text. */
function isWithin(target: FsPath, root: FsPath): boolean {
  if (typeof target === "string" && typeof root === "string") {
    return target === root || target.startsWith(root + path.sep);
  }
  const t = asBytes(target);
  const r = asBytes(root);
  if (t.equals(r)) return true;
  return t.length > r.length + 1 && t[r.length] === SEPARATOR_BYTE && t.subarray(0, r.length).equals(r);
}

function asBytes(file: FsPath): Buffer {
  return typeof file === "string" ? Buffer.from(file, "utf8") : file;
}

/** A key for the set of folders walked; a Buffer path (never valid UTF-8) cannot collide with a string one. */
function visitKey(file: FsPath): string {
  return typeof file === "string" ? file : `\0${file.toString("latin1")}`;
}

const SEPARATOR = Buffer.from(path.sep);
const SEPARATOR_BYTE = SEPARATOR[0]!;

function add(
  result: ScanResult,
  realPath: FsPath,
  displayPath: string,
  relativePath: string | null,
  originalName: string,
  info: Stats,
): void {
  result.files.push({
    realPath,
    displayPath,
    relativePath,
    originalName,
    size: info.size,
    dev: info.dev,
    ino: info.ino,
  });
  result.totalBytes += info.size;
}

function kindOf(info: Stats): string {
  if (info.isFIFO()) return "a FIFO";
  if (info.isSocket()) return "a socket";
  if (info.isCharacterDevice()) return "a character device";
  if (info.isBlockDevice()) return "a block device";
  if (info.isDirectory()) return "a folder";
  return "unknown type";
}
