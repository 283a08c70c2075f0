/**
 * The files verification reads besides the ledger: vault objects and derivatives, hashed on the
 * verification threads, never through a link; the names in the vault and under derived/; and
 * the intents an interrupted import left. Read-only, like all of verification.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import type { Notice } from "../../../shared/ledger/problems.js";
import { SightlineError } from "../sightlineError.js";
import { readCaseText } from "../vault/caseLayout.js";
import { INTENT_SUFFIX, STAGED_SUFFIX, UNFINISHED_INTENT } from "./crashRecovery.js";
import type { FileAlgorithm, FileCheckResult, VerifyPool } from "./verifyPool.js";

/** Intent files are a few KB; a larger one was not written by an import and is not read. */
const MAX_INTENT_BYTES = 16 * 1024 * 1024;

export type CaseFileResult = FileCheckResult | { kind: "not-regular"; what: "in a linked folder" };

/**
 * Hashes case files on the pool, except those below a folder the layout check found to be a
 * link or not a folder: they are never opened, since their bytes would come from outside the case.
 */
export async function checkInside(
  pool: VerifyPool,
  caseDir: string,
  unsafe: ReadonlySet<string>,
  requests: readonly { file: string; algorithms: FileAlgorithm[] }[],
  options: { signal?: AbortSignal; onBytes?: (n: number) => void },
): Promise<CaseFileResult[]> {
  const isReachable = (file: string) => {
    if (unsafe.size === 0) return true;
    const parts = file.split("/");
    for (let i = 1; i < parts.length; i++) if (unsafe.has(parts.slice(0, i).join("/"))) return false;
    return true;
  };
  const results: CaseFileResult[] = requests.map(() => ({ kind: "not-regular", what: "in a linked folder" }));
  const sent = requests.flatMap((r, i) => (isReachable(r.file) ? [i] : []));
  const hashed = await pool
    .checkFiles(
      sent.map((i) => ({ path: path.join(caseDir, requests[i]!.file), algorithms: requests[i]!.algorithms })),
      options,
    )
    .catch(rethrowCancelled(options.signal));
  sent.forEach((index, j) => (results[index] = hashed[j]!));
  return results;
}

export function notRegular(name: string, what: string): string {
  return what === "in a linked folder"
    ? `${name} lies in a folder that is a link or not a folder: it was not read or followed`
    : `${name} is a ${what}, not a regular file: it was not read or followed`;
}

export function rethrowCancelled(signal: AbortSignal | undefined) {
  return (error: unknown): never => {
    if (signal?.aborted) throw new SightlineError("cancelled", "verification was cancelled");
    throw error;
  };
}

/** Object paths listed by intent files an interrupted import left, plus notices for staged leftovers. */
export async function interruptedImports(caseDir: string, notices: Notice[], isUnsafe: boolean): Promise<Set<string>> {
  const listed = new Set<string>();
  if (isUnsafe) return listed;
  const stagingDir = path.join(caseDir, CASE_PATHS.staging);
  let names: string[] = [];
  try {
    names = await readdir(stagingDir);
  } catch {
    return listed;
  }
  for (const name of names) {
    if (name.endsWith(INTENT_SUFFIX)) {
      const text = await readCaseText(caseDir, `${CASE_PATHS.staging}/${name}`, MAX_INTENT_BYTES).then(
        (bytes) => bytes.toString("utf8"),
        () => "",
      );
      for (const line of text.split("\n")) if (line) listed.add(line);
    } else if (name.endsWith(STAGED_SUFFIX) || UNFINISHED_INTENT.test(name)) {
      notices.push({
        code: "import-interrupted",
        file: `${CASE_PATHS.staging}/${name}`,
        message: `an interrupted import left an unfinished file in ${CASE_PATHS.staging}/; it is not evidence and the next import removes it`,
      });
    }
  }
  return listed;
}

/** Case-relative paths of the entries below `folder`, by name; folders the layout check flagged are not entered. */
export async function listFiles(caseDir: string, folder: string, unsafe: ReadonlySet<string>): Promise<string[]> {
  const out: string[] = [];
  if (unsafe.has(folder) || unsafe.has(folder.split("/")[0]!)) return out;
  const walk = async (relative: string) => {
    let entries;
    try {
      entries = await readdir(path.join(caseDir, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory() && !unsafe.has(child)) await walk(child);
      else if (!entry.isDirectory() && !unsafe.has(child)) out.push(child);
    }
  };
  await walk(folder);
  return out;
}
