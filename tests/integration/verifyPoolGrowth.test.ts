/**
 * How many threads a pool made by `VerifyPool.create()` starts, by the work it is given (one per
 * FILES_PER_THREAD files, one more per progress report while files are left to take, one more per
 * overlapping signature call, never more than the cores), and a thread of such a grown pool that
 * dies. Files that must outlast a progress report are sparse files of a tebibyte: no disk, and far
 * more hashing than any machine does before the first report, so no assertion rests on a timing.
 */
import assert from "node:assert/strict";
import { readFile, truncate, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { VerifyPool, type FileCheckRequest } from "../../electron/services/ledger/verifyPool.js";
import { tempDir, writeRandomFile } from "../support/fixtures.js";
import { assertCheckedOrNotChecked, digest, newKey, signed } from "../support/verifyChecks.js";

const cores = os.availableParallelism();

/** A file of 1 TiB that holds no blocks: every read returns zeros, and reading it all takes minutes. */
async function endlessFile(file: string): Promise<string> {
  await writeFile(file, "");
  await truncate(file, 2 ** 40);
  return file;
}

const sha256Of = (files: string[]): FileCheckRequest[] => files.map((p) => ({ path: p, algorithms: ["sha256"] }));

const notChecked =
  /^verification thread \d+ stopped unexpectedly \(exit code \d+\) while reading it; it was not checked$/;

describe("VerifyPool threads by the work", () => {
  test("a few signatures and small files: one thread, whatever the cores", async () => {
    const pool = VerifyPool.create();
    try {
      assert.equal(pool.threadCount, 0, "none before there is work");
      const key = newKey();
      assert.deepEqual(await pool.checkSignatures([signed(key, "a"), signed(key, "b"), signed(key, "c")]), [
        true,
        true,
        true,
      ]);
      const dir = await tempDir();
      const files = ["a.jpg", "b.jpg", "c.mp4"].map((name) => path.join(dir, name));
      for (const file of files) await writeRandomFile(file, 40_000);
      const results = await pool.checkFiles(sha256Of(files));
      assert.deepEqual(
        results.map((r) => r.kind),
        ["file", "file", "file"],
      );
      assert.equal(pool.threadCount, 1);
    } finally {
      await pool.close();
    }
  });

  test("signature calls that overlap start a thread each, up to the cores", async () => {
    const key = newKey();
    const pool = VerifyPool.create();
    try {
      const calls = Array.from({ length: 4 }, (_, c) =>
        Array.from({ length: 512 }, (_, i) => signed(key, `call ${c} event ${i}`)),
      );
      const valid = await Promise.all(calls.map((checks) => pool.checkSignatures(checks)));
      assert.ok(valid.every((v) => v.length === 512 && v.every(Boolean)));
      assert.equal(pool.threadCount, Math.min(4, cores));
    } finally {
      await pool.close();
    }
  });

  test("many small files start a thread per 500 at once, up to the cores", async () => {
    const dir = await tempDir();
    const files = Array.from({ length: 1001 }, (_, i) => path.join(dir, `f${i}.jpg`));
    await Promise.all(files.map((file, i) => writeFile(file, `photo ${i}`)));
    const pool = VerifyPool.create();
    try {
      const checking = pool.checkFiles(sha256Of(files));
      assert.equal(pool.threadCount, Math.min(3, cores), "started with the call, before any progress");
      const results = await checking;
      assert.deepEqual(
        results,
        files.map((_, i) => ({
          kind: "file",
          size: Buffer.byteLength(`photo ${i}`),
          digests: {
            sha256: digest("sha256", `photo ${i}`),
          },
        })),
      );
    } finally {
      await pool.close();
    }
  });

  test("a long file check starts one thread, then one more per progress report while files are left, up to the cores", async () => {
    const dir = await tempDir();
    const files = await Promise.all(["a", "b", "c", "d"].map((n) => endlessFile(path.join(dir, `${n}.mp4`))));
    const wanted = Math.min(files.length, cores);
    const pool = VerifyPool.create();
    try {
      const controller = new AbortController();
      let reports = 0;
      const checking = pool.checkFiles(sha256Of(files), {
        signal: controller.signal,
        // Each file is read for minutes: the check is stopped once the threads it should have are there
        // (or, should they not come, well after they should have).
        onBytes: () => {
          if (++reports >= 4 * wanted || pool.threadCount >= wanted) controller.abort();
        },
      });
      assert.equal(pool.threadCount, 1, "four files are not worth more than one thread at the start");
      await assert.rejects(checking, { name: "AbortError" });
      // Until four threads have started, a file is left to take at every report, so each report adds a
      // thread, whether or not the one before has begun reading. (On one core the first report stops it.)
      assert.equal(pool.threadCount, wanted);
      assert.equal(reports, Math.max(1, wanted - 1), "one more thread per progress report");
    } finally {
      await pool.close();
    }
  });
});

describe("VerifyPool grown by the work, failures", () => {
  test("threads that die in a grown pool: the file being read is not checked, with the reason; the rest are, and the pool goes on", async () => {
    const dir = await tempDir();
    const endless = await endlessFile(path.join(dir, "endless.mp4"));
    const small = Array.from({ length: 300 }, (_, i) => path.join(dir, `small-${i}.jpg`));
    for (const file of small) await writeRandomFile(file, 64 * 1024);
    const files = [endless, ...small];
    const pool = VerifyPool.create();
    try {
      // The first thread takes the endless file and reads it until it is stopped. The second, started
      // by the first progress report, is stopped at once, holding its share of the check; its
      // replacement takes the small files. Once that one has no file left to take and only the first
      // is busy, the first is stopped too: the check must have waited for it.
      let reports = 0;
      let joinedStopped: Promise<void> | null = null;
      let stopping: Promise<void> | null = null;
      const results = await pool.checkFiles(sha256Of(files), {
        onBytes: () => {
          reports++;
          if (cores > 1 && pool.threadCount === 2 && !joinedStopped) {
            assert.equal(pool.busyThreadCount, 2, "the thread started by the report has its share");
            joinedStopped = pool.stopThread(1);
          } else if (pool.busyThreadCount === 1 || reports >= 200) {
            stopping ??= joinedStopped ? joinedStopped.then(() => pool.stopThread(0)) : pool.stopThread(0);
          }
        },
      });
      await stopping;
      assert.ok(cores === 1 || joinedStopped, "the thread that joined was stopped");
      assert.ok(stopping, "the first thread was stopped while it read the endless file, after the rest were checked");
      assert.equal(results[0]?.kind, "error", `the endless file is not checked: ${JSON.stringify(results[0])}`);
      const checked = await assertCheckedOrNotChecked(results, files, notChecked);
      assert.ok(checked >= small.length - 1, `the replacements took the rest: ${checked} of ${small.length}`);
      assert.ok(pool.threadCount >= Math.min(2, cores) && pool.threadCount <= cores, `${pool.threadCount} threads`);
      const [again] = await pool.checkFiles(sha256Of([small[0]!]));
      assert.deepEqual(again, {
        kind: "file",
        size: 64 * 1024,
        digests: { sha256: digest("sha256", await readFile(small[0]!)) },
      });
    } finally {
      await pool.close();
    }
  });
});
