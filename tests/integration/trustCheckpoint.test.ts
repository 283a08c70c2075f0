/**
 * The keys a case trusts, in a new session (a fresh process): learnt from the case-facts checkpoint
 * when the ledger is exactly its bytes, else while the ledger is replayed from its start, and read
 * from the whole ledger only when neither holds. Whatever the checkpoint says, the keys are those
 * the ledger establishes: a crafted list of origins (also one out of ledger order), a truncated
 * checkpoint, one of another case or another build, or a ledger with one more line never changes
 * them; nor does a ledger rewritten in place and grown, of which a replay reads only the new lines.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cp, readFile, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { addExaminer } from "../../electron/services/examiners/examiners.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { ledgerTrustSource, trustedExaminers } from "../../electron/services/ledger/caseTrust.js";
import { nodeLedgerCrypto } from "../../electron/services/ledger/nodeLedgerCrypto.js";
import { testService } from "../support/testService.js";
import { writePendingCheckpoints } from "../../electron/services/vault/caseStateCache.js";
import { eventHash } from "../../shared/ledger/eventHash.js";
import type { LedgerEvent } from "../../shared/ledger/events.js";
import { establishTrust, TrustBuilder, trustFromLines } from "../../shared/ledger/examinerTrust.js";
import { tempDir, writeRandomFile } from "../support/fixtures.js";

const run = promisify(execFile);
const dist = (file: string) => pathToFileURL(path.join(import.meta.dirname, "..", "..", file)).href;

/** A case with two examiners, items and a note after the second examiner joined; its checkpoint written. */
async function twoExaminerCase(title = "Trust") {
  const root = await tempDir();
  const home = path.join(root, "home");
  const keyStore = new KeyStore(home);
  const service = testService(keyStore);
  const dir = path.join(root, "case");
  await service.createCase({ dir, title, examiner: "A. Analyst", hashAlgorithms: ["sha256"] });
  const colleague = await new KeyStore(path.join(root, "colleague")).create("B. Verifier");
  await addExaminer(dir, keyStore, { name: colleague.name, keyId: colleague.keyId, publicKey: colleague.publicKey });
  await writeRandomFile(path.join(root, "media", "a.bin"), 1000);
  await service.importFiles({ dir, paths: [path.join(root, "media")], collection: {} });
  await service.jobs.settle();
  const [item] = await service.listItems({ dir });
  await service.addNote({ dir, sha256: item!.sha256, text: "after the colleague joined" });
  await service.openCase({ dir });
  await writePendingCheckpoints(10_000);
  const folder = path.join(home, "ledger-checkpoints");
  const [name] = await readdir(folder);
  return { root, home, dir, service, ledger: path.join(dir, "ledger.jsonl"), file: path.join(folder, name!) };
}

/**
 * New sessions: one fresh process opens each case (with its own profile) and asks for the examiner's
 * settings, as the page does, then says how the trusted keys were learnt and which they are. The keys
 * are remembered per case folder, so the cases of one process do not see each other's.
 */
async function newSessions(cases: readonly { home: string; dir: string }[]) {
  const script = `
    const { SightlineService } = await import(${JSON.stringify(dist("electron/services/sightlineService.js"))});
    const { KeyStore } = await import(${JSON.stringify(dist("electron/services/examiners/keyStore.js"))});
    const { trustedExaminers, ledgerTrustSource } = await import(${JSON.stringify(dist("electron/services/ledger/caseTrust.js"))});
    const answers = [];
    for (const { home, dir } of ${JSON.stringify(cases)}) {
      const service = new SightlineService(new KeyStore(home));
      await Promise.all([service.openCase({ dir }), service.examinerSettings({ dir })]);
      const source = ledgerTrustSource(dir);
      answers.push({ source, keys: (await trustedExaminers(dir)).map((e) => e.keyId).sort() });
    }
    process.stdout.write(JSON.stringify(answers));
    process.exit(0);`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { timeout: 120_000 });
  return JSON.parse(stdout) as { source: string | null; keys: string[] }[];
}

const ledgerKeys = async (ledger: string) =>
  [...establishTrust(await readFile(ledger), nodeLedgerCrypto).keys()].sort();

/**
 * Not an empty shard folder of the vault (objects/sha256/ab): a case has 256 of them, the layout
 * allows one absent, and copying and removing 256 folders per copy on a busy disk took most of this
 * file's time. Every file of the case is still copied.
 */
const isNotEmptyShard = async (source: string) =>
  !/[\\/]objects[\\/]sha256[\\/][0-9a-f]{2}$/.test(source) || (await readdir(source)).length > 0;

/** A copy of the case and of its profile, the checkpoint then changed by `change`. */
async function copyOf(made: { root: string; home: string; dir: string; file: string }, name: string) {
  const home = path.join(made.root, `${name}-home`);
  const dir = path.join(made.root, `${name}-case`);
  await cp(made.home, home, { recursive: true });
  await cp(made.dir, dir, { recursive: true, filter: isNotEmptyShard });
  return { home, dir, file: path.join(home, "ledger-checkpoints", path.basename(made.file)) };
}

