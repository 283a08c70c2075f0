/**
 * What a case's summary needs of its replayed state (title, examiners, item count, head, last
 * verification, a trainee's exercise), checkpointed so that a new session of the workbench can open a case whose ledger
 * has not changed since without replaying it first. Replaying 202,001 events took about 10 s on an
 * idle machine; checking a checkpoint takes one read and SHA-256 of the ledger, well under a second.
 * The rest of the state is replayed behind the open (caseStateCache.ts).
 *
 * Checkpoints are kept in the app's profile folder, never in the case: a case folder is hostile
 * input (it may come from a bundle or a colleague's drive), the profile is the user's own, beside
 * their keys. Each is named by the SHA-256 of the ledger's first line (the case's genesis event) and
 * holds the facts, the number of ledger bytes they were replayed from and the SHA-256 of exactly
 * those bytes. It is believed only when the whole ledger on disk is, byte for byte, what it was
 * made from (a ledger rewritten, shortened, extended or edited anywhere is replayed instead), and
 * only by a build whose replay code made it (the fingerprint). `load` reads and hashes the whole
 * ledger on every call; the state cache calls it once per identity of the ledger file (inode, size,
 * modification and status-change times, caseStateCache.ts), so a session hashes the ledger again
 * whenever any of these has changed since its last check. Anything unreadable about a checkpoint
 * means a replay, never an error.
 *
 * A whole state was tried as a checkpoint too (V8's serialisation, 163 MB at 100,000 items): loading
 * it cost nearly as much as replaying the ledger (the 4 million objects are the cost, not the
 * parsing) and writing it held the process for seconds, so only the facts are kept.
 *
 * Like the cache it feeds, the facts are for display: verification never reads them.
 *
 * A checkpoint also says where in those bytes each key the ledger trusts was established (the
 * offsets of its line and of the line before it). A load that believes the facts reads those few
 * lines and applies the trust rule to them again (shared/ledger/examinerTrust.ts): when every one
 * establishes its key, the keys are remembered for exactly that ledger (caseTrust.ts), so the
 * session's examiner lookup and first write do not read the whole ledger once more. A checkpoint
 * cannot make a key trusted that the ledger does not establish; one that leaves a key out is
 * caught by case.json's list, and the ledger is then read in full.
 */
import { createHash, randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm, writeFile, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Examiner } from "../../../shared/ledger/events.js";
import type { CaseState } from "../../../shared/ledger/caseState.js";
import { trustFromLines } from "../../../shared/ledger/examinerTrust.js";
import { ledgerStamp, rememberLedgerTrust } from "../ledger/caseTrust.js";
import { nodeLedgerCrypto } from "../ledger/nodeLedgerCrypto.js";
import { openCaseOwnFile } from "./caseLayout.js";
import { KeyedQueue } from "./keyedQueue.js";

/** Raised when the file's layout or the facts' shape changes. */
const FORMAT = 3;
/** Bytes read at a time while hashing a ledger. */
const CHUNK = 8 << 20;
/** A checkpoint file is a few hundred bytes, more with many examiners; anything past this is not one. */
const MAX_FILE = 1 << 20;
/** A ledger line read back to check a trusted key: an examiner.added line and the one before it. */
const MAX_LINE = 1 << 20;

/** The case summary's part of the replayed state. */
export interface CaseFacts {
  caseId: string | null;
  title: string;
  hashAlgorithms: CaseState["hashAlgorithms"];
  examiners: Examiner[];
  itemCount: number;
  head: CaseState["head"];
  lastVerification: CaseState["lastVerification"];
  /** A trainee's exercise (the page asks for it as it opens a case). */
  exercise: CaseState["training"]["exercise"];
}

export function caseFactsOf(state: CaseState): CaseFacts {
  return {
    caseId: state.caseId,
    title: state.title,
    hashAlgorithms: state.hashAlgorithms,
    examiners: [...state.examiners.values()],
    itemCount: state.items.size,
    head: state.head,
    lastVerification: state.lastVerification,
    exercise: state.training.exercise,
  };
}

interface Checkpoint {
  format: number;
  /** SHA-256 of the compiled replay code (fingerprint()) that made the facts. */
  replay: string;
  /** Ledger bytes the facts were replayed from: whole lines, ending just after a newline. */
  offset: number;
  /** SHA-256 of those bytes. */
  prefixSha256: string;
  facts: CaseFacts;
  /** Where each trusted key was established, in order: offsets of its line and of the line before. */
  trust: TrustOrigin[];
}

