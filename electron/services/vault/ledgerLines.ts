/**
 * The ledger's lines and events as they are read, a chunk at a time, never as one string: V8
 * refuses a string past about 512 MiB (a ledger of about 250,000 items), and parsing as it is read
 * kept a replay of 200,000 events from holding all of them at once (a third less CPU, most of it
 * the garbage collector's). Lines are split on the newline byte, which is never part of a
 * multi-byte UTF-8 character, so they are exactly the lines of the decoded text. These skip empty
 * lines and lines that are not JSON (verification reports those); a last line without its newline
 * counts. Written here rather than taken from a line-splitting stream library because the
 * replay's callers need the bytes of each line (a needle is looked for before a line is parsed)
 * and no await between lines (a state, its offset and its hash change together).
 */
import { constants } from "node:fs";
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import type { LedgerEvent } from "../../../shared/ledger/events.js";
import { SightlineError, describeIoError } from "../sightlineError.js";
import { openCaseOwnFile } from "./caseLayout.js";

/** Bytes of the ledger read at a time. */
export const LEDGER_CHUNK = 8 << 20;

/**
 * Calls `take` with each non-empty line of the case's ledger (without its newline), in order, read
 * `chunkBytes` at a time. The line's bytes are valid only during the call.
 */
export async function forEachLedgerLine(
  dir: string,
  take: (line: Buffer) => void,
  chunkBytes = LEDGER_CHUNK,
): Promise<void> {
  // Opened and read as readCaseText does: never through a link, and an I/O failure in one line.
  const unreadable = (error: unknown) =>
    error instanceof SightlineError
      ? error
      : new SightlineError("io-error", `cannot read ${CASE_PATHS.ledger} of ${dir}: ${describeIoError(error)}`);
  const handle = await openCaseOwnFile(dir, CASE_PATHS.ledger, constants.O_RDONLY).catch((error: unknown) => {
    throw unreadable(error);
  });
  try {
    // The start of a line not ended yet, as read (copied: the chunk is read into again); joined
    // once, when its newline comes, so a line of any length costs one copy of it.
    let open: Buffer[] = [];
    const chunk = Buffer.allocUnsafe(chunkBytes);
    for (let position = 0; ;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position).catch((error: unknown) => {
        throw unreadable(error);
      });
      if (bytesRead === 0) break;
      position += bytesRead;
      const read = chunk.subarray(0, bytesRead);
      const first = read.indexOf(0x0a);
      if (first < 0) {
        open.push(Buffer.from(read));
        continue;
      }
      eachLedgerLine(
        open.length > 0 ? Buffer.concat([...open, read.subarray(0, first)]) : read.subarray(0, first),
        take,
      );
      const last = read.lastIndexOf(0x0a);
      eachLedgerLine(read.subarray(first + 1, last), take);
      open = last + 1 < read.length ? [Buffer.from(read.subarray(last + 1))] : [];
    }
    eachLedgerLine(Buffer.concat(open), take);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Calls `apply` with each of the case ledger's events in order (see the top). */
export function forEachLedgerEvent(
  dir: string,
  apply: (event: LedgerEvent) => void,
  chunkBytes = LEDGER_CHUNK,
): Promise<void> {
  return forEachLedgerLine(dir, (line) => applyLine(line, apply), chunkBytes);
}

/** Calls `take` with each non-empty line of `bytes`, without its newline. */
export function eachLedgerLine(bytes: Buffer, take: (line: Buffer) => void): void {
  for (let start = 0; start < bytes.length;) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    if (end > start) take(bytes.subarray(start, end));
    start = end + 1;
  }
}

/** Calls `apply` with each event of ledger bytes, in order (see the top). */
export function eachLedgerEvent(bytes: Buffer, apply: (event: LedgerEvent) => void): void {
  eachLedgerLine(bytes, (line) => applyLine(line, apply));
}

/** Ledger text's events (see the top). */
export function parseLedgerLines(text: string): LedgerEvent[] {
  const events: LedgerEvent[] = [];
  eachLedgerEvent(Buffer.from(text, "utf8"), (event) => events.push(event));
  return events;
}

function applyLine(line: Buffer, apply: (event: LedgerEvent) => void): void {
  let event: LedgerEvent;
  try {
    event = JSON.parse(line.toString("utf8")) as LedgerEvent;
  } catch {
    // Not JSON (or too long to be one string): verification reports it.
    return;
  }
  apply(event);
}
