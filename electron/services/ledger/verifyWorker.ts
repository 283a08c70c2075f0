/**
 * One thread of the verification pool (verifyPool.ts): it checks Ed25519
 * signatures and re-hashes vault files, so the main thread stays free to parse
 * and replay the ledger meanwhile, and every core is busy.
 *
 * Files come through a queue shared by all threads (an index in shared memory
 * each thread takes the next file from), so one huge file never leaves the
 * other threads idle. Their results are written straight into shared memory;
 * only read errors (each as it happens), progress and "done" travel as messages. Hashing yields to the
 * event loop every few milliseconds, so signature batches sent meanwhile are
 * answered promptly instead of waiting for the whole file list.
 */
import crypto, { createHash, verify, type Hash } from "node:crypto";
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from "node:fs";
import { parentPort, threadId } from "node:worker_threads";
import { describeIoError } from "../sightlineError.js";
import { ed25519PublicKey, ed25519Signature } from "./nodeLedgerCrypto.js";
import {
  ALGORITHMS,
  CONTROL_CANCELLED,
  CONTROL_NEXT,
  DIGEST_OFFSET,
  DIGEST_STRIDE,
  KIND,
  NOT_REGULAR,
  type FileAlgorithm,
  type FileJobMessage,
  type FromWorker,
  type ToWorker,
} from "./verifyProtocol.js";

if (!parentPort) throw new Error("verifyWorker.js runs only as a worker thread of the verification pool");
const port = parentPort;

const READ_BUFFER = Buffer.allocUnsafe(1 << 20);
/** How long hashing runs before letting signature batches through, and how often progress is sent. */
const SLICE_MS = 5;
const PROGRESS_MS = 50;
const HEX_HASH = /^[0-9a-f]{64}$/;
/** One-shot digests (Node 20.12 on) skip making a hasher object per small file; older Nodes stream. */
const digestOnce: (name: FileAlgorithm, bytes: Buffer) => Buffer =
  typeof crypto.hash === "function"
    ? (name, bytes) => crypto.hash(name, bytes, "buffer")
    : (name, bytes) => crypto.createHash(name).update(bytes).digest();

port.on("message", (message: ToWorker) => {
  if (message.type === "signatures") {
    const { id, checks } = message;
    const valid = new Uint8Array(checks.length / 3);
    for (let i = 0; i < valid.length; i++)
      valid[i] = isValid(checks[3 * i]!, checks[3 * i + 1]!, checks[3 * i + 2]!) ? 1 : 0;
    post({ type: "signatures", id, valid }, [valid.buffer]);
  } else {
    jobs.push(new FileJob(message));
    if (jobs.length === 1) void runJobs();
  }
});

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

function isValid(publicKey: string, hash: string, signature: string): boolean {
  if (!HEX_HASH.test(hash)) return false;
  const sig = ed25519Signature(signature);
  if (!sig) return false;
  try {
    return verify(null, Buffer.from(hash, "hex"), ed25519PublicKey(publicKey), sig);
  } catch {
    return false;
  }
}

// ---------- files ----------

const jobs: FileJob[] = [];

class FileJob {
  readonly control: Int32Array;
  readonly pathBytes: Buffer;
  readonly offsets: Int32Array;
  readonly algorithms: Uint8Array;
  readonly takers: Int32Array;
  readonly kinds: Uint8Array;
  readonly sizes: Float64Array;
  readonly digests: Uint8Array;
  bytesUnreported = 0;
  reportedAt = performance.now();

  constructor(readonly message: FileJobMessage) {
    this.control = new Int32Array(message.control);
    this.pathBytes = Buffer.from(message.paths);
    this.offsets = new Int32Array(message.offsets);
    this.algorithms = new Uint8Array(message.algorithms);
    this.takers = new Int32Array(message.takers);
    this.kinds = new Uint8Array(message.kinds);
    this.sizes = new Float64Array(message.sizes);
    this.digests = new Uint8Array(message.digests);
  }

  get isCancelled(): boolean {
    return Atomics.load(this.control, CONTROL_CANCELLED) !== 0;
  }

  /** Counts bytes read, and sends the count on when enough time has passed. */
  addBytes(n: number, now: number): void {
    this.bytesUnreported += n;
    if (this.bytesUnreported > 0 && now - this.reportedAt >= PROGRESS_MS) this.reportBytes(now);
  }

  reportBytes(now: number): void {
    if (this.bytesUnreported > 0) post({ type: "bytes", job: this.message.job, bytes: this.bytesUnreported });
    this.bytesUnreported = 0;
    this.reportedAt = now;
  }
}

/** A pause to await when the current slice of hashing has run its time, else undefined (no await per file). */
type YieldIfDue = (now: number) => Promise<void> | undefined;