/** Byte offsets of a line that established a trusted key and of the line before it (none for the genesis line). */
export interface TrustOrigin {
  at: number;
  before: number | null;
}

let replayFingerprint: Promise<string | null> | null = null;

/**
 * The compiled files outside shared/ that decide what is replayed and what the facts hold: which
 * ledger lines are read and applied (caseStateCache.js, ledgerLines.js) and what is
 * taken from the state (this file's caseFactsOf).
 */
const REPLAY_FILES = ["caseStateCache.js", "caseStore.js", "ledgerLines.js", "caseFactsCheckpoint.js"];

/**
 * The SHA-256 of every compiled file of shared/ (the replay, its schemas and everything they use)
 * and of REPLAY_FILES, so a build that replays differently never takes another build's facts; null
 * when any of them cannot be read. The code itself rather than the app's version: a build made
 * from changed sources keeps its version number until a release, the code changes with it.
 */
function fingerprint(): Promise<string | null> {
  replayFingerprint ??= (async () => {
    try {
      const root = fileURLToPath(new URL("../../../shared/", import.meta.url));
      const names = (await readdir(root, { recursive: true })).filter((n) => n.endsWith(".js")).sort();
      const hash = createHash("sha256");
      for (const name of names) hash.update(`shared/${name}\n`).update(await readFile(path.join(root, name)));
      for (const name of REPLAY_FILES)
        hash.update(`vault/${name}\n`).update(await readFile(fileURLToPath(new URL(`./${name}`, import.meta.url))));
      return hash.digest("hex");
    } catch {
      return null;
    }
  })();
  return replayFingerprint;
}

export class CaseFactsCheckpoints {
  /** `dir`: a folder of the app's own (the profile's `ledger-checkpoints`), created when first written. */
  constructor(private readonly dir: string) {}

  /** The save in progress or last made, by checkpoint file: saves of one file are made one after another. */
  private readonly saving = new KeyedQueue<void>();

  private fileFor(genesisLine: Buffer): string {
    return path.join(this.dir, `${createHash("sha256").update(genesisLine).digest("hex")}.json`);
  }

  /**
   * The facts of the ledger `ledgerName` of `caseDir` from its checkpoint, when there is one and the
   * ledger is exactly the bytes it was made from; null otherwise.
   */
  async load(caseDir: string, ledgerName: string): Promise<CaseFacts | null> {
    const replay = await fingerprint();
    if (!replay) return null;
    try {
      const ledger = await openCaseOwnFile(caseDir, ledgerName, constants.O_RDONLY);
      try {
        const genesis = await firstLine(ledger);
        if (!genesis) return null;
        const text = await readCheckpointFile(this.fileFor(genesis));
        if (text === null) return null;
        const checkpoint = JSON.parse(text) as Checkpoint;
        if (checkpoint.format !== FORMAT || checkpoint.replay !== replay) return null;
        const info = await ledger.stat({ bigint: true });
        const size = Number(info.size);
        if (size !== checkpoint.offset || !(await hashesTo(ledger, size, checkpoint.prefixSha256))) return null;
        const trusted = await trustAt(ledger, checkpoint.trust, size);
        if (trusted) rememberLedgerTrust(caseDir, ledgerStamp(info), trusted, "checkpoint");
        return checkpoint.facts;
      } finally {
        await ledger.close();
      }
    } catch {
      return null;
    }
  }

  /**
   * Writes the checkpoint of `facts`, replayed from the ledger's first `offset` bytes whose SHA-256
   * is `prefixSha256`, the first line of them being `genesisLine`. The facts are copied before this
   * returns (the state they come from moves on while the file is written). Written whole under a
   * temporary name of random bytes and renamed, so a reader finds the old checkpoint or the new one,
   * never a part; saves of one case's checkpoint are renamed in the order they were asked for, so an
   * older one never replaces a newer one.
   */
  save(
    genesisLine: Buffer,
    facts: CaseFacts,
    offset: number,
    prefixSha256: string,
    trust: readonly TrustOrigin[] = [],
  ): Promise<void> {
    const copy = structuredClone(facts);
    const origins = trust.map(({ at, before }) => ({ at, before }));
    const file = this.fileFor(genesisLine);
    return this.saving.run(file, () => this.write(file, copy, offset, prefixSha256, origins));
  }

