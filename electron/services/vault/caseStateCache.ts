/**
 * The replayed state of recently used cases, kept between API calls. The ledger only grows, so
 * when it has grown since the last call only the new lines are read and applied; a ledger that
 * shrank, was replaced, was touched without growing, or no longer ends where the cached part
 * ended is replayed from the start. The ledger's identity is its inode, size, and times of
 * modification and of status change: the status-change time cannot be set back (`utimes` sets it
 * to now), so an edit in place that keeps the size and puts the modification time back is seen too. (An edit inside the cached part that also makes the file
 * grow is not noticed here; the head hash the workbench compares, and verification, are.)
 * With 50,000 items a full replay takes seconds, and the workbench asks after every import batch.
 *
 * The state is for display and lookups. It is never a substitute for verification, which reads
 * and checks everything from disk itself, and callers must not change it.
 *
 * With checkpoints (caseFactsCheckpoint.ts), `facts` answers for a case not yet in memory from the
 * checkpoint of its ledger when the ledger is exactly the bytes it was made from, and replays the
 * ledger a moment later, behind the answer; each state that moved gets a new checkpoint a moment
 * after it moved, off the caller's path.
 *
 * The keys the ledger trusts are established from the same bytes as they are applied (TrustBuilder):
 * once a state read from the ledger's first byte covers all of it, they are remembered for that
 * ledger (caseTrust.ts; a state that only read new lines may miss an edit, so it is not), and each
 * checkpoint says where they were established, so that neither the examiner lookup nor the first write of a session
 * reads the whole ledger again.
 */
import { createHash, type Hash } from "node:crypto";
import { constants } from "node:fs";
import { lstat } from "node:fs/promises";
import path from "node:path";
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import { applyEvent, emptyCaseState, type CaseState } from "../../../shared/ledger/caseState.js";
import { TrustBuilder } from "../../../shared/ledger/examinerTrust.js";
import { ledgerStamp, rememberLedgerTrust } from "../ledger/caseTrust.js";
import { nodeLedgerCrypto } from "../ledger/nodeLedgerCrypto.js";
import { openCaseOwnFile } from "./caseLayout.js";
import { caseFactsOf, type CaseFacts, type CaseFactsCheckpoints } from "./caseFactsCheckpoint.js";
import { eachLedgerEvent } from "./ledgerLines.js";
import { KeyedQueue } from "./keyedQueue.js";
import { SightlineError, describeIoError } from "../sightlineError.js";

interface Entry {
  state: CaseState;
  /** Bytes of the ledger applied so far: always just after a newline. */
  offset: number;
  ino: number;
  mtimeMs: number;
  ctimeMs: number;
  size: number;
  /** SHA-256 fed with the ledger's first `offset` bytes: what a checkpoint of `state` covers. */
  hasher: Hash;
  /** The ledger's first line, with its newline (names the checkpoint); null until read. */
  genesis: Buffer | null;
  /** `offset` at the state's last checkpoint, 0 when it has none. */
  checkpointed: number;
  /** The keys the first `offset` bytes establish, and where. */
  trust: TrustBuilder;
}

export interface CaseStateCacheOptions {
  /** Where the facts of states are checkpointed (a folder of the app's profile); nowhere when absent. */
  checkpoints?: CaseFactsCheckpoints;
  /** How long after a state moved its checkpoint is written (the moves of an import come in bursts): 3 s. */
  checkpointDelayMs?: number;
  /**
   * How long after `facts` answered from a checkpoint the ledger is replayed: 10 s, so that what
   * follows an open (the board reading its projection from IndexedDB, about 4 s at 100,000 items)
   * does not share the machine with it.
   */
  replayDelayMs?: number;
}

/** Cases kept; the workbench has one open at a time, the CLI and tests a few. */
const MAX_CASES = 4;

/** Caches with a checkpoint waiting for its moment or being written. */
const withCheckpoints = new Set<CaseStateCache>();

/**
 * Writes every checkpoint of this process still waiting for its moment now, and waits for them and
 * those being written, at most `timeoutMs`: called as the app quits, the host shuts down and the CLI
 * exits, so that a change made in the last seconds of a session is not replayed in full by the next.
 * A checkpoint not written by then costs the next session a replay, nothing more.
 */
export async function writePendingCheckpoints(timeoutMs = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([Promise.all([...withCheckpoints].map((cache) => cache.writeCheckpoints())), late]);
  } finally {
    clearTimeout(timer);
  }
}

