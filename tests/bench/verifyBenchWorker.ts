/**
 * The signature benchmark's baseline thread: plain node:crypto Ed25519 verify with a cached
 * KeyObject, nothing else. Receives flat [publicKey, hash, sig, ...] arrays; answers with how
 * many were valid.
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { parentPort } from "node:worker_threads";

const keys = new Map<string, KeyObject>();

parentPort!.on("message", (checks: string[]) => {
  let valid = 0;
  for (let i = 0; i < checks.length; i += 3) {
    const publicKey = checks[i]!;
    let key = keys.get(publicKey);
    if (!key) {
      key = createPublicKey({ key: Buffer.from(publicKey, "base64"), format: "der", type: "spki" });
      keys.set(publicKey, key);
    }
    if (verify(null, Buffer.from(checks[i + 1]!, "hex"), key, Buffer.from(checks[i + 2]!, "base64"))) valid++;
  }
  parentPort!.postMessage(valid);
});
