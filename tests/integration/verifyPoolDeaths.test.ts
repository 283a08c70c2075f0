/**
 * The verification pool when its threads die, as crashes would stop them (`stopThread`): the files
 * and signature batches they held are reported or checked again, each file's reason names its own
 * thread, and threads that keep dying stop the pool with one line. Split from verifyPool.test.ts.
 */
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, test } from "node:test";
import { VerifyPool } from "../../electron/services/ledger/verifyPool.js";
import { tempDir, writeRandomFile } from "../support/fixtures.js";
import { assertCheckedOrNotChecked, digest, newKey, signed } from "../support/verifyChecks.js";

const MiB = 1024 * 1024;

describe("VerifyPool failures", () => {
  test("a thread that dies mid-file: that file is not checked, with the reason; the rest are, and the pool goes on", async () => {
    const dir = await tempDir();
    const big = path.join(dir, "big.bin");
    await writeRandomFile(big, 96 * MiB);
    const small = await smallFiles(dir, 12);
    const files = [big, ...small];
    const pool = VerifyPool.create({ threads: 1 });
    try {
      let stopping: Promise<void> | null = null;
      // Stopped as a crash would, while it reads the big file (progress comes only from inside a file).
      const results = await pool.checkFiles(
        files.map((file) => ({ path: file, algorithms: ["sha256"] as const })),
        { onBytes: () => void (stopping ??= pool.stopThread(0)) },
      );
      await stopping;
      assert.ok(stopping, "the thread was stopped while it read");
      const reason =
        /^verification thread 1 stopped unexpectedly \(exit code \d+\) while reading it; it was not checked$/;
      const notChecked = results.flatMap((r, i) => (r.kind === "error" ? [i] : []));
      assert.ok(notChecked.includes(0), `the big file, being read, is not checked: ${JSON.stringify(results[0])}`);
      const checked = await assertCheckedOrNotChecked(results, files, reason);
      assert.ok(checked >= small.length - 1, "the replacement took the rest");
      const again = await pool.checkFiles([{ path: big, algorithms: ["sha256"] }]);
      assert.deepEqual(again[0], {
        kind: "file",
        size: 96 * MiB,
        digests: { sha256: digest("sha256", await readFile(big)) },
      });
    } finally {
      await pool.close();
    }
  });

  test("two threads that die each reading a file: each file's reason names its own thread", async () => {
    const dir = await tempDir();
    const big = path.join(dir, "big.bin");
    await writeRandomFile(big, 96 * MiB);
    const small = await smallFiles(dir, 4);
    const reason = (n: number) =>
      new RegExp(
        `^verification thread ${n} stopped unexpectedly \\(exit code \\d+\\) while reading it; it was not checked$`,
      );
    // A thread kept off the CPU past the first progress report has not taken its file when both
    // are stopped (its file is then checked by a replacement): such a round shows nothing, and
    // another is run, up to five.
    let rounds = 0;
    for (let isBothStopped = false; !isBothStopped;) {
      assert.ok(++rounds <= 5, "in five rounds both threads were never stopped while each read a file");
      const pool = VerifyPool.create({ threads: 2 });
      try {
        // Both threads are up and idle once a check has come back, so each takes one big file at once.
        await pool.checkFiles(small.map((file) => ({ path: file, algorithms: ["sha256"] as const })));
        let stopping: Promise<unknown> | null = null;
        // All three digests make each big file take a few hundred milliseconds: both are still being
        // read at the first progress report, and both threads are stopped then, as crashes would stop them.
        const results = await pool.checkFiles(
          [big, big, ...small].map((file) => ({ path: file, algorithms: ["sha256", "md5", "sha1"] as const })),
          { onBytes: () => void (stopping ??= Promise.all([pool.stopThread(0), pool.stopThread(1)])) },
        );
        await stopping;
        assert.ok(stopping, "the threads were stopped while they read");
        const reasons = results.slice(0, 2).flatMap((r) => (r.kind === "error" ? [r.message] : []));
        for (const m of reasons) assert.match(m, /^verification thread [12] stopped unexpectedly/);
        isBothStopped = reasons.length === 2;
        if (isBothStopped) {
          assert.ok(
            reasons.some((m) => reason(1).test(m)) && reasons.some((m) => reason(2).test(m)),
            `one big file names thread 1, the other thread 2: ${JSON.stringify(reasons)}`,
          );
        }
        assert.equal(await assertCheckedOrNotChecked(results.slice(2), small, /^$/), small.length);
      } finally {
        await pool.close();
      }
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
