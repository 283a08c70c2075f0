/**
 * What the verification pool (verifyPool.ts) and its threads (verifyWorker.ts) share: the file
 * check's request and result types, and the layout of a file check in shared memory (the control
 * words, the paths, the algorithms asked, and the result slots each thread writes), with its
 * encoding and decoding on the pool's side.
 */

export type FileAlgorithm = "sha256" | "md5" | "sha1";

export interface FileCheckRequest {
  /** An absolute path; a symbolic link at its last step is reported, never followed. */
  path: string;
  algorithms: readonly FileAlgorithm[];
}

export type FileCheckResult =
  | { kind: "file"; size: number; digests: { sha256?: string; md5?: string; sha1?: string } }
  | { kind: "missing" }
  | { kind: "not-regular"; what: "symlink" | "fifo" | "socket" | "device" | "directory" | "other" }
  | { kind: "error"; message: string };

export const ALGORITHMS = ["sha256", "md5", "sha1"] as const satisfies readonly FileAlgorithm[];
const DIGEST_LENGTH = [32, 16, 20] as const;
/** Each file's digests sit in one 68-byte slot of shared memory: SHA-256, then MD5, then SHA-1. */
export const DIGEST_OFFSET = [0, 32, 48] as const;
export const DIGEST_STRIDE = 68;
/** The shared control words of a file check: the next file to take, and the cancel flag. */
export const CONTROL_NEXT = 0;
export const CONTROL_CANCELLED = 1;
/** A file's outcome in shared memory; not-regular files take the codes from NOT_REGULAR_BASE on. */
export const KIND = { pending: 0, file: 1, missing: 2, error: 3 } as const;
const NOT_REGULAR_WHAT = ["symlink", "fifo", "socket", "device", "directory", "other"] as const;
type NotRegularWhat = (typeof NOT_REGULAR_WHAT)[number];
const NOT_REGULAR_BASE = 4;
export const NOT_REGULAR = Object.fromEntries(NOT_REGULAR_WHAT.map((w, i) => [w, NOT_REGULAR_BASE + i])) as Record<
  NotRegularWhat,
  number
>;

export interface FileJobMessage {
  type: "files";
  job: number;
  /** Int32 words, see CONTROL_NEXT and CONTROL_CANCELLED. */
  control: SharedArrayBuffer;
  /** Every path's UTF-8 bytes, one after another; file i is paths[offsets[i], offsets[i+1]). */
  paths: SharedArrayBuffer;
  offsets: SharedArrayBuffer;
  /** One bit per entry of ALGORITHMS, per file. */
  algorithms: SharedArrayBuffer;
  /** Int32 per file: the threadId of the thread that took it (0 until taken), so a death is put on its own files. */
  takers: SharedArrayBuffer;
  /** Results: one KIND or NOT_REGULAR code, one Float64 size and one digest slot per file. */
  kinds: SharedArrayBuffer;
  sizes: SharedArrayBuffer;
  digests: SharedArrayBuffer;
}

/** `checks` is flat: publicKey, hash, sig, publicKey, hash, sig, ... */
export type ToWorker = { type: "signatures"; id: number; checks: string[] } | FileJobMessage;

export type FromWorker =
  | { type: "signatures"; id: number; valid: Uint8Array }
  | { type: "bytes"; job: number; bytes: number }
  /**
   * Why file `index` could not be read, sent the moment it fails, before its slot says error: a
   * thread that dies later has already told it, so its death is put only on the file it was reading.
   */
  | { type: "file-error"; job: number; index: number; message: string }
  | { type: "files-done"; job: number };

export function encodeFiles(job: number, files: readonly FileCheckRequest[]): FileJobMessage {
  const count = files.length;
  let pathBytes = 0;
  for (const file of files) {
    if (typeof file?.path !== "string" || file.path.includes("\0")) throw new TypeError("a file path is not a string");
    pathBytes += Buffer.byteLength(file.path);
  }
  const message: FileJobMessage = {
    type: "files",
    job,
    control: new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT),
    paths: new SharedArrayBuffer(pathBytes),
    offsets: new SharedArrayBuffer((count + 1) * Int32Array.BYTES_PER_ELEMENT),
    algorithms: new SharedArrayBuffer(count),
    takers: new SharedArrayBuffer(count * Int32Array.BYTES_PER_ELEMENT),
    kinds: new SharedArrayBuffer(count),
    sizes: new SharedArrayBuffer(count * Float64Array.BYTES_PER_ELEMENT),
    digests: new SharedArrayBuffer(count * DIGEST_STRIDE),
  };
  const paths = Buffer.from(message.paths);
  const offsets = new Int32Array(message.offsets);
  const masks = new Uint8Array(message.algorithms);
  let at = 0;
  files.forEach((file, i) => {
    offsets[i] = at;
    at += paths.write(file.path, at);
    for (const name of file.algorithms) {
      const a = ALGORITHMS.indexOf(name);
      if (a < 0) throw new TypeError(`unknown hash algorithm ${String(name)}`);
      masks[i]! |= 1 << a;
    }
  });
  offsets[count] = at;
  return message;
}

/**
 * The results a file check left in shared memory, in request order. A file that could not be read
 * has the reason its thread sent (`errors`); a file still pending (a thread died while reading it)
 * is an error with the reason `lostReasons` gives for the thread that took it (by threadId), never
 * a file read.
 */
export function decodeResults(
  message: FileJobMessage,
  errors: ReadonlyMap<number, string>,
  lostReasons: ReadonlyMap<number, string>,
): FileCheckResult[] {
  const takers = new Int32Array(message.takers);
  const kinds = new Uint8Array(message.kinds);
  const sizes = new Float64Array(message.sizes);
  const masks = new Uint8Array(message.algorithms);
  const digests = Buffer.from(message.digests);
  return Array.from(kinds, (kind, i): FileCheckResult => {
    if (kind === KIND.file) {
      const found: { sha256?: string; md5?: string; sha1?: string } = {};
      ALGORITHMS.forEach((name, a) => {
        const start = i * DIGEST_STRIDE + DIGEST_OFFSET[a]!;
        if (masks[i]! & (1 << a)) found[name] = digests.toString("hex", start, start + DIGEST_LENGTH[a]!);
      });
      return { kind: "file", size: sizes[i]!, digests: found };
    }
    if (kind === KIND.missing) return { kind: "missing" };
    if (kind >= NOT_REGULAR_BASE) return { kind: "not-regular", what: NOT_REGULAR_WHAT[kind - NOT_REGULAR_BASE]! };
    const reason = errors.get(i) ?? lostReasons.get(takers[i]!) ?? "a verification thread stopped; it was not checked";
    return { kind: "error", message: reason };
  });
}
