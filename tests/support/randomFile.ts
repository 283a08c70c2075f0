/** Random files of any size in bounded memory (used by tests and benchmarks). */
import { randomBytes } from "node:crypto";
import { mkdir, open } from "node:fs/promises";
import path from "node:path";

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
