/**
 * The shape a case folder must have before anything writes into it or reads through it
 * (DESIGN rule 5): its files regular files, its folders real folders, none of them a symbolic
 * link, so no path inside the case leads out of it. Checked with lstat, never following links.
 * The writer refuses a case that fails (`assertCaseLayout`); verification reports each fault.
 */
import { constants } from "node:fs";
import { lstat, open, readdir, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import { SightlineError, describeIoError } from "../sightlineError.js";

export interface LayoutFault {
  /** Case-relative path, `/`-separated. */
  file: string;
  reason: string;
}

type Expected = "file" | "folder";

/** The fixed entries of a case; `required` ones must exist, the others may be absent until first used. */
const ENTRIES: readonly { file: string; expected: Expected; required: boolean }[] = [
  { file: CASE_PATHS.caseFile, expected: "file", required: true },
  { file: CASE_PATHS.ledger, expected: "file", required: true },
  { file: `${CASE_PATHS.ledger}.lock`, expected: "folder", required: false },
  { file: "objects", expected: "folder", required: false },
  { file: CASE_PATHS.objects, expected: "folder", required: false },
  { file: CASE_PATHS.derived, expected: "folder", required: false },
  { file: CASE_PATHS.exports, expected: "folder", required: false },
  { file: CASE_PATHS.staging, expected: "folder", required: false },
  { file: CASE_PATHS.recovered, expected: "folder", required: false },
  { file: CASE_PATHS.timestamps, expected: "folder", required: false },
];

const SHARD = /^[0-9a-f]{2}$/;
const DERIVED_FOLDER = /^[0-9a-f]{64}$/;
/** An entry where a vault object belongs. */
const OBJECT_ENTRY = /^objects\/sha256\/[0-9a-f]{2}\/[0-9a-f]{62}$/;

/** Every way the case folder differs from the shape Sightline writes. Reads names only. */
export async function caseLayoutFaults(caseDir: string): Promise<LayoutFault[]> {
  const faults: LayoutFault[] = [];
  for (const entry of ENTRIES) {
    // Below a folder already found wrong nothing is looked at: through a link, it is outside the case.
    if (faults.some((f) => entry.file.startsWith(`${f.file}/`))) continue;
    const kind = await kindOf(path.join(caseDir, entry.file));
    if (kind === "absent") {
      if (entry.required) faults.push({ file: entry.file, reason: "is missing" });
    } else if (kind !== entry.expected) {
      faults.push({ file: entry.file, reason: `is ${describeKind(kind)}, not a ${entry.expected}` });
    }
  }
  // Shard and derivative folders: a link among them would lead every object or derivative in it out of the case.
  const shards = await checkFolderEntries(
    caseDir,
    CASE_PATHS.objects,
    SHARD,
    "a vault shard folder (two hex digits)",
    faults,
  );
  // Objects themselves: a link in a shard would pass off its target as an original.
  for (const shard of shards) {
    const entries = await readdir(path.join(caseDir, shard), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.isFile()) continue;
      const file = `${shard}/${entry.name}`;
      faults.push({
        file,
        reason: entry.isSymbolicLink() ? "is a symbolic link" : `is ${describeDirent(entry)} where only files belong`,
      });
    }
  }
  await checkFolderEntries(caseDir, CASE_PATHS.derived, DERIVED_FOLDER, "an item's folder (its SHA-256)", faults);
  return faults;
}

/** Throws a one-line SightlineError when the case folder is not safe to write to. */
export async function assertCaseLayout(
  caseDir: string,
  { allowDamagedObjects = false }: { allowDamagedObjects?: boolean } = {},
): Promise<void> {
  // A restore sets a damaged object aside without following it: only there is one tolerated.
  const faults = (await caseLayoutFaults(caseDir)).filter((f) => !(allowDamagedObjects && OBJECT_ENTRY.test(f.file)));
  if (faults.length === 0) return;
  const missing = faults.find((f) => f.reason === "is missing");
  if (missing) throw new SightlineError("not-a-case", `${caseDir} is not a Sightline case (it has no ${missing.file})`);
  const first = faults[0]!;
  const more = faults.length > 1 ? ` (and ${faults.length - 1} more)` : "";
  throw new SightlineError(
    "tampered",
    `${first.file} ${first.reason}${more}: this case folder is not as Sightline wrote it, so nothing was written; run "sightline verify" to see every difference`,
  );
}

