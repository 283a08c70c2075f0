/**
 * A pool of worker threads that checks the ledger's signatures and re-hashes
 * the vault's files for verification. Both are CPU work that would otherwise
 * run on one core after the ledger is parsed; in threads they run on every core
 * while the main thread parses and replays the ledger, and the disk is kept
 * reading while digests are computed.
 *
 * The pool owns its threads, the signature batches in flight and the file
 * checks in flight. Signature calls are cut into batches of a few hundred, each
 * sent to the least loaded thread. A file check puts the whole list in shared
 * memory once; every thread takes the next file from a shared index, so the
 * files, large and small, spread over the threads to the end, and results are
 * written back into shared memory rather than sent per file. See verifyWorker.ts.
 *
 * Threads are started by the work there is, up to one per core: a case of a few files and events
 * gets one thread, not one per core, each of which costs tens of milliseconds to start (see
 * `VerifyPool.create`).
 *
 * A thread that dies (a crash, or `stopThread`) is replaced, and what it was doing is answered
 * plainly: the file it was reading is "not checked" with the reason, never intact (the files it
 * could not read keep their own reasons), while the other threads (and its replacement) take the
 * files left; its signature batches are checked again on
 * another thread once. Only when threads keep dying does the pool give up: every call in flight
 * and every later one then rejects with one line.
 */
import os from "node:os";
import { Worker } from "node:worker_threads";
import {
  CONTROL_CANCELLED,
  CONTROL_NEXT,
  decodeResults,
  encodeFiles,
  type FileCheckRequest,
  type FileCheckResult,
  type FileJobMessage,
  type FromWorker,
  type ToWorker,
} from "./verifyProtocol.js";

/** One event's signature to check: `hash` is signed as its 32 raw bytes. */
export interface SignatureCheck {
  /** Base64 DER SubjectPublicKeyInfo of the signer's Ed25519 key. */
  publicKey: string;
  /** 64 lower-case hex digits. */
  hash: string;
  /** Base64 Ed25519 signature. */
  sig: string;
}

export type { FileAlgorithm, FileCheckRequest, FileCheckResult } from "./verifyProtocol.js";

export interface FileCheckOptions {
  /** Cancels the check: it rejects with an AbortError and the threads stop reading within a chunk. */
  signal?: AbortSignal;
  /** Bytes read since the last call, reported a few times a second. */
  onBytes?: (n: number) => void;
}

// ---------- the pool ----------

interface Thread {
  readonly worker: Worker;
  /** The worker's threadId, kept here because the worker forgets it on exit; files it takes carry it. */
  readonly id: number;
  readonly number: number;
  /** Set when it died or was stopped: its messages and exit no longer count. */
  isLost: boolean;
  /** File checks it was sent and has not finished (by job). */
  readonly fileJobs: Set<number>;
  /** Signatures sent and not yet answered: batches go to the thread with the fewest. */
  signaturesQueued: number;
  /** Tasks in flight; an idle thread does not keep the process alive. */
  tasks: number;
}

interface SignatureCall {
  valid: boolean[];
  batchesLeft: number;
  resolve: (valid: boolean[]) => void;
  reject: (error: Error) => void;
}

interface SignatureBatch {
  call: SignatureCall;
  offset: number;
  count: number;
  thread: Thread;
  checks: string[];
  /** Sent again after its thread died; a second death fails the call. */
  isRetry: boolean;
}

interface FileCall {
  message: FileJobMessage;
  threadsLeft: number;
  /** Why files could not be read, by index, as their threads told it. */
  readonly errors: Map<number, string>;
  /** Why files a dead thread had taken were not checked (by its threadId); their slots are still pending. */
  readonly lostReasons: Map<number, string>;
  isSettled: boolean;
  onBytes: ((n: number) => void) | undefined;
  resolve: (results: FileCheckResult[]) => void;
  reject: (error: unknown) => void;
  cleanUp: () => void;
}

export class VerifyPool {
  /**
   * A pool of exactly `threads` worker threads, started at once; without `threads`, of up to one per
   * core this process may use, started as the work needs them: a signature call adds a thread when
   * every thread already has signatures queued; a file check starts one per FILES_PER_THREAD files
   * (at least one), and one more at each progress report (every 50 ms of reading) while files of
   * it are not yet taken, so three large videos get threads and three small files do not.
   */
  static create(options: { threads?: number } = {}): VerifyPool {
    if (options.threads !== undefined) {
      const count = Math.max(1, Math.floor(options.threads));
      return new VerifyPool(count, count);
    }
    return new VerifyPool(0, Math.max(1, os.availableParallelism()));
  }

  private readonly threads: Thread[];
  private readonly batches = new Map<number, SignatureBatch>();
  private readonly fileCalls = new Map<number, FileCall>();
  private nextId = 1;
  /** Set once threads keep failing or the pool is closed; every later call rejects with it. */
  private failure: Error | null = null;
  /** Threads that died and were replaced; past MAX_REPLACEMENTS the pool gives up. */
  private replacements = 0;

