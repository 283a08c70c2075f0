/**
 * The staging threads of one import (see stageThread.ts). Hashing and small-file copying are CPU
 * work; on the main thread they ran one after another with the reads and writes, and each
 * algorithm of a case's set after the other. Here a large file's chunks are hashed on a thread
 * per algorithm while the main thread reads the next chunk and writes the last one, and small
 * files are staged whole on the threads while the main thread commits.
 *
 * A thread that dies fails what it was doing with a one-line reason, and every later request
 * too: the import stops staging, keeps nothing half-done, and says why.
 */
import os from "node:os";
import { Worker } from "node:worker_threads";
import type { HashAlgorithm } from "../../../shared/ledger/events.js";
import { SightlineError } from "../sightlineError.js";
import type { SmallStageRequest, SmallStageResult } from "./smallObject.js";
import type { FromStageThread, ToStageThread } from "./stageThread.js";

interface Pending {
  thread: Thread;
  resolve: (value: string | undefined) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  number: number;
  /** Requests sent and not yet answered: new small files go to the least loaded thread. */
  load: number;
}

/** Hashes a large file's chunks, as read, on the staging threads. */
export interface ChunkHashing {
  /** Resolves once every algorithm has taken in `length` bytes of `chunk` (shared memory), in order. */
  update(chunk: Uint8Array, length: number): Promise<void>;
  /** The digests, once every chunk is in. */
  digests(): Promise<Partial<Record<HashAlgorithm, string>> & { sha256: string }>;
  /** Forgets the file (after a failure or a cancel). */
  drop(): void;
}

export class StageThreads {
  private readonly threads: Thread[];
  private readonly small = new Map<
    number,
    { thread: Thread; resolve: (r: SmallStageResult) => void; reject: (e: Error) => void }
  >();
  private readonly acks = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;

  /** `count` threads (by default one per core, at least two so hashing overlaps a copy). */
  constructor(count = Math.max(2, Math.min(4, os.availableParallelism()))) {
    this.threads = Array.from({ length: count }, (_, i) => this.spawn(i + 1));
  }

  get size(): number {
    return this.threads.length;
  }

  /** Stages one small file on the least loaded thread. */
  stageSmall(request: SmallStageRequest): Promise<SmallStageResult> {
    if (this.failure) return Promise.reject(this.failure);
    const thread = this.threads.reduce((a, b) => (b.load < a.load ? b : a));
    const id = this.nextId++;
    thread.load++;
    return new Promise((resolve, reject) => {
      this.small.set(id, { thread, resolve, reject });
      thread.worker.postMessage({ type: "small", id, request } satisfies ToStageThread);
    });
  }

  /** Starts hashing one large file, each algorithm on its own thread where there are enough. */
  hashFile(algorithms: readonly HashAlgorithm[]): ChunkHashing {
    // A lane per algorithm, with its own id: two lanes may share a thread.
    const first = this.nextId;
    const lanes = algorithms.map((algorithm, i) => {
      const id = this.nextId++;
      const thread = this.threads[(first + i) % this.threads.length]!;
      if (!this.failure) thread.worker.postMessage({ type: "begin", id, algorithm } satisfies ToStageThread);
      return { id, algorithm, thread };
    });
    const send = (thread: Thread, message: (ack: number) => ToStageThread): Promise<string | undefined> => {
      if (this.failure) return Promise.reject(this.failure);
      const ack = this.nextId++;
      return new Promise((resolve, reject) => {
        this.acks.set(ack, { thread, resolve, reject });
        thread.worker.postMessage(message(ack));
      });
    };
    return {
      update: async (chunk, length) => {
        if (!(chunk.buffer instanceof SharedArrayBuffer)) throw new Error("chunks must be in shared memory");
        const memory = chunk.buffer;
        await Promise.all(
          lanes.map(({ id, thread }) =>
            send(thread, (ack) => ({ type: "chunk", id, ack, memory, offset: chunk.byteOffset, length })),
          ),
        );
      },
      digests: async () => {
        const hex = await Promise.all(lanes.map(({ id, thread }) => send(thread, (ack) => ({ type: "end", id, ack }))));
        // A lane dropped meanwhile (a failed upload) has no digest: never a digest of part of the file.
        if (hex.some((h) => h === undefined))
          throw new SightlineError("io-error", "the file was given up while it was hashed");
        return Object.fromEntries(lanes.map(({ algorithm }, i) => [algorithm, hex[i]!])) as { sha256: string };
      },
      drop: () => {
        if (this.failure) return;
        for (const { id, thread } of lanes) thread.worker.postMessage({ type: "drop", id } satisfies ToStageThread);
      },
    };
  }

  /** Stops one thread as a crash would (the import's answer to a thread that dies is tested with it). */
  async stopThread(index: number): Promise<void> {
    await this.threads[index]?.worker.terminate();
  }

  /** Stops the threads; requests still in flight fail. */
  async close(): Promise<void> {
    this.fail(new SightlineError("cancelled", "the import's staging threads were closed"));
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private spawn(number: number): Thread {
    const worker = new Worker(new URL("./stageThread.js", import.meta.url));
    const thread: Thread = { worker, number, load: 0 };
    worker.on("message", (message: FromStageThread) => this.receive(thread, message));
    worker.on("error", (error: Error) => {
      const reason = String(error?.message ?? error).split("\n")[0];
      this.fail(new SightlineError("io-error", `a staging thread failed: ${reason}`));
    });
    worker.on("exit", (code) => {
      this.fail(new SightlineError("io-error", `a staging thread stopped unexpectedly (exit code ${code})`));
    });
    return thread;
  }

  private receive(thread: Thread, message: FromStageThread): void {
    if (message.type === "small") {
      const call = this.small.get(message.id);
      if (!call) return;
      this.small.delete(message.id);
      thread.load--;
      call.resolve(message.result);
      return;
    }
    const pending = this.acks.get(message.ack);
    if (!pending) return;
    this.acks.delete(message.ack);
    pending.resolve(message.digest);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const call of this.small.values()) call.reject(error);
    for (const pending of this.acks.values()) pending.reject(error);
    this.small.clear();
    this.acks.clear();
  }
}
