/**
 * A file changed in place after it was seen (by the folder walk, or by the window's check of a
 * drop) and before it is read is refused with the moment it was seen, and nothing of it enters
 * the vault: the stagers compare its size and time with what was seen, not only its inode.
 */
import assert from "node:assert/strict";
import { appendFile, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import { importIntoCase, type ImportReport } from "../../electron/services/import/importPipeline.js";
import { scanCheckedFiles, scanImportPaths, type ScanResult } from "../../electron/services/import/importScan.js";
import { CASE_PATHS } from "../../shared/case/caseFile.js";
import { makeCaseRoot, type CaseRoot } from "../support/caseRoot.js";
import { writeRandomFile } from "../support/fixtures.js";

/** Each outcome's status and reason (none for a file imported). */
const reasons = (report: ImportReport) => report.outcomes.map((o) => [o.status, "reason" in o ? o.reason : ""]);

const SIZES = { small: 28, large: 3 * 1024 * 1024 + 17 };

describe("a file changed between the scan and the read", () => {
  let cases: CaseRoot;
  let root: string;

  before(async () => {
    cases = await makeCaseRoot("C. Hange");
    root = cases.root;
  });

  async function importScanned(scanned: ScanResult, channel?: "window") {
    const { dir, value: report } = await cases.withNewCase("changed", ["sha256"], ({ writer, caseFile }) =>
      importIntoCase(writer, caseFile, {
        paths: [],
        scanned,
        collection: { method: "test" },
        ...(channel ? { channel } : {}),
      }),
    );
    return { dir, report };
  }

  async function assertNothingKept(dir: string): Promise<void> {
    const objects = await readdir(path.join(dir, CASE_PATHS.objects), { recursive: true, withFileTypes: true });
    assert.deepEqual(
      objects.filter((e) => e.isFile()).map((e) => e.name),
      [],
      "no object in the vault",
    );
    const staging = await readdir(path.join(dir, CASE_PATHS.staging));
    assert.deepEqual(staging, [], "no staged copy left");
    const ledger = await readFile(path.join(dir, "ledger.jsonl"), "utf8");
    assert.equal(ledger.includes('"item.imported"'), false, "no item recorded");
  }

  for (const [kind, size] of Object.entries(SIZES)) {
    test(`a ${kind} file appended to after its folder was read is refused, by path`, async () => {
      const folder = path.join(root, `walked-${kind}`);
      const file = path.join(folder, "clip.bin");
      await writeRandomFile(file, size);
      const scanned = await scanImportPaths([folder]);
      assert.equal(scanned.files.length, 1);
      await appendFile(file, "appended after the folder was read");
      const { dir, report } = await importScanned(scanned);
      assert.deepEqual(reasons(report), [["failed", "it has changed on disk since the folder was read"]]);
      await assertNothingKept(dir);
    });

    test(`a ${kind} file appended to after the window checked it is refused`, async () => {
      const file = path.join(root, `dropped-${kind}.bin`);
      await writeRandomFile(file, size);
      const info = await stat(file);
      const checked = [{ path: file, relativePath: null, dev: info.dev, ino: info.ino, size, mtimeMs: info.mtimeMs }];
      const scanned = await scanCheckedFiles(checked);
      assert.equal(scanned.files.length, 1);
      await appendFile(file, "appended after the drop was checked");
      const { dir, report } = await importScanned(scanned, "window");
      assert.deepEqual(reasons(report), [["failed", "it has changed on disk since it was dropped"]]);
      await assertNothingKept(dir);
    });
  }

  test("a file rewritten to the same size with a new time is refused too", async () => {
    const file = path.join(root, "rewritten.bin");
    await writeFile(file, "twenty-eight bytes of a note");
    const scanned = await scanImportPaths([file]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writeFile(file, "twenty-eight bytes, rewritten");
    const { dir, report } = await importScanned(scanned);
    assert.deepEqual(reasons(report), [["failed", "it has changed on disk since it was chosen"]]);
    await assertNothingKept(dir);
  });
});
