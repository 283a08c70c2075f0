/**
 * The shape a case folder must have before anything writes into it or reads through it
 * (DESIGN rule 5): its files regular files, its folders real folders, none of them a symbolic
 * link, so no path inside the case leads out of it. Checked with lstat, never following links.
 * The writer refuses a case that fails (`assertCaseLayout`); verification reports each fault.
 */
import { lstat, readdir } from "node:fs/promises";
import path from "node:path";
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import { SightlineError } from "../sightlineError.js";

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
];

const SHARD = /^[0-9a-f]{2}$/;
const DERIVED_FOLDER = /^[0-9a-f]{64}$/;

/** Every way the case folder differs from the shape Sightline writes. Reads names only. */
export async function caseLayoutFaults(caseDir: string): Promise<LayoutFault[]> {
  const faults: LayoutFault[] = [];
  for (const entry of ENTRIES) {
    const kind = await kindOf(path.join(caseDir, entry.file));
    if (kind === "absent") {
      if (entry.required) faults.push({ file: entry.file, reason: "is missing" });
    } else if (kind !== entry.expected) {
      faults.push({ file: entry.file, reason: `is ${describeKind(kind)}, not a ${entry.expected}` });
    }
  }
  // Shard and derivative folders: a link among them would lead every object or derivative in it out of the case.
  await checkFolderEntries(caseDir, CASE_PATHS.objects, SHARD, "a vault shard folder (two hex digits)", faults);
  await checkFolderEntries(caseDir, CASE_PATHS.derived, DERIVED_FOLDER, "an item's folder (its SHA-256)", faults);
  return faults;
}

/** Throws a one-line SightlineError when the case folder is not safe to write to. */
export async function assertCaseLayout(caseDir: string): Promise<void> {
  const faults = await caseLayoutFaults(caseDir);
  if (faults.length === 0) return;
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
): Promise<void> {
  if (faults.some((f) => f.file === folder || folder.startsWith(`${f.file}/`))) return; // already reported
  let entries;
  try {
    entries = await readdir(path.join(caseDir, folder), { withFileTypes: true });
  } catch {
    return; // absent: nothing in it to check
  }
  for (const entry of entries) {
    const file = `${folder}/${entry.name}`;
    if (entry.isSymbolicLink()) faults.push({ file, reason: "is a symbolic link" });
    else if (!entry.isDirectory())
      faults.push({ file, reason: `is ${describeDirent(entry)} where only folders belong` });
    else if (!name.test(entry.name)) faults.push({ file, reason: `is not ${what}` });
  }
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
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "absent";
    throw new SightlineError("io-error", `cannot examine ${full}: ${(error as Error).message.split("\n")[0]}`);
  }
}

function describeKind(kind: Kind): string {
  if (kind === "link") return "a symbolic link";
  if (kind === "special") return "a special file (FIFO, socket or device)";
  return `a ${kind}`;
}

function describeDirent(entry: { isFile(): boolean }): string {
  return entry.isFile() ? "a file" : "a special file (FIFO, socket or device)";
}
