/**
 * The one module that appends to a case's ledger (STYLE rule 7).
 *
 * A writer holds the case's lock for as long as it is open: one writer per
 * case. The lock is proper-lockfile's lock folder beside the ledger, refreshed
 * while we hold it; a crashed writer's lock goes stale after a few seconds and
 * the next writer takes it over. On opening, the writer refuses a case folder
 * that is not as Sightline writes it (vault/caseLayout.ts) or whose case.json
 * disagrees with the keys its ledger establishes (caseTrust.ts), then finishes
 * what a crashed one left (crashRecovery.ts): an unfinished last line moved
 * aside into `recovered/` (and the move recorded), and vault objects an import
 * renamed into place before its events were written removed.
 */
import { randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
import path from "node:path";
import lockfile from "proper-lockfile";
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import { hexToBytes } from "../../../shared/ledger/cryptoProvider.js";
import { eventHash } from "../../../shared/ledger/eventHash.js";
import type { EventDraft, LedgerEvent, UnsignedEvent } from "../../../shared/ledger/events.js";
import { isWellFormed, isWellFormedDeep } from "../../../shared/ledger/ledgerLine.js";
import type { ExaminerKey } from "../examiners/keyStore.js";
import { trustedExaminers, TrustCarry } from "./caseTrust.js";
import { cutTornTail, removeUncommittedObjects } from "./crashRecovery.js";
import { rollBackUnfinishedRestores } from "../import/restoreRecovery.js";
import { nodeLedgerCrypto } from "./nodeLedgerCrypto.js";
import { assertOpenAfter, submissionTime } from "../training/exerciseFreeze.js";
import { SightlineError } from "../sightlineError.js";
import { assertCaseLayout, openCaseOwnFile } from "../vault/caseLayout.js";

export interface LedgerWriterOptions {
  key: ExaminerKey;
  clock?: () => Date;
  /** How long to wait for another writer to finish, in ms. */
  lockWaitMs?: number;
  /**
   * A restore is about to replace damaged vault copies: a link, folder or special file where an
   * object belongs is tolerated (it is set aside, never followed). Every other layout fault still refuses.
   */
  isRestoring?: boolean;
}

export { INTENT_SUFFIX, STAGED_SUFFIX } from "./crashRecovery.js";

const LOCK_STALE_MS = 5_000;

export class LedgerWriter {
  private head: { seq: number; hash: string };
  private released = false;
  private compromised: Error | null = null;
  private appending: Promise<unknown> = Promise.resolve();
  /** When the case's exercise was submitted (training/exerciseFreeze.ts): what may follow is then limited. */
  private submittedAt: string | null = null;
  /** The keys the ledger trusts, carried across this writer's own appends (caseTrust.ts). */
  private trust: TrustCarry | null = null;

  private constructor(
    readonly caseDir: string,
    private readonly handle: FileHandle,
    private readonly release: () => Promise<void>,
    private readonly options: Required<Pick<LedgerWriterOptions, "clock">> & LedgerWriterOptions,
    head: { seq: number; hash: string },
  ) {
    this.head = head;
  }

  /** Takes the case's lock, recovers from any crashed writer, and opens the ledger for appending. */
  static async open(caseDir: string, options: LedgerWriterOptions): Promise<LedgerWriter> {
    const ledgerPath = path.join(caseDir, CASE_PATHS.ledger);
    // Before the lock: its folder is made beside the ledger, and neither may lead out of the case.
    await assertCaseLayout(caseDir, { allowDamagedObjects: options.isRestoring === true });
    const compromisedBox: { writer?: LedgerWriter; early?: Error } = {};
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(ledgerPath, {
        stale: LOCK_STALE_MS,
        update: LOCK_STALE_MS / 5,
        retries: {
          retries: Math.ceil((options.lockWaitMs ?? 15_000) / 500),
          factor: 1,
          minTimeout: 500,
          maxTimeout: 500,
        },
        onCompromised: (error) => {
          if (compromisedBox.writer) compromisedBox.writer.compromised = error;
          else compromisedBox.early = error;
        },
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ELOCKED") {
        throw new SightlineError(
          "locked",
          `${caseDir} is being written by another Sightline process; try again when it has finished`,
        );
      }
      if (code === "ENOENT")
        throw new SightlineError("not-a-case", `${caseDir} has no ledger.jsonl: it is not a Sightline case`);
      throw error;
    }
    try {
      const opts = { clock: () => new Date(), ...options };
      const torn = await cutTornTail(caseDir);
      await assertTrusted(caseDir, options.key, options.isRestoring === true);
      await rollBackUnfinishedRestores(caseDir);
      await removeUncommittedObjects(caseDir);
      const { line, ...head } = await readHead(ledgerPath);
      // Appends go through this one handle, opened without following a link.
      const handle = await openCaseOwnFile(caseDir, CASE_PATHS.ledger, constants.O_WRONLY | constants.O_APPEND);
      const writer = new LedgerWriter(caseDir, handle, release, opts, head);
      writer.submittedAt = await submissionTime(caseDir);
      writer.trust = await TrustCarry.begin(caseDir, handle, line);
      compromisedBox.writer = writer;
      if (compromisedBox.early) writer.compromised = compromisedBox.early;
      if (torn) await writer.append([{ type: "ledger.recovered", payload: torn }]);
      return writer;
    } catch (error) {
      await release().catch(() => undefined);
      throw error;
    }
  }

  get currentHead(): { seq: number; hash: string } {
    return { ...this.head };
  }

  get examinerKey(): ExaminerKey {
    return this.options.key;
  }

  /**
   * Signs and appends events in one write, then fsyncs. Returns them as written.
   * Either all of them are in the ledger afterwards or (after a crash) none or a
   * prefix of them, which recovery handles.
   */
  append(drafts: readonly EventDraft[]): Promise<LedgerEvent[]> {
    // Appends are queued: each one chains from the head the previous one left.
    const result = this.appending.then(() => this.appendNow(drafts));
    this.appending = result.catch(() => undefined);
    return result;
  }

  private async appendNow(drafts: readonly EventDraft[]): Promise<LedgerEvent[]> {
    if (this.released) throw new Error("ledger writer is closed");
    if (this.compromised) {
      throw new SightlineError("locked", `lost the case lock (${this.compromised.message}); nothing more was written`);
    }
    assertOpenAfter(
      this.submittedAt,
      drafts.map((d) => d.type),
    );
    const { key, clock } = this.options;
    const events: LedgerEvent[] = [];
    let { seq, hash } = this.head;
    for (const draft of drafts) {
      const unsigned: UnsignedEvent = {
        seq: seq + 1,
        id: randomUUID(),
        ts: clock().toISOString(),
        actor: key.keyId,
        type: draft.type,
        payload: wellFormedPayload(draft.payload as Record<string, unknown>),
        prev: hash,
      };
      const eventHashHex = eventHash(unsigned, nodeLedgerCrypto);
      const event: LedgerEvent = { ...unsigned, hash: eventHashHex, sig: key.sign(hexToBytes(eventHashHex)) };
      events.push(event);
      seq = event.seq;
      hash = event.hash;
    }
    if (events.length === 0) return events;
    const text = events.map((e) => `${JSON.stringify(e)}\n`).join("");
    await this.trust?.appending();
    await this.handle.write(text);
    await this.handle.datasync();
    await this.trust?.appended(text);
    this.head = { seq, hash };
    this.submittedAt ??= events.find((e) => e.type === "exercise.submitted")?.ts ?? null;
    return events;
  }

  async close(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.handle.close();
    await this.release().catch(() => undefined);
  }
}

/** Creates a new ledger with its genesis event. The folder must be new; no lock is needed yet. */
export async function writeGenesis(
  ledgerPath: string,
  key: ExaminerKey,
  payload: EventDraft<"case.created">["payload"],
  clock: () => Date,
): Promise<LedgerEvent> {
  const unsigned: UnsignedEvent = {
    seq: 0,
    id: randomUUID(),
    ts: clock().toISOString(),
    actor: key.keyId,
    type: "case.created",
    payload: payload as unknown as Record<string, unknown>,
    prev: null,
  };
  const hash = eventHash(unsigned, nodeLedgerCrypto);
  const event: LedgerEvent = { ...unsigned, hash, sig: key.sign(hexToBytes(hash)) };
  const handle = await open(ledgerPath, "wx", 0o600);
  try {
    await handle.write(`${JSON.stringify(event)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return event;
}

/** The seq and hash of the ledger's last event, and its line, read from its tail. */
async function readHead(ledgerPath: string): Promise<{ seq: number; hash: string; line: Buffer }> {
  const last = await readLastLine(ledgerPath);
  if (last === null) throw new SightlineError("not-a-case", `${ledgerPath} is empty: the case has no genesis event`);
  try {
    const event = JSON.parse(last.toString("utf8")) as LedgerEvent;
    if (typeof event.seq !== "number" || typeof event.hash !== "string") throw new Error("no seq/hash");
    // The head must be the hash its content gives; anything else would chain new events to a lie.
    if (eventHash(event, nodeLedgerCrypto) !== event.hash) throw new Error("hash mismatch");
    return { seq: event.seq, hash: event.hash, line: last };
  } catch {
    throw new SightlineError(
      "io-error",
      `the last line of ${ledgerPath} is not a valid event; run "sightline verify" and resolve that before writing to this case`,
    );
  }
}

/** The last complete line of a file (without its line end), reading backwards from the end. */
async function readLastLine(file: string): Promise<Buffer | null> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    if (size === 0) return null;
    const chunk = 64 * 1024;
    let end = size;
    let buffer = Buffer.alloc(0);
    // Skip the final newline, then read back until the one before it.
    while (end > 0) {
      const start = Math.max(0, end - chunk);
      const part = Buffer.alloc(end - start);
      await handle.read(part, 0, part.length, start);
      buffer = Buffer.concat([part, buffer]);
      end = start;
      const body = buffer[buffer.length - 1] === 0x0a ? buffer.subarray(0, -1) : buffer;
      const newline = body.lastIndexOf(0x0a);
      if (newline >= 0) return body.subarray(newline + 1);
    }
    return buffer[buffer.length - 1] === 0x0a ? buffer.subarray(0, -1) : buffer;
  } finally {
    await handle.close();
  }
}

/** The writer's key must be one the ledger itself trusts. */
async function assertTrusted(caseDir: string, key: ExaminerKey, isRestoring: boolean): Promise<void> {
  const entry = (await trustedExaminers(caseDir, { allowDamagedObjects: isRestoring })).find(
    (e) => e.keyId === key.keyId,
  );
  if (!entry || entry.publicKey !== key.publicKey) {
    throw new SightlineError(
      "no-key",
      `${key.name}'s key ${key.keyId} is not one this case's ledger trusts; nothing was written (an examiner of the case can add it with "sightline examiner add")`,
    );
  }
}

/** Lone UTF-16 surrogates (from a crafted tag, say) become U+FFFD: every reader must see the same text. */
function wellFormedPayload(payload: Record<string, unknown>): Record<string, unknown> {
  if (isWellFormedDeep(payload)) return payload;
  const fix = (value: unknown): unknown => {
    if (typeof value === "string") return isWellFormed(value) ? value : value.replace(/\p{Cs}/gu, "\uFFFD");
    if (Array.isArray(value)) return value.map(fix);
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [fix(k) as string, fix(v)]));
    }
    return value;
  };
  return fix(payload) as Record<string, unknown>;
}

/** True when a file exists (any type). */
export async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
