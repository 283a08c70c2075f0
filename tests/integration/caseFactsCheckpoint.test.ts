/**
 * A new session opens an unchanged case from the checkpoint of its summary's facts, kept in the
 * profile, and never believes one for a ledger that is not exactly the bytes it was made from:
 * extended, shortened, edited in place, torn, or a checkpoint file that is not one. Each answer is
 * compared with a full replay of the ledger as it is on disk.
 */
import assert from "node:assert/strict";
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { CaseStateCache } from "../../electron/services/vault/caseStateCache.js";
import { CaseFactsCheckpoints, caseFactsOf } from "../../electron/services/vault/caseFactsCheckpoint.js";
import { loadCaseState } from "../../electron/services/vault/caseStore.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { SightlineService } from "../../electron/services/sightlineService.js";
import { tempDir, writeRandomFile } from "../support/fixtures.js";

async function caseWithItems() {
  const root = await tempDir();
  const home = path.join(root, "home");
  const service = new SightlineService(new KeyStore(home));
  const dir = path.join(root, "case");
  await service.createCase({ dir, title: "Checkpoint", examiner: "C. Heck", hashAlgorithms: ["sha256"] });
  await writeRandomFile(path.join(root, "media", "a.bin"), 1000);
  await writeRandomFile(path.join(root, "media", "b.bin"), 2000);
  await service.importFiles({ dir, paths: [path.join(root, "media")], collection: {} });
  await service.jobs.settle();
  return { root, home, service, dir, ledger: path.join(dir, "ledger.jsonl"), folder: path.join(root, "checkpoints") };
}

/** A cache of a new session: nothing in memory, checkpoints in `folder`. */
const session = (folder: string) =>
  new CaseStateCache({
    checkpoints: new CaseFactsCheckpoints(folder),
    checkpointDelayMs: 60_000,
    replayDelayMs: 60_000,
  });

test("a checkpoint answers for exactly the ledger it was made from, and for no other", async () => {
  const { dir, ledger, folder, service } = await caseWithItems();
  const caseFiles = (await readdir(dir, { recursive: true })).sort();
  const first = session(folder);
  await first.get(dir);
  await first.writeCheckpoints();
  const [name, ...others] = await readdir(folder);
  assert.ok(name?.endsWith(".json") && others.length === 0, "one checkpoint, in the profile's folder");
  assert.deepEqual((await readdir(dir, { recursive: true })).sort(), caseFiles, "nothing written in the case");

  const replayed = async () => caseFactsOf(await loadCaseState(dir));
  assert.deepEqual(await session(folder).facts(dir), await replayed(), "the same facts as a replay");

  // The answer comes from the checkpoint: a title planted in it (the profile is the user's own) shows.
  const file = path.join(folder, name!);
  const checkpoint = JSON.parse(await readFile(file, "utf8"));
  checkpoint.facts.title = "from the checkpoint";
  await writeFile(file, JSON.stringify(checkpoint));
  assert.equal((await session(folder).facts(dir)).title, "from the checkpoint");

  const original = await readFile(ledger);
  const notPlanted = async (why: string) => {
    const facts = await session(folder).facts(dir);
    assert.deepEqual(facts, await replayed(), why);
    assert.equal(facts.title, "Checkpoint", why);
  };
  // Extended by a new event, or by the start of one.
  const [item] = await service.listItems({ dir });
  await service.addNote({ dir, sha256: item!.sha256, text: "later" });
  await notPlanted("an extended ledger");
  await writeFile(ledger, Buffer.concat([original, Buffer.from('{"seq":')]));
  await notPlanted("a torn tail");
  // Shortened by its last line.
  const lines = original.toString("utf8").split("\n");
  await writeFile(ledger, lines.slice(0, -2).join("\n") + "\n");
  await notPlanted("a shortened ledger");
  // Edited in place, same length: one character of an item's name in the middle of the ledger.
  const edited = Buffer.from(original);
  const at = edited.indexOf("a.bin");
  edited[at] = 0x63;
  await writeFile(ledger, edited);
  await notPlanted("a ledger edited in place");
  // The ledger as it was: the checkpoint answers again. Then checkpoint files that are not one.
  await writeFile(ledger, original);
  assert.equal((await session(folder).facts(dir)).title, "from the checkpoint", "the same bytes again");
  for (const junk of ["", "{", "null", '{"format":1}', "x".repeat(2 << 20)]) {
    await writeFile(file, junk);
    await notPlanted(`a checkpoint file reading ${JSON.stringify(junk.slice(0, 12))}`);
  }
});

test("a new session's open answers from the checkpoint, then replays the ledger behind it", async () => {
  const { dir, home, service } = await caseWithItems();
  const opened = await service.openCase({ dir });
  const [item] = await service.listItems({ dir });
  await service.addNote({ dir, sha256: item!.sha256, text: "a note" });
  const before = await service.openCase({ dir });
  assert.equal(before.head!.seq, opened.head!.seq + 1);
  // A checkpoint in the profile (the service writes one a moment after the state moved; here at once).
  const folder = path.join(home, "ledger-checkpoints");
  const written = session(folder);
  await written.get(dir);
  await written.writeCheckpoints();
  const later = new SightlineService(new KeyStore(home));
  assert.deepEqual(await later.openCase({ dir }), before);
  // The items need the whole state: replayed on demand, and the same as a full replay.
  const cache = new CaseStateCache({ checkpoints: new CaseFactsCheckpoints(folder), replayDelayMs: 0 });
  assert.equal((await cache.facts(dir)).head!.seq, before.head!.seq);
  assert.deepEqual(await cache.get(dir), await loadCaseState(dir));
  assert.deepEqual(await later.listItems({ dir }), await service.listItems({ dir }));
});
