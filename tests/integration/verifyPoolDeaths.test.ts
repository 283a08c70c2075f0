/**
 * The verification pool when its threads die, as crashes would stop them (`stopThread`): the files
 * and signature batches they held are reported or checked again, each file's reason names its own
 * thread (or is its own read error), and threads that keep dying stop the pool with one line.
 * A thread is stopped while it reads a sparse file too large to finish, so each stop lands on the
 * file it is meant to, however loaded the machine.
 */
import assert from "node:assert/strict";
import { readdir, readFile, readlink, realpath, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { VerifyPool, type FileCheckResult } from "../../electron/services/ledger/verifyPool.js";
import { tempDir, writeRandomFile } from "../support/fixtures.js";
import { assertCheckedOrNotChecked, digest, newKey, signed } from "../support/verifyChecks.js";

const MiB = 1024 * 1024;

// A stop that missed would read a 1 TiB sparse file for many minutes: these tests fail after three instead.
describe("VerifyPool failures", { timeout: 180_000 }, () => {
  test("a thread that dies mid-file: that file is not checked, with the reason; the rest are, and the pool goes on", async () => {
    const dir = await tempDir();
    const endless = await endlessFile(dir, "endless.bin");
    const small = await smallFiles(dir, 12);
    const files = [endless, ...small];
    const pool = VerifyPool.create({ threads: 1 });
    try {
      let stopping: Promise<void> | null = null;
      // Progress comes only from inside a file, and the thread never gets past the endless one: it
      // is stopped, as a crash would stop it, while it reads that file.
      const results = await pool.checkFiles(
        files.map((file) => ({ path: file, algorithms: ["sha256"] as const })),
        { onBytes: () => void (stopping ??= pool.stopThread(0)) },
      );
      await stopping;
      assert.ok(stopping, "the thread was stopped while it read");
      assert.match(errorOf(results[0]), deathOf(1));
      assert.equal(
        await assertCheckedOrNotChecked(results.slice(1), small, /^$/),
        small.length,
        "the replacement took the rest",
      );
      const photo = path.join(dir, "photo.jpg");
      await writeRandomFile(photo, 3 * MiB);
      assert.deepEqual(await pool.checkFiles([{ path: photo, algorithms: ["sha256"] }]), [
        { kind: "file", size: 3 * MiB, digests: { sha256: digest("sha256", await readFile(photo)) } },
      ]);
    } finally {
      await pool.close();
    }
  });

  test("a thread that dies after read errors: each of those files keeps its own reason, only the file being read gets the death's", async () => {
    const dir = await tempDir();
    const plain = path.join(dir, "plain.txt");
    await writeFile(plain, "a file, not a folder");
    // lstat fails (ENOTDIR), and a read fails (EIO: the address 0 of this process is not mapped).
    const notFolder = path.join(plain, "inside.bin");
    const unreadable = "/proc/self/mem";
    const endless = await endlessFile(dir, "endless.bin");
    const small = await smallFiles(dir, 3);
    const pool = VerifyPool.create({ threads: 1 });
    try {
      let stopping: Promise<void> | null = null;
      // The first progress comes from the endless file (the failed ones read nothing): the thread
      // has taken the two before it, and is stopped as it reads it.
      const results = await pool.checkFiles(
        [notFolder, unreadable, endless, ...small].map((file) => ({ path: file, algorithms: ["sha256"] as const })),
        { onBytes: () => void (stopping ??= pool.stopThread(0)) },
      );
      await stopping;
      assert.deepEqual(results.slice(0, 2), [
        { kind: "error", message: "a part of the path is not a folder" },
        { kind: "error", message: "input/output error (the disk or device failed to read)" },
      ]);
      assert.match(errorOf(results[2]), deathOf(1));
      assert.equal(await assertCheckedOrNotChecked(results.slice(3), small, /^$/), small.length);
    } finally {
      await pool.close();
    }
  });

  test("two threads that die each reading a file: each file's reason names its own thread", async () => {
    const dir = await tempDir();
    const endless = [await endlessFile(dir, "endless-a.bin"), await endlessFile(dir, "endless-b.bin")];
    const small = await smallFiles(dir, 4);
    const pool = VerifyPool.create({ threads: 2 });
    try {
      let stopping: Promise<unknown> | null = null;
      // Whichever thread takes the first endless file never finishes it, so the other takes the
      // second: both are stopped once both files are open, each being read by its own thread.
      const checking = pool.checkFiles(
        [...endless, ...small].map((file) => ({ path: file, algorithms: ["sha256"] as const })),
        {
          onBytes: () =>
            void (stopping ??= whenOpen(endless).then(() => Promise.all([pool.stopThread(0), pool.stopThread(1)]))),
        },
      );
      const results = await checking;
      await stopping;
      const reasons = results.slice(0, 2).map(errorOf);
      assert.ok(
        reasons.some((m) => deathOf(1).test(m)) && reasons.some((m) => deathOf(2).test(m)),
        `one endless file names thread 1, the other thread 2: ${JSON.stringify(reasons)}`,
      );
      assert.equal(await assertCheckedOrNotChecked(results.slice(2), small, /^$/), small.length);
    } finally {
      await pool.close();
    }
  });

  test("a thread that dies while checking signatures: its batches are checked again on another", async () => {
    const pool = VerifyPool.create({ threads: 2 });
    try {
      const key = newKey();
      const checks = Array.from({ length: 4000 }, (_, i) => signed(key, `e${i}`));
      checks[1234] = { ...checks[1234]!, sig: checks[1235]!.sig };
      const checking = pool.checkSignatures(checks);
      await pool.stopThread(0);
      const valid = await checking;
      assert.equal(valid.length, 4000);
      assert.deepEqual(
        valid.flatMap((v, i) => (v ? [] : [i])),
        [1234],
      );
      assert.deepEqual(await pool.checkSignatures([signed(key, "later")]), [true]);
    } finally {
      await pool.close();
    }
  });

  test("threads that keep dying stop the pool: the call in flight and later calls reject with one line", async () => {
    const pool = VerifyPool.create({ threads: 1 });
    const key = newKey();
    const checking = assert.rejects(
      pool.checkSignatures(Array.from({ length: 20_000 }, (_, i) => signed(key, `e${i}`))),
      (error: Error) => {
        assert.match(error.message, /^verification thread 1 stopped unexpectedly \(exit code \d+\)/);
        assert.doesNotMatch(error.message, /\n/);
        return true;
      },
    );
    for (let i = 0; i < 12; i++) await pool.stopThread(0);
    await checking;
    await assert.rejects(
      pool.checkFiles([{ path: "/", algorithms: [] }]),
      /verification threads keep failing, so verification stopped$/,
    );
    await pool.close();
  });

  test("close() rejects the calls in flight and later calls", async () => {
    const pool = VerifyPool.create({ threads: 1 });
    const key = newKey();
    const checking = assert.rejects(
      pool.checkSignatures(Array.from({ length: 4000 }, (_, i) => signed(key, `e${i}`))),
      /the verification pool was closed/,
    );
    await pool.close();
    await checking;
    await assert.rejects(pool.checkSignatures([signed(key, "late")]), /the verification pool was closed/);
  });
});

/** `count` files of a few bytes in `dir`, each with its own contents. */
function smallFiles(dir: string, count: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const file = path.join(dir, `small-${i}.bin`);
      await writeFile(file, `small file ${i}`);
      return file;
    }),
  );
}

