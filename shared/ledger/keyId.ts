import type { LedgerCrypto } from "./cryptoProvider.js";

/**
 * An examiner key's id: `ed25519:` and the first 32 hex digits of the SHA-256
 * of the base64 SPKI text (reproducible with `printf %s "$KEY" | sha256sum`).
 */
export function keyIdFor(publicKeySpkiB64: string, crypto: LedgerCrypto): string {
  return `ed25519:${crypto.sha256Hex(publicKeySpkiB64).slice(0, 32)}`;
}
