/**
 * One staging thread (stageThreads.ts). It does the CPU work of an import away from the main
 * thread: whole small files (read, hash, write: smallObject.ts), and the hashing of large files,
 * whose chunks the main thread reads into shared memory and writes out itself while this thread
 * hashes them. Messages for one file arrive in order, so each hasher sees the bytes in order.
 */
import { createHash, type Hash } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import type { HashAlgorithm } from "../../../shared/ledger/events.js";
import { smallBuffer, stageSmallSync, type SmallStageRequest, type SmallStageResult } from "./smallObject.js";

export type ToStageThread =
  | { type: "small"; files: { id: number; request: SmallStageRequest }[] }
  | { type: "begin"; id: number; algorithm: HashAlgorithm }
  | { type: "chunk"; id: number; ack: number; memory: SharedArrayBuffer; offset: number; length: number }
  | { type: "end"; id: number; ack: number }
  | { type: "drop"; id: number };

export type FromStageThread =
  { type: "small"; id: number; result: SmallStageResult } | { type: "ack"; ack: number; digest?: string };

if (!parentPort) throw new Error("stageThread.js runs only as a staging thread of an import");
const port = parentPort;
const buffer = smallBuffer();
/** The id of the small file being staged, 0 between files: read by the main thread if this thread dies. */
const staging = (workerData as { staging: Int32Array }).staging;
const hashers = new Map<number, Hash>();

port.on("message", (message: ToStageThread) => {
  switch (message.type) {
    case "small":
      // Each answered as soon as it is staged, so the main thread hands out the next meanwhile.
      for (const { id, request } of message.files) {
        Atomics.store(staging, 0, id);
        const result = stageSmallSync(request, buffer);
        Atomics.store(staging, 0, 0);
        port.postMessage({ type: "small", id, result } satisfies FromStageThread);
      }
      return;
    case "begin":
      hashers.set(message.id, createHash(message.algorithm));
      return;
    case "chunk":
      // A file dropped meanwhile (a failed upload) has no hasher left: the chunk is simply acknowledged.
      hashers.get(message.id)?.update(new Uint8Array(message.memory, message.offset, message.length));
      port.postMessage({ type: "ack", ack: message.ack } satisfies FromStageThread);
      return;
    case "end": {
      const digest = hashers.get(message.id)?.digest("hex");
      hashers.delete(message.id);
      port.postMessage({ type: "ack", ack: message.ack, digest } satisfies FromStageThread);
      return;
    }
    case "drop":
      hashers.delete(message.id);
      return;
  }
});
