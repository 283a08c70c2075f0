/**
 * The folder walk streams into the import: files are stored while the walk is still finding
 * more (the walk runs a bounded number of entries ahead of the stagers), the list of outcomes
 * is bounded while every file is counted and recorded, and hostile trees (links out, FIFOs,
 * sockets, device files, names with control, bidi and non-UTF-8 bytes, a tree too deep for the
 * system's paths, a folder that changes during the walk) end in one-line reasons, nothing lost.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { before, describe, test } from "node:test";
import {
  importIntoCase,
  type ImportProgress,
  type ImportReport,
  type ImportRequest,
} from "../../electron/services/import/importPipeline.js";
import { walkImportPaths } from "../../electron/services/import/importScan.js";
import { verifyCase } from "../../electron/services/ledger/verifyCase.js";
import { CASE_PATHS } from "../../shared/case/caseFile.js";
import { makeCaseRoot, type CaseRoot } from "../support/caseRoot.js";
import { mkfifo } from "../support/hostileCase.js";

/** A file of `n` bytes, different for each name. */
function put(file: string, n = 64): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, Buffer.alloc(n, file));
}

async function importedPaths(dir: string): Promise<string[]> {
  const lines = (await readFile(path.join(dir, "ledger.jsonl"), "utf8")).trim().split("\n");
  return lines
    .map((l) => JSON.parse(l))
    .filter((e) => e.type === "item.imported")
    .map((e) => e.payload.source.relativePath);
}