  private async write(
    file: string,
    facts: CaseFacts,
    offset: number,
    prefixSha256: string,
    trust: TrustOrigin[],
  ): Promise<void> {
    const replay = await fingerprint();
    if (!replay) return;
    const checkpoint: Checkpoint = { format: FORMAT, replay, offset, prefixSha256, facts, trust };
    const temporary = `${file}.${randomBytes(12).toString("hex")}.tmp`;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    try {
      await writeFile(temporary, JSON.stringify(checkpoint), { mode: 0o600, flag: "wx" });
      await rename(temporary, file);
    } catch (error) {
      // EEXIST: the name is another's (12 random bytes make that all but impossible): not ours to remove.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") await rm(temporary, { force: true });
      throw error;
    }
  }
}

/**
 * A checkpoint file's text, or null when it is not a regular file of at most MAX_FILE bytes (looked
 * at before reading: a FIFO, a device or a link put in its place is never read).
 */
async function readCheckpointFile(file: string): Promise<string | null> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => null);
  if (!handle) return null;
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > MAX_FILE) return null;
    const bytes = await handle.readFile();
    return bytes.length > MAX_FILE ? null : bytes.toString("utf8");
  } finally {
    await handle.close();
  }
}

/** The ledger's first line with its newline, or null when it has none in its first 64 KiB. */
async function firstLine(ledger: FileHandle): Promise<Buffer | null> {
  const buffer = Buffer.alloc(1 << 16);
  const { bytesRead } = await ledger.read(buffer, 0, buffer.length, 0);
  const end = buffer.subarray(0, bytesRead).indexOf(0x0a);
  return end < 0 ? null : buffer.subarray(0, end + 1);
}

/** Whether the first `length` bytes of `file` end with a newline and have the SHA-256 `expected`. */
async function hashesTo(file: FileHandle, length: number, expected: string): Promise<boolean> {
  if (length <= 0) return false;
  const hasher = createHash("sha256");
  const buffer = Buffer.allocUnsafe(Math.min(CHUNK, length));
  let last = 0;
  for (let at = 0; at < length;) {
    const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, length - at), at);
    if (bytesRead === 0) return false;
    hasher.update(buffer.subarray(0, bytesRead));
    last = buffer[bytesRead - 1]!;
    at += bytesRead;
  }
  return last === 0x0a && hasher.digest("hex") === expected;
}

/**
 * The keys established by the lines at `origins` of a ledger already found to be the checkpoint's
 * bytes (`size` of them), checked by the trust rule; null when the origins are not a list of such
 * lines in ledger order (trustFromLines) or any line does not establish its key.
 */
async function trustAt(ledger: FileHandle, origins: unknown, size: number): Promise<Map<string, Examiner> | null> {
  if (!Array.isArray(origins) || origins.length === 0 || origins.length > 1000) return null;
  const lines: { line: Uint8Array; at: number; before: Uint8Array | null }[] = [];
  for (const origin of origins as unknown[]) {
    const { at, before } = (origin ?? {}) as Partial<TrustOrigin>;
    const isOffset = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0 && (n as number) < size;
    if (!isOffset(at) || (before !== null && (!isOffset(before) || before >= at))) return null;
    if ((before === null) !== (at === 0)) return null;
    const line = await lineAt(ledger, at, size);
    const previous = before === null ? null : await lineAt(ledger, before, size);
    // The line before must end just where this one starts.
    if (!line || (before !== null && (!previous || before + previous.length + 1 !== at))) return null;
    lines.push({ line, at, before: previous });
  }
  return trustFromLines(lines, nodeLedgerCrypto);
}

/** The line starting at `at` (just after a newline, or at 0), without its newline; null when it is not one. */
async function lineAt(file: FileHandle, at: number, size: number): Promise<Buffer | null> {
  if (at > 0) {
    const mark = Buffer.alloc(1);
    await file.read(mark, 0, 1, at - 1);
    if (mark[0] !== 0x0a) return null;
  }
  const buffer = Buffer.alloc(Math.min(MAX_LINE, size - at));
  const { bytesRead } = await file.read(buffer, 0, buffer.length, at);
  const end = buffer.subarray(0, bytesRead).indexOf(0x0a);
  return end < 0 ? null : buffer.subarray(0, end);
}
