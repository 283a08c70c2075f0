/** The ledger's cryptography on Node: `node:crypto`'s SHA-256 and Ed25519. */
import { createHash, createPublicKey, verify } from "node:crypto";
import type { LedgerCrypto } from "../../../shared/ledger/cryptoProvider.js";

export const nodeLedgerCrypto: LedgerCrypto = {
  sha256Hex: (text) => createHash("sha256").update(text, "utf8").digest("hex"),
  verifyEd25519(publicKeySpkiB64, message, signatureB64) {
    const key = createPublicKey({ key: Buffer.from(publicKeySpkiB64, "base64"), format: "der", type: "spki" });
    if (key.asymmetricKeyType !== "ed25519") return false;
    return verify(null, message, key, Buffer.from(signatureB64, "base64"));
  },
};
