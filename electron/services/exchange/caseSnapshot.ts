/**
 * What of a case folder travels, taken once at the start of an export: the ledger's complete
 * lines as they are at that moment (events appended later are not in the export, and the head
 * it names is the last one it holds), and the list of the folder's files, read by name with
 * lstat. Nothing is followed: a link, FIFO or device anywhere in a travelling folder refuses the
 * export with its name, since a recipient could never check what it points at.
 */
import { lstat, readdir } from "node:fs/promises";
import path from "node:path";
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import { caseFileNameFault, TRAVELLING_FOLDERS } from "../../../shared/exchange/bundleFormat.js";
import { eventHash } from "../../../shared/ledger/eventHash.js";
import type { LedgerEvent } from "../../../shared/ledger/events.js";
import { applyEvent, emptyCaseState, type CaseState } from "../../../shared/ledger/caseState.js";
import { nodeLedgerCrypto } from "../ledger/nodeLedgerCrypto.js";
import { SightlineError } from "../sightlineError.js";
import { assertCaseLayout, readCaseText } from "../vault/caseLayout.js";

export interface CaseSnapshotFile {
  /** Case-relative, `/`-separated. */
  relative: string;
  size: number;
  mtime: Date;
}

export interface CaseSnapshot {
  caseDir: string;
  /** The ledger's complete lines, LF-ended. */
  ledger: Buffer;
  events: LedgerEvent[];
  state: CaseState;
  head: { seq: number; hash: string };
  caseFile: Buffer;
}

/** Reads the ledger and case.json of a case that is laid out as Sightline writes it. */
export async function takeSnapshot(caseDir: string): Promise<CaseSnapshot> {
  await assertCaseLayout(caseDir);
  const caseFile = await readCaseText(caseDir, CASE_PATHS.caseFile, 1024 * 1024);
  const raw = await readCaseText(caseDir, CASE_PATHS.ledger);
  const ledger = raw.subarray(0, raw.lastIndexOf(0x0a) + 1);
  const events: LedgerEvent[] = [];
  const state = emptyCaseState();
  for (const text of ledger.toString("utf8").split("\n").slice(0, -1)) {
    let event: LedgerEvent;
    try {
      event = JSON.parse(text) as LedgerEvent;
    } catch {
      throw new SightlineError(
        "tampered",
        `line ${events.length + 1} of the ledger is not an event; run "sightline verify" and resolve it before exporting`,
      );
    }
    events.push(event);
    applyEvent(state, event);
  }
  const last = events.at(-1);
  if (!last) throw new SightlineError("not-a-case", `${caseDir} has an empty ledger`);
  // The head a bundle names must be what its content gives: a recipient would refuse anything else.
  if (eventHash(last, nodeLedgerCrypto) !== last.hash) {
    throw new SightlineError(
      "tampered",
      `the last ledger event does not match its hash; run "sightline verify" before exporting`,
    );
  }
  return { caseDir, ledger, events, state, head: { seq: last.seq, hash: last.hash }, caseFile };
}

/**
 * Every regular file under the travelling folders, sorted by path; refuses anything else found there.
 * Files whose names Sightline never writes are refused too: a recipient would refuse them.
 */
export async function listTravellingFiles(caseDir: string): Promise<CaseSnapshotFile[]> {
  const files: CaseSnapshotFile[] = [];
  const walk = async (relative: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(caseDir, relative), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    for (const entry of entries) {
      const child = `${relative}/${entry.name}`;
      const info = await lstat(path.join(caseDir, child));
      if (info.isDirectory()) await walk(child);
      else if (info.isFile()) {
        const fault = caseFileNameFault(child);
        if (fault) throw new SightlineError("tampered", `${shownName(child)} ${fault}; nothing was exported`);
        files.push({ relative: child, size: info.size, mtime: info.mtime });
      } else {
        const what = info.isSymbolicLink() ? "a symbolic link" : "not a regular file (a FIFO, socket or device)";
        throw new SightlineError(
          "tampered",
          `${shownName(child)} is ${what}; a case that travels holds files only, so nothing was exported`,
        );
      }
    }
  };
  for (const folder of TRAVELLING_FOLDERS) await walk(folder);
  return files.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

function shownName(relative: string): string {
  return JSON.stringify(relative.length > 200 ? `${relative.slice(0, 200)}…` : relative);
}