export class CaseStateCache {
  private readonly entries = new Map<string, Entry>();
  /** The latest refresh per case: calls queue behind it, so new lines are never applied twice. */
  private readonly queue = new KeyedQueue<CaseState>();
  /** Checkpoints waiting for their moment, by case. */
  private readonly pending = new Map<string, NodeJS.Timeout>();
  /** Facts from checkpoints found to hold for the ledger with the identity `stamp`, by case. */
  private readonly checked = new Map<string, { stamp: string; facts: Promise<CaseFacts | null> }>();
  /** Replays waiting for their moment after `facts` answered from a checkpoint, by case. */
  private readonly warming = new Map<string, NodeJS.Timeout>();
  /** Checkpoints being written. */
  private readonly writing = new Set<Promise<void>>();
  /** Set by `close`: no checkpoint or deferred replay is started after it. */
  private closed = false;

  constructor(private readonly options: CaseStateCacheOptions = {}) {}

  get(dir: string): Promise<CaseState> {
    return this.queue.run(dir, () => this.refresh(dir));
  }

  /**
   * The case summary's part of the state: from the checkpoint when the case is not in memory and its
   * ledger is exactly what the checkpoint was made from (the state is then replayed a moment later),
   * else from the state.
   */
  async facts(dir: string): Promise<CaseFacts> {
    if (!this.entries.has(dir) && !this.queue.has(dir) && this.options.checkpoints) {
      const facts = await this.checkedFacts(dir, this.options.checkpoints);
      if (facts) {
        if (!this.warming.has(dir) && !this.closed) {
          const timer = setTimeout(() => {
            this.warming.delete(dir);
            // A failure here is met again, and reported, by the next call that needs the state.
            if (!this.entries.has(dir)) this.get(dir).catch(() => undefined);
          }, this.options.replayDelayMs ?? 10_000);
          timer.unref();
          this.warming.set(dir, timer);
        }
        return facts;
      }
    }
    return caseFactsOf(await this.get(dir));
  }

