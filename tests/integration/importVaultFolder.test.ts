/**
 * A vault shard folder replaced, after the case's layout was checked, by a link to a folder
 * elsewhere (or by a file): the import refuses the batch with one line and moves nothing, so no
 * original is renamed out of the case and the ledger names nothing that is not in it.
 * (`mkdir -p` of a link to a folder succeeds silently; the rename would then follow it.)
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rmdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { CASE_PATHS } from "../../shared/case/caseFile.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { importIntoCase } from "../../electron/services/import/importPipeline.js";
import { LedgerWriter } from "../../electron/services/ledger/ledgerWriter.js";
import { createCase } from "../../electron/services/vault/caseStore.js";
import { tempDir } from "../support/fixtures.js";

for (const planted of ["a link to a folder outside the case", "a file"] as const) {
  test(`a vault folder that is ${planted} is refused with one line, and nothing is moved`, async () => {
    const root = await tempDir();
    const key = await new KeyStore(path.join(root, "home")).getOrCreate("V. Ault");
    const dir = path.join(root, "case");
    const caseFile = await createCase({ dir, title: "vault folder", key, hashAlgorithms: [] });
    const source = path.join(root, "media", "photo.jpg");
    await mkdir(path.dirname(source));
    const bytes = "the bytes of one original\n";
    await writeFile(source, bytes);
    const shardName = `${CASE_PATHS.objects}/${createHash("sha256").update(bytes).digest("hex").slice(0, 2)}`;
    const shard = path.join(dir, shardName);
    const outside = path.join(root, "outside");
    await mkdir(outside);

    // Planted once the writer has checked the case's layout, as by another program during an import.
    const writer = await LedgerWriter.open(dir, { key });
    try {
      await rmdir(shard);
      if (planted === "a file") await writeFile(shard, "");
      else await symlink(outside, shard);
      const report = await importIntoCase(writer, caseFile, { paths: [source], collection: { method: "test" } });
      assert.deepEqual(
        report.outcomes.map((o) => [o.status, "reason" in o ? o.reason : ""]),
        [
          [
            "failed",
            `${shardName} is not a folder, so nothing was moved into it; run "sightline verify" to see every difference`,
          ],
        ],
      );
    } finally {
      await writer.close();
    }
    assert.deepEqual(await readdir(outside), [], "nothing written outside the case");
    assert.equal(await readFile(source, "utf8"), bytes, "the original is where it was");
    const ledger = await readFile(path.join(dir, "ledger.jsonl"), "utf8");
    assert.doesNotMatch(ledger, /"item\.imported"/);
  });
}
