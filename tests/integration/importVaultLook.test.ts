/**
 * The staging threads look at each small file's place in the vault as they stage it (for the
 * batch's intent), and the commit looks again before it renames: the same bytes met again in a
 * later batch of the same import, or already in the case from an earlier import, are still one
 * object and recorded as duplicates; and a link planted at an object's place, before the file was
 * staged or after, is refused with one line.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { lstat, mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import { objectPathFor } from "../../shared/case/caseFile.js";
import type { CaseFile } from "../../shared/case/caseFile.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { importIntoCase, type ImportReport } from "../../electron/services/import/importPipeline.js";
import { LedgerWriter } from "../../electron/services/ledger/ledgerWriter.js";
import { verifyCase } from "../../electron/services/ledger/verifyCase.js";
import { createCase } from "../../electron/services/vault/caseStore.js";
import { tempDir, writeRandomFile } from "../support/fixtures.js";

describe("the vault looked at as files are staged", () => {
  let root: string;
  let keys: KeyStore;

  before(async () => {
    root = await tempDir();
    keys = new KeyStore(path.join(root, "home"));
  });

  async function newCase(name: string): Promise<{ dir: string; caseFile: CaseFile }> {
    const dir = path.join(root, name);
    const key = await keys.getOrCreate("V. Ault");
    return { dir, caseFile: await createCase({ dir, title: name, key, hashAlgorithms: [] }) };
  }

  async function importInto(
    dir: string,
    caseFile: CaseFile,
    paths: string[],
    onOpen?: () => Promise<void>,
    damageOf?: (sha256: string) => Promise<null>,
    batchFiles = 8,
  ): Promise<ImportReport> {
    const writer = await LedgerWriter.open(dir, { key: await keys.getOrCreate("V. Ault") });
    try {
      await onOpen?.();
      // Batches of eight: a file's twin is staged while the batch holding the first is committed.
      return await importIntoCase(writer, caseFile, {
        paths,
        collection: { method: "test" },
        batchFiles,
        ...(damageOf ? { damageOf } : {}),
      });
    } finally {
      await writer.close();
    }
  }

  /** Twenty files under `name` in a new case, one of them the victim: its object's place, and a file outside to link there. */
  async function plantingCase(name: string, prefix: string, size: number, victimName: string, outsideText: string) {
    const folder = path.join(root, name);
    await mkdir(folder, { recursive: true });
    for (let i = 0; i < 20; i++)
      await writeRandomFile(path.join(folder, `${prefix}${String(i).padStart(2, "0")}.bin`), size + i);
    const { dir, caseFile } = await newCase(`${name}-case`);
    const victim = createHash("sha256")
      .update(await readFile(path.join(folder, victimName)))
      .digest("hex");
    const outside = path.join(root, `${name}-outside.bin`);
    await writeFile(outside, outsideText);
    return { folder, dir, caseFile, victim, objectPath: objectPathFor(victim), outside };
  }

  /** The batch holding `victimName` failed whole with the one-line reason (nothing of it moved), the others were imported, and nothing went through the link. */
  async function assertLinkRefused(
    report: ImportReport,
    victimName: string,
    objectPath: string,
    outside: string,
    outsideText: string,
  ): Promise<void> {
    const failed = report.outcomes.filter((o) => o.status === "failed");
    assert.ok(
      failed.some((o) => o.displayPath.endsWith(victimName)),
      JSON.stringify(report.outcomes),
    );
    for (const o of failed) {
      assert.equal("reason" in o && o.reason, `${objectPath} is not a regular file; nothing was written to this case`);
    }
    assert.equal(report.counts.imported + failed.length, 20);
    assert.equal(await readFile(outside, "utf8"), outsideText, "nothing written through the link");
  }

  async function objectCount(dir: string): Promise<number> {
    const shards = await readdir(path.join(dir, "objects", "sha256"));
    const counts = await Promise.all(shards.map((s) => readdir(path.join(dir, "objects", "sha256", s))));
    return counts.reduce((n, names) => n + names.length, 0);
  }

  test("twins in later batches and files already in the case are duplicates of one object", async () => {
    const folder = path.join(root, "twins");
    // 24 files, then the same 24 again under other names: each twin is in a later batch.
    for (let i = 0; i < 24; i++)
      await writeRandomFile(path.join(folder, `a${String(i).padStart(2, "0")}.bin`), 9_000 + i);
    for (let i = 0; i < 24; i++) {
      const name = `a${String(i).padStart(2, "0")}.bin`;
      await writeFile(path.join(folder, `b${name}`), await readFile(path.join(folder, name)));
    }
    const { dir, caseFile } = await newCase("twins-case");
    const first = await importInto(dir, caseFile, [folder]);
    assert.deepEqual(first.counts, { imported: 24, duplicate: 24, refused: 0, failed: 0, cancelled: 0 });
    assert.equal(await objectCount(dir), 24);

    // The same folder again, into the same case: every file is already there.
    const again = await importInto(dir, caseFile, [folder]);
    assert.deepEqual(again.counts, { imported: 0, duplicate: 48, refused: 0, failed: 0, cancelled: 0 });
    assert.equal(await objectCount(dir), 24);

    const events = (await readFile(path.join(dir, "ledger.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; payload: { isNewObject?: boolean } })
      .filter((e) => e.type === "item.imported");
    assert.equal(events.length, 96);
    assert.equal(events.filter((e) => e.payload.isNewObject).length, 24, "one new object per distinct bytes");
    const verified = await verifyCase(dir);
    assert.equal(verified.isClean, true, JSON.stringify(verified.problems));
  });

  test("a link planted at an object's place is refused with one line, and nothing is written through it", async () => {
    const { folder, dir, caseFile, objectPath, outside } = await plantingCase(
      "planted",
      "p",
      5_000,
      "p03.bin",
      "not the original\n",
    );
    // Planted once the writer has checked the case's layout, as by another program during an import.
    const report = await importInto(dir, caseFile, [folder], () => symlink(outside, path.join(dir, objectPath)));
    await assertLinkRefused(report, "p03.bin", objectPath, outside, "not the original\n");
  });

  test("a link planted at an object's place after the file was staged is refused too, and nothing moves through it", async () => {
    const { folder, dir, caseFile, victim, objectPath, outside } = await plantingCase(
      "planted-late",
      "q",
      6_000,
      "q05.bin",
      "not the original either\n",
    );
    // Asked by the commit of the batch holding the file, once it is staged (the staging thread
    // saw nothing at its place) and before anything of that batch is renamed into the vault.
    let planted = false;
    const report = await importInto(dir, caseFile, [folder], undefined, async (digest) => {
      if (digest === victim && !planted) {
        planted = true;
        await symlink(outside, path.join(dir, objectPath));
      }
      return null;
    });
    assert.equal(planted, true);
    await assertLinkRefused(report, "q05.bin", objectPath, outside, "not the original either\n");
    assert.equal((await lstat(path.join(dir, objectPath))).isSymbolicLink(), true, "the planted link was not replaced");
  });

  test("a link planted at an object's place after the commit looked, before the rename, stops the batch and is left as it is", async () => {
    const { folder, dir, caseFile, victim, objectPath, outside } = await plantingCase(
      "planted-later",
      "r",
      7_000,
      "r05.bin",
      "not the original, later\n",
    );
    // One batch of all twenty: the commit asks about each file in turn, then looks at its place;
    // the link goes in while it asks about the file after the victim, once the victim's look is done.
    let state: "before" | "looked" | "planted" = "before";
    const report = await importInto(
      dir,
      caseFile,
      [folder],
      undefined,
      async (digest) => {
        if (state === "looked") {
          state = "planted";
          await symlink(outside, path.join(dir, objectPath));
        }
        if (digest === victim) state = "looked";
        return null;
      },
      64,
    );
    assert.equal(state, "planted");
    assert.deepEqual(report.counts, { imported: 0, duplicate: 0, refused: 0, failed: 20, cancelled: 0 });
    for (const o of report.outcomes) {
      assert.equal(
        "reason" in o && o.reason,
        `something was put at ${objectPath} while it was being imported, so it was left as it is and this batch was not recorded; run "sightline verify" to see every difference`,
      );
    }
    assert.equal((await lstat(path.join(dir, objectPath))).isSymbolicLink(), true, "the planted link was not replaced");
    assert.equal(await readFile(outside, "utf8"), "not the original, later\n", "nothing written through the link");
  });
});
