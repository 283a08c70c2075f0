/**
 * Reading one case file for the window (thumbnails, keyframes, proxies, originals), for
 * the Electron shell's IPC channel. The window names a case folder and a case path; both
 * are hostile until shown otherwise (DESIGN rule 5), so only vault objects,
 * derivatives and exports are read, never case.json, the ledger or anything reached by `..` or by a
 * symbolic link that leads elsewhere, and never more than a bounded number of bytes.
 */
import { constants } from "node:fs";
import { open, realpath, stat, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { inertText } from "../../../shared/text/inertText.js";
import { SightlineError, describeIoError } from "../sightlineError.js";

/**
 * The case paths the window may read: a vault object (`objects/sha256/xx/<62 hex>`), a
 * derivative (`derived/<64 hex>/<safe name>`) or an export the app wrote (`exports/<safe name>`,
 * so an examiner can save a copy of it). The same rule as the loopback host's `/files`.
 */
export const CASE_FILE_PATH =
  /^(objects\/sha256\/[0-9a-f]{2}\/[0-9a-f]{62}|derived\/[0-9a-f]{64}\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}|exports\/[A-Za-z0-9][A-Za-z0-9._-]{0,127})$/;

/**
 * The largest file sent whole. The bytes cross IPC as one structured-clone message, and
 * Electron's serializer fails (or crashes) on messages towards 512 MiB, so the bound sits
 * well below that rather than at the 2 GiB `fs.readFile` allows.
 */
export const MAX_CASE_FILE_BYTES = 256 * 1024 * 1024;

export interface ReadCaseFileOptions {
  /** Refuse files larger than this many bytes (default `MAX_CASE_FILE_BYTES`). */
  maxBytes?: number;
}

// O_NOFOLLOW: the path was resolved just before, so a link appearing since is refused.
// O_NONBLOCK: opening a FIFO planted in derived/ returns at once instead of hanging,
// and the regular-file check below refuses it. Neither exists on Windows.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Reads `casePath` of the case in `dir` whole, after checking both; throws SightlineError with one line. */
export async function readCaseFile(
  dir: unknown,
  casePath: unknown,
  options: ReadCaseFileOptions = {},
): Promise<Uint8Array> {
  if (typeof dir !== "string" || typeof casePath !== "string") {
    throw new SightlineError("invalid-input", "the case folder and the case file path must both be text");
  }
  if (!CASE_FILE_PATH.test(casePath)) {
    throw new SightlineError(
      "invalid-input",
      `"${shown(casePath)}" is not a vault object, derivative or export path; nothing else is read from a case`,
    );
  }
  if (!path.isAbsolute(dir) || dir.split(/[\\/]/).includes("..") || dir.includes("\0")) {
    throw new SightlineError("invalid-input", `the case folder must be an absolute path without "..": "${shown(dir)}"`);
  }
  const caseRoot = await resolveCase(dir);
  const file = await resolveInside(caseRoot, casePath);
  return readBounded(file, casePath, options.maxBytes ?? MAX_CASE_FILE_BYTES);
}

/**
 * The same checks as `readCaseFile`, then the file opened (no link followed at the last step,
 * regular files only) for streaming: the loopback host serves images and videos from it, in ranges.
 * The caller closes the handle (a stream made from it does so when it ends or is destroyed).
 */
export async function openCaseFile(dir: string, casePath: string): Promise<{ handle: FileHandle; size: number }> {
  if (!CASE_FILE_PATH.test(casePath)) {
    throw new SightlineError("invalid-input", "not a case file path");
  }
  if (!path.isAbsolute(dir) || dir.split(/[\\/]/).includes("..") || dir.includes("\0")) {
    throw new SightlineError("invalid-input", "not a case file path");
  }
  const file = await resolveInside(await resolveCase(dir), casePath);
  let handle: FileHandle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (error) {
    throw new SightlineError("io-error", `cannot read ${casePath}: ${describeIoError(error)}`);
  }
  const info = await handle.stat().catch(async (error: unknown) => {
    await handle.close();
    throw new SightlineError("io-error", `cannot read ${casePath}: ${describeIoError(error)}`);
  });
  if (!info.isFile()) {
    await handle.close();
    throw new SightlineError("invalid-input", `${casePath} is not a regular file; refused`);
  }
  return { handle, size: info.size };
}

/** The case folder with its links resolved, once it is shown to hold a case.json. */
async function resolveCase(dir: string): Promise<string> {
  const notACase = () =>
    new SightlineError("not-a-case", `"${shown(dir)}" is not a Sightline case (it has no case.json)`);
  let root: string;
  try {
    root = await realpath(dir);
    if (!(await stat(path.join(root, "case.json"))).isFile()) throw notACase();
  } catch (error) {
    if (error instanceof SightlineError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw notACase();
    throw new SightlineError("io-error", `cannot open the case "${shown(dir)}": ${describeIoError(error)}`);
  }
  return root;
}

/**
 * The real path of `casePath` in the case. What it resolves to must itself be an allowed
 * case path of the same case: a link in derived/ may not lead outside the case, nor to
 * case.json or the ledger inside it.
 */
async function resolveInside(caseRoot: string, casePath: string): Promise<string> {
  let file: string;
  try {
    file = await realpath(path.join(caseRoot, ...casePath.split("/")));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new SightlineError("not-found", `${casePath} is not in this case (no such file)`);
    }
    throw new SightlineError("io-error", `cannot read ${casePath}: ${describeIoError(error)}`);
  }
  const relative = path.relative(caseRoot, file).split(path.sep).join("/");
  if (!CASE_FILE_PATH.test(relative)) {
    throw new SightlineError(
      "invalid-input",
      `${casePath} is a link to a file that is not a vault object, derivative or export of this case; refused`,
    );
  }
  return file;
}

/** The whole file, if it is a regular file of at most `maxBytes` and does not change while it is read. */
async function readBounded(file: string, casePath: string, maxBytes: number): Promise<Uint8Array> {
  let handle: FileHandle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (error) {
    throw new SightlineError("io-error", `cannot read ${casePath}: ${describeIoError(error)}`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new SightlineError("invalid-input", `${casePath} is not a regular file; refused`);
    if (info.size > maxBytes) {
      throw new SightlineError(
        "invalid-input",
        `${casePath} is ${sizeText(info.size)}; the window is sent case files of up to ${sizeText(maxBytes)}`,
      );
    }
    // Never a slice of Node's shared pool, so the whole ArrayBuffer is this file and
    // nothing else crosses IPC with it; every byte is overwritten or the read refused.
    const bytes = Buffer.allocUnsafeSlow(info.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const { bytesRead: extra } = await handle.read(Buffer.alloc(1), 0, 1, filled);
    if (filled !== info.size || extra !== 0) {
      throw new SightlineError("io-error", `${casePath} changed size while it was read; try again`);
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (error) {
    if (error instanceof SightlineError) throw error;
    throw new SightlineError("io-error", `cannot read ${casePath}: ${describeIoError(error)}`);
  } finally {
    await handle.close();
  }
}

/** Text from the window, made inert and short enough for a one-line message. */
function shown(text: string): string {
  return inertText(text.length > 160 ? `${text.slice(0, 160)}…` : text);
}

function sizeText(bytes: number): string {
  return bytes < 2 ** 20 ? `${bytes} bytes` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
