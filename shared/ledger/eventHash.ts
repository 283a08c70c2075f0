/** The hash rule of a ledger event, shared by the writer and the verifier. */
import { canonicalJson } from "./canonicalJson.js";
import type { LedgerCrypto } from "./cryptoProvider.js";
import type { LedgerEvent, UnsignedEvent } from "./events.js";

/** The fields an event hash covers, in no particular order (JCS sorts them). */
export function unsignedPart(event: LedgerEvent | UnsignedEvent): UnsignedEvent {
  const { seq, id, ts, actor, type, payload, prev } = event;
  return { seq, id, ts, actor, type, payload, prev };
}

/** SHA-256 (hex) of the canonical JSON of the event without `hash` and `sig`. */
export function eventHash(event: LedgerEvent | UnsignedEvent, crypto: LedgerCrypto): string {
  return crypto.sha256Hex(canonicalJson(unsignedPart(event)));
}
