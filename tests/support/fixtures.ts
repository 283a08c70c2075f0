/** Temporary folders and generated files for tests: nothing is downloaded, everything is made here. */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after } from "node:test";

export { writeRandomFile } from "./randomFile.js";

/** A new temporary folder, removed when the test file finishes. */
export async function tempDir(prefix = "sightline-test-"): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function writeText(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}
