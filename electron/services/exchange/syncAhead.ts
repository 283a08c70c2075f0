/**
 * A pass-through on the way to a file that has the file written out to disk as it grows: every
 * `every` bytes an fdatasync runs on libuv's thread pool, one at a time and never waited for by
 * the stream. Without it a bundle of gigabytes sat in the page cache until its final fsync, which
 * then wrote it all while nothing else ran (3 s of a 15 s export of 2 GiB here); with it the disk
 * writes while the zip is still being made, and the final fsync has little left to do. Node has
 * no sync_file_range, which would start the writing without waiting for it. The stream's end
 * waits for a sync in flight, so the file is never closed under one.
 */
import { fdatasync, type WriteStream } from "node:fs";
import { Transform } from "node:stream";

export function syncAhead(output: WriteStream, every = 64 << 20): Transform {
  let unsynced = 0;
  let inFlight: Promise<void> | null = null;
  const start = () => {
    const fd = (output as unknown as { fd: number | null }).fd;
    if (typeof fd !== "number" || inFlight) return;
    unsynced = 0;
    // A failed early sync is not the file's failure: the final fsync, awaited, decides that.
    inFlight = new Promise<void>((resolve) => fdatasync(fd, () => resolve())).then(() => {
      inFlight = null;
    });
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, next) {
      unsynced += chunk.length;
      if (unsynced >= every) start();
      next(null, chunk);
    },
    flush(next) {
      void (inFlight ?? Promise.resolve()).then(() => next());
    },
  });
}