test("a new session learns the trusted keys from a checkpoint that holds, and never others than the ledger's", async () => {
  const made = await twoExaminerCase();
  const keys = await ledgerKeys(made.ledger);
  assert.equal(keys.length, 2);
  const text = await readFile(made.file, "utf8");
  const original = JSON.parse(text);
  assert.equal(original.trust.length, 2, "where both keys were established");
  assert.equal(original.trust[0].at, 0);
  const lines = (await readFile(made.ledger, "utf8")).split("\n");
  const offsetOf = (index: number) => lines.slice(0, index).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
  const [genesis, added] = original.trust;
  const note = { at: offsetOf(lines.length - 2), before: offsetOf(lines.length - 3) };
  const other = await tempDir();
  const otherService = testService(new KeyStore(path.join(other, "home")));
  await otherService.createCase({
    dir: path.join(other, "case"),
    title: "Another",
    examiner: "C. Other",
    hashAlgorithms: ["sha256"],
  });
  await otherService.openCase({ dir: path.join(other, "case") });
  await writePendingCheckpoints(10_000);
  const [otherName] = await readdir(path.join(other, "home", "ledger-checkpoints"));
  const otherCheckpoint = await readFile(path.join(other, "home", "ledger-checkpoints", otherName!));

  const crafted = (trust: unknown) => (file: string) => writeFile(file, JSON.stringify({ ...original, trust }));
  const variants: [string, string, (file: string, dir: string) => Promise<void>][] = [
    ["the checkpoint as written", "checkpoint", async () => undefined],
    // Origins that do not hold: the keys are read from the ledger.
    ["the colleague left out", "ledger", crafted([genesis])],
    ["a note's line as an origin", "ledger", crafted([genesis, note])],
    ["the line before off by one", "ledger", crafted([genesis, { at: added.at, before: added.before + 1 }])],
    ["the genesis line twice", "ledger", crafted([genesis, genesis])],
    ["offsets past the end", "ledger", crafted([genesis, { at: 1e12, before: 0 }])],
    ["not numbers", "ledger", crafted([genesis, { at: "0", before: null }])],
    ["not a list", "ledger", crafted({ at: 0 })],
    ["no origins", "ledger", crafted([])],
    // A checkpoint not believed at all: the keys come with the replay.
    ["a truncated checkpoint", "replay", (file) => writeFile(file, text.slice(0, text.length - 40))],
    ["another build's", "replay", (file) => writeFile(file, JSON.stringify({ ...original, replay: "0".repeat(64) }))],
    ["another case's", "replay", (file) => writeFile(file, otherCheckpoint)],
    [
      "a ledger with one more line",
      "replay",
      async (_file, dir) => {
        const ledger = path.join(dir, "ledger.jsonl");
        const last = (await readFile(ledger, "utf8")).trimEnd().split("\n").at(-1)!;
        // A copy of the last line: a line more, whatever it holds (the replay reads past it).
        await writeFile(ledger, `${last}\n`, { flag: "a" });
      },
    ],
  ];
  // Copied at once: each copy waits mostly on the disk.
  const cases = await Promise.all(
    variants.map(async ([, , change], index) => {
      const copy = await copyOf(made, `v${index}`);
      await change(copy.file, copy.dir);
      return copy;
    }),
  );
  const answers = await newSessions(cases);
  for (const [index, [what, source]] of variants.entries()) {
    assert.deepEqual(answers[index], { source, keys }, what);
  }
});

test("the keys learnt a part at a time, at any line boundary, are establishTrust's, and their origins re-check", async () => {
  const { ledger } = await twoExaminerCase("Parts");
  const bytes = await readFile(ledger);
  const whole = establishTrust(bytes, nodeLedgerCrypto);
  const ends = [0];
  for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) ends.push(at + 1);
  for (const split of ends) {
    const builder = new TrustBuilder(nodeLedgerCrypto).feed(bytes.subarray(0, split)).feed(bytes.subarray(split));
    assert.deepEqual([...builder.trusted.entries()], [...whole.entries()], `split at ${split}`);
    const lines = [...builder.establishedAt.values()].map(({ at, before }) => ({
      line: bytes.subarray(at, bytes.indexOf(0x0a, at)),
      at,
      before: before === null ? null : bytes.subarray(before, at - 1),
    }));
    assert.deepEqual([...trustFromLines(lines, nodeLedgerCrypto)!.entries()], [...whole.entries()]);
    // The same lines listed out of ledger order, or one twice, are not believed.
    assert.equal(trustFromLines([lines[0]!, lines[1]!, lines[1]!], nodeLedgerCrypto), null);
    assert.equal(trustFromLines([lines[1]!, lines[0]!], nodeLedgerCrypto), null);
  }
  // A genesis line that is not one: nothing is ever trusted, whatever follows.
  const broken = Buffer.concat([Buffer.from("{}\n"), bytes]);
  assert.equal(new TrustBuilder(nodeLedgerCrypto).feed(broken).trusted.size, 0);
  assert.equal(establishTrust(broken, nodeLedgerCrypto).size, 0);
});