async function runJobs(): Promise<void> {
  let sliceStart = performance.now();
  const yieldIfDue: YieldIfDue = (now) => {
    if (now - sliceStart < SLICE_MS) return undefined;
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      sliceStart = performance.now();
    });
  };
  while (jobs.length > 0) {
    const job = jobs[0]!;
    const count = job.kinds.length;
    for (;;) {
      if (job.isCancelled) break;
      const index = Atomics.add(job.control, CONTROL_NEXT, 1);
      if (index >= count) break;
      // Signed before reading, so that if this thread dies the pool names its failure for this file.
      Atomics.store(job.takers, index, threadId);
      try {
        const reading = hashFile(job, index, yieldIfDue);
        if (reading) await reading;
      } catch (error) {
        // Told first: if this thread dies before its slot is written, the file still has its own reason.
        post({ type: "file-error", job: job.message.job, index, message: describeIoError(error) });
        job.kinds[index] = KIND.error;
      }
      const pause = yieldIfDue(performance.now());
      if (pause) await pause;
    }
    job.reportBytes(performance.now());
    post({ type: "files-done", job: job.message.job });
    jobs.shift();
  }
}

/**
 * Hashes file `index` of the job into its shared result slots, or records why it was not read.
 * A file that fits in one read is done here and now; a larger one goes on in `hashRest`, whose
 * promise is returned.
 */
function hashFile(job: FileJob, index: number, yieldIfDue: YieldIfDue): Promise<void> | undefined {
  const path = job.pathBytes.subarray(job.offsets[index]!, job.offsets[index + 1]!);
  const linkStats = lstatSync(path, { throwIfNoEntry: false });
  if (!linkStats) {
    job.kinds[index] = KIND.missing;
    return;
  }
  if (!linkStats.isFile()) {
    markNotRegular(job, index, linkStats);
    return;
  }
  let fd: number;
  try {
    // O_NOFOLLOW: a link swapped in after lstat is refused; O_NONBLOCK: a FIFO swapped in is not waited on.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") job.kinds[index] = KIND.missing;
    else if (code === "ELOOP") job.kinds[index] = NOT_REGULAR.symlink;
    else throw error;
    return;
  }
  let rest: Promise<void> | undefined;
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      markNotRegular(job, index, stats);
      return;
    }
    const n = readSync(fd, READ_BUFFER, 0, READ_BUFFER.length, null);
    job.addBytes(n, performance.now());
    if (n < READ_BUFFER.length && n >= stats.size) {
      // All of it in one read (a short read at the known size is the end): one-shot digests.
      const bytes = READ_BUFFER.subarray(0, n);
      forEachAlgorithm(job, index, (name, slot) => digestOnce(name, bytes).copy(job.digests, slot));
      job.sizes[index] = n;
      job.kinds[index] = KIND.file;
      return;
    }
    rest = hashRest(job, index, fd, n, yieldIfDue);
    return rest;
  } finally {
    if (!rest) closeSync(fd);
  }
}

/** Goes on hashing an open file whose first `firstBytes` are in READ_BUFFER, yielding between reads; closes it. */
async function hashRest(job: FileJob, index: number, fd: number, firstBytes: number, yieldIfDue: YieldIfDue) {
  try {
    const hashers: Hash[] = [];
    const slots: number[] = [];
    forEachAlgorithm(job, index, (name, slot) => {
      hashers.push(createHash(name));
      slots.push(slot);
    });
    let n = firstBytes;
    let size = 0;
    while (n > 0) {
      const chunk = n === READ_BUFFER.length ? READ_BUFFER : READ_BUFFER.subarray(0, n);
      for (const hasher of hashers) hasher.update(chunk);
      size += n;
      await yieldIfDue(performance.now());
      if (job.isCancelled) return;
      n = readSync(fd, READ_BUFFER, 0, READ_BUFFER.length, null);
      job.addBytes(n, performance.now());
    }
    hashers.forEach((hasher, h) => hasher.digest().copy(job.digests, slots[h]));
    job.sizes[index] = size;
    job.kinds[index] = KIND.file;
  } finally {
    closeSync(fd);
  }
}

/** Calls `each` with every algorithm file `index` asks for and the offset of its digest in shared memory. */
function forEachAlgorithm(job: FileJob, index: number, each: (name: FileAlgorithm, slot: number) => void): void {
  const mask = job.algorithms[index]!;
  ALGORITHMS.forEach((name, a) => {
    if (mask & (1 << a)) each(name, index * DIGEST_STRIDE + DIGEST_OFFSET[a]!);
  });
}

function markNotRegular(job: FileJob, index: number, stats: Stats): void {
  job.kinds[index] = stats.isSymbolicLink()
    ? NOT_REGULAR.symlink
    : stats.isFIFO()
      ? NOT_REGULAR.fifo
      : stats.isSocket()
        ? NOT_REGULAR.socket
        : stats.isBlockDevice() || stats.isCharacterDevice()
          ? NOT_REGULAR.device
          : stats.isDirectory()
            ? NOT_REGULAR.directory
            : NOT_REGULAR.other;
}