  /**
   * The checkpoint's facts, checked against the ledger once while the ledger keeps its identity
   * (inode, size, times of modification and status change: the same test as for the state in memory),
   * and again whenever it has changed. The page asks for a
   * case's summary and exercise several times as it opens the case; each check reads the whole ledger.
   */
  private checkedFacts(dir: string, checkpoints: CaseFactsCheckpoints): Promise<CaseFacts | null> {
    return lstat(path.join(dir, CASE_PATHS.ledger)).then(
      (info) => {
        const stamp = `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
        let known = this.checked.get(dir);
        if (known?.stamp !== stamp) {
          known = { stamp, facts: checkpoints.load(dir, CASE_PATHS.ledger) };
          this.checked.delete(dir);
          this.checked.set(dir, known);
          if (this.checked.size > MAX_CASES) this.checked.delete(this.checked.keys().next().value!);
        }
        return known.facts;
      },
      () => null,
    );
  }

  private async refresh(dir: string): Promise<CaseState> {
    const file = path.join(dir, CASE_PATHS.ledger);
    let info;
    let stamp;
    try {
      info = await lstat(file);
      stamp = ledgerStamp(await lstat(file, { bigint: true }));
    } catch (error) {
      throw new SightlineError("not-a-case", `cannot read the ledger of ${dir}: ${describeIoError(error)}`);
    }
    let entry = this.entries.get(dir);
    if (
      entry &&
      entry.ino === info.ino &&
      entry.size === info.size &&
      entry.mtimeMs === info.mtimeMs &&
      entry.ctimeMs === info.ctimeMs
    ) {
      return entry.state;
    }
    // Same size but touched, smaller, or another file: not an append, so replay it all.
    if (!entry || entry.ino !== info.ino || info.size <= entry.size) {
      entry = fromStart(info.ino);
    }
    let grown = await readFrom(file, entry.offset);
    if (grown === null) {
      // The byte before the cached end is no longer a newline: the ledger was rewritten.
      entry = fromStart(info.ino);
      grown = (await readFrom(file, 0))!;
    }
    const isWhole = entry.offset === 0;
    // State, offset and hash change together, with no wait between them (a checkpoint may be taken at any wait).
    applyLines(entry.state, grown.bytes);
    entry.hasher.update(grown.bytes);
    entry.trust.feed(grown.bytes);
    if (entry.offset === 0 && grown.bytes.length > 0)
      entry.genesis = Buffer.from(grown.bytes.subarray(0, grown.bytes.indexOf(0x0a) + 1));
    entry.offset = grown.end;
    entry.mtimeMs = info.mtimeMs;
    entry.ctimeMs = info.ctimeMs;
    entry.size = info.size;
    this.entries.delete(dir);
    this.entries.set(dir, entry);
    this.checked.delete(dir);
    // Read from its first byte to its end, the file whose identity was taken before reading: the
    // keys are its keys. Not after reading only the new lines: an edit inside the part read before
    // that also made the file grow is not seen here (see above), and the keys decide who may write,
    // so the next write reads them from the whole ledger (caseTrust.ts).
    if (isWhole && entry.offset === info.size) rememberLedgerTrust(dir, stamp, entry.trust.trusted, "replay");
    if (this.entries.size > MAX_CASES) this.entries.delete(this.entries.keys().next().value!);
    if (entry.offset !== entry.checkpointed) this.scheduleCheckpoint(dir);
    return entry.state;
  }

  private scheduleCheckpoint(dir: string): void {
    if (!this.options.checkpoints || this.closed || this.pending.has(dir)) return;
    const timer = setTimeout(() => this.checkpoint(dir), this.options.checkpointDelayMs ?? 3000);
    timer.unref();
    this.pending.set(dir, timer);
    withCheckpoints.add(this);
  }

  /**
   * Writes the checkpoint of `dir`'s state as it is at this moment: offset, hash and facts are taken
   * without a wait (`save` copies the facts before its first wait), so they agree even when a refresh
   * applies new lines while the file is being written.
   */
  private checkpoint(dir: string): void {
    this.pending.delete(dir);
    const entry = this.entries.get(dir);
    const checkpoints = this.options.checkpoints;
    if (!entry?.genesis || !checkpoints || entry.offset === entry.checkpointed) {
      if (this.pending.size === 0 && this.writing.size === 0) withCheckpoints.delete(this);
      return;
    }
    const offset = entry.offset;
    const written = checkpoints
      .save(entry.genesis, caseFactsOf(entry.state), offset, entry.hasher.copy().digest("hex"), [
        ...entry.trust.establishedAt.values(),
      ])
      .then(() => {
        entry.checkpointed = Math.max(entry.checkpointed, offset);
      })
      // A checkpoint that cannot be written costs the next session a full replay, nothing more.
      .catch(() => undefined)
      .finally(() => {
        this.writing.delete(written);
        if (this.pending.size === 0 && this.writing.size === 0) withCheckpoints.delete(this);
      });
    this.writing.add(written);
  }

  /**
   * Ends the cache's work behind the caller's back: replays waiting for their moment are dropped,
   * checkpoints waiting for theirs are written now, and none is scheduled after this; resolves once
   * nothing more will be written in the profile (a service's owner calls it before removing it).
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.warming.values()) clearTimeout(timer);
    this.warming.clear();
    await this.writeCheckpoints();
  }

  /** Writes the checkpoints still waiting for their moment now, and waits for all being written. */
  async writeCheckpoints(): Promise<void> {
    for (const [dir, timer] of this.pending) {
      clearTimeout(timer);
      this.checkpoint(dir);
    }
    await Promise.all([...this.writing]);
  }
}

function fromStart(ino: number): Entry {
  return {
    state: emptyCaseState(),
    offset: 0,
    ino,
    mtimeMs: 0,
    ctimeMs: 0,
    size: 0,
    hasher: createHash("sha256"),
    genesis: null,
    checkpointed: 0,
    trust: new TrustBuilder(nodeLedgerCrypto),
  };
}

/**
 * The complete lines from `offset` on, each with its newline, and the offset after the last of them
 * (a line still being written is left for next time). Null when `offset` is not just after a newline.
 */
async function readFrom(file: string, offset: number): Promise<{ bytes: Buffer; end: number } | null> {
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
    if (lastNewline < 0) return { bytes: Buffer.alloc(0), end: offset };
    return { bytes: body.subarray(0, lastNewline + 1), end: offset + lastNewline + 1 };
  } finally {
    await handle.close();
  }
}

function applyLines(state: CaseState, bytes: Buffer): void {
  // Line by line from the bytes: a large ledger is never made one string (caseStore.ts).
  eachLedgerEvent(bytes, (event) => applyEvent(state, event));
}
