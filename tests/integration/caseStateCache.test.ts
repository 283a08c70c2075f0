/**
 * The cached case state follows the ledger on disk: appended events are applied, a ledger that
 * was rewritten, shortened or replaced is replayed from the start, and a line still being written
 * waits. Each step is compared with a full replay of the same file.
 */
import assert from "node:assert/strict";
import { appendFile, copyFile, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { CaseStateCache } from "../../electron/services/vault/caseStateCache.js";
import { loadCaseState } from "../../electron/services/vault/caseStore.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { testService } from "../support/testService.js";
import { tempDir, writeRandomFile } from "../support/fixtures.js";

test("the cached case state always equals a full replay of the ledger as it is on disk", async () => {
  const root = await tempDir();
  const service = testService(new KeyStore(path.join(root, "home")));
  const dir = path.join(root, "case");
  const ledger = path.join(dir, "ledger.jsonl");
  await service.createCase({ dir, title: "Cache", examiner: "C. Ache", hashAlgorithms: ["sha256"] });
  const cache = new CaseStateCache();
  const same = async (why: string) => assert.deepEqual(await cache.get(dir), await loadCaseState(dir), why);
  await same("a new case");

  await writeRandomFile(path.join(root, "media", "a.bin"), 1000);
  await writeRandomFile(path.join(root, "media", "b.bin"), 2000);
  await service.importFiles({ dir, paths: [path.join(root, "media")], collection: {} });
  await service.jobs.settle();
  await same("after an import (appended lines)");
  const [item] = await service.listItems({ dir });
  await service.addNote({ dir, sha256: item!.sha256, text: "first note" });
  await same("after a note");
  // Many calls at once after an append (the workbench asks for the list, the item and its
  // timeline together): the new lines are applied once.
  await service.addNote({ dir, sha256: item!.sha256, text: "second note" });
  const together = await Promise.all(Array.from({ length: 8 }, () => cache.get(dir)));
  for (const state of together) assert.equal(state.items.get(item!.sha256)!.notes.length, 2);
  await same("after concurrent calls");
  const before = await readFile(ledger);
  const lineCount = before.toString("utf8").trimEnd().split("\n").length;

  // A line still being written is not applied until it ends.
  await service.changeTags({ dir, sha256: item!.sha256, add: ["roof"], remove: [] });
  const full = await readFile(ledger);
  const lastLine = full.subarray(before.length);
  await writeFile(ledger, Buffer.concat([before, lastLine.subarray(0, 40)]));
  assert.equal((await cache.get(dir)).eventCount, lineCount, "the partial line waits");
  await appendFile(ledger, lastLine.subarray(40));
  await same("the line, once complete");

  // Shortened (the tail cut off), then rewritten in the middle with the same length, then replaced.
  await writeFile(ledger, before.subarray(0, before.indexOf("\n") + 1));
  await same("a shortened ledger");
  await writeFile(ledger, full);
  await same("back to the full ledger");
  const edited = Buffer.from(full);
  edited[10] = edited[10] === 0x61 ? 0x62 : 0x61;
  await writeFile(ledger, edited);
  await same("a rewritten ledger of the same length");
  await copyFile(ledger, `${ledger}.new`);
  await rename(`${ledger}.new`, ledger);
  await same("a replaced ledger (new inode)");
  await assert.rejects(cache.get(path.join(root, "nowhere")), /cannot read the ledger/);
});
