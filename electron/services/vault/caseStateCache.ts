/**
 * The replayed state of recently used cases, kept between API calls. The ledger only grows, so
 * when it has grown since the last call only the new lines are read and applied; a ledger that
 * shrank, was replaced, was touched without growing, or no longer ends where the cached part
 * ended is replayed from the start. (An edit inside the cached part that also makes the file
 * grow is not noticed here; the head hash the workbench compares, and verification, are.)
 * With 50,000 items a full replay takes seconds, and the workbench asks after every import batch.
 *
 * The state is for display and lookups. It is never a substitute for verification, which reads
 * and checks everything from disk itself, and callers must not change it.
 */
import { constants } from "node:fs";
import { lstat } from "node:fs/promises";
import path from "node:path";
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import { applyEvent, emptyCaseState, type CaseState } from "../../../shared/ledger/caseState.js";
import { openCaseOwnFile } from "./caseLayout.js";
import { parseLedgerLines } from "./caseStore.js";
import { SightlineError, describeIoError } from "../sightlineError.js";

interface Entry {
  state: CaseState;
  /** Bytes of the ledger applied so far: always just after a newline. */
  offset: number;
  ino: number;
  mtimeMs: number;
  size: number;
}

/** Cases kept; the workbench has one open at a time, the CLI and tests a few. */
const MAX_CASES = 4;

export class CaseStateCache {
  private readonly entries = new Map<string, Entry>();
  /** The latest refresh per case: calls queue behind it, so new lines are never applied twice. */
  private readonly queue = new Map<string, Promise<CaseState>>();

  get(dir: string): Promise<CaseState> {
    const before = this.queue.get(dir) ?? Promise.resolve(null);
    const next = before.catch(() => null).then(() => this.refresh(dir));
    this.queue.set(dir, next);
    void next
      .catch(() => undefined)
      .then(() => {
        if (this.queue.get(dir) === next) this.queue.delete(dir);
      });
    return next;
  }

  private async refresh(dir: string): Promise<CaseState> {
    const file = path.join(dir, CASE_PATHS.ledger);
    let info;
    try {
      info = await lstat(file);
    } catch (error) {
      throw new SightlineError("not-a-case", `cannot read the ledger of ${dir}: ${describeIoError(error)}`);
    }
    let entry = this.entries.get(dir);
    if (entry && entry.ino === info.ino && entry.size === info.size && entry.mtimeMs === info.mtimeMs) {
      return entry.state;
    }
    // Same size but touched, smaller, or another file: not an append, so replay it all.
    if (!entry || entry.ino !== info.ino || info.size <= entry.size) {
      entry = { state: emptyCaseState(), offset: 0, ino: info.ino, mtimeMs: 0, size: 0 };
    }
    const grown = await readFrom(file, entry.offset);
    if (grown === null) {
      // The byte before the cached end is no longer a newline: the ledger was rewritten.
      entry = { state: emptyCaseState(), offset: 0, ino: info.ino, mtimeMs: 0, size: 0 };
      const all = (await readFrom(file, 0))!;
      applyLines(entry.state, all.text);
      entry.offset = all.end;
    } else {
      applyLines(entry.state, grown.text);
      entry.offset = grown.end;
    }
    entry.mtimeMs = info.mtimeMs;
    entry.size = info.size;
    this.entries.delete(dir);
    this.entries.set(dir, entry);
    if (this.entries.size > MAX_CASES) this.entries.delete(this.entries.keys().next().value!);
    return entry.state;
  }
}

/**
 * The complete lines from `offset` on, and the offset after the last of them (a line still being
 * written is left for next time). Null when `offset` is not just after a newline.
 */
async function readFrom(file: string, offset: number): Promise<{ text: string; end: number } | null> {
  const handle = await openCaseOwnFile(path.dirname(file), path.basename(file), constants.O_RDONLY);
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, offset - 1);
    const buffer = Buffer.alloc(Math.max(0, size - start));
    let read = 0;
    while (read < buffer.length) {
      const { bytesRead } = await handle.read(buffer, read, buffer.length - read, start + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    const bytes = buffer.subarray(0, read);
    if (offset > 0 && bytes[0] !== 0x0a) return null;
    const body = offset > 0 ? bytes.subarray(1) : bytes;
    const lastNewline = body.lastIndexOf(0x0a);
    if (lastNewline < 0) return { text: "", end: offset };
    return { text: body.subarray(0, lastNewline).toString("utf8"), end: offset + lastNewline + 1 };
  } finally {
    await handle.close();
  }
}

function applyLines(state: CaseState, text: string): void {
  for (const event of parseLedgerLines(text)) applyEvent(state, event);
}
