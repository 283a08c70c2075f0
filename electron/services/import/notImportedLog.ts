/**
 * Every file an import did not bring in (refused, failed, cancelled), with its reason, kept on
 * disk rather than in memory: a phone dump of 100,000 files with 20,000 refused lists all 20,000,
 * while the import itself holds only a bounded list (importOutcomes.ts).
 *
 * One JSON object a line, in the order the import decided them, as `<id>.not-imported.jsonl` in
 * a folder of this process's own under the system's temporary folder (made private by mkdtemp,
 * removed when the process exits). Not in the case: the list is the job's answer, like the job
 * itself it lasts as long as the process, and a refused file changes nothing in the case. Written
 * with synchronous appends of at most LOG_CHUNK bytes, so memory stays bounded however many files
 * are refused; created on the first file not imported. Read back a page at a time from a byte
 * cursor. The newest KEPT_LOGS lists are kept; older ones are removed when an import starts.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  writeSync,
} from "node:fs";
import { readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { SightlineError, describeIoError } from "../sightlineError.js";

export const NOT_IMPORTED_SUFFIX = ".not-imported.jsonl";
/** The name of a case's list for one import id (a UUID: nothing else reaches a path). */
const LOG_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.not-imported\.jsonl$/;
/** Lines gathered before one append. */
const LOG_CHUNK = 64 * 1024;
/** Lists kept (the newest), whichever cases they came from. */
const KEPT_LOGS = 20;
/** The longest page one read returns. */
export const MAX_PAGE = 1000;
/** The longest line read back (a reason and a path, each bounded by the file system). */
const MAX_LINE = 64 * 1024;

export const NotImportedSchema = z.strictObject({
  status: z.enum(["refused", "failed", "cancelled"]),
  displayPath: z.string(),
  reason: z.string(),
});
export type NotImported = z.infer<typeof NotImportedSchema>;

let folder: string | null = null;

/** `sightline-not-imported-<pid>-<random>`: the process the folder belongs to is in its name. */
const FOLDER_PREFIX = "sightline-not-imported-";
const FOLDER_NAME = /^sightline-not-imported-(\d+)-[A-Za-z0-9]{6}$/;

/**
 * This process's folder for the lists, made on first use and removed when the process exits.
 * A process that was killed (or lost power) left its folder, holding source paths of the
 * examiner's other folders: those of processes no longer running are removed when the next is made.
 */
function listsFolder(): string {
  if (folder) return folder;
  removeDeadFolders(os.tmpdir());
  const made = mkdtempSync(path.join(os.tmpdir(), `${FOLDER_PREFIX}${process.pid}-`));
  process.once("exit", () => rmSync(made, { recursive: true, force: true }));
  folder = made;
  return made;
}

