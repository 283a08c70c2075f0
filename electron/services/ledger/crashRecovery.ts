/**
 * What a writer finishes for a crashed one before it appends (see docs/LEDGER.md, "Crash
 * safety"): an unfinished last ledger line moved aside into `recovered/`, and vault objects an
 * interrupted import renamed into place before its events were written, removed. The case
 * folder is hostile input (DESIGN rule 5): nothing here follows a link or acts on a path that
 * is not exactly what Sightline writes.
 */
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { lstat, mkdir, open, readdir, realpath, rm, unlink, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import { applyEvent, emptyCaseState } from "../../../shared/ledger/caseState.js";
import type { EventDraft } from "../../../shared/ledger/events.js";
import { openCaseOwnFile } from "../vault/caseLayout.js";
import { forEachLedgerEvent } from "../vault/ledgerLines.js";
import { fsyncDir } from "../vault/durableFs.js";

/** Suffix of the intent files an import writes before renaming objects into the vault. */
export const INTENT_SUFFIX = ".intent";
/** Suffix of the staged copies an import writes before they are committed. */
export const STAGED_SUFFIX = ".partial";

/**
 * If the ledger does not end with a newline, an append was cut short: the bytes
 * after the last newline were never a complete event. They are moved to
 * `recovered/` (not deleted: they are part of the record) and the ledger is
 * truncated to its last complete line.
 */
export async function cutTornTail(caseDir: string): Promise<EventDraft<"ledger.recovered">["payload"] | null> {
  const handle = await openCaseOwnFile(caseDir, CASE_PATHS.ledger, constants.O_RDWR);
  try {
    const { size } = await handle.stat();
    if (size === 0) return null;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    if (last[0] === 0x0a) return null;
    const text = await handle.readFile();
    const keep = text.lastIndexOf(0x0a) + 1;
    if (keep === 0) return null; // not even a genesis line: nothing safe to do; verify will say so
    const torn = text.subarray(keep);
    const recoveredDir = path.join(caseDir, CASE_PATHS.recovered);
    await mkdir(recoveredDir, { recursive: true, mode: 0o700 });
    const savedAs = `${CASE_PATHS.recovered}/ledger-tail-${new Date().toISOString().replace(/[:.]/g, "-")}.bin`;
    const out = await open(path.join(caseDir, savedAs), "wx", 0o600);
    await out.write(torn);
    await out.sync();
    await out.close();
    await fsyncDir(recoveredDir);
    await handle.truncate(keep);
    await handle.sync();
    return { tornBytes: torn.length, tornSha256: createHash("sha256").update(torn).digest("hex"), savedAs };
  } finally {
    await handle.close();
  }
}

/** An intent still under the temporary name `writeFileDurably` gives it before the rename. */
export const UNFINISHED_INTENT = /\.intent\.\d+\.\d+\.tmp$/;

/** An intent entry is exactly one vault object path; nothing else is ever acted on. */
const INTENT_ENTRY = /^objects\/sha256\/[0-9a-f]{2}\/[0-9a-f]{62}$/;
/** Intent files are a few KB; anything larger was not written by an import. */
const MAX_INTENT_BYTES = 16 * 1024 * 1024;

/**
 * An import writes an intent file listing the objects it is about to rename into the vault,
 * and deletes it once their ledger events are written. An intent left behind means the
 * process died in between: objects it lists that the ledger does not name were never part
 * of the case and are removed. The intent file is as hostile as the rest of the folder
 * (DESIGN rule 5): an entry is honoured only when it is exactly a vault object path, no
 * component of it is a link, it is a regular file, and it resolves inside the case. It is
 * unlinked, never chmod-ed (the folder's write permission is what deletion needs).
 */
export async function removeUncommittedObjects(caseDir: string): Promise<void> {
  const stagingDir = path.join(caseDir, CASE_PATHS.staging);
  let names: string[];
  try {
    names = await readdir(stagingDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  const intents = names.filter((n) => n.endsWith(INTENT_SUFFIX));
  if (intents.length > 0) {
    const state = emptyCaseState();
    // Only when an intent was left: the ledger names the objects that were committed. Read as it
    // is replayed, a line at a time (a ledger of any size; verify reports malformed lines).
    await forEachLedgerEvent(caseDir, (event) => applyEvent(state, event));
    const named = new Set([...state.items.values()].map((i) => i.objectPath));
    const caseRoot = await realpath(caseDir);
    for (const intent of intents) {
      const listed = (await readIntent(path.join(stagingDir, intent))).split("\n");
      for (const objectPath of listed) {
        if (!INTENT_ENTRY.test(objectPath) || named.has(objectPath)) continue;
        if (await isPlainObjectFile(caseDir, caseRoot, objectPath)) await unlink(path.join(caseDir, objectPath));
      }
      // A folder named like an intent is not one Sightline wrote; it is left for verify to show.
      await rm(path.join(stagingDir, intent), { force: true }).catch(() => undefined);
    }
  }
  // Staged copies, and intents whose own durable write was cut short (writeFileDurably's temporary
  // name): an intent not yet in place means no object had been renamed into the vault.
  for (const name of names.filter((n) => n.endsWith(STAGED_SUFFIX) || UNFINISHED_INTENT.test(n))) {
    // rm removes a link itself, never what it points at; a folder of that name is left for verify to report.
    await rm(path.join(stagingDir, name), { force: true }).catch(() => undefined);
  }
  if (names.length > 0) await fsyncDir(stagingDir);
}

/** An intent file's text, or "" when it is not a regular file of sane size (it is then ignored). */
async function readIntent(file: string): Promise<string> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return "";
  }
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > MAX_INTENT_BYTES) return "";
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}

/** True when every component of `objectPath` below the case is a real folder, the last a regular file, all inside the case. */
async function isPlainObjectFile(caseDir: string, caseRoot: string, objectPath: string): Promise<boolean> {
  const parts = objectPath.split("/");
  let current = caseDir;
  for (let i = 0; i < parts.length; i++) {
    current = path.join(current, parts[i]!);
    let info;
    try {
      info = await lstat(current);
    } catch {
      return false;
    }
    const isLast = i === parts.length - 1;
    if (info.isSymbolicLink() || (isLast ? !info.isFile() : !info.isDirectory())) return false;
  }
  const resolved = await realpath(current).catch(() => "");
  return resolved.startsWith(caseRoot + path.sep);
}
