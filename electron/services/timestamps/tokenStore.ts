/**
 * Stores a timestamp token in the case as `timestamps/<head seq>-<head hash>.tsr` (`-2`, `-3`…
 * when that head already has one): written under a temporary name opened exclusively and never
 * through a link, fsynced, made read-only like an original, then linked under its final name
 * (never replacing one) and the folder fsynced. The case's shape is checked first, so a
 * `timestamps` that is a link or not a folder is refused, not followed.
 */
import { constants } from "node:fs";
import { chmod, link, lstat, mkdir, open, unlink } from "node:fs/promises";
import path from "node:path";
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import type { EventRef } from "../../../shared/ledger/geoEvents.js";
import { SightlineError, describeIoError } from "../sightlineError.js";
import { assertCaseLayout } from "../vault/caseLayout.js";
import { fsyncDir } from "../vault/durableFs.js";

/** Writes the token and returns its case-relative path. */
export async function storeToken(dir: string, head: EventRef, token: Buffer): Promise<string> {
  await assertCaseLayout(dir);
  const folder = path.join(dir, CASE_PATHS.timestamps);
  await mkdir(folder, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw ioError(`cannot make ${CASE_PATHS.timestamps}/`, error);
  });
  if (!(await lstat(folder)).isDirectory()) {
    throw new SightlineError("tampered", `${CASE_PATHS.timestamps} is not a folder (a link?); nothing was stored`);
  }
  const stem = `${head.seq}-${head.hash}`;
  const temp = path.join(folder, `.${stem}.${process.pid}.${Date.now()}.tmp`);
  const handle = await open(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
    0o600,
  ).catch((error: unknown) => {
    throw ioError(`cannot write in ${CASE_PATHS.timestamps}/`, error);
  });
  try {
    await handle.writeFile(token);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw ioError("cannot write the timestamp token", error);
  }
  await handle.close();
  await chmod(temp, 0o400);
  try {
    for (let n = 1; n < 10_000; n++) {
      const name = n === 1 ? `${stem}.tsr` : `${stem}-${n}.tsr`;
      const isPlaced = await link(temp, path.join(folder, name)).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === "EEXIST") return false;
          throw ioError(`cannot name the token ${name}`, error);
        },
      );
      if (!isPlaced) continue;
      await fsyncDir(folder);
      return `${CASE_PATHS.timestamps}/${name}`;
    }
    throw new SightlineError("io-error", "this head has too many timestamps already");
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

function ioError(what: string, error: unknown): SightlineError {
  return new SightlineError("io-error", `${what}: ${describeIoError(error)}`);
}