/** Removes this user's list folders in `dir` whose process is not running (a real folder, never a link). */
export function removeDeadFolders(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = FOLDER_NAME.exec(name)?.[1];
    if (!pid || isRunning(Number(pid))) continue;
    try {
      const info = lstatSync(path.join(dir, name));
      if (!info.isDirectory() || info.uid !== process.getuid?.()) continue;
      rmSync(path.join(dir, name), { recursive: true, force: true });
    } catch {
      // Gone meanwhile, or not ours to remove: left.
    }
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: a process of another user has that id now; its folder (if ours) is left.
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** Where the list for one import id is kept (a UUID: nothing else reaches a path). */
export function notImportedPath(id: string): string {
  const name = `${id}${NOT_IMPORTED_SUFFIX}`;
  if (!LOG_NAME.test(name)) throw new SightlineError("invalid-input", "not an import id");
  return path.join(listsFolder(), name);
}

/** Appends the files not imported to the list, created new on the first one (never following a link). */
export class NotImportedLog {
  private fd: number | null = null;
  private pending = "";
  private failure: string | null = null;
  count = 0;

  constructor(readonly file: string) {}

  add(outcome: NotImported): void {
    this.count++;
    const { status, displayPath, reason } = outcome;
    this.pending += JSON.stringify({ status, displayPath, reason }) + "\n";
    if (this.pending.length >= LOG_CHUNK) this.flush();
  }

  /** Writes what is pending and closes the list; returns the reason the list is incomplete, if it is. */
  close(): string | null {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    return this.failure;
  }

  private flush(): void {
    if (this.pending === "" || this.failure) return;
    const bytes = Buffer.from(this.pending, "utf8");
    this.pending = "";
    try {
      const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
      this.fd ??= openSync(this.file, flags, 0o600);
      for (let written = 0; written < bytes.length;) written += writeSync(this.fd, bytes, written);
    } catch (error) {
      // The import goes on: its counts stay right, only the written list is short.
      this.failure = `the list of files not imported is incomplete: ${describeIoError(error)}`;
    }
  }
}

/**
 * One page of a list: up to `limit` entries from byte `cursor` (0 for the first page) and the
 * cursor of the next page, or null at the end. A cursor not at the start of a line is refused.
 */
export function readNotImported(
  file: string,
  cursor: number,
  limit: number,
): { outcomes: NotImported[]; next: number | null } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new SightlineError("not-found", "this import's list of files not imported is no longer kept");
    }
    throw new SightlineError("io-error", `cannot read the list of files not imported: ${describeIoError(error)}`);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new SightlineError("tampered", "the list of files not imported is not a regular file");
    if (!Number.isSafeInteger(cursor) || cursor < 0 || cursor > info.size) {
      throw new SightlineError("invalid-input", "that page of the list does not exist");
    }
    if (cursor > 0) {
      const before = Buffer.alloc(1);
      if (readSync(fd, before, 0, 1, cursor - 1) !== 1 || before[0] !== 0x0a) {
        throw new SightlineError("invalid-input", "that page of the list does not exist");
      }
    }
    const most = Math.max(1, Math.min(limit, MAX_PAGE));
    const outcomes: NotImported[] = [];
    const buffer = Buffer.allocUnsafe(MAX_LINE);
    // `at`: the file position of buffer[0]; `held`: bytes read into the buffer from there.
    let at = cursor;
    let held = 0;
    while (outcomes.length < most && at + held < info.size) {
      const n = readSync(fd, buffer, held, buffer.length - held, at + held);
      if (n === 0) break;
      held += n;
      const view = buffer.subarray(0, held);
      let start = 0;
      for (let end = view.indexOf(0x0a); end !== -1 && outcomes.length < most; end = view.indexOf(0x0a, start)) {
        outcomes.push(parseLine(view.toString("utf8", start, end), at + start));
        start = end + 1;
      }
      // A line longer than any the log writes, or a last line cut short: not a list Sightline wrote.
      if (start === 0 && (held === buffer.length || at + held >= info.size)) throw damaged(at);
      buffer.copy(buffer, 0, start, held);
      at += start;
      held -= start;
    }
    return { outcomes, next: at < info.size ? at : null };
  } finally {
    closeSync(fd);
  }
}

function parseLine(text: string, at: number): NotImported {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw damaged(at);
  }
  const parsed = NotImportedSchema.safeParse(value);
  if (!parsed.success) throw damaged(at);
  return parsed.data;
}

function damaged(at: number): SightlineError {
  return new SightlineError("io-error", `the list of files not imported is damaged at byte ${at}`);
}

/** Removes older lists, keeping the newest KEPT_LOGS - 1 so the next import makes KEPT_LOGS. */
export async function pruneNotImported(): Promise<void> {
  const dir = listsFolder();
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => LOG_NAME.test(n));
  if (names.length < KEPT_LOGS) return;
  const dated = await Promise.all(
    names.map(async (name) => ({ name, at: (await stat(path.join(dir, name)).catch(() => null))?.mtimeMs ?? 0 })),
  );
  dated.sort((a, b) => b.at - a.at);
  for (const { name } of dated.slice(KEPT_LOGS - 1)) await rm(path.join(dir, name), { force: true });
}

/** The list of files not imported for this id, after older lists are pruned; null (and a warning) if it cannot be made. */
export async function openNotImportedLog(id: string, warnings: string[]): Promise<NotImportedLog | null> {
  try {
    await pruneNotImported().catch(() => undefined);
    return new NotImportedLog(notImportedPath(id));
  } catch (error) {
    warnings.push(error instanceof Error ? error.message : String(error));
    return null;
  }
}
