/**
 * A new session opens an unchanged case from the checkpoint of its summary's facts, kept in the
 * profile, and never believes one for a ledger that is not exactly the bytes it was made from:
 * extended, shortened, edited in place, torn, or a checkpoint file that is not one. Each answer is
 * compared with a full replay of the ledger as it is on disk.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { mkdir, readFile, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { CaseStateCache } from "../../electron/services/vault/caseStateCache.js";
import { CaseFactsCheckpoints, caseFactsOf } from "../../electron/services/vault/caseFactsCheckpoint.js";
import { loadCaseState } from "../../electron/services/vault/caseStore.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { testService } from "../support/testService.js";
import { createHttpClient } from "../../renderer/api/apiClient.js";
import { CLI, runCli } from "../support/cli.js";
import { tempDir, writeRandomFile } from "../support/fixtures.js";
import { makeSample } from "../support/sampleFixture.js";

async function caseWithItems() {
  const root = await tempDir();
  const home = path.join(root, "home");
  const service = testService(new KeyStore(home));
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
  const later = testService(new KeyStore(home));
  assert.deepEqual(await later.openCase({ dir }), before);
  // The items need the whole state: replayed on demand, and the same as a full replay.
  const cache = new CaseStateCache({ checkpoints: new CaseFactsCheckpoints(folder), replayDelayMs: 0 });
  assert.equal((await cache.facts(dir)).head!.seq, before.head!.seq);
  assert.deepEqual(await cache.get(dir), await loadCaseState(dir));
  assert.deepEqual(await later.listItems({ dir }), await service.listItems({ dir }));
});

const replayedFacts = async (dir: string) => caseFactsOf(await loadCaseState(dir));

test("a hint opened while a checkpoint is written: the checkpoint holds the facts of its own bytes", async () => {
  const root = await tempDir();
  const fixture = await makeSample(path.join(root, "sample"));
  const service = testService(new KeyStore(path.join(root, "home")));
  const dir = path.join(root, "trainee");
  await service.startExercise({ sample: fixture.sample.path, dir, trainee: "Tam Trainee" });
  await service.jobs.settle();
  const ledger = path.join(dir, "ledger.jsonl");
  // A profile folder not made yet, and deep: making it takes longer than applying a line, so the line
  // is applied while the checkpoint is being written.
  const folder = path.join(root, ...Array.from({ length: 40 }, (_, i) => `p${i}`), "checkpoints");
  const cache = session(folder);
  await cache.get(dir);
  const before = await readFile(ledger);
  await service.openHint({ dir, index: 0 });
  // The checkpoint of the bytes before the hint is written while the cache applies the hint's line.
  await Promise.all([cache.writeCheckpoints(), cache.get(dir)]);
  assert.equal((await cache.get(dir)).training.exercise?.hints.length, 1, "the hint is applied");
  // The ledger cut back to the checkpoint's bytes (a tail truncated): the checkpoint is believed, and
  // must say what a replay of those bytes says (no hint opened).
  await writeFile(ledger, before);
  assert.ok(await new CaseFactsCheckpoints(folder).load(dir, "ledger.jsonl"), "the checkpoint is believed");
  const facts = await session(folder).facts(dir);
  assert.deepEqual(facts, await replayedFacts(dir));
  assert.equal(facts.exercise?.hints.length, 0);
});

test("an edit in place that keeps the size and puts the modification time back is seen", async () => {
  const { dir, ledger, folder, root } = await caseWithItems();
  const first = session(folder);
  await first.get(dir);
  await first.writeCheckpoints();
  // The first answer comes from the checkpoint (a title planted in it shows).
  const [name] = await readdir(folder);
  const checkpoint = JSON.parse(await readFile(path.join(folder, name!), "utf8"));
  checkpoint.facts.title = "from the checkpoint";
  await writeFile(path.join(folder, name!), JSON.stringify(checkpoint));
  const facts = session(folder);
  const states = new CaseStateCache();
  const { mtimeMs, ctimeMs, size } = await stat(ledger);
  assert.equal((await facts.facts(dir)).title, "from the checkpoint");
  await states.get(dir);
  const times = path.join(root, "times");
  await writeFile(times, "");
  execFileSync("touch", ["-r", ledger, times]);
  const seen = await stat(ledger);
  assert.deepEqual([seen.mtimeMs, seen.ctimeMs, seen.size], [mtimeMs, ctimeMs, size], "the ledger is still");
  const edited = await readFile(ledger);
  edited[edited.indexOf("Checkpoint")] = 0x58;
  // Written until the status-change time moves (it ticks with the kernel's clock), the modification
  // time put back to the nanosecond each time.
  do {
    await writeFile(ledger, edited);
    execFileSync("touch", ["-r", times, ledger]);
  } while ((await stat(ledger)).ctimeMs === ctimeMs);
  assert.equal((await stat(ledger)).mtimeMs, mtimeMs, "the modification time is the old one");
  assert.equal((await facts.facts(dir)).title, "Xheckpoint");
  assert.deepEqual(await states.get(dir), await loadCaseState(dir));
});

test("saves of one checkpoint asked for together end with the newest, under names of their own", async () => {
  const { dir, ledger, folder } = await caseWithItems();
  const bytes = await readFile(ledger);
  const facts = await replayedFacts(dir);
  const genesis = bytes.subarray(0, bytes.indexOf(0x0a) + 1);
  const ends = [...bytes.entries()].filter(([, b]) => b === 0x0a).map(([at]) => at + 1);
  const checkpoints = new CaseFactsCheckpoints(folder);
  const sha256 = (length: number) => createHash("sha256").update(bytes.subarray(0, length)).digest("hex");
  await Promise.all(ends.map((end) => checkpoints.save(genesis, { ...facts, title: `at ${end}` }, end, sha256(end))));
  assert.equal((await checkpoints.load(dir, "ledger.jsonl"))?.title, `at ${bytes.length}`);
  assert.equal((await readdir(folder)).length, 1, "no temporary file left");
});

test("a FIFO, a device, a link or a folder in a checkpoint's place is never read", async () => {
  const { dir, folder } = await caseWithItems();
  const first = session(folder);
  await first.get(dir);
  await first.writeCheckpoints();
  const [name] = await readdir(folder);
  const file = path.join(folder, name!);
  const makers: [string, () => Promise<unknown>][] = [
    ["a FIFO", async () => execFileSync("mkfifo", [file])],
    ["a link to /dev/zero", () => symlink("/dev/zero", file)],
    ["a folder", () => mkdir(file)],
  ];
  for (const [what, make] of makers) {
    await rm(file, { recursive: true, force: true });
    await make();
    assert.equal(await new CaseFactsCheckpoints(folder).load(dir, "ledger.jsonl"), null, what);
    assert.deepEqual(await session(folder).facts(dir), await replayedFacts(dir), what);
  }
});

test("a checkpoint waiting for its moment is written as the CLI exits", async () => {
  const root = await tempDir();
  const fixture = await makeSample(path.join(root, "sample"));
  const home = path.join(root, "home");
  const dir = path.join(root, "trainee");
  const started = await runCli(["exercise", "start", fixture.sample.path, dir, "--trainee", "Tam Trainee"], home);
  assert.equal(started.code, 0, started.stderr);
  const facts = await new CaseFactsCheckpoints(path.join(home, "ledger-checkpoints")).load(dir, "ledger.jsonl");
  assert.deepEqual(facts, await replayedFacts(dir));
  assert.equal(facts!.exercise?.hints.length, 0);
});

test("a checkpoint waiting for its moment is written as the host shuts down", async () => {
  const { dir, root } = await caseWithItems();
  const home = path.join(root, "host-home");
  const host = spawn(process.execPath, [CLI, "host", "--json"], {
    env: { ...process.env, CI: "1", SIGHTLINE_HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => host.on("exit", (code) => resolve(code)));
  let stderr = "";
  host.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  try {
    const [first] = (await once(host.stdout, "data")) as [Buffer];
    const { url, token } = JSON.parse(first.toString().split("\n")[0]!) as { url: string; token: string };
    const { api } = createHttpClient(url, token);
    const opened = await api.openCase({ dir });
    assert.ok(opened.ok, stderr);
  } finally {
    host.kill("SIGTERM");
  }
  assert.equal(await exited, 0, stderr);
  const facts = await new CaseFactsCheckpoints(path.join(home, "ledger-checkpoints")).load(dir, "ledger.jsonl");
  assert.deepEqual(facts, await replayedFacts(dir));
});

test("a closed cache writes the checkpoint it was waiting to write, and starts nothing after", async () => {
  const { dir, folder } = await caseWithItems();
  const cache = session(folder);
  await cache.get(dir);
  await cache.close();
  const written = await readdir(folder);
  assert.equal(written.length, 1, "the waiting checkpoint is written by close");

  // A new session that answers from that checkpoint would replay and checkpoint again later; once
  // closed it schedules neither, so its owner may remove the folder.
  await rm(folder, { recursive: true });
  const next = new CaseStateCache({
    checkpoints: new CaseFactsCheckpoints(folder),
    checkpointDelayMs: 0,
    replayDelayMs: 0,
  });
  await next.close();
  await next.get(dir);
  await next.writeCheckpoints();
  await assert.rejects(readdir(folder), { code: "ENOENT" }, "nothing written after close");
});
