/**
 * The cryptography the pure ledger logic needs, injected so `shared/` stays free
 * of Node and DOM. The Node side passes `node:crypto`; a browser could pass
 * WebCrypto wrappers.
 */
export interface LedgerCrypto {
  /** Lower-case hex SHA-256 of the UTF-8 bytes of `text`. */
  sha256Hex(text: string): string;
  /**
   * True when `signatureB64` is a valid Ed25519 signature of `message` under
   * the key whose DER SubjectPublicKeyInfo is `publicKeySpkiB64` (base64).
   */
  verifyEd25519(publicKeySpkiB64: string, message: Uint8Array, signatureB64: string): boolean;
}

/** Bytes of a lower-case or upper-case hex string; throws on anything else. */
export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new TypeError("not a hex string");
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
