/**
 * Writes a file Sightline makes into one of the case's own folders (exports/, timestamps/) so that
 * it is never half-written, never written through a link and never replaces anything: a temporary
 * name opened exclusively (O_EXCL, O_NOFOLLOW), fsync, read-only like an original, then linked
 * under its final name — `name`, or `name` with `-2`, `-3`… before its extension when taken
 * (link() fails with EEXIST where rename() would overwrite) — the temporary name removed and the
 * folder fsynced. The folder is made (0700) if absent; the case's shape is checked first, so a
 * folder that is a link or not a folder is refused, not followed.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { chmod, link, lstat, mkdir, open, unlink } from "node:fs/promises";
import path from "node:path";
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import { SightlineError, describeIoError } from "../sightlineError.js";
import { assertCaseLayout } from "./caseLayout.js";
import { fsyncDir } from "./durableFs.js";

/** How many `-n` names are tried before giving up (a folder that full is not a real case). */
const MAX_NAMES = 10_000;

/** Writes `bytes` as `folder/name` (or the first free `-n` name) and returns the case-relative path. */
export async function writeCaseFolderFile(
  dir: string,
  folder: "exports" | "timestamps",
  name: string,
  bytes: Buffer,
): Promise<string> {
  await assertCaseLayout(dir);
  const relative = CASE_PATHS[folder];
  const absolute = path.join(dir, relative);
  await mkdir(absolute, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw ioError(`cannot make ${relative}/`, error);
  });
  if (!(await lstat(absolute)).isDirectory()) {
    throw new SightlineError("tampered", `${relative} is not a folder (a link?); nothing was written`);
  }
  // Random, not only pid and time: two writes of one name in the same millisecond (two windows
  // exporting, two tokens for one head) would otherwise meet at the same temporary name.
  const temp = path.join(absolute, `.${name}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
    0o600,
  ).catch((error: unknown) => {
    throw ioError(`cannot write in ${relative}/`, error);
  });
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw ioError(`cannot write ${name}`, error);
  }
  await handle.close();
  await chmod(temp, 0o400);
  const dot = name.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  try {
    for (let n = 1; n <= MAX_NAMES; n++) {
      const final = n === 1 ? name : `${stem}-${n}${ext}`;
      const isPlaced = await link(temp, path.join(absolute, final)).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === "EEXIST") return false;
          throw ioError(`cannot name ${final}`, error);
        },
      );
      if (!isPlaced) continue;
      await unlink(temp);
      await fsyncDir(absolute);
      return `${relative}/${final}`;
    }
    throw new SightlineError("io-error", `${relative}/ already holds ${MAX_NAMES} files named ${name}`);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

function ioError(what: string, error: unknown): SightlineError {
  return new SightlineError("io-error", `${what}: ${describeIoError(error)}`);
}