async function checkFolderEntries(
  caseDir: string,
  folder: string,
  name: RegExp,
  what: string,
  faults: LayoutFault[],
): Promise<string[]> {
  const sound: string[] = [];
  if (faults.some((f) => f.file === folder || folder.startsWith(`${f.file}/`))) return sound; // already reported
  let entries;
  try {
    entries = await readdir(path.join(caseDir, folder), { withFileTypes: true });
  } catch {
    return sound; // absent: nothing in it to check
  }
  for (const entry of entries) {
    const file = `${folder}/${entry.name}`;
    if (entry.isSymbolicLink()) faults.push({ file, reason: "is a symbolic link" });
    else if (!entry.isDirectory())
      faults.push({ file, reason: `is ${describeDirent(entry)} where only folders belong` });
    else if (!name.test(entry.name)) faults.push({ file, reason: `is not ${what}` });
    else sound.push(file);
  }
  return sound;
}

type Kind = Expected | "absent" | "link" | "special";

async function kindOf(full: string): Promise<Kind> {
  try {
    const info = await lstat(full);
    if (info.isSymbolicLink()) return "link";
    if (info.isFile()) return "file";
    if (info.isDirectory()) return "folder";
    return "special";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return "absent";
    throw new SightlineError("io-error", `cannot examine ${full}: ${(error as Error).message.split("\n")[0]}`);
  }
}

function describeKind(kind: Kind): string {
  if (kind === "link") return "a symbolic link";
  if (kind === "special") return "a special file (FIFO, socket or device)";
  return `a ${kind}`;
}

function describeDirent(entry: { isFile(): boolean; isDirectory(): boolean }): string {
  if (entry.isDirectory()) return "a folder";
  return entry.isFile() ? "a file" : "a special file (FIFO, socket or device)";
}

/**
 * Opening flags for a case's own files: never through a link (O_NOFOLLOW), and never waiting
 * on a FIFO planted in its place (O_NONBLOCK; the regular-file check then refuses it).
 */
export const CASE_OPEN_FLAGS = (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Opens one of the case's own files (case.json, the ledger) with `CASE_OPEN_FLAGS` and checks
 * it is a regular file; throws a one-line SightlineError otherwise.
 */
export async function openCaseOwnFile(caseDir: string, relative: string, access: number): Promise<FileHandle> {
  const full = path.join(caseDir, relative);
  let handle: FileHandle;
  try {
    handle = await open(full, access | CASE_OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new SightlineError("not-a-case", `${caseDir} is not a Sightline case (it has no ${relative})`);
    }
    if (code === "ELOOP") {
      throw new SightlineError("tampered", `${relative} is a symbolic link; it is not followed (case ${caseDir})`);
    }
    throw new SightlineError("io-error", `cannot open ${full}: ${describeIoError(error)}`);
  }
  const info = await handle.stat().catch(() => null);
  if (!info?.isFile()) {
    await handle.close();
    throw new SightlineError("tampered", `${relative} is not a regular file; it is not read (case ${caseDir})`);
  }
  return handle;
}

/** The bytes of one of the case's own files, read as `openCaseOwnFile` opens it; at most `maxBytes`. */
export async function readCaseText(
  caseDir: string,
  relative: string,
  maxBytes = Number.MAX_SAFE_INTEGER,
): Promise<Buffer> {
  const handle = await openCaseOwnFile(caseDir, relative, constants.O_RDONLY);
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) {
      throw new SightlineError("tampered", `${relative} of ${caseDir} is ${size} bytes, more than such a file can be`);
    }
    return await handle.readFile();
  } catch (error) {
    if (error instanceof SightlineError) throw error;
    throw new SightlineError("io-error", `cannot read ${relative} of ${caseDir}: ${describeIoError(error)}`);
  } finally {
    await handle.close();
  }
}