  private constructor(
    threadCount: number,
    private readonly maxThreads: number,
  ) {
    this.threads = Array.from({ length: threadCount }, (_, i) => this.spawn(i + 1));
  }

  /** Threads started so far (they stay until the pool is closed). */
  get threadCount(): number {
    return this.threads.length;
  }

  /** Threads with a signature batch or a file check in flight (a file check's share ends when no file is left to take). */
  get busyThreadCount(): number {
    return this.threads.filter((t) => t.tasks > 0).length;
  }

  /** Starts threads until there are `wanted` (at most the pool's limit). */
  private grow(wanted: number): void {
    while (this.threads.length < Math.min(wanted, this.maxThreads))
      this.threads.push(this.spawn(this.threads.length + 1));
  }

  /** True per check when the signature is valid; false for a bad signature, a malformed key or sig. Never rejects for bad input. */
  checkSignatures(checks: readonly SignatureCheck[]): Promise<boolean[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (checks.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const call: SignatureCall = { valid: new Array<boolean>(checks.length), batchesLeft: 0, resolve, reject };
      // One more thread when those there are all have signatures waiting (none yet: the first).
      if (this.threads.every((t) => t.signaturesQueued > 0)) this.grow(this.threads.length + 1);
      // Batches of at most 512 (a message is then a small fraction of the work), as many as a multiple
      // of the threads and of equal size, so every thread gets the same share of this call.
      const threadCount = this.threads.length;
      const batchCount = Math.ceil(Math.ceil(checks.length / 512) / threadCount) * threadCount;
      const size = Math.max(32, Math.ceil(checks.length / batchCount));
      for (let offset = 0; offset < checks.length; offset += size) {
        const count = Math.min(size, checks.length - offset);
        const flat = new Array<string>(count * 3);
        for (let i = 0; i < count; i++) {
          const check = checks[offset + i];
          flat[3 * i] = text(check?.publicKey);
          flat[3 * i + 1] = text(check?.hash);
          flat[3 * i + 2] = text(check?.sig);
        }
        call.batchesLeft++;
        this.sendBatch({ call, offset, count, thread: this.threads[0]!, checks: flat, isRetry: false });
      }
    });
  }

  /**
   * Hashes each file with only the algorithms asked, never following a symbolic link at the last step
   * (lstat, then open with O_RDONLY|O_NOFOLLOW|O_NONBLOCK and fstat: a FIFO or device is reported, never
   * read or waited on). Results are in request order.
   */
  checkFiles(files: readonly FileCheckRequest[], options: FileCheckOptions = {}): Promise<FileCheckResult[]> {
    const { signal, onBytes } = options;
    if (this.failure) return Promise.reject(this.failure);
    if (signal?.aborted) return Promise.reject(abortError());
    if (files.length === 0) return Promise.resolve([]);
    let message: FileJobMessage;
    try {
      message = encodeFiles(this.nextId++, files);
    } catch (error) {
      return Promise.reject(error);
    }
    this.grow(Math.ceil(files.length / FILES_PER_THREAD));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        Atomics.store(new Int32Array(message.control), CONTROL_CANCELLED, 1);
        settle(call, () => reject(abortError()));
      };
      const call: FileCall = {
        message,
        threadsLeft: this.threads.length,
        errors: new Map(),
        lostReasons: new Map(),
        isSettled: false,
        onBytes,
        resolve,
        reject,
        cleanUp: () => signal?.removeEventListener("abort", onAbort),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.fileCalls.set(message.job, call);
      for (const thread of this.threads) this.sendFiles(thread, message);
    });
  }

  /** Stops thread `index` (0-based) as a crash would; the pool answers it as it answers a crash. */
  async stopThread(index: number): Promise<void> {
    await this.threads[index]?.worker.terminate();
  }

  /** Stops the threads; calls still in flight reject. */
  async close(): Promise<void> {
    this.failWith(new Error("the verification pool was closed"));
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private spawn(number: number): Thread {
    const worker = new Worker(new URL("./verifyWorker.js", import.meta.url));
    const thread: Thread = {
      worker,
      id: worker.threadId,
      number,
      isLost: false,
      fileJobs: new Set(),
      signaturesQueued: 0,
      tasks: 0,
    };
    worker.unref();
    worker.on("message", (message: FromWorker) => {
      // A file's read error counts even from a thread already lost: it is that file's own outcome,
      // and a thread stopped by an error event may still have it on its way.
      if (message.type === "file-error") this.fileCalls.get(message.job)?.errors.set(message.index, message.message);
      else if (!thread.isLost) this.receive(thread, message);
    });
    worker.on("error", (error) => {
      const reason = String(error?.message ?? error).split("\n")[0];
      this.lose(thread, `verification thread ${number} failed: ${reason}`);
    });
    worker.on("exit", (code) => {
      this.lose(thread, `verification thread ${number} stopped unexpectedly (exit code ${code})`);
    });
    return thread;
  }

  /** Sends a signature batch to the thread with the fewest queued. */
  private sendBatch(batch: SignatureBatch): void {
    const thread = this.threads.reduce((a, b) => (b.signaturesQueued < a.signaturesQueued ? b : a));
    const id = this.nextId++;
    batch.thread = thread;
    this.batches.set(id, batch);
    thread.signaturesQueued += batch.count;
    this.taskStarted(thread);
    thread.worker.postMessage({ type: "signatures", id, checks: batch.checks } satisfies ToWorker);
  }

  /** Has `thread` take files of the check from the shared index until none are left. */
  private sendFiles(thread: Thread, message: FileJobMessage): void {
    thread.fileJobs.add(message.job);
    this.taskStarted(thread);
    thread.worker.postMessage(message satisfies ToWorker);
  }

  /**
   * A thread died: a replacement takes its place and joins the file checks it was part of (the
   * file it was reading stays pending: "not checked", with `reason`); its signature batches go to
   * other threads once. Past MAX_REPLACEMENTS, or once the pool is closed, everything fails instead.
   */
  private lose(thread: Thread, reason: string): void {
    if (thread.isLost || this.failure) return;
    thread.isLost = true;
    void thread.worker.terminate();
    if (++this.replacements > MAX_REPLACEMENTS) {
      this.failWith(new Error(`${reason}; the verification threads keep failing, so verification stopped`));
      return;
    }
    const index = this.threads.indexOf(thread);
    const replacement = this.spawn(thread.number);
    this.threads[index] = replacement;
    for (const job of thread.fileJobs) {
      const call = this.fileCalls.get(job);
      if (!call) continue;
      call.lostReasons.set(thread.id, `${reason} while reading it; it was not checked`);
      this.sendFiles(replacement, call.message);
    }
    for (const [id, batch] of [...this.batches]) {
      if (batch.thread !== thread) continue;
      this.batches.delete(id);
      if (batch.isRetry) {
        batch.call.reject(new Error(`${reason} while checking signatures, twice; they were not checked`));
        continue;
      }
      this.sendBatch({ ...batch, isRetry: true });
    }
  }

  private receive(thread: Thread, message: Exclude<FromWorker, { type: "file-error" }>): void {
    if (message.type === "signatures") {
      const batch = this.batches.get(message.id);
      if (!batch) return;
      this.batches.delete(message.id);
      thread.signaturesQueued -= batch.count;
      this.taskEnded(thread);
      const { call, offset } = batch;
      for (let i = 0; i < batch.count; i++) call.valid[offset + i] = message.valid[i] === 1;
      if (--call.batchesLeft === 0) call.resolve(call.valid);
      return;
    }
    const call = this.fileCalls.get(message.job);
    if (!call) return;
    if (message.type === "bytes") {
      if (!call.isSettled) this.joinFileCheck(call);
      if (call.isSettled || !call.onBytes) return;
      try {
        call.onBytes(message.bytes);
      } catch (error) {
        Atomics.store(new Int32Array(call.message.control), CONTROL_CANCELLED, 1);
        settle(call, () => call.reject(error));
      }
      return;
    }
    thread.fileJobs.delete(message.job);
    this.taskEnded(thread);
    if (--call.threadsLeft > 0) return;
    this.fileCalls.delete(message.job);
    settle(call, () => call.resolve(decodeResults(call.message, call.errors, call.lostReasons)));
  }

  /** One more thread takes files of a check still running, when some are not yet taken and the pool may grow. */
  private joinFileCheck(call: FileCall): void {
    const count = call.message.offsets.byteLength / Int32Array.BYTES_PER_ELEMENT - 1;
    if (this.threads.length >= this.maxThreads) return;
    if (Atomics.load(new Int32Array(call.message.control), CONTROL_NEXT) >= count) return;
    this.grow(this.threads.length + 1);
    call.threadsLeft++;
    this.sendFiles(this.threads.at(-1)!, call.message);
  }

  /** Rejects everything in flight and every later call with `error`; the first failure wins. */
  private failWith(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const { call } of this.batches.values()) call.reject(error);
    for (const call of this.fileCalls.values()) settle(call, () => call.reject(error));
    this.batches.clear();
    this.fileCalls.clear();
    for (const thread of this.threads) void thread.worker.terminate();
  }

  private taskStarted(thread: Thread): void {
    if (thread.tasks++ === 0) thread.worker.ref();
  }

  private taskEnded(thread: Thread): void {
    if (--thread.tasks === 0) thread.worker.unref();
  }
}

/** Small files worth a thread of their own from the start: some 50 ms of opening and reading, about what starting a thread costs. */
const FILES_PER_THREAD = 500;

/** Threads replaced in one pool's life before it gives up (a thread that dies on every file would loop). */
const MAX_REPLACEMENTS = 8;

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function settle(call: FileCall, action: () => void): void {
  if (call.isSettled) return;
  call.isSettled = true;
  call.cleanUp();
  action();
}

function abortError(): Error {
  return new DOMException("checking the files was cancelled", "AbortError");
}
