/** Small durability helpers: what "written" means for the vault and the ledger. */
import { open, rename, writeFile } from "node:fs/promises";

/** fsyncs a folder so that names created or renamed in it survive a crash. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `data` to `file` atomically: temporary name, fsync, rename, fsync of the folder. */
export async function writeFileDurably(file: string, data: string | Uint8Array, dir: string): Promise<void> {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, data, { flag: "wx" });
  const handle = await open(temp, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await fsyncDir(dir);
}
