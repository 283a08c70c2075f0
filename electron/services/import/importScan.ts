/**
 * Turns the paths an examiner names into the files to import, found one at a time while the
 * import stores the ones before (a hundred thousand files are not listed before the first is read).
 *
 * Folders are walked depth first in name order. Inside a folder, a symbolic
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
  /** What lstat/stat said when scanned (or when the window checked it); checked again at open. */
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
  /**
   * What the stagers say when the file's size or time is no longer what was seen: the moment the
   * examiner would recognise ("it has changed on disk since it was dropped").
   */
  changedSince: string;
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

/** One thing the walk found: a file to import, or something refused with its reason. */
export type ScanEntry = { file: ImportCandidate } | { refused: ScanRefusal };

/** Every file and refusal at once (a restore's single file; small lists). Imports stream `walkImportPaths`. */
export async function scanImportPaths(paths: readonly string[]): Promise<ScanResult> {
  const result: ScanResult = { files: [], refused: [], totalBytes: 0 };
  for await (const entry of walkImportPaths(paths)) {
    if ("file" in entry) {
      result.files.push(entry.file);
      result.totalBytes += entry.file.size;
    } else {
      result.refused.push(entry.refused);
    }
  }
  return result;
}

/** A file the host checked to be the one dropped in its own window (host/windowFiles.ts), as lstat saw it. */
export interface CheckedFile {
  path: string;
  /**
   * A dropped folder's file: its name under that folder, the folder's own name first and
   * `/`-separated, recorded as an upload of the same drop records it; null for a loose file.
   */
  relativePath: string | null;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

/**
 * Files dropped in the host's own window, listed by the paths the host checked (a dropped folder's
 * files with their names under it, as its upload would record them). Each path is looked
 * at without following a link and taken only while it is still the file checked (same device and
 * inode, size and time): one swapped since for a link, a folder or another file is refused, never
 * followed or walked. The stagers check all four again when they open it.
 */
export async function scanCheckedFiles(checked: readonly CheckedFile[]): Promise<ScanResult> {
  const result: ScanResult = { files: [], refused: [], totalBytes: 0 };
  for (const file of checked) {
    let info: Stats;
    try {
      info = await lstat(file.path);
    } catch (error) {
      result.refused.push({ displayPath: file.path, reason: describeIoError(error) });
      continue;
    }
    const reason = info.isSymbolicLink()
      ? "it was replaced by a symbolic link after it was dropped"
      : !info.isFile()
        ? `it was replaced by ${kindOf(info)} after it was dropped`
        : info.dev !== file.dev || info.ino !== file.ino
          ? "it was replaced by another file after it was dropped"
          : info.size !== file.size || info.mtimeMs !== file.mtimeMs
            ? CHANGED_SINCE_DROPPED
            : null;
    if (reason) {
      result.refused.push({ displayPath: file.path, reason });
    } else {
      const found = candidate(file.path, file.path, file.relativePath, path.basename(file.path), info);
      result.files.push({ ...found, changedSince: CHANGED_SINCE_DROPPED });
      result.totalBytes += info.size;
    }
  }
  return result;
}

/** A folder being walked: its names in order and how far the walk has got through them. */
interface Frame {
  dir: FsPath;
  displayDir: string;
  relativeDir: string;
  entries: { name: FsPath; text: string }[];
  next: number;
  /** The looks (lstat) asked for the entries from `next` on, at most LOOK_AHEAD of them. */
  looks: Promise<Stats | Error>[];
}

/**
 * Entries of a folder looked at (lstat) at once, ahead of the one the walk is at: one at a time,
 * each waited on its own trip through the thread pool, and the walk of 1,000 files cost 151 ms of
 * CPU at load 12; eight at a time, 57 ms (docs/PERFORMANCE.md).
 */
const LOOK_AHEAD = 8;

/**
 * The files under the named paths, one at a time, as they are found: depth first, in name order.
 * Memory follows the depth of the tree and the width of one folder's listing, never the number of
 * files: a consumer that stops pulling stops the walk. The walk keeps its own stack (no recursion),
 * so a tree nested thousands deep is walked until its paths are too long for the system, and that
 * folder is refused with the system's reason.
 */
export async function* walkImportPaths(paths: readonly string[]): AsyncGenerator<ScanEntry> {
  for (const given of paths) {
    const display = given;
    const absolute = path.resolve(given);
    let info: Stats;
    let real: FsPath;
    try {
      real = await realPathOf(absolute);
      info = await stat(real);
    } catch (error) {
      yield { refused: { displayPath: display, reason: describeIoError(error) } };
      continue;
    }
    if (info.isDirectory()) {
      yield* walkFolder(real, display);
    } else if (info.isFile()) {
      yield { file: candidate(real, display, null, path.basename(absolute), info) };
    } else {
      yield { refused: { displayPath: display, reason: `not a regular file (${kindOf(info)})` } };
    }
  }
}

async function* walkFolder(root: FsPath, displayRoot: string): AsyncGenerator<ScanEntry> {
  const visited = new Set([visitKey(root)]);
  const stack: Frame[] = [];
  const open = async function* (dir: FsPath, displayDir: string, relativeDir: string): AsyncGenerator<ScanEntry> {
    try {
      stack.push({ dir, displayDir, relativeDir, entries: await listFolder(dir), next: 0, looks: [] });
    } catch (error) {
      yield { refused: { displayPath: displayDir, reason: `cannot read folder: ${describeIoError(error)}` } };
    }
  };
  yield* open(root, displayRoot, "");
  while (stack.length > 0) {
    const frame = stack.at(-1)!;
    const entry = frame.entries[frame.next];
    if (!entry) {
      stack.pop();
      continue;
    }
    for (let i = frame.next + frame.looks.length; i < frame.entries.length && frame.looks.length < LOOK_AHEAD; i++) {
      frame.looks.push(lstat(joinName(frame.dir, frame.entries[i]!.name)).catch((error: Error) => error));
    }
    frame.next++;
    const full = joinName(frame.dir, entry.name);
    const display = path.join(frame.displayDir, entry.text);
    const relative = frame.relativeDir === "" ? entry.text : `${frame.relativeDir}/${entry.text}`;
    let info = await frame.looks.shift()!;
    // A folder's look may be older than the walk of the folders before it (minutes, paced by the
    // import): it is looked at again as it is entered, so one swapped for a link meanwhile is
    // taken as the link it now is (and not followed out of the imported folder).
    if (!(info instanceof Error) && info.isDirectory()) info = await lstat(full).catch((error: Error) => error);
    if (info instanceof Error) {
      yield { refused: { displayPath: display, reason: describeIoError(info) } };
      continue;
    }
    if (info.isSymbolicLink()) {
      yield await linkEntry(root, full, display, relative, entry.text);
    } else if (info.isDirectory()) {
      const key = visitKey(full);
      if (visited.has(key)) continue;
      visited.add(key);
      yield* open(full, display, relative);
    } else if (info.isFile()) {
      yield { file: candidate(full, display, relative, entry.text, info) };
    } else {
      yield { refused: { displayPath: display, reason: `not a regular file (${kindOf(info)})` } };
    }
  }
}

/** A link inside an imported folder: its file when the target is a file inside that folder, else why not. */
async function linkEntry(
  root: FsPath,
  full: FsPath,
  display: string,
  relative: string,
  name: string,
): Promise<ScanEntry> {
  let target: FsPath;
  let targetInfo: Stats;
  try {
    target = await realPathOf(full);
    targetInfo = await stat(target);
  } catch (error) {
    return { refused: { displayPath: display, reason: `broken symbolic link: ${describeIoError(error)}` } };
  }
  if (!isWithin(target, root)) {
    return {
      refused: { displayPath: display, reason: "symbolic link to a place outside the imported folder; not followed" },
    };
  }
  if (targetInfo.isFile()) return { file: candidate(target, display, relative, name, targetInfo) };
  if (targetInfo.isDirectory()) {
    return {
      refused: {
        displayPath: display,
        reason: "symbolic link to a folder inside the imported folder; its files are imported through their own paths",
      },
    };
  }
  return {
    refused: {
      displayPath: display,
      reason: `symbolic link to something that is not a regular file (${kindOf(targetInfo)})`,
    },
  };
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

function candidate(
  realPath: FsPath,
  displayPath: string,
  relativePath: string | null,
  originalName: string,
  info: Stats,
): ImportCandidate {
  const { size, mtimeMs, dev, ino } = info;
  const changedSince = relativePath === null ? CHANGED_SINCE_CHOSEN : CHANGED_SINCE_READ;
  return { realPath, displayPath, relativePath, originalName, size, mtimeMs, dev, ino, changedSince };
}

/** The stagers' reasons for a file whose size or time changed after it was seen (`changedSince`). */
export const CHANGED_SINCE_DROPPED = "it has changed on disk since it was dropped";
export const CHANGED_SINCE_READ = "it has changed on disk since the folder was read";
export const CHANGED_SINCE_CHOSEN = "it has changed on disk since it was chosen";

function kindOf(info: Stats): string {
  if (info.isFIFO()) return "a FIFO";
  if (info.isSocket()) return "a socket";
  if (info.isCharacterDevice()) return "a character device";
  if (info.isBlockDevice()) return "a block device";
  if (info.isDirectory()) return "a folder";
  return "unknown type";
}
