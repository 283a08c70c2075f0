/**
 * Which keys a case trusts, by the rule of docs/LEDGER.md: the genesis event's examiner, then
 * each `examiner.added` signed by a key already trusted whose key id is the one its public key
 * gives. The verifier applies the rule line by line; writers use `establishTrust` to learn the
 * trusted keys from the ledger itself, never from `case.json` (DESIGN rule 5).
 */
import { hexToBytes, type LedgerCrypto } from "./cryptoProvider.js";
import { eventHash } from "./eventHash.js";
import {
  CaseCreatedPayload,
  ExaminerAddedPayload,
  LedgerEventSchema,
  type Examiner,
  type LedgerEvent,
} from "./events.js";
import { keyIdFor } from "./keyId.js";
import { readLedgerLine } from "./ledgerLine.js";

/**
 * Base64 of an Ed25519 SubjectPublicKeyInfo in DER: the fixed 12-byte header
 * (`302a300506032b6570032100`, "MCowBQYDK2VwAyEA") and 32 key bytes, canonically padded.
 */
const ED25519_SPKI_B64 = /^MCowBQYDK2VwAyEA[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/** Why `examiner` may not enter the trusted set, or null when it may. */
export function examinerKeyFault(
  examiner: Examiner,
  trusted: ReadonlyMap<string, Examiner>,
  crypto: LedgerCrypto,
): string | null {
  if (!ED25519_SPKI_B64.test(examiner.publicKey)) return "its public key is not an Ed25519 key";
  if (examiner.keyId !== keyIdFor(examiner.publicKey, crypto)) {
    return `its key id ${examiner.keyId} is not the one its public key gives`;
  }
  if (trusted.has(examiner.keyId)) return `key ${examiner.keyId} is already trusted`;
  return null;
}

/** True when `sigB64` is `signer`'s valid signature of the event hash `hashHex`. */
export function isSignedBy(crypto: LedgerCrypto, publicKey: string, hashHex: string, sigB64: string): boolean {
  try {
    return crypto.verifyEd25519(publicKey, hexToBytes(hashHex), sigB64);
  } catch {
    return false;
  }
}

/**
 * The keys the ledger's bytes establish, by exactly the rule the verifier applies: a line
 * grants trust only when it reads strictly (no fault), is a well-formed event, matches its
 * hash, is signed by a key already trusted and is linked in place (seq and prev). Cheap on a
 * large ledger: other lines are not parsed unless they could spell an examiner event.
 * Verification checks the rest.
 */
export function establishTrust(bytes: Uint8Array, crypto: LedgerCrypto): Map<string, Examiner> {
  return new TrustBuilder(crypto).feed(bytes).trusted;
}

/**
 * `establishTrust` fed a ledger a part at a time, each part whole lines (what follows the last
 * newline of a part is not read), as a replay reads a growing ledger. Also tells where each trusted
 * key was established: the byte offset of its line, so that a record of the result can be checked
 * against those lines alone (`trustFromLines`).
 */
export class TrustBuilder {
  readonly trusted = new Map<string, Examiner>();
  /**
   * Where each trusted key was established, in the order they were: the byte offsets of its line
   * and of the line before it (null for the genesis line).
   */
  readonly establishedAt = new Map<string, { at: number; before: number | null }>();
  /** Bytes of whole lines read so far. */
  private offset = 0;
  private previous: Uint8Array | null = null;
  private previousAt: number | null = null;
  /** Set when the first line is no valid genesis event: nothing is ever trusted then. */
  private isEnded = false;

  constructor(private readonly crypto: LedgerCrypto) {}

  /**
   * A builder that goes on after a ledger's first `offset` bytes, which establish `trusted` and end
   * with the line `lastLine` (given without its newline): fed only the lines appended after them, it
   * applies the rule to those lines alone, each judged with the keys trusted before it, as if it had
   * read the whole ledger. `establishedAt` then lists only the keys those lines establish.
   */
  static after(
    crypto: LedgerCrypto,
    trusted: ReadonlyMap<string, Examiner>,
    lastLine: Uint8Array,
    offset: number,
  ): TrustBuilder {
    const builder = new TrustBuilder(crypto);
    for (const [keyId, examiner] of trusted) builder.trusted.set(keyId, examiner);
    builder.isEnded = trusted.size === 0;
    builder.offset = offset;
    builder.previous = lastLine.slice();
    builder.previousAt = offset - lastLine.length - 1;
    return builder;
  }

  feed(bytes: Uint8Array): this {
    let previous = this.previous;
    let previousAt = this.previousAt;
    let start = 0;
    while (start < bytes.length && !this.isEnded) {
      const end = bytes.indexOf(0x0a, start);
      if (end < 0) break; // an unfinished last line is no event
      const lineBytes = bytes.subarray(start, end);
      const at = this.offset + start;
      const [before, beforeAt] = [previous, previousAt];
      [previous, previousAt] = [lineBytes, at];
      start = end + 1;
      // "examiner.added" can hide behind \u escapes; a line with neither is not one.
      if (at > 0 && !mayNameExaminer(lineBytes)) continue;
      const granted = grantedBy(lineBytes, before, at === 0, this.trusted, this.crypto);
      if (granted) {
        this.trusted.set(granted.keyId, granted);
        this.establishedAt.set(granted.keyId, { at, before: beforeAt });
      } else if (at === 0) this.isEnded = true;
    }
    this.offset += start;
    // A copy: the part read may be large, and only its last line is needed next time.
    this.previous = previous ? previous.slice() : null;
    this.previousAt = previousAt;
    return this;
  }
}

/**
 * The keys established by `lines` — the genesis line, then each line said to establish a key
 * with the line before it in the ledger, with its byte offset `at` — when every one of them does
 * by the rule, in order; null when any does not, or when they are not in ledger order (each line is
 * granted with the keys of the lines listed before it, which are the keys trusted before it in the
 * ledger only when those lines come first there: a key added by one not yet trusted must not
 * count). The lines come from a ledger already known to be the bytes a `TrustBuilder` read, so this
 * repeats its decisions for those lines only.
 */
export function trustFromLines(
  lines: readonly { line: Uint8Array; at: number; before: Uint8Array | null }[],
  crypto: LedgerCrypto,
): Map<string, Examiner> | null {
  const trusted = new Map<string, Examiner>();
  for (const [index, { line, at, before }] of lines.entries()) {
    if ((index === 0) !== (before === null) || (index === 0) !== (at === 0)) return null;
    if (index > 0 && !(at > lines[index - 1]!.at)) return null;
    const granted = grantedBy(line, before, index === 0, trusted, crypto);
    if (!granted) return null;
    trusted.set(granted.keyId, granted);
  }
  return trusted.size > 0 ? trusted : null;
}

/** The examiner a line newly establishes, given the keys trusted before it and the line before it. */
function grantedBy(
  lineBytes: Uint8Array,
  before: Uint8Array | null,
  isGenesis: boolean,
  trusted: ReadonlyMap<string, Examiner>,
  crypto: LedgerCrypto,
): Examiner | null {
  const event = strictEvent(lineBytes);
  if (isGenesis) {
    const genesis = CaseCreatedPayload.safeParse(event?.payload);
    if (!event || event.type !== "case.created" || event.seq !== 0 || event.prev !== null || !genesis.success) {
      return null;
    }
    const examiner = genesis.data.examiner;
    if (examinerKeyFault(examiner, trusted, crypto) !== null || event.actor !== examiner.keyId) return null;
    return hashAndSignatureHold(event, examiner, crypto) ? examiner : null;
  }
  if (!event || event.type !== "examiner.added") return null;
  const added = ExaminerAddedPayload.safeParse(event.payload);
  const signer = trusted.get(event.actor);
  if (!added.success || !signer || examinerKeyFault(added.data.examiner, trusted, crypto) !== null) return null;
  const link = before ? strictEvent(before) : null;
  if (!link || event.seq !== link.seq + 1 || event.prev !== link.hash) return null;
  return hashAndSignatureHold(event, signer, crypto) ? added.data.examiner : null;
}

const EXAMINER = new TextEncoder().encode("examiner");

/**
 * Whether the line's text holds "examiner" or "\u". Searched in the bytes (both are ASCII, and an
 * ASCII byte in UTF-8 is always that character, so this is the test on the decoded text) without
 * decoding each line: the rare "x" first, then its neighbours.
 */
function mayNameExaminer(line: Uint8Array): boolean {
  for (let at = line.indexOf(0x5c); at >= 0; at = line.indexOf(0x5c, at + 1)) {
    if (line[at + 1] === 0x75) return true;
  }
  for (let at = line.indexOf(0x78, 1); at >= 0; at = line.indexOf(0x78, at + 1)) {
    if (at + EXAMINER.length - 1 > line.length) return false;
    let isMatch = true;
    for (let i = 0; i < EXAMINER.length && isMatch; i++) isMatch = line[at - 1 + i] === EXAMINER[i];
    if (isMatch) return true;
  }
  return false;
}

/** The event on a line that reads with no fault at all, or null. */
function strictEvent(bytes: Uint8Array): LedgerEvent | null {
  const reading = readLedgerLine(bytes);
  if (!reading.ok || reading.faults.length > 0 || !LedgerEventSchema.safeParse(reading.value).success) return null;
  return reading.value as unknown as LedgerEvent;
}

function hashAndSignatureHold(event: LedgerEvent, signer: Examiner, crypto: LedgerCrypto): boolean {
  try {
    return eventHash(event, crypto) === event.hash && isSignedBy(crypto, signer.publicKey, event.hash, event.sig);
  } catch {
    return false;
  }
}

/** The examiner list in a form two lists can be compared by: order ignored, every field counted. */
export function examinerListKey(list: Iterable<Examiner>): string {
  return [...list]
    .map((e) => JSON.stringify([e.keyId, e.publicKey, e.name]))
    .sort()
    .join("\n");
}
