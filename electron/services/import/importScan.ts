/**
 * Turns the paths an examiner names into the list of files to import.
 *
 * Folders are walked recursively in name order. Inside a folder, a symbolic
 * link is followed only when its target is inside the same folder (a link to a
 * file is imported through the link's path; a link to a folder is skipped, its
 * files come in through their own paths). A path named directly is followed
 * like `cp` does. Anything but a regular file (FIFO, socket, device) is refused
 * with a reason, without being opened: opening a FIFO would block.
 */
import type { Dirent, Stats } from "node:fs";
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { HashAlgorithm } from "../../../shared/ledger/events.js";
import { describeIoError } from "../sightlineError.js";

export interface ImportCandidate {
  /** The real path to open (symlinks resolved). */
  realPath: string;
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
    let real: string;
    try {
      real = await realpath(absolute);
      info = await stat(real);
    } catch (error) {
      result.refused.push({ displayPath: display, reason: describeIoError(error) });
      continue;
    }
    if (info.isDirectory()) {
      await walkFolder(real, real, display, new Set([real]), result);
    } else if (info.isFile()) {
      add(result, real, display, null, path.basename(absolute), info);
    } else {
      result.refused.push({ displayPath: display, reason: `not a regular file (${kindOf(info)})` });
    }
  }
  return result;
}

async function walkFolder(
  root: string,
  dir: string,
  displayDir: string,
  visited: Set<string>,
  result: ScanResult,
): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    result.refused.push({ displayPath: displayDir, reason: `cannot read folder: ${describeIoError(error)}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const display = path.join(displayDir, entry.name);
    const relative = path.relative(root, full).split(path.sep).join("/");
    let info: Stats;
    try {
      info = await lstat(full);
    } catch (error) {
      result.refused.push({ displayPath: display, reason: describeIoError(error) });
      continue;
    }
    if (info.isSymbolicLink()) {
      let target: string;
      let targetInfo: Stats;
      try {
        target = await realpath(full);
        targetInfo = await stat(target);
      } catch (error) {
        result.refused.push({ displayPath: display, reason: `broken symbolic link: ${describeIoError(error)}` });
        continue;
      }
      if (target !== root && !target.startsWith(root + path.sep)) {
        result.refused.push({
          displayPath: display,
          reason: "symbolic link to a place outside the imported folder; not followed",
        });
      } else if (targetInfo.isFile()) {
        add(result, target, display, relative, entry.name, targetInfo);
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
      if (visited.has(full)) continue;
      visited.add(full);
      await walkFolder(root, full, display, visited, result);
    } else if (info.isFile()) {
      add(result, full, display, relative, entry.name, info);
    } else {
      result.refused.push({ displayPath: display, reason: `not a regular file (${kindOf(info)})` });
    }
  }
}

function add(
  result: ScanResult,
  realPath: string,
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
