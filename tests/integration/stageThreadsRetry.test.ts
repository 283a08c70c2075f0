/**
 * A small file being staged when its staging thread dies is staged once more; being staged again
 * when the next thread dies, it fails with the death's one-line reason, and the files queued behind
 * it go on. Each thread is stopped as it names a file it is staging (`smallFilesOn`, read from its
 * shared slot): the test spins on that, and the stop says which file the thread was staging as it died.
 * The thread is kept hashing chunks first, so it cannot begin the files before the spin has begun.
 */
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import { importIntoCase, type ImportReport } from "../../electron/services/import/importPipeline.js";
import { verifyCase } from "../../electron/services/ledger/verifyCase.js";
import { StageThreads } from "../../electron/services/vault/stageThreads.js";
import { makeCaseRoot, type CaseRoot } from "../support/caseRoot.js";
import { writeRandomFile } from "../support/fixtures.js";

const MiB = 1024 * 1024;
const FILES = 16;
const DEATH = /^a staging thread stopped unexpectedly \(exit code \d+\)$/;

describe("a small file staged at two deaths of its staging thread", { timeout: 180_000 }, () => {
  let cases: CaseRoot;

  before(async () => {
    cases = await makeCaseRoot("R. Etry");
  });

  test("fails with the death's one-line reason; the files queued behind it are imported, and nothing is left in tmp/", async () => {
    const folder = path.join(cases.root, "files");
    // Each as large as a small file gets, with three digests: the thread stages one for milliseconds.
    for (let i = 0; i < FILES; i++)
      await writeRandomFile(path.join(folder, `f${String(i).padStart(2, "0")}.bin`), MiB - i);
    const threads = new StageThreads(1);
    const isHandedOver = () => threads.smallFilesOn(0).sent > 0;
    try {
      const { dir, value } = await cases.withNewCase("retry", ["md5", "sha1"], async ({ writer, caseFile }) => {
        // The only thread hashes until the import has handed it files, which wait behind that work.
        let ahead = keepHashing(threads, isHandedOver);
        const importing = importIntoCase(writer, caseFile, {
          paths: [folder],
          collection: { method: "test" },
          threads,
        });
        // The file a death lands on goes first to the next thread, and that thread is stopped as it
        // begins a file: the same file again, unless this thread was kept off the CPU long enough
        // for the thread to finish it first; then the death lands on the next, which goes first in turn.
        const hits: string[] = [];
        const twice = () => (hits.at(-1) && hits.at(-1) === hits.at(-2) ? hits.at(-1) : undefined);
        for (;;) {
          await until(isHandedOver);
          hits.push(await stopWhileStaging(threads));
          await ahead;
          if (twice()) break;
          assert.ok(hits.length < 7, `no file was being staged at two deaths in a row: ${JSON.stringify(hits)}`);
          // What it held goes to its replacement at the end of this turn: that hashing is queued first.
          ahead = keepHashing(threads, () => true);
        }
        return { file: twice()!, report: await importing };
      });
      assertOutcomes(value.report, value.file, FILES);
      assert.deepEqual(
        (await readdir(path.join(dir, "tmp"))).filter((n) => !n.endsWith(".lock")),
        [],
        "no staged leftovers",
      );
      const verified = await verifyCase(dir);
      assert.equal(verified.isClean, true, JSON.stringify(verified.problems));
      assert.equal(verified.itemCount, FILES - 1);
    } finally {
      await threads.close();
    }
  });
});

/** `failed` failed with the death's one line; every other of the `count` files was imported. */
function assertOutcomes(report: ImportReport, failed: string, count: number): void {
  const notImported = report.outcomes.filter((o) => o.status !== "imported");
  assert.deepEqual(
    notImported.map((o) => [o.displayPath, o.status]),
    [[failed, "failed"]],
  );
  assert.match((notImported[0] as { reason: string }).reason, DEATH);
  assert.equal(report.counts.imported, count - 1, JSON.stringify(report.outcomes));
}

/**
 * Keeps the thread (of one) hashing 16 MiB chunks, four queued at a time, until `isEnough()`
 * (at least four), so that whatever is handed to it meanwhile waits behind them.
 */
async function keepHashing(threads: StageThreads, isEnough: () => boolean): Promise<void> {
  const chunk = new Uint8Array(new SharedArrayBuffer(16 * MiB));
  const hashing = threads.hashFile(["sha256"]);
  const feed = async () => {
    do await hashing.update(chunk, chunk.length);
    while (!isEnough());
  };
  // A death rejects the chunks in flight: that hashing is simply over.
  await Promise.all(Array.from({ length: 4 }, () => feed().catch(() => undefined)));
  hashing.drop();
}

/** Resolves at the first turn of the event loop at which `condition()` holds. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!condition()) {
    assert.ok(Date.now() < deadline, "in two minutes the import handed the thread no file");
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Spins until the thread names a file it is staging, and stops it at once. Returns the path of the
 * file it was staging when it died, or "" when it died between files. The spin holds this thread,
 * so nothing else here delays the stop.
 */
async function stopWhileStaging(threads: StageThreads): Promise<string> {
  assert.equal(threads.smallFilesOn(0).stagingPath, null, "the thread was still hashing when it was handed the files");
  const deadline = Date.now() + 120_000;
  for (let i = 1; threads.smallFilesOn(0).stagingPath === null; i++) {
    if (i % 1_000_000 === 0) assert.ok(Date.now() < deadline, "in two minutes the thread began no file");
  }
  return (await threads.stopThread(0)) ?? "";
}
