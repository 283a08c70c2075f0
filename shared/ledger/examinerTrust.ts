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
  const trusted = new Map<string, Examiner>();
  let previous: Uint8Array | null = null;
  for (let start = 0, index = 0; start < bytes.length; index++) {
    const end = bytes.indexOf(0x0a, start);
    if (end < 0) break; // an unfinished last line is no event
    const lineBytes = bytes.subarray(start, end);
    const before = previous;
    previous = lineBytes;
    start = end + 1;
    // "examiner.added" can hide behind \u escapes; a line with neither is not one.
    if (index > 0) {
      const text = lenient.decode(lineBytes);
      if (!text.includes("examiner") && !text.includes("\\u")) continue;
    }
    const event = strictEvent(lineBytes);
    if (index === 0) {
      const genesis = CaseCreatedPayload.safeParse(event?.payload);
      if (!event || event.type !== "case.created" || event.seq !== 0 || event.prev !== null || !genesis.success) break;
      const examiner = genesis.data.examiner;
      if (examinerKeyFault(examiner, trusted, crypto) !== null || event.actor !== examiner.keyId) break;
      if (!hashAndSignatureHold(event, examiner, crypto)) break;
      trusted.set(examiner.keyId, examiner);
      continue;
    }
    if (!event || event.type !== "examiner.added") continue;
    const added = ExaminerAddedPayload.safeParse(event.payload);
    const signer = trusted.get(event.actor);
    if (!added.success || !signer || examinerKeyFault(added.data.examiner, trusted, crypto) !== null) continue;
    const link = before ? strictEvent(before) : null;
    if (!link || event.seq !== link.seq + 1 || event.prev !== link.hash) continue;
    if (!hashAndSignatureHold(event, signer, crypto)) continue;
    trusted.set(added.data.examiner.keyId, added.data.examiner);
  }
  return trusted;
}

const lenient = new TextDecoder("utf-8");

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
