/**
 * Rolling back a restore cut short (restoreOriginal.ts): a restore intent left in tmp/ means the
 * process stopped between setting the damaged copy aside and recording the restore. Unless the
 * ledger has that restore, the damaged copy goes back to its vault path and the copy put there
 * is removed, so the case is exactly as it was before (and verify says what it said then). The
 * intent is as hostile as the rest of the case folder: it is honoured only when its paths are
 * exactly what a restore writes, and nothing is followed through a link.
 */
import { constants } from "node:fs";
import { lstat, open, readdir, rename, rm, unlink } from "node:fs/promises";
import path from "node:path";
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import type { LedgerEvent } from "../../../shared/ledger/events.js";
import { SET_ASIDE_PATTERN } from "../../../shared/ledger/restoreEvents.js";
import { forEachLedgerLine } from "../vault/ledgerLines.js";
import { fsyncDir } from "../vault/durableFs.js";

export const RESTORE_INTENT_SUFFIX = ".restore";

export interface RestoreIntent {
  objectPath: string;
  setAside: string | null;
  sha256: string;
  /** The ledger head's seq when the restore began: its event, if written, comes after. */
  headSeq: number;
}

const OBJECT_PATH = /^objects\/sha256\/([0-9a-f]{2})\/([0-9a-f]{62})$/;
const MAX_INTENT_BYTES = 4096;
const RESTORED = Buffer.from('"original.restored"');

export async function rollBackUnfinishedRestores(caseDir: string): Promise<void> {
  const stagingDir = path.join(caseDir, CASE_PATHS.staging);
  const names = await readdir(stagingDir).catch(() => [] as string[]);
  const intents = names.filter((n) => n.endsWith(RESTORE_INTENT_SUFFIX));
  if (intents.length === 0) return;
  const restored = new Set<string>();
  // A line at a time, as read (a ledger of any size); only lines naming a restore are parsed.
  await forEachLedgerLine(caseDir, (line) => {
    if (!line.includes(RESTORED)) return;
    try {
      const event = JSON.parse(line.toString("utf8")) as LedgerEvent;
      const p = event.payload as { sha256?: unknown };
      if (event.type === "original.restored" && typeof p.sha256 === "string") restored.add(`${p.sha256}@${event.seq}`);
    } catch {
      // verify reports malformed lines; recovery only needs the restores it can read.
    }
  });
  for (const name of intents) {
    const file = path.join(stagingDir, name);
    const intent = await readIntent(file);
    if (intent && ![...restored].some((r) => isLaterRestore(r, intent))) await rollBack(caseDir, intent);
    await rm(file, { force: true }).catch(() => undefined);
  }
  await fsyncDir(stagingDir);
}

function isLaterRestore(entry: string, intent: RestoreIntent): boolean {
  const [sha, seq] = entry.split("@");
  return sha === intent.sha256 && Number(seq) > intent.headSeq;
}

async function rollBack(caseDir: string, intent: RestoreIntent): Promise<void> {
  const target = path.join(caseDir, intent.objectPath);
  const current = await lstat(target).catch(() => null);
  if (intent.setAside === null) {
    // Nothing was there: the copy put in place was never recorded.
    if (current?.isFile()) await unlink(target);
  } else {
    const aside = path.join(caseDir, intent.setAside);
    const kept = await lstat(aside).catch(() => null);
    if (!kept) return; // stopped before anything was set aside
    if (current && current.ino === kept.ino && current.dev === kept.dev) {
      await unlink(aside); // linked aside, not yet replaced: drop the second name
    } else {
      if (current?.isFile()) await unlink(target);
      await rename(aside, target);
    }
    await fsyncDir(path.join(caseDir, CASE_PATHS.recovered));
  }
  await fsyncDir(path.dirname(target));
}

/** The intent, or null when it is not one a restore wrote (then it is only removed). */
async function readIntent(file: string): Promise<RestoreIntent | null> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > MAX_INTENT_BYTES) return null;
    const value = JSON.parse(await handle.readFile("utf8")) as Partial<RestoreIntent>;
    const match = typeof value.objectPath === "string" ? OBJECT_PATH.exec(value.objectPath) : null;
    if (!match || value.sha256 !== `${match[1]}${match[2]}`) return null;
    if (value.setAside !== null && (typeof value.setAside !== "string" || !SET_ASIDE_PATTERN.test(value.setAside)))
      return null;
    if (value.setAside && !value.setAside.includes(value.sha256)) return null;
    if (typeof value.headSeq !== "number" || !Number.isInteger(value.headSeq)) return null;
    return value as RestoreIntent;
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}
