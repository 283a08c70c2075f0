/** Temporary folders and generated files for tests: nothing is downloaded, everything is made here. */
import { rmSync } from "node:fs";
import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export { writeRandomFile } from "./randomFile.js";

const made = new Set<string>();
let isCleanupHooked = false;

/**
 * A new temporary folder, removed when the test process exits. (Not with `after()`: registered
 * inside a `before` hook, node:test runs it as soon as that hook ends, before the tests.)
 */
export async function tempDir(prefix = "sightline-test-"): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  made.add(dir);
  if (!isCleanupHooked) {
    isCleanupHooked = true;
    process.once("exit", () => {
      for (const d of made) rmSync(d, { recursive: true, force: true, maxRetries: 2 });
    });
  }
  return dir;
}

export async function writeText(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}