test("origins out of ledger order never make trusted a key added by one not yet trusted", async () => {
  const root = await tempDir();
  const home = path.join(root, "home");
  const keyStore = new KeyStore(home);
  const service = testService(keyStore);
  const dir = path.join(root, "case");
  await service.createCase({ dir, title: "Order", examiner: "G. Genesis", hashAlgorithms: ["sha256"] });
  const early = await new KeyStore(path.join(root, "early")).create("A. Early");
  const smuggled = await new KeyStore(path.join(root, "smuggled")).create("B. Smuggled");
  const examinerOf = (key: typeof early) => ({ name: key.name, keyId: key.keyId, publicKey: key.publicKey });
  // A adds B while A is not trusted yet (well chained, so only the trust rule tells), then G adds A.
  const ledger = path.join(dir, "ledger.jsonl");
  const last = JSON.parse((await readFile(ledger, "utf8")).trimEnd().split("\n").at(-1)!) as LedgerEvent;
  const unsigned = {
    seq: last.seq + 1,
    id: randomUUID(),
    ts: new Date().toISOString(),
    actor: early.keyId,
    type: "examiner.added",
    payload: { examiner: examinerOf(smuggled) },
    prev: last.hash,
  } as const;
  const hash = eventHash(unsigned, nodeLedgerCrypto);
  const line = { ...unsigned, hash, sig: early.sign(Buffer.from(hash, "hex")) };
  await writeFile(ledger, `${JSON.stringify(line)}\n`, { flag: "a" });
  await addExaminer(dir, keyStore, examinerOf(early));
  await service.openCase({ dir });
  await writePendingCheckpoints(10_000);
  const [name] = await readdir(path.join(home, "ledger-checkpoints"));
  const made = { root, home, dir, file: path.join(home, "ledger-checkpoints", name!) };
  const keys = await ledgerKeys(ledger);
  assert.deepEqual(keys, [(await keyStore.list())[0]!.keyId, early.keyId].sort());

  const original = JSON.parse(await readFile(made.file, "utf8"));
  const text = await readFile(ledger, "utf8");
  const lineAt = text.indexOf(`"actor":"${early.keyId}"`);
  const at = text.lastIndexOf("\n", lineAt) + 1;
  const smuggledOrigin = { at, before: text.lastIndexOf("\n", at - 2) + 1 };
  assert.deepEqual(original.trust.length, 2, "G and A, in ledger order");
  assert.ok(original.trust[1].at > smuggledOrigin.at);

  // As written: believed. Out of order, B's line after A's, and case.json listing B too: the
  // checkpoint is not believed, the ledger is read, and the case is called edited.
  const asWritten = await copyOf(made, "as-written");
  const reordered = await copyOf(made, "reordered");
  await writeFile(reordered.file, JSON.stringify({ ...original, trust: [...original.trust, smuggledOrigin] }));
  const caseJson = path.join(reordered.dir, "case.json");
  const listed = JSON.parse(await readFile(caseJson, "utf8"));
  await writeFile(caseJson, JSON.stringify({ ...listed, examiners: [...listed.examiners, examinerOf(smuggled)] }));

  const settings = await testService(new KeyStore(asWritten.home)).examinerSettings({ dir: asWritten.dir });
  assert.equal(settings.examiner.name, "G. Genesis");
  assert.equal(ledgerTrustSource(asWritten.dir), "checkpoint");
  await assert.rejects(testService(new KeyStore(reordered.home)).examinerSettings({ dir: reordered.dir }), {
    code: "tampered",
    message: /edited outside Sightline/,
  });
  assert.equal(ledgerTrustSource(reordered.dir), "ledger");
});

test("keys learnt while only new lines were read are not trusted: a ledger rewritten in place and grown is read again", async () => {
  const made = await twoExaminerCase("Rewritten");
  const keys = await ledgerKeys(made.ledger);
  assert.equal(keys.length, 2);
  const { ino } = await stat(made.ledger);
  // The colleague's examiner.added loses its signature (one character, same length) and a line is
  // added: the same file, grown, with a newline where the part read before ended.
  const lines = (await readFile(made.ledger, "utf8")).trimEnd().split("\n");
  const index = lines.findIndex((l) => l.includes('"examiner.added"'));
  const event = JSON.parse(lines[index]!) as LedgerEvent;
  const spoilt = event.sig[10] === "A" ? "B" : "A";
  lines[index] = JSON.stringify({ ...event, sig: event.sig.slice(0, 10) + spoilt + event.sig.slice(11) });
  await writeFile(made.ledger, `${lines.join("\n")}\n${lines.at(-1)!}\n`);
  assert.equal((await stat(made.ledger)).ino, ino);
  assert.equal((await ledgerKeys(made.ledger)).length, 1);

  await made.service.openCase({ dir: made.dir });
  await assert.rejects(trustedExaminers(made.dir), { code: "tampered", message: /edited outside Sightline/ });
  assert.equal(ledgerTrustSource(made.dir), "ledger");
});
