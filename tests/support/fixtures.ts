/** Temporary folders and generated files for tests: nothing is downloaded, everything is made here. */
import { randomBytes } from "node:crypto";
import { mkdtemp, mkdir, open, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after } from "node:test";

/** A new temporary folder, removed when the test file finishes. */
export async function tempDir(prefix = "sightline-test-"): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `size` random bytes to `file` in 4 MiB chunks (bounded memory whatever the size). */
export async function writeRandomFile(file: string, size: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const handle = await open(file, "w");
  try {
    const chunk = 4 * 1024 * 1024;
    for (let written = 0; written < size; written += chunk) {
      await handle.write(randomBytes(Math.min(chunk, size - written)));
    }
  } finally {
    await handle.close();
  }
}

export async function writeText(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}
