/**
 * Case folders: creating one, reading its `case.json`, and replaying its ledger
 * into state. Writing events goes through `LedgerWriter` only.
 */
import { randomUUID } from "node:crypto";
import { chmod, mkdir, readdir, realpath } from "node:fs/promises";
import path from "node:path";
import { CASE_FORMAT_VERSION, CASE_PATHS, CaseFileSchema, type CaseFile } from "../../../shared/case/caseFile.js";
import { applyEvent, emptyCaseState, type CaseState } from "../../../shared/ledger/caseState.js";
import type { HashAlgorithm, LedgerEvent } from "../../../shared/ledger/events.js";
import { readCaseText } from "./caseLayout.js";
import { forEachLedgerEvent } from "./ledgerLines.js";
import { writeFileDurably, fsyncDir } from "./durableFs.js";
import type { ExaminerKey } from "../examiners/keyStore.js";
import { writeGenesis } from "../ledger/ledgerWriter.js";
import { SightlineError, describeIoError } from "../sightlineError.js";

export { forEachLedgerEvent, parseLedgerLines } from "./ledgerLines.js";

export interface CreateCaseOptions {
  dir: string;
  title: string;
  key: ExaminerKey;
  hashAlgorithms: HashAlgorithm[];
  clock?: () => Date;
}

/**
 * Kernel and device file systems: Node's recursive mkdir under /proc never returns (it spins at
 * full CPU), and nothing under them is a place for evidence.
 */
const SYSTEM_TREES = ["/proc", "/sys", "/dev"];
/** Making a case is a few hundred small writes; a file system that takes longer is not usable. */
const CREATE_TIMEOUT_MS = 30_000;

/**
 * Makes a new case folder (which must not exist, or be empty) with its genesis event. The
 * folder is the owner's alone (0700): other local users cannot read evidence or ledgers.
 */
export async function createCase(options: CreateCaseOptions): Promise<CaseFile> {
  const dir = path.resolve(options.dir);
  // Through links too: /tmp/x -> /proc/self must be refused like /proc/self itself.
  const real = await realLocation(dir);
  const system = SYSTEM_TREES.find((root) => [dir, real].some((d) => d === root || d.startsWith(`${root}/`)));
  if (system) {
    throw new SightlineError(
      "invalid-input",
      `cannot create a case under ${system}: it is a system file system, not storage`,
    );
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new SightlineError(
            "io-error",
            `creating a case in ${dir} took over ${CREATE_TIMEOUT_MS / 1000} s; the file system is not responding`,
          ),
        ),
      CREATE_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([makeCase(dir, options), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Where `dir` would be on disk: the real path of its nearest existing ancestor, plus the rest. */
async function realLocation(dir: string): Promise<string> {
  const rest: string[] = [];
  for (let probe = dir; ;) {
    try {
      return path.join(await realpath(probe), ...rest.reverse());
    } catch {
      const parent = path.dirname(probe);
      if (parent === probe) return dir;
      rest.push(path.basename(probe));
      probe = parent;
    }
  }
}

async function makeCase(dir: string, options: CreateCaseOptions): Promise<CaseFile> {
  const clock = options.clock ?? (() => new Date());
  try {
    const entries = await readdir(dir);
    if (entries.length > 0) throw new SightlineError("case-exists", `${dir} already exists and is not empty`);
  } catch (error) {
    if (error instanceof SightlineError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR")
      throw new SightlineError("case-exists", `${dir} is a file`);
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new SightlineError("io-error", `cannot create a case in ${dir}: ${describeIoError(error)}`);
    }
  }
  const algorithms: HashAlgorithm[] = ["sha256", ...options.hashAlgorithms.filter((a) => a !== "sha256")];
  const { key } = options;
  const examiner = { keyId: key.keyId, name: key.name, publicKey: key.publicKey };
  const caseFile: CaseFile = {
    formatVersion: CASE_FORMAT_VERSION,
    id: randomUUID(),
    title: options.title,
    created: clock().toISOString(),
    hashAlgorithms: algorithms,
    examiners: [examiner],
  };
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700); // it may have existed, empty, with the umask's mode
    for (const sub of [CASE_PATHS.objects, CASE_PATHS.derived, CASE_PATHS.exports, CASE_PATHS.staging]) {
      await mkdir(path.join(dir, sub), { recursive: true, mode: 0o700 });
    }
    // The 256 vault shards up front: made during an import, each new folder costs a journal
    // commit that a thousand-photo import would otherwise pay a few hundred times.
    for (let i = 0; i < 256; i++) {
      await mkdir(path.join(dir, CASE_PATHS.objects, i.toString(16).padStart(2, "0")), { mode: 0o700 });
    }
    await writeGenesis(
      path.join(dir, CASE_PATHS.ledger),
      key,
      {
        caseId: caseFile.id,
        title: caseFile.title,
        formatVersion: CASE_FORMAT_VERSION,
        hashAlgorithms: algorithms,
        examiner,
      },
      clock,
    );
    await writeFileDurably(path.join(dir, CASE_PATHS.caseFile), `${JSON.stringify(caseFile, null, 2)}\n`, dir, 0o600);
    await fsyncDir(path.dirname(dir));
  } catch (error) {
    throw new SightlineError("io-error", `cannot create a case in ${dir}: ${describeIoError(error)}`);
  }
  return caseFile;
}

/** case.json is a few KB; a larger one is not a case file and is not read whole. */
export const MAX_CASE_FILE_BYTES = 1024 * 1024;

/** Reads and checks `case.json`; a folder without one is not a case. */
export async function readCaseFile(dir: string): Promise<CaseFile> {
  // Never through a link, never waiting on a FIFO, never a file larger than a case file can be.
  const text = (await readCaseText(dir, CASE_PATHS.caseFile, MAX_CASE_FILE_BYTES)).toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SightlineError("not-a-case", `${path.join(dir, CASE_PATHS.caseFile)} is not valid JSON`);
  }
  const parsed = CaseFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new SightlineError(
      "not-a-case",
      `${path.join(dir, CASE_PATHS.caseFile)} is not a Sightline case file of a version this build reads`,
    );
  }
  return parsed.data;
}

/** The ledger's events as written, skipping lines that are not JSON (verification reports those). */
export async function readLedgerEvents(dir: string): Promise<LedgerEvent[]> {
  const events: LedgerEvent[] = [];
  await forEachLedgerEvent(dir, (event) => events.push(event));
  return events;
}

/** Replays the ledger into state without checking it (verification does that). */
export async function loadCaseState(dir: string): Promise<CaseState> {
  const state = emptyCaseState();
  await forEachLedgerEvent(dir, (event) => applyEvent(state, event));
  return state;
}
