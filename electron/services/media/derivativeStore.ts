/**
 * Derivatives live under `derived/<parent sha256>/` with plain names chosen by
 * Sightline (never by the file: rule 5). Each is written under a temporary
 * name, renamed into place, made read-only and hashed; the caller names it in
 * a `derivative.created` event once the bytes are flushed.
 */
import { randomUUID } from "node:crypto";
import { chmod, mkdir, readdir, rename, rm, writeFile, open } from "node:fs/promises";
import path from "node:path";
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import { sha256File } from "../vault/fileDigest.js";

export interface StoredDerivative {
  /** Case-relative, `derived/<parent>/<name>`. */
  path: string;
  sha256: string;
  size: number;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function derivedDir(caseDir: string, parent: string): string {
  if (!/^[0-9a-f]{64}$/.test(parent)) throw new Error("derivative parent must be a SHA-256");
  return path.join(caseDir, CASE_PATHS.derived, parent);
}

/** A scratch folder inside the parent's derivative folder, for tools that write files (ffmpeg). */
export async function scratchDir(caseDir: string, parent: string): Promise<string> {
  const dir = path.join(derivedDir(caseDir, parent), `.work-${randomUUID()}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

async function place(
  caseDir: string,
  parent: string,
  name: string,
  temp: string,
  fsync: boolean,
): Promise<StoredDerivative> {
  if (!SAFE_NAME.test(name)) throw new Error(`unsafe derivative name ${JSON.stringify(name)}`);
  const { sha256, size } = await sha256File(temp);
  if (fsync) {
    const handle = await open(temp, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  await chmod(temp, 0o400);
  await rename(temp, path.join(derivedDir(caseDir, parent), name));
  return { path: `${CASE_PATHS.derived}/${parent}/${name}`, sha256, size };
}

/** Stores `bytes` as derivative `name` of `parent`. */
export async function storeDerivativeBytes(
  caseDir: string,
  parent: string,
  name: string,
  bytes: Uint8Array,
  fsync: boolean,
): Promise<StoredDerivative> {
  const dir = derivedDir(caseDir, parent);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = path.join(dir, `.tmp-${randomUUID()}`);
  try {
    await writeFile(temp, bytes, { flag: "wx" });
    return await place(caseDir, parent, name, temp, fsync);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Moves a file a tool wrote (in a scratch folder of the same parent) into place as derivative `name`. */
export async function storeDerivativeFile(
  caseDir: string,
  parent: string,
  name: string,
  file: string,
  fsync: boolean,
): Promise<StoredDerivative> {
  return place(caseDir, parent, name, file, fsync);
}

/**
 * Removes what an interrupted analysis left: scratch folders and unfinished
 * temporary files. Call only while holding the case's writer lock.
 */
export async function removeLeftovers(caseDir: string): Promise<number> {
  let removed = 0;
  const root = path.join(caseDir, CASE_PATHS.derived);
  let parents: string[] = [];
  try {
    parents = await readdir(root);
  } catch {
    return 0;
  }
  for (const parent of parents) {
    if (!/^[0-9a-f]{64}$/.test(parent)) continue;
    for (const name of await readdir(path.join(root, parent)).catch(() => [] as string[])) {
      if (name.startsWith(".work-") || name.startsWith(".tmp-")) {
        await rm(path.join(root, parent, name), { recursive: true, force: true });
        removed++;
      }
    }
  }
  return removed;
}