/** The reason a file was not checked; fails when it was checked. */
function errorOf(result: FileCheckResult | undefined): string {
  assert.equal(result?.kind, "error", `not checked: ${JSON.stringify(result)}`);
  return (result as { message: string }).message;
}

/** The reason given to the file a verification thread was reading when it was stopped. */
function deathOf(thread: number): RegExp {
  return new RegExp(
    `^verification thread ${thread} stopped unexpectedly \\(exit code \\d+\\) while reading it; it was not checked$`,
  );
}

/**
 * A sparse file of 1 TiB: read as fast as zeros come, hashing it takes many minutes, so a thread
 * that takes it is still reading it whenever the test stops that thread.
 */
async function endlessFile(dir: string, name: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, "");
  await truncate(file, 2 ** 40);
  return file;
}

/** Resolves once this process holds each of `files` open: a thread has taken it and is reading it. */
async function whenOpen(paths: readonly string[]): Promise<void> {
  const files = await Promise.all(paths.map((p) => realpath(p)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const fds = await readdir("/proc/self/fd");
    const open = new Set<string>(await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => ""))));
    if (files.every((file) => open.has(file))) return;
    assert.ok(Date.now() < deadline, `in a minute no thread opened ${files.filter((f) => !open.has(f)).join(", ")}`);
    await delay(5);
  }
}
