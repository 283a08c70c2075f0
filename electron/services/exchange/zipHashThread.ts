/**
 * The thread that hashes a bundle's zip as it is written (zipDigest.ts): SHA-256 of every chunk
 * it is sent, in order, each acknowledged with its length so the writer can bound what is in
 * flight; "end" answers with the digest.
 */
import { createHash } from "node:crypto";
import { parentPort } from "node:worker_threads";

const hash = createHash("sha256");
parentPort!.on("message", (message: Uint8Array | "end") => {
  if (message === "end") {
    parentPort!.postMessage({ sha256: hash.digest("hex") });
    return;
  }
  hash.update(message);
  parentPort!.postMessage({ done: message.byteLength });
});
