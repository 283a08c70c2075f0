/**
 * The staging threads of one import (see stageThread.ts). Hashing and small-file copying are CPU
 * work; on the main thread they ran one after another with the reads and writes, and each
 * algorithm of a case's set after the other. Here a large file's chunks are hashed on a thread
 * per algorithm while the main thread reads the next chunk and writes the last one, and small
 * files are staged whole on the threads while the main thread commits.
 *
 * A thread that dies (a crash, or `stopThread`) is replaced and the import goes on: the small files
 * it held are staged once more on another thread (their half-written copies removed first), and
 * the large files it was hashing fail with a one-line reason (their hash state is gone; the
 * stager removes their staged copies). A file that was being staged when its thread died, and
 * is again when its next thread dies, fails (it may be what kills them); the files queued behind
 * it, never begun, go on; after REPLACEMENTS deaths every request fails, so a thread that cannot start does not
 * loop.
 */
import { rmSync } from "node:fs";
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

/** A small file sent to a thread, and how its caller is answered. */
interface SmallCall {
  request: SmallStageRequest;
  /** Sent again after its thread died while it may have been staging it: a second such death fails it. */
  isRetry: boolean;
  resolve: (r: SmallStageResult) => void;
  reject: (e: Error) => void;
}

/** Threads started in place of dead ones, at most, before the threads give up. */
const REPLACEMENTS = 8;

interface Thread {
  worker: Worker;
  number: number;
  /** Why it stopped, once it has: what it held is failed or sent elsewhere, and nothing more is sent to it. */
  death: Error | null;
  /** Requests sent and not yet answered: new small files go to the least loaded thread. */
  load: number;
  /** Small files handed out in this turn of the event loop, sent together at its end (`post`). */
  outbox: { id: number; request: SmallStageRequest }[];
  /** Shared with the thread: the id of the small file it is staging, 0 when none. */
  staging: Int32Array;
  /** Once it has died: the path of the small file it was staging then, or null. */
  diedStaging?: string | null;
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
  private readonly small = new Map<number, SmallCall & { thread: Thread }>();
  private readonly acks = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;
  private replaced = 0;
  private retriedCount = 0;

  /** `count` threads (by default one per core, at least two so hashing overlaps a copy). */
  constructor(count = Math.max(2, Math.min(4, os.availableParallelism()))) {
    this.threads = Array.from({ length: count }, (_, i) => this.spawn(i + 1));
  }

  get size(): number {
    return this.threads.length;
  }

  /** Small files sent to another thread because the one holding them died (the import's own count). */
  get retried(): number {
    return this.retriedCount;
  }

  /**
   * The small files thread `index` holds, read-only: how many it has been sent and has not answered
   * (those to be sent at the end of this turn left out), and the path of the one it is staging at
   * this moment (its shared slot), or null. How a test stops a thread in the middle of a file.
   */
  smallFilesOn(index: number): { sent: number; stagingPath: string | null } {
    const thread = this.threads[index];
    if (!thread) return { sent: 0, stagingPath: null };
    return { sent: thread.load - thread.outbox.length, stagingPath: this.stagingPath(thread) };
  }

  private stagingPath(thread: Thread): string | null {
    const call = this.small.get(Atomics.load(thread.staging, 0));
    return call?.thread === thread ? String(call.request.realPath) : null;
  }

  /** Stages one small file on the least loaded thread. */
  stageSmall(request: SmallStageRequest): Promise<SmallStageResult> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.sendSmall({ request, isRetry: false, resolve, reject }));
  }

  private sendSmall(call: SmallCall): void {
    const thread = this.threads.reduce((a, b) => (b.load < a.load ? b : a));
    const id = this.nextId++;
    thread.load++;
    this.small.set(id, { ...call, thread });
    // The files handed out together (the stagers a batch of answers freed) go in one message, which
    // wakes the thread once: one message a file cost the main thread a postMessage and a wake-up each.
    thread.outbox.push({ id, request: call.request });
    if (thread.outbox.length === 1) setImmediate(() => this.post(thread));
  }

  private post(thread: Thread): void {
    const files = thread.outbox.splice(0);
    // A thread that died meanwhile: its files were sent again to another (`died`).
    if (files.length > 0 && !thread.death) thread.worker.postMessage({ type: "small", files } satisfies ToStageThread);
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
      if (thread.death) return Promise.reject(thread.death);
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
        for (const { id, thread } of lanes)
          if (!thread.death) thread.worker.postMessage({ type: "drop", id } satisfies ToStageThread);
      },
    };
  }

  /**
   * Stops one thread as a crash would (the import's answer to a thread that dies is tested with it);
   * resolves with the path of the small file it was staging as it died (its slot read once it is
   * gone), or null.
   */
  async stopThread(index: number): Promise<string | null> {
    const thread = this.threads[index];
    if (!thread) return null;
    await thread.worker.terminate();
    // The exit is handled (the thread replaced) before this answers.
    this.died(thread, new SightlineError("io-error", "a staging thread stopped unexpectedly (exit code 1)"));
    return thread.diedStaging ?? null;
  }

  /** Stops the threads; requests still in flight fail. */
  async close(): Promise<void> {
    this.fail(new SightlineError("cancelled", "the import's staging threads were closed"));
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private spawn(number: number): Thread {
    const staging = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(new URL("./stageThread.js", import.meta.url), { workerData: { staging } });
    const thread: Thread = { worker, number, load: 0, death: null, outbox: [], staging };
    worker.on("message", (message: FromStageThread) => this.receive(thread, message));
    worker.on("error", (error: Error) => {
      const reason = String(error?.message ?? error).split("\n")[0];
      this.died(thread, new SightlineError("io-error", `a staging thread failed: ${reason}`));
    });
    worker.on("exit", (code) => {
      this.died(thread, new SightlineError("io-error", `a staging thread stopped unexpectedly (exit code ${code})`));
    });
    return thread;
  }

  /** A thread died: another takes its place, and what it held is retried or failed (see the top). */
  private died(thread: Thread, reason: Error): void {
    if (thread.death || this.failure) return;
    thread.death = reason;
    void thread.worker.terminate().catch(() => undefined);
    if (++this.replaced > REPLACEMENTS) {
      this.fail(reason);
      return;
    }
    const at = this.threads.indexOf(thread);
    if (at >= 0) this.threads[at] = this.spawn(thread.number);
    for (const [ack, pending] of this.acks) {
      if (pending.thread !== thread) continue;
      this.acks.delete(ack);
      pending.reject(reason);
    }
    // The thread said which small file it was staging, if any (in shared memory, so it is there
    // after the thread has gone): that one is marked, and fails if it is being staged again at a
    // second death. Those queued behind it had not been begun and are sent on as they were.
    const stagingId = Atomics.load(thread.staging, 0);
    thread.diedStaging = this.stagingPath(thread);
    for (const [id, call] of this.small) {
      if (call.thread !== thread) continue;
      this.small.delete(id);
      const wasStaging = id === stagingId;
      if (wasStaging && call.isRetry) {
        call.reject(reason);
        continue;
      }
      // The copy it was writing (created exclusively) is half-done or absent: the retry makes it anew.
      try {
        rmSync(call.request.stagedPath, { force: true });
      } catch (error) {
        call.reject(error as Error);
        continue;
      }
      this.retriedCount++;
      this.sendSmall({ ...call, isRetry: call.isRetry || wasStaging });
    }
  }

  private receive(thread: Thread, message: FromStageThread): void {
    if (thread.death) return;
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
