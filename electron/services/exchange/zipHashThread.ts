/**
 * The thread that hashes a bundle's zip as it is written (zipDigest.ts): the SHA-256 of every
 * byte read from the ring (zipRing.ts), in order, and of each file's bytes under its tag. A file's
 * digest is posted once its whole size has arrived; bytes past a file's size, or another file's
 * bytes before it is whole, are an error. TAG_END answers with the zip's digest.
 */
import { createHash, type Hash } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import { TAG_END, TAG_ZIP, readRing, type SharedRing, type ThreadMessage } from "./zipRing.js";

const post = (message: ThreadMessage) => parentPort!.postMessage(message);
const zip = createHash("sha256");
let current: { index: number; hash: Hash; left: number } | null = null;

readRing(workerData as SharedRing, (tag, fileSize, bytes) => {
  if (tag === TAG_END) {
    if (current) {
      post({ error: `file ${current.index} ended ${current.left} bytes short in the zip` });
      return false;
    }
    post({ sha256: zip.digest("hex") });
    return false;
  }
  zip.update(bytes);
  if (tag === TAG_ZIP) {
    if (current) {
      post({ error: `file ${current.index} ended ${current.left} bytes short in the zip` });
      return false;
    }
    return true;
  }
  current ??= { index: tag, hash: createHash("sha256"), left: fileSize };
  if (current.index !== tag || bytes.length > current.left) {
    post({ error: `the bytes of file ${tag} did not arrive in order in the zip` });
    return false;
  }
  current.hash.update(bytes);
  current.left -= bytes.length;
  if (current.left === 0) {
    post({ file: tag, sha256: current.hash.digest("hex") });
    current = null;
  }
  return true;
});