describe("the streaming folder walk", () => {
  let cases: CaseRoot;
  let root: string;

  before(async () => {
    cases = await makeCaseRoot("W. Alker");
    root = cases.root;
  });

  async function importInto(
    paths: string[],
    options: Partial<ImportRequest> = {},
  ): Promise<{ dir: string; report: ImportReport }> {
    const { dir, value: report } = await cases.withNewCase("walk", ["sha256"], ({ writer, caseFile }) =>
      importIntoCase(writer, caseFile, { paths, collection: { method: "test" }, ...options }),
    );
    return { dir, report };
  }

  test("the first batch is in the ledger before the walk has ended, and outcomes follow the walk's order", async () => {
    const tree = path.join(root, "tree");
    // 114 files: one wide folder, nested folders, and files beside folders. With the walk at most 20
    // entries ahead, batches of 10 and stagers that wait while two batches wait for their commit,
    // the first commit ends when at most 30 files are taken (and 4 in flight), so 54 found.
    const expected: string[] = [];
    for (let i = 0; i < 60; i++) expected.push(`a-wide/f${String(i).padStart(3, "0")}.bin`);
    for (let d = 0; d < 3; d++) {
      for (let i = 0; i < 10; i++) expected.push(`b-nest/d${d}/h${String(i).padStart(2, "0")}.bin`);
      for (let i = 0; i < 5; i++) expected.push(`b-nest/d${d}/inner/g${i}.bin`);
      for (let i = 0; i < 3; i++) expected.push(`b-nest/d${d}/j${i}.bin`);
    }
    for (const relative of expected) put(path.join(tree, relative));

    let latest: ImportProgress | null = null;
    const seenAtCommits: (boolean | undefined)[] = [];
    const { dir, report } = await importInto([tree], {
      batchFiles: 10,
      walkAhead: 20,
      onProgress: (p) => (latest = p),
      onCommitted: () => seenAtCommits.push(latest?.isScanComplete),
    });
    assert.equal(seenAtCommits[0], false, "the first batch committed while the walk was still finding files");
    assert.equal((latest as ImportProgress | null)?.isScanComplete, true);
    assert.equal((latest as ImportProgress | null)?.filesTotal, 114);
    assert.deepEqual(report.counts, { imported: 114, duplicate: 0, refused: 0, failed: 0, cancelled: 0 });
    assert.equal(report.outcomesLeftOff, 0);
    // Every file once (stagers finish out of order, so a file can land in the batch after its neighbours).
    assert.deepEqual((await importedPaths(dir)).sort(), [...expected].sort());
    // The outcomes in the walk's order: depth first, in name order (the files of inner/ between the h and j files beside it).
    assert.deepEqual(
      report.outcomes.map((o) => path.relative(tree, o.displayPath)),
      expected,
    );
    assert.equal((await verifyCase(dir)).isClean, true);
  });

  test("a long list of outcomes is cut to a bounded one, with every file counted and in the ledger", async () => {
    const tree = path.join(root, "many");
    for (let i = 0; i < 40; i++) put(path.join(tree, `ok${String(i).padStart(2, "0")}.bin`));
    for (let i = 0; i < 15; i++) mkfifo(path.join(tree, `pipe${String(i).padStart(2, "0")}`));
    const { dir, report } = await importInto([tree, path.join(root, "not-there")], { outcomesKept: 10 });
    assert.deepEqual(report.counts, { imported: 40, duplicate: 0, refused: 16, failed: 0, cancelled: 0 });
    assert.equal(report.outcomes.length, 20);
    assert.equal(report.outcomesLeftOff, 36);
    // Refusals first, then the files in the order they were found.
    assert.deepEqual(
      report.outcomes.map((o) => [o.status, path.basename(o.displayPath)]),
      [
        ...Array.from({ length: 10 }, (_, i) => ["refused", `pipe${String(i).padStart(2, "0")}`]),
        ...Array.from({ length: 10 }, (_, i) => ["imported", `ok${String(i).padStart(2, "0")}.bin`]),
      ],
    );
    assert.equal((await importedPaths(dir)).length, 40, "every file is in the ledger");
  });

  test("a hostile tree: each thing refused with a one-line reason, every ordinary file imported", async (t) => {
    const tree = path.join(root, "hostile");
    const outside = path.join(root, "outside-secret.txt");
    put(outside);
    put(path.join(tree, "plain.jpg"));
    put(path.join(tree, "ctl\u0007\u001b[31m.jpg"));
    put(path.join(tree, "evil\u202Egpj.exe"));
    put(path.join(tree, "<b>markup</b>.jpg"));
    put(path.join(tree, "..dots", "inner.jpg"));
    // A name that is not UTF-8 (byte 0xff).
    writeFileSync(Buffer.concat([Buffer.from(`${tree}/raw-`), Buffer.from([0xff]), Buffer.from(".bin")]), "bytes");
    execFileSync("ln", ["-s", outside, path.join(tree, "link-out")]);
    execFileSync("ln", ["-s", "/dev/null", path.join(tree, "link-dev")]);
    execFileSync("ln", ["-s", "plain.jpg", path.join(tree, "link-in.jpg")]);
    execFileSync("ln", ["-s", "missing", path.join(tree, "link-broken")]);
    mkfifo(path.join(tree, "fifo"));
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(tree, "sock"), resolve));
    let hasDevice = true;
    try {
      execFileSync("mknod", [path.join(tree, "device"), "c", "1", "3"], { stdio: "ignore" });
    } catch {
      hasDevice = false; // Not allowed here (no CAP_MKNOD): the other kinds still run.
      t.diagnostic("mknod not permitted: no device file in this run");
    }
    // Deeper than the system's paths reach (4,096 bytes): 100 folders of 50 letters.
    const segment = Array.from({ length: 25 }, () => "d".repeat(50)).join("/");
    execFileSync("bash", [
      "-c",
      `cd "$1" && for i in 1 2 3 4; do mkdir -p ${segment} && cd ${segment}; done`,
      "bash",
      tree,
    ]);
    try {
      const { dir, report } = await importInto([tree]);
      const refused = report.outcomes.filter((o) => o.status === "refused");
      const reasons = new Map(
        refused.map((o) => [path.relative(tree, o.displayPath).slice(0, 20), "reason" in o ? o.reason : ""]),
      );
      for (const reason of reasons.values()) assert.doesNotMatch(reason, /\n/, "one line each");
      assert.match(reasons.get("link-out")!, /outside the imported folder/);
      assert.match(reasons.get("link-dev")!, /outside the imported folder/);
      assert.match(reasons.get("link-broken")!, /broken symbolic link/);
      assert.match(reasons.get("fifo")!, /FIFO/);
      assert.match(reasons.get("sock")!, /socket/);
      if (hasDevice) assert.match(reasons.get("device")!, /character device/);
      const deep = refused.filter((o) => o.displayPath.startsWith(path.join(tree, "ddd")));
      assert.equal(deep.length, 1, "the too-deep tree is one refusal");
      assert.match((deep[0] as { reason: string }).reason, /too long/);
      assert.equal(refused.length, 6 + (hasDevice ? 1 : 0));

      const imported = report.outcomes.filter((o) => o.status === "imported" || o.status === "duplicate");
      assert.deepEqual(imported.map((o) => path.relative(tree, o.displayPath)).sort(), [
        "..dots/inner.jpg",
        "<b>markup</b>.jpg",
        "ctl\u0007\u001b[31m.jpg",
        "evil\u202Egpj.exe",
        "link-in.jpg",
        "plain.jpg",
        "raw-\uFFFD.bin",
      ]);
      assert.equal(report.counts.imported + report.counts.duplicate, 7);
      assert.equal((await verifyCase(dir)).isClean, true);
      assert.equal(await readFile(outside, "utf8"), Buffer.alloc(64, outside).toString(), "the outside file untouched");
    } finally {
      server.close();
      execFileSync("rm", ["-rf", path.join(tree, "d".repeat(50))]);
    }
  });

  test("a folder swapped for a link to elsewhere after the walk looked at it is not followed", async () => {
    const tree = path.join(root, "swapped");
    for (let i = 0; i < 5; i++) put(path.join(tree, "a", `f${i}.bin`));
    put(path.join(tree, "b", "inside.bin"));
    put(path.join(root, "swapped-outside", "secret.bin"));
    const entries = [];
    let isSwapped = false;
    // The walk looks at a and b together as it takes a; b is swapped while a's files are walked.
    for await (const entry of walkImportPaths([tree])) {
      entries.push(entry);
      if (!isSwapped && "file" in entry) {
        isSwapped = true;
        execFileSync("rm", ["-rf", path.join(tree, "b")]);
        symlinkSync(path.join("..", "swapped-outside"), path.join(tree, "b"));
      }
    }
    assert.equal(isSwapped, true);
    const files = entries.flatMap((e) => ("file" in e ? [String(e.file.realPath)] : []));
    assert.deepEqual(
      files.map((f) => path.relative(tree, f)),
      ["a/f0.bin", "a/f1.bin", "a/f2.bin", "a/f3.bin", "a/f4.bin"],
      "nothing from outside the imported folder",
    );
    assert.deepEqual(
      entries.flatMap((e) => ("refused" in e ? [e.refused] : [])),
      [
        {
          displayPath: path.join(tree, "b"),
          reason: "symbolic link to a place outside the imported folder; not followed",
        },
      ],
    );
  });

  test("a folder that changes during the walk: what is gone is refused as gone, what is added later is imported", async () => {
    const tree = path.join(root, "changing");
    for (let i = 0; i < 100; i++) put(path.join(tree, `a-first/f${String(i).padStart(3, "0")}.bin`));
    for (let i = 0; i < 10; i++) put(path.join(tree, `y-gone/g${i}.bin`));
    await mkdir(path.join(tree, "z-late"));
    let isChanged = false;
    const { dir, report } = await importInto([tree], {
      batchFiles: 10,
      walkAhead: 20,
      onCommitted: () => {
        if (isChanged) return;
        isChanged = true;
        // At the end of the first commit the walk is at most 54 entries in: inside a-first still.
        execFileSync("rm", ["-rf", path.join(tree, "y-gone")]);
        writeFileSync(path.join(tree, "z-late", "new.bin"), "added during the import");
      },
    });
    assert.deepEqual(report.counts, { imported: 101, duplicate: 0, refused: 1, failed: 0, cancelled: 0 });
    // The folder was listed with the others at the start and was gone when the walk came to it
    // (looked at again as it is entered).
    assert.deepEqual(
      report.outcomes.filter((o) => o.status !== "imported"),
      [{ status: "refused", displayPath: path.join(tree, "y-gone"), reason: "no such file or folder" }],
    );
    assert.ok((await importedPaths(dir)).includes("z-late/new.bin"));
    assert.ok(!(await importedPaths(dir)).some((p) => p.startsWith("y-gone/")));
    await rm(tree, { recursive: true });
  });

  // A hang guard, generous for a loaded machine; not a speed check.
  test(
    "a tree that starts with more refusals than the walk runs ahead is imported, not waited on",
    { timeout: 120_000 },
    async () => {
      const tree = path.join(root, "links-first");
      mkdirSync(tree);
      // 4,100 broken links sort before the one file: the walk stops at 4,096 pending entries.
      for (let i = 0; i < 4100; i++) symlinkSync("missing", path.join(tree, `a${String(i).padStart(4, "0")}`));
      put(path.join(tree, "z.bin"));
      const { dir, report } = await importInto([tree]);
      assert.deepEqual(report.counts, { imported: 1, duplicate: 0, refused: 4100, failed: 0, cancelled: 0 });
      assert.deepEqual(await importedPaths(dir), ["z.bin"]);
      // A walk allowed fewer entries ahead than the files the import looks for before it starts.
      const few = path.join(root, "few-ahead");
      for (let i = 0; i < 10; i++) put(path.join(few, `f${i}.bin`));
      const second = await importInto([few], { walkAhead: 4 });
      assert.equal(second.report.counts.imported, 10);
      await rm(tree, { recursive: true });
    },
  );

  test("an error during the import ends it with nothing left staging, committing or staged", async () => {
    const tree = path.join(root, "failing");
    for (let d = 0; d < 4; d++)
      for (let i = 0; i < 30; i++) put(path.join(tree, `d${d}/f${String(i).padStart(2, "0")}.bin`), 2000);
    let commits = 0;
    await assert.rejects(
      importInto([tree], {
        batchFiles: 5,
        walkAhead: 16,
        onCommitted: () => {
          commits++;
          throw new Error("the caller's handler failed");
        },
      }),
      /the caller's handler failed/,
    );
    const dir = cases.latestDir;
    // When the import has answered, nothing is still staging: tmp/ holds no staged copy.
    const staging = await readdir(path.join(dir, CASE_PATHS.staging));
    assert.deepEqual(staging, [], "no staged copy left behind");
    assert.equal(commits, 1, "no batch committed after the failure");
    assert.equal((await importedPaths(dir)).length, 5, "the batch committed before the failure stays");
    assert.equal((await verifyCase(dir)).isClean, true);
    await rm(tree, { recursive: true });
  });

  test("a cancel during the walk ends the walk: the folders not reached are not read", async () => {
    const tree = path.join(root, "cancel-walk");
    for (let d = 0; d < 30; d++)
      for (let i = 0; i < 10; i++) put(path.join(tree, `d${String(d).padStart(2, "0")}/f${i}.bin`));
    const abort = new AbortController();
    let latest: ImportProgress | null = null;
    const { dir, report } = await importInto([tree], {
      batchFiles: 4,
      walkAhead: 16,
      signal: abort.signal,
      onProgress: (p) => (latest = p),
      onCommitted: () => abort.abort(),
    });
    assert.equal(report.isCancelled, true);
    const counted = Object.values(report.counts).reduce((a, b) => a + b, 0);
    // Cancelled at the first commit, with the walk at most 16 entries ahead: far from all 300 found.
    assert.ok(counted < 100, `${counted} files counted`);
    assert.equal((latest as ImportProgress | null)?.filesTotal, counted, "every file found has its outcome");
    assert.equal((await importedPaths(dir)).length, report.counts.imported);
    assert.ok(report.counts.cancelled > 0);
    assert.equal((await verifyCase(dir)).isClean, true);
    await rm(tree, { recursive: true });
  });
});
