/**
 * The bounded list of an import's outcomes: every file counted, the first found of each kind
 * listed whatever order they finish in, and every damaged vault copy counted for its warning even
 * when the list is full of refusals.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { chmod, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { OutcomeTally } from "../../electron/services/import/importOutcomes.js";
import { importIntoCase, type ImportOutcome } from "../../electron/services/import/importPipeline.js";
import { damageWarnings } from "../../electron/services/import/restoreOriginal.js";
import { vaultDamage } from "../../electron/services/import/vaultDamage.js";
import { LedgerWriter } from "../../electron/services/ledger/ledgerWriter.js";
import { CaseStateCache } from "../../electron/services/vault/caseStateCache.js";
import { createCase } from "../../electron/services/vault/caseStore.js";
import { tempDir } from "../support/fixtures.js";
import { mkfifo } from "../support/hostileCase.js";

test("the outcomes listed are the first found of each kind, whatever order they arrive in", () => {
  const tally = new OutcomeTally(3);
  const file = (i: number): Extract<ImportOutcome, { sha256: string }> => ({
    status: "imported",
    displayPath: `f${i}`,
    sha256: "a".repeat(64),
    size: 1,
    seq: i,
    objectPath: "x",
  });
  // Stagers and batches finish out of order: the later files arrive first.
  for (const i of [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]) tally.add(file(i), i);
  tally.add({ status: "failed", displayPath: "late-failure", reason: "could not read" }, 50);
  tally.add({ status: "refused", displayPath: "late-refusal", reason: "a FIFO" }, 60);
  for (let i = 20; i < 25; i++) tally.add({ ...file(i), status: "duplicate", damaged: "truncated" }, i);
  assert.deepEqual(
    tally.list().map((o) => o.displayPath),
    ["late-refusal", "f0", "f1", "f2", "f20", "f21", "f22", "late-failure"],
  );
  assert.equal(tally.damaged, 5);
  assert.equal(tally.damagedLeftOff, 2);
  assert.equal(tally.leftOff, 17 - 8);
});

test("damaged vault copies past a list full of refusals are still counted and warned of", async () => {
  const root = await tempDir();
  const files = path.join(root, "b-files");
  mkdirSync(files);
  for (let i = 0; i < 6; i++) writeFileSync(path.join(files, `f${i}.bin`), `bytes of file ${i}`);
  const pipes = path.join(root, "a-pipes");
  mkdirSync(pipes);
  for (let i = 0; i < 3; i++) mkfifo(path.join(pipes, `pipe${i}`));

  const dir = path.join(root, "case");
  const key = await new KeyStore(path.join(root, "home")).getOrCreate("W. Alker");
  const caseFile = await createCase({ dir, title: "damage", key, hashAlgorithms: ["sha256"] });
  const writer = await LedgerWriter.open(dir, { key });
  try {
    const first = await importIntoCase(writer, caseFile, { paths: [files], collection: { method: "test" } });
    // Four vault copies cut short, as a disk or a hand could.
    for (const o of first.outcomes.slice(2)) {
      if (!("objectPath" in o)) throw new Error(`not imported: ${o.displayPath}`);
      await chmod(path.join(dir, o.objectPath), 0o600);
      await writeFile(path.join(dir, o.objectPath), "cut");
    }
    const state = await new CaseStateCache().get(dir);
    const again = await importIntoCase(writer, caseFile, {
      paths: [pipes, files],
      collection: { method: "test" },
      outcomesKept: 2,
      damageOf: (sha256) => vaultDamage(dir, state, sha256),
    });
    assert.deepEqual(again.counts, { imported: 0, duplicate: 6, refused: 3, failed: 0, cancelled: 0 });
    const damaged = again.outcomes.filter((o) => "damaged" in o && o.damaged);
    assert.deepEqual(
      damaged.map((o) => path.basename(o.displayPath)),
      ["f2.bin", "f3.bin"],
      "the first damaged copies found are listed",
    );
    assert.equal(damageWarnings(again.outcomes).length, 2);
    assert.ok(
      again.warnings.some((w) => w.startsWith("2 more files hold bytes whose vault copy in the case is damaged")),
      again.warnings.join("\n"),
    );
  } finally {
    await writer.close();
  }
});
