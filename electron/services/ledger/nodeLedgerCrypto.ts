/**
 * The ledger's cryptography on Node: `node:crypto`'s SHA-256 and Ed25519.
 * Owns a small cache of public keys: a case has a handful of examiner keys but
 * one signature per event, and parsing the DER key once per event cost more
 * than the verification itself.
 */
import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";
import type { LedgerCrypto } from "../../../shared/ledger/cryptoProvider.js";

/** More keys than any real case holds; a hostile ledger naming thousands only evicts the oldest. */
const KEY_CACHE_LIMIT = 64;
const keyCache = new Map<string, KeyObject>();

/**
 * The Ed25519 public key whose DER SubjectPublicKeyInfo is `spkiB64` (canonical
 * base64), cached by its text. Throws when the text is not such a key.
 */
export function ed25519PublicKey(spkiB64: string): KeyObject {
  const cached = keyCache.get(spkiB64);
  if (cached) return cached;
  const der = Buffer.from(spkiB64, "base64");
  if (der.toString("base64") !== spkiB64) throw new TypeError("the public key is not canonical base64");
  const key = createPublicKey({ key: der, format: "der", type: "spki" });
  if (key.asymmetricKeyType !== "ed25519") throw new TypeError("the public key is not an Ed25519 key");
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value!);
  keyCache.set(spkiB64, key);
  return key;
}

/**
 * The 64 bytes of an Ed25519 signature written as canonical base64, or null.
 * Node's base64 decoder skips stray characters, so a round trip is what makes
 * the check strict: only the one spelling the writer produces is accepted.
 */
export function ed25519Signature(signatureB64: string): Buffer | null {
  const sig = Buffer.from(signatureB64, "base64");
  return sig.length === 64 && sig.toString("base64") === signatureB64 ? sig : null;
}

export const nodeLedgerCrypto: LedgerCrypto = {
  sha256Hex: (text) => createHash("sha256").update(text, "utf8").digest("hex"),
  verifyEd25519(publicKeySpkiB64, message, signatureB64) {
    let key: KeyObject;
    try {
      key = ed25519PublicKey(publicKeySpkiB64);
    } catch {
      return false;
    }
    const sig = ed25519Signature(signatureB64);
    return sig !== null && verify(null, message, key, sig);
  },
};
