/**
 * The staging threads an import's caller starts before it opens the case (startThreadsFor): started
 * for a folder, a large file or many files, not for a handful of small ones, nor for paths that
 * are not there; the threads it starts stage an import's files like the import's own, and those
 * handed over to the import are stopped by it, or, when the case cannot be opened, before the
 * failure is answered.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import { importIntoCase } from "../../electron/services/import/importPipeline.js";
import { openWithThreads, startThreadsFor } from "../../electron/services/import/importThreadsStart.js";
import { makeCaseRoot, type CaseRoot } from "../support/caseRoot.js";
import { writeRandomFile } from "../support/fixtures.js";

describe("staging threads started by the import's caller", () => {
  let cases: CaseRoot;
  let folder: string;
  let small: string[];
  let large: string;

  before(async () => {
    cases = await makeCaseRoot("T. Hreads");
    folder = path.join(cases.root, "phone");
    await mkdir(folder, { recursive: true });
    small = [];
    for (let i = 0; i < 20; i++) {
      const file = path.join(folder, `IMG_${i}.jpg`);
      await writeRandomFile(file, 4096 + i);
      small.push(file);
    }
    large = path.join(cases.root, "video.mp4");
    // One byte over what is staged whole (smallObject.ts SMALL_FILE_BYTES).
    await writeRandomFile(large, 1024 * 1024 + 1);
  });

  test("none for a handful of small files, or for names that are not there", async () => {
    assert.equal(await startThreadsFor(small.slice(0, 3)), undefined);
    assert.equal(await startThreadsFor([path.join(cases.root, "gone.jpg"), `${folder}/../nothing/`]), undefined);
    assert.equal(await startThreadsFor([]), undefined);
    assert.equal(await startThreadsFor([{ size: 10 }, { size: 1024 * 1024 }]), undefined);
  });

  test("started for a folder, a file over the small-file size, or many files", async () => {
    for (const files of [[folder], [small[0]!, large], small.slice(0, 16), [{ size: 1024 * 1024 + 1 }]]) {
      const threads = await startThreadsFor(files);
      assert.ok(threads, `threads for ${JSON.stringify(files).slice(0, 80)}`);
      assert.equal(threads.size >= 2, true);
      await threads.close();
    }
  });

  test("the threads started stage the import's files, and stay the caller's to stop", async () => {
    const threads = await startThreadsFor([folder, large]);
    assert.ok(threads);
    try {
      const { dir, value: report } = await cases.withNewCase("early", ["sha256"], ({ writer, caseFile }) =>
        importIntoCase(writer, caseFile, { paths: [folder, large], collection: { method: "test" }, threads }),
      );
      assert.equal(report.counts.imported, 21);
      assert.deepEqual(
        (await readdir(path.join(dir, "tmp"))).filter((n) => !n.endsWith(".lock")),
        [],
      );
      // Not stopped by the import: a second one uses them too.
      const again = await cases.withNewCase("again", ["sha256"], ({ writer, caseFile }) =>
        importIntoCase(writer, caseFile, { paths: [folder], collection: { method: "test" }, threads }),
      );
      assert.equal(again.value.counts.imported, 20);
    } finally {
      await threads.close();
    }
  });

  test("threads handed over are stopped by the import once its files are staged", async () => {
    const threads = await startThreadsFor([folder]);
    assert.ok(threads);
    const { value: report } = await cases.withNewCase("handed", ["sha256"], ({ writer, caseFile }) =>
      importIntoCase(writer, caseFile, { paths: [folder], collection: { method: "test" }, threadsToStop: threads }),
    );
    assert.equal(report.counts.imported, 20);
    await assert.rejects(
      threads.stageSmall({
        realPath: small[0]!,
        dev: 0,
        ino: 0,
        size: 0,
        mtimeMs: 0,
        changedSince: "changed",
        stagedPath: path.join(cases.root, "never"),
        algorithms: ["sha256"],
        fsync: false,
      }),
      /staging threads were closed/,
    );
  });

  test("threads started for a case that cannot be opened are stopped before the failure is answered", async () => {
    // The process's threads as the system counts them: a staging thread left running would be one
    // more. Read at once: a stopped worker's thread has ended when its `terminate()` resolves.
    const threadCount = () => readdirSync("/proc/self/task").length;
    const atStart = threadCount();
    let whileOpening = 0;
    await assert.rejects(
      openWithThreads([folder], async () => {
        whileOpening = threadCount();
        throw new Error("the case is locked by another import");
      }),
      /locked by another import/,
    );
    assert.equal(threadCount(), atStart, "every thread started was stopped before the failure was answered");
    assert.ok(whileOpening >= atStart + 2, `threads were started (${atStart} at start, ${whileOpening} while opening)`);

    // Not early (another import of the case is running): none started at all.
    await assert.rejects(
      openWithThreads(
        [folder],
        async () => {
          whileOpening = threadCount();
          throw new Error("locked");
        },
        false,
      ),
      /locked/,
    );
    assert.equal(whileOpening, atStart);
  });
});
