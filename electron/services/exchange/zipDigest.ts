/**
 * The SHA-256 of a bundle's zip, and of every file in it, taken on a thread of its own from the
 * zip's own bytes as they go to the file. The main thread reads, computes yazl's CRC-32 and
 * writes; hashing on it as well made it the bottleneck, and on a busy machine the export fell
 * well behind `zip -0` (which only computes a CRC).
 *
 * The bytes reach the thread through a ring in shared memory (zipRing.ts) instead of one message
 * per chunk: posting a message per chunk cost the main thread about as much as the hashing it
 * saved. Each piece in the ring is tagged with the file it belongs to, found by its place in the
 * zip: a stored entry's bytes are the file's bytes, from the offset yazl has reached when it asks
 * for the file's stream (just after the entry's local header) for the file's size. A file's digest
 * is thus of the bytes that went into the zip. At most the ring's size waits for the thread, so
 * memory stays flat whatever the bundle's size.
 */
import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import { Worker } from "node:worker_threads";
import { RingWriter, TAG_END, TAG_ZIP, type ThreadMessage } from "./zipRing.js";

const EMPTY_SHA256 = createHash("sha256").digest("hex");

export interface ZipDigest {
  /** Pass the zip through this on its way to the file. */
  stream: Transform;
  /**
   * The file whose `size` bytes are the zip's bytes from offset `start` on (files in zip order);
   * resolves with their SHA-256 once they have passed.
   */
  fileAt(start: number, size: number): Promise<string>;
  /** The digest and byte count, once the stream has ended. */
  result(): Promise<{ sha256: string; size: number }>;
  /** Stops the thread (after a failure; `result` stops it itself). */
  close(): Promise<void>;
}

interface PendingFile {
  index: number;
  start: number;
  size: number;
  resolve: (sha256: string) => void;
  reject: (error: Error) => void;
}

export function zipDigest(): ZipDigest {
  const ring = new RingWriter();
  const worker = new Worker(new URL("./zipHashThread.js", import.meta.url), { workerData: ring.shared });
  /** Files not yet hashed whole, in zip order; the thread answers by index. */
  const files: PendingFile[] = [];
  let nextIndex = 0;
  let size = 0;
  let digest: ((sha256: string) => void) | null = null;
  let failure: Error | null = null;
  const failed: ((error: Error) => void)[] = [];
  const fail = (error: Error) => {
    failure ??= error;
    ring.fail(failure);
    for (const f of failed.splice(0)) f(failure);
    for (const file of files.splice(0)) file.reject(failure);
  };
  worker.on("message", (m: ThreadMessage) => {
    if ("file" in m) {
      const at = files.findIndex((f) => f.index === m.file);
      if (at >= 0) files.splice(at, 1)[0]!.resolve(m.sha256);
    } else if ("error" in m) fail(new Error(m.error));
    else digest?.(m.sha256);
  });
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`the zip hashing thread stopped (exit ${code})`)));

  /** Copies the chunk at zip offset `from` into the ring, each part under the file it lies in. */
  const put = async (chunk: Buffer, from: number) => {
    let at = 0;
    // A copy: a file the thread finishes during an await below leaves `files`, which must not
    // shift the files still to come in this chunk.
    for (const file of [...files]) {
      if (at >= chunk.length) break;
      const end = file.start + file.size;
      if (end <= from + at) continue;
      const begin = Math.max(file.start - from, at);
      if (begin >= chunk.length) break;
      if (begin > at) await ring.put(TAG_ZIP, 0, chunk.subarray(at, begin));
      const stop = Math.min(end - from, chunk.length);
      await ring.put(file.index, file.size, chunk.subarray(begin, stop));
      at = stop;
    }
    if (at < chunk.length) await ring.put(TAG_ZIP, 0, chunk.subarray(at));
  };

  const stream = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      if (failure) return next(failure);
      const from = size;
      size += chunk.length;
      put(chunk, from).then(
        () => next(failure, failure ? undefined : chunk),
        (error: Error) => next(error),
      );
    },
  });
  return {
    stream,
    fileAt: (start, fileSize) => {
      if (fileSize === 0) return Promise.resolve(EMPTY_SHA256);
      if (failure) return Promise.reject(failure);
      return new Promise<string>((resolve, reject) => {
        files.push({ index: nextIndex++, start, size: fileSize, resolve, reject });
      });
    },
    result: () =>
      new Promise<{ sha256: string; size: number }>((resolve, reject) => {
        if (failure) return reject(failure);
        failed.push(reject);
        digest = (sha256) => {
          failed.length = 0;
          void worker.terminate();
          resolve({ sha256, size });
        };
        ring.put(TAG_END, 0, Buffer.alloc(0)).catch(fail);
      }),
    close: async () => {
      await worker.terminate();
    },
  };
}
