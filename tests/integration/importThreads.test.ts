/**
 * Import with hashing and small-file staging on the staging threads: every digest is of exactly
 * the bytes stored, whatever the case's algorithms; a thread that dies is replaced and the import
 * goes on (the small files it held staged again, a large file it was hashing failed with one
 * line); a cancel and a source that changes, each in the middle of a large file, end with a
 * one-line reason, nothing left in tmp/, nothing in the vault and nothing in the ledger.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, stat, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { before, describe, test } from "node:test";
import type { HashAlgorithm } from "../../shared/ledger/events.js";
import {
  importIntoCase,
  type ImportProgress,
  type ImportReport,
} from "../../electron/services/import/importPipeline.js";
import { verifyCase } from "../../electron/services/ledger/verifyCase.js";
import { StageThreads } from "../../electron/services/vault/stageThreads.js";
import { makeCaseRoot, type CaseRoot } from "../support/caseRoot.js";
import { writeRandomFile } from "../support/fixtures.js";

const MB = 1024 * 1024;

describe("import on the staging threads", () => {
  let cases: CaseRoot;
  let root: string;
  let big: string;

  before(async () => {
    cases = await makeCaseRoot("T. Hreads");
    root = cases.root;
    big = path.join(root, "big", "long.bin");
    // Large enough that the first progress report (after 100 ms) comes while it is still being read.
    await writeRandomFile(big, 256 * MB);
  });

  async function importInto(
    algorithms: HashAlgorithm[],
    paths: string[],
    options: {
      threads?: StageThreads;
      signal?: AbortSignal;
      onFirstBytes?: () => void;
      batchFiles?: number;
      onCommitted?: () => void;
    } = {},
  ): Promise<{ dir: string; report: ImportReport }> {
    let isFirst = true;
    const { dir, value: report } = await cases.withNewCase("threads", algorithms, ({ writer, caseFile }) =>
      importIntoCase(writer, caseFile, {
        paths,
        collection: { method: "test" },
        ...(options.threads ? { threads: options.threads } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.batchFiles ? { batchFiles: options.batchFiles } : {}),
        ...(options.onCommitted ? { onCommitted: options.onCommitted } : {}),
        onProgress: (p: ImportProgress) => {
          if (isFirst && p.phase === "copying" && p.bytesDone > 0 && p.bytesDone < p.bytesTotal) {
            isFirst = false;
            options.onFirstBytes?.();
          }
        },
      }),
    );
    return { dir, report };
  }

  /** The case verifies clean with `items` files in it, and nothing is left in tmp/. */
  async function assertKept(dir: string, items: number): Promise<void> {
    assert.deepEqual(
      (await readdir(path.join(dir, "tmp"))).filter((n) => !n.endsWith(".lock")),
      [],
      "no staged leftovers",
    );
    const verified = await verifyCase(dir);
    assert.equal(verified.isClean, true, JSON.stringify(verified.problems));
    assert.equal(verified.itemCount, items, "the files in the ledger");
    assert.equal(verified.eventCount, 1 + items, "the case's first event and one a file");
  }

  test("a large file and small ones get md5, sha1 and sha256 of exactly the bytes stored", async () => {
    const folder = path.join(root, "mixed");
    await writeRandomFile(path.join(folder, "one.bin"), 3 * MB + 17);
    await writeRandomFile(path.join(folder, "two.bin"), 200_000);
    await writeFile(path.join(folder, "empty.bin"), "");
    await writeRandomFile(path.join(folder, "edge.bin"), MB);
    const { dir, report } = await importInto(["md5", "sha1"], [folder]);
    assert.deepEqual(
      report.outcomes.map((o) => [o.displayPath.split("/").at(-1), o.status, "reason" in o ? o.reason : ""]),
      ["edge.bin", "empty.bin", "one.bin", "two.bin"].map((n) => [n, "imported", ""]),
    );
    const events = (await readFile(path.join(dir, "ledger.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; payload: Record<string, string> });
    for (const e of events.filter((e) => e.type === "item.imported")) {
      const bytes = await readFile(path.join(dir, e.payload.objectPath!));
      for (const a of ["sha256", "md5", "sha1"]) {
        assert.equal(e.payload[a], createHash(a).update(bytes).digest("hex"), `${a} of ${e.payload.objectPath}`);
      }
    }
    assert.equal((await verifyCase(dir)).isClean, true);
  });

  test("a staging thread that dies mid-file fails that file with one line; the small files go on", async () => {
    const folder = path.join(root, "beside-big");
    for (let i = 0; i < 20; i++) await writeRandomFile(path.join(folder, `s${i}.bin`), 30_000 + i);
    const threads = new StageThreads(2);
    try {
      // md5 and sha256 each hash on their own thread, so the large file loses a lane whichever dies.
      // One thread only: a small file moved from a dying thread onto another that then dies too is
      // failed by design (a file that two threads died on is not tried a third time).
      const { dir, report } = await importInto(["md5"], [big, folder], {
        threads,
        onFirstBytes: () => void threads.stopThread(0),
      });
      const failed = report.outcomes.filter((o) => o.status === "failed");
      assert.deepEqual(
        failed.map((o) => o.displayPath),
        [big],
      );
      assert.match(
        (failed[0] as { reason: string }).reason,
        /^a staging thread stopped unexpectedly \(exit code \d+\)$/,
      );
      assert.equal(report.counts.imported, 20, JSON.stringify(report.outcomes));
      await assertKept(dir, 20);
    } finally {
      await threads.close();
    }
  });

  test("a staging thread killed while small files are staged is replaced, and every file is imported", async () => {
    const folder = path.join(root, "many-small");
    for (let i = 0; i < 120; i++) await writeRandomFile(path.join(folder, `m${i}.bin`), 20_000 + i);
    const threads = new StageThreads(2);
    let kills = 0;
    try {
      const { dir, report } = await importInto(["sha1"], [folder], {
        threads,
        // After the first batch, while the rest are staged: the kill drops what that thread held.
        // (A large file a dying thread was hashing fails with one line instead: the test above.)
        batchFiles: 8,
        onCommitted: () => {
          if (kills++ === 0) void threads.stopThread(0);
        },
      });
      assert.ok(kills > 3, "the import went on after the kill");
      assert.deepEqual(
        report.counts.imported,
        120,
        JSON.stringify(report.outcomes.filter((o) => o.status !== "imported")),
      );
      await assertKept(dir, 120);
    } finally {
      await threads.close();
    }
  });

  test("the small files a dying thread held are staged again on its replacement, from a fresh copy", async () => {
    const threads = new StageThreads(1);
    try {
      const requests = await heldFiles(root, "held", 50_000);
      // The only thread is first given 1 GiB to hash, so it still holds all eight when it is killed.
      const chunk = new Uint8Array(new SharedArrayBuffer(64 * MB));
      const hashing = threads.hashFile(["sha256"]);
      const busy = Array.from({ length: 16 }, () =>
        hashing.update(chunk, chunk.length).then(
          () => "hashed",
          (error: Error) => error.message,
        ),
      );
      const answers = requests.map((held) => stageHeld(threads, held));
      await threads.stopThread(0);
      const results = await Promise.all(answers);
      assert.equal(threads.retried, 8, "each was staged again on the replacement");
      assert.match((await Promise.all(busy)).at(-1)!, /^a staging thread stopped unexpectedly/);
      for (const [i, result] of results.entries()) {
        assert.equal(result.ok, true, JSON.stringify(result));
        const bytes: Buffer = await readFile(requests[i]!.stagedPath);
        assert.deepEqual(bytes, await readFile(requests[i]!.file));
        assert.equal(result.ok && result.digests.sha256, createHash("sha256").update(bytes).digest("hex"));
      }
    } finally {
      await threads.close();
    }
  });

  test("small files queued behind a thread's other work are staged however many of their threads die: none was begun", async () => {
    const threads = new StageThreads(1);
    try {
      const requests = await heldFiles(root, "twice", 30_000);
      // Each thread in turn is kept hashing 1 GiB, so it still holds all eight files when it is stopped.
      const chunk = new Uint8Array(new SharedArrayBuffer(64 * MB));
      const keepBusy = () => {
        const hashing = threads.hashFile(["sha256"]);
        return Array.from({ length: 16 }, () => hashing.update(chunk, chunk.length).catch(() => undefined));
      };
      const firstBusy = keepBusy();
      const answers = requests.map((held) =>
        stageHeld(threads, held).then(
          (result) => (result.ok ? "staged" : result.message),
          (error: Error) => `failed: ${error.message}`,
        ),
      );
      await new Promise((resolve) => setImmediate(resolve));
      await threads.stopThread(0);
      // The eight are sent to the replacement at the end of this turn: its hashing is queued first.
      const secondBusy = keepBusy();
      await threads.stopThread(0);
      await Promise.all([...firstBusy, ...secondBusy]);
      const results = await Promise.all(answers);
      // Each thread died hashing, before it began any of them (it says which it is staging).
      assert.deepEqual(results, Array(8).fill("staged"));
      assert.equal(threads.retried, 8 + 8);
      for (const { file, stagedPath } of requests) {
        assert.deepEqual(await readFile(stagedPath), await readFile(file));
      }
    } finally {
      await threads.close();
    }
  });

  test("an import that fails while it is set up leaves no staging thread running", async () => {
    const folder = path.join(root, "setup-fails");
    for (let i = 0; i < 40; i++) await writeRandomFile(path.join(folder, `f${i}.bin`), 1000 + i);
    const { dir } = await cases.newCase("threads", []);
    const module = (name: string) => JSON.stringify(fileURLToPath(new URL(name, import.meta.url)));
    // No collection record, as no caller sends: the import throws after the walk has asked for
    // threads. The child then ends by itself only if no thread of the import is left running.
    const script = `
      const { importIntoCase } = await import(${module("../../electron/services/import/importPipeline.js")});
      const { LedgerWriter } = await import(${module("../../electron/services/ledger/ledgerWriter.js")});
      const { KeyStore } = await import(${module("../../electron/services/examiners/keyStore.js")});
      const { readCaseFile } = await import(${module("../../electron/services/vault/caseStore.js")});
      const key = await new KeyStore(${JSON.stringify(path.join(root, "home"))}).getOrCreate("T. Hreads");
      const dir = ${JSON.stringify(dir)};
      const writer = await LedgerWriter.open(dir, { key });
      await importIntoCase(writer, await readCaseFile(dir), { paths: [${JSON.stringify(folder)}], collection: null })
        .then(() => console.log("imported"), (error) => console.log("refused:", error.constructor.name));
      await writer.close();`;
    // A file, not `--input-type=module -e`: the threads would inherit that flag and fail to start.
    const child = path.join(root, "setup-fails.mjs");
    await writeFile(child, script);
    const out = execFileSync(process.execPath, [child], {
      encoding: "utf8",
      timeout: 120_000,
    });
    assert.equal(out.trim(), "refused: TypeError");
  });

  test("a cancel mid-file says so and keeps nothing", async () => {
    const controller = new AbortController();
    const { dir, report } = await importInto(["sha1"], [big], {
      signal: controller.signal,
      onFirstBytes: () => controller.abort(),
    });
    assert.equal(report.isCancelled, true);
    assert.deepEqual(
      report.outcomes.map((o) => [o.status, (o as { reason: string }).reason]),
      [["cancelled", "not imported: the import was cancelled while it was being read"]],
    );
    await assertKept(dir, 0);
  });

  test("a source cut short while it is read fails with one line and keeps nothing", async () => {
    const copy = path.join(root, "shrinking.bin");
    await copyFile(big, copy);
    const { dir, report } = await importInto([], [copy], { onFirstBytes: () => void truncate(copy, MB) });
    assert.deepEqual(
      report.outcomes.map((o) => [o.status, (o as { reason: string }).reason]),
      [["failed", "the file changed while it was being read; import it again when nothing is writing to it"]],
    );
    await assertKept(dir, 0);
  });
});

/** Eight small files written under `root/<name>`, each with the place it is to be staged at. */
async function heldFiles(root: string, name: string, size: number) {
  const staging = path.join(root, `${name}-staging`);
  await mkdir(staging, { recursive: true });
  const held = [];
  for (let i = 0; i < 8; i++) {
    const file = path.join(root, name, `${name}${i}.bin`);
    await writeRandomFile(file, size + i);
    held.push({ file, stagedPath: path.join(staging, `${name}${i}.partial`), info: await stat(file) });
  }
  return held;
}

/** One of them staged on the threads as an import stages it. */
function stageHeld(threads: StageThreads, { file, stagedPath, info }: Awaited<ReturnType<typeof heldFiles>>[number]) {
  return threads.stageSmall({
    realPath: file,
    dev: info.dev,
    ino: info.ino,
    size: info.size,
    mtimeMs: info.mtimeMs,
    changedSince: "it has changed on disk since the folder was read",
    stagedPath,
    algorithms: ["sha256"],
    fsync: false,
  });
}
