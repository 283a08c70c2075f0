/**
 * The SHA-256 of a bundle's zip, taken on a thread of its own while the zip is written: the main
 * thread already hashes every file it puts in (and yazl its CRC-32), so the whole zip's digest
 * there was a second full pass on the same core. Each chunk on its way to the file is copied to
 * the hashing thread (a copy costs far less than hashing it); at most `MAX_IN_FLIGHT` bytes wait
 * there, beyond which the stream holds its chunk until the thread catches up, so memory stays
 * flat whatever the bundle's size.
 */
import { Transform } from "node:stream";
import { Worker } from "node:worker_threads";

const MAX_IN_FLIGHT = 32 << 20;

export interface ZipDigest {
  /** Pass the zip through this on its way to the file. */
  stream: Transform;
  /** The digest and byte count, once the stream has ended. */
  result(): Promise<{ sha256: string; size: number }>;
  /** Stops the thread (after a failure; `result` stops it itself). */
  close(): Promise<void>;
}

export function zipDigest(): ZipDigest {
  const worker = new Worker(new URL("./zipHashThread.js", import.meta.url));
  let size = 0;
  let inFlight = 0;
  let waiting: (() => void) | null = null;
  let digest: ((sha256: string) => void) | null = null;
  let failure: Error | null = null;
  const failed: ((error: Error) => void)[] = [];
  const fail = (error: Error) => {
    failure ??= error;
    for (const f of failed.splice(0)) f(failure);
    // Cleared before it runs: a "done" arriving after the failure must not release the chunk again.
    const go = waiting;
    waiting = null;
    go?.();
  };
  worker.on("message", (m: { done: number } | { sha256: string }) => {
    if ("done" in m) {
      inFlight -= m.done;
      if (waiting && inFlight <= MAX_IN_FLIGHT / 2) {
        const go = waiting;
        waiting = null;
        go();
      }
    } else digest?.(m.sha256);
  });
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`the zip hashing thread stopped (exit ${code})`)));

  const stream = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      if (failure) return next(failure);
      size += chunk.length;
      inFlight += chunk.length;
      // An exact copy, handed over: posting a view would copy its whole backing buffer (often a
      // shared pool far larger than the chunk), which the in-flight count would not see.
      const copy = new Uint8Array(chunk);
      worker.postMessage(copy, [copy.buffer]);
      if (inFlight <= MAX_IN_FLIGHT) return next(null, chunk);
      waiting = () => next(failure, failure ? undefined : chunk);
    },
  });
  return {
    stream,
    result: () =>
      new Promise<{ sha256: string; size: number }>((resolve, reject) => {
        if (failure) return reject(failure);
        failed.push(reject);
        digest = (sha256) => {
          failed.length = 0;
          void worker.terminate();
          resolve({ sha256, size });
        };
        worker.postMessage("end");
      }),
    close: async () => {
      await worker.terminate();
    },
  };
}
