/** Small durability helpers: what "written" means for the vault and the ledger. */
import { execFile } from "node:child_process";
import { open, rename, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { flushFileSystem } from "./fileSystemFlush.js";

const execFileAsync = promisify(execFile);

/** fsyncs a folder so that names created or renamed in it survive a crash. */
export function fsyncDir(dir: string): Promise<void> {
  return fsyncPath(dir);
}

/** fsyncs a file or folder, opened for reading (a read-only staged copy too). */
export async function fsyncPath(file: string): Promise<void> {
  const handle = await open(file, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `data` to `file` atomically: temporary name, fsync, rename, fsync of the folder. */
export async function writeFileDurably(
  file: string,
  data: string | Uint8Array,
  dir: string,
  mode = 0o600,
): Promise<void> {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, data, { flag: "wx", mode });
  const handle = await open(temp, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await fsyncDir(dir);
}

/**
 * Flushes the whole file system holding `dir` (syncfs(2), through coreutils'
 * `sync -f`, run by a shell kept for the purpose: fileSystemFlush.ts): one call instead of an fsync per file and per folder, which is
 * what makes a batch of a thousand small files cost about what `cp -r && sync`
 * does. Returns false where that is not available (then callers fsync each
 * file and folder themselves).
 */
export async function syncFileSystem(dir: string): Promise<boolean> {
  if (process.platform !== "linux" || isSyncfsUnavailable) return false;
  const flushed = await flushFileSystem(dir);
  if (flushed === true) return true;
  // A failed `sync -f` is never asked again: syncfs(2) reports a writeback error once, so a second
  // flush would answer 0 for pages that never reached the disk. The caller fsyncs each file instead.
  if (flushed === false) return stopSyncfs();
  try {
    // No shell to run it: started from here.
    await execFileAsync("sync", ["-f", dir]);
    return true;
  } catch {
    return stopSyncfs();
  }
}

let isSyncfsUnavailable = false;

function stopSyncfs(): false {
  isSyncfsUnavailable = true;
  return false;
}
let syncfsProbe: Promise<boolean> | null = null;

/**
 * Whether `syncFileSystem` can be used here, asked once per process and without flushing anything:
 * `sync -f` on /proc (a file system with nothing to write) tells whether this system's `sync`
 * offers syncfs(2). Probing on the case itself would flush every pending write on that disk
 * (the case's and every other program's) before an import has written a byte. So a "true" here
 * does not promise the case's disk can be flushed: where `sync -f` then fails there, the import
 * fsyncs each file instead (importCommit.ts `startBatchFlush`), and `syncFileSystem` answers
 * false from then on in this process.
 */
export function canSyncFileSystem(): Promise<boolean> {
  if (process.platform !== "linux" || isSyncfsUnavailable) return Promise.resolve(false);
  // Through the kept shell, which then stands ready for the import's first flush.
  syncfsProbe ??= flushFileSystem("/proc").then((flushed) =>
    flushed !== null
      ? flushed
      : execFileAsync("sync", ["-f", "/proc"]).then(
          () => true,
          () => false,
        ),
  );
  return syncfsProbe;
}
