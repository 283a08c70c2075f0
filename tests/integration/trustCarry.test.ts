/**
 * The keys a ledger trusts are carried by its writer across its own appends (caseTrust.ts, TrustCarry):
 * after an import or an examiner added, the next write takes them without reading the whole ledger,
 * and they are always the keys the ledger on disk establishes. A byte edited by another program
 * between two writes, or a line it appended or a byte it edited while a writer held the file, leaves
 * nothing carried: the next write reads the ledger and calls the case edited where it was.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { appendFile, open, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { addExaminer } from "../../electron/services/examiners/examiners.js";
import { KeyStore, type ExaminerKey } from "../../electron/services/examiners/keyStore.js";
import { ledgerTrustSource, TrustCarry, trustedExaminers } from "../../electron/services/ledger/caseTrust.js";
import { LedgerWriter } from "../../electron/services/ledger/ledgerWriter.js";
import { nodeLedgerCrypto } from "../../electron/services/ledger/nodeLedgerCrypto.js";
import { establishTrust, TrustBuilder } from "../../shared/ledger/examinerTrust.js";
import { tempDir, writeRandomFile } from "../support/fixtures.js";
import { testService } from "../support/testService.js";

/** A case with three imported files, made in this process; its owner's key store and the colleague's key. */
async function importedCase(title: string) {
  const root = await tempDir();
  const keyStore = new KeyStore(path.join(root, "home"));
  const service = testService(keyStore);
  const dir = path.join(root, "case");
  await service.createCase({ dir, title, examiner: "A. Analyst", hashAlgorithms: ["sha256"] });
  for (const name of ["a.bin", "b.bin", "c.bin"]) await writeRandomFile(path.join(root, "media", name), 2000);
  await service.importFiles({ dir, paths: [path.join(root, "media")], collection: {} });
  await service.jobs.settle();
  const owner = (await keyStore.list())[0]!;
  const colleague = await new KeyStore(path.join(root, "colleague")).create("B. Verifier");
  const [item] = await service.listItems({ dir });
  return { dir, keyStore, owner, colleague, sha256: item!.sha256, ledger: path.join(dir, "ledger.jsonl") };
}

/** The colleague added to the case by its owner, through addExaminer's writer. */
async function addColleague(made: Awaited<ReturnType<typeof importedCase>>): Promise<void> {
  const { name, keyId, publicKey } = made.colleague;
  await addExaminer(made.dir, made.keyStore, { name, keyId, publicKey });
}

const ledgerKeys = async (ledger: string) =>
  [...establishTrust(await readFile(ledger), nodeLedgerCrypto).keys()].sort();
const run = promisify(execFile);
const trustedKeys = async (dir: string) => (await trustedExaminers(dir)).map((e) => e.keyId).sort();

/** One note written by `key` through its own writer; how the keys were known as the writer opened. */
async function writeNote(dir: string, key: ExaminerKey, sha256: string, text: string): Promise<string | null> {
  const writer = await LedgerWriter.open(dir, { key });
  try {
    const source = ledgerTrustSource(dir);
    await writer.append([{ type: "note.added", payload: { sha256, text } }]);
    return source;
  } finally {
    await writer.close();
  }
}

/**
 * Replaces one character of the colleague's examiner.added signature in place and puts the modification
 * time back to the nanosecond: same file, same size, same mtime, so only the status-change time tells.
 */
async function spoilExaminerLine(ledger: string): Promise<void> {
  const text = await readFile(ledger, "utf8");
  const line = text.indexOf('"type":"examiner.added"');
  const at = text.indexOf('"sig":"', line) + 7 + 10;
  const before = await stat(ledger, { bigint: true });
  const handle = await open(ledger, "r+");
  await handle.write(text[at] === "A" ? "B" : "A", at);
  await handle.close();
  // fs.utimes takes a Date or seconds as a float, both too coarse for mtimeNs: touch takes nanoseconds.
  const seconds = before.mtimeNs / 1_000_000_000n;
  const nanoseconds = String(before.mtimeNs % 1_000_000_000n).padStart(9, "0");
  let after = await stat(ledger, { bigint: true });
  // Each touch sets the status-change time to now; the file system's clock ticks coarsely, so it is
  // repeated until that time has moved on from the last write's.
  do {
    await run("touch", ["-m", "-d", `@${seconds}.${nanoseconds}`, ledger]);
    after = await stat(ledger, { bigint: true });
  } while (after.ctimeNs === before.ctimeNs);
  assert.equal(after.mtimeNs, before.mtimeNs, "the modification time is put back exactly");
  assert.equal(after.size, before.size);
  assert.equal(after.ino, before.ino);
}

test("after an import the next writes take the keys from the writer, never reading the ledger again", async () => {
  const made = await importedCase("Import then write");
  assert.equal(ledgerTrustSource(made.dir), "writer");
  const keys = await ledgerKeys(made.ledger);
  assert.deepEqual(await trustedKeys(made.dir), keys);
  assert.equal(ledgerTrustSource(made.dir), "writer", "the lookup did not read the ledger");
  assert.equal(await writeNote(made.dir, made.owner, made.sha256, "first"), "writer");
  assert.equal(await writeNote(made.dir, made.owner, made.sha256, "second"), "writer");
  assert.deepEqual(await trustedKeys(made.dir), keys);
});

test("an examiner added by a writer is trusted by the next writer at once, as the ledger establishes", async () => {
  const made = await importedCase("Examiner added");
  await addColleague(made);
  assert.equal(ledgerTrustSource(made.dir), "writer");
  assert.deepEqual(await trustedKeys(made.dir), await ledgerKeys(made.ledger));
  assert.ok((await trustedKeys(made.dir)).includes(made.colleague.keyId));
  // The colleague writes at once; the keys were carried, not read.
  assert.equal(await writeNote(made.dir, made.colleague, made.sha256, "by the colleague"), "writer");
  assert.deepEqual(await trustedKeys(made.dir), (await ledgerKeys(made.ledger)).sort());
});

test("the rule applied to appended lines alone, after any line, gives the keys of the whole ledger", async () => {
  const made = await importedCase("Any split");
  await addColleague(made);
  await writeNote(made.dir, made.colleague, made.sha256, "after joining");
  const bytes = await readFile(made.ledger);
  const whole = [...establishTrust(bytes, nodeLedgerCrypto).entries()];
  assert.equal(whole.length, 2);
  for (let end = bytes.indexOf(0x0a); end >= 0; end = bytes.indexOf(0x0a, end + 1)) {
    const before = bytes.subarray(0, end + 1);
    const lastLine = before.subarray(before.lastIndexOf(0x0a, end - 1) + 1, end);
    const carried = TrustBuilder.after(nodeLedgerCrypto, establishTrust(before, nodeLedgerCrypto), lastLine, end + 1);
    assert.deepEqual([...carried.feed(bytes.subarray(end + 1)).trusted.entries()], whole, `after byte ${end + 1}`);
  }
});

test("a byte edited by another program between two writes is caught: the ledger is read and the case called edited", async () => {
  const made = await importedCase("Edited between writes");
  await addColleague(made);
  assert.equal(await writeNote(made.dir, made.owner, made.sha256, "before the edit"), "writer");
  await spoilExaminerLine(made.ledger);
  assert.deepEqual(await ledgerKeys(made.ledger), [made.owner.keyId]);
  await assert.rejects(LedgerWriter.open(made.dir, { key: made.owner }), {
    code: "tampered",
    message: /edited outside Sightline/,
  });
  assert.equal(ledgerTrustSource(made.dir), "ledger");
});

test("another program's append while a writer holds the ledger carries nothing forward", async () => {
  const made = await importedCase("Appended beside the writer");
  const writer = await LedgerWriter.open(made.dir, { key: made.owner });
  try {
    await writer.append([{ type: "note.added", payload: { sha256: made.sha256, text: "one" } }]);
    // A copy of the last line, appended by someone else: the writer's next append makes the file
    // larger than the bytes it wrote.
    const last = (await readFile(made.ledger, "utf8")).trimEnd().split("\n").at(-1)!;
    await appendFile(made.ledger, `${last}\n`);
    await writer.append([{ type: "note.added", payload: { sha256: made.sha256, text: "two" } }]);
  } finally {
    await writer.close();
  }
  assert.deepEqual(await trustedKeys(made.dir), [made.owner.keyId]);
  assert.equal(ledgerTrustSource(made.dir), "ledger", "the keys were read from the ledger, not carried");
});

test("another program's same-size edit while a writer holds the ledger carries nothing forward", async () => {
  const made = await importedCase("Edited beside the writer");
  await addColleague(made);
  const writer = await LedgerWriter.open(made.dir, { key: made.owner });
  try {
    await writer.append([{ type: "note.added", payload: { sha256: made.sha256, text: "one" } }]);
    await spoilExaminerLine(made.ledger);
    await writer.append([{ type: "note.added", payload: { sha256: made.sha256, text: "two" } }]);
  } finally {
    await writer.close();
  }
  await assert.rejects(trustedExaminers(made.dir), { code: "tampered", message: /edited outside Sightline/ });
  assert.equal(ledgerTrustSource(made.dir), "ledger");
});

test("another program's append between the writer's look at the file and its write carries nothing forward", async () => {
  const made = await importedCase("Appended between look and write");
  const last = (await readFile(made.ledger, "utf8")).trimEnd().split("\n").at(-1)!;
  // The writer's own handle and carry, driven step by step to put the other append in that instant.
  const handle = await open(made.ledger, constants.O_WRONLY | constants.O_APPEND);
  try {
    const carry = await TrustCarry.begin(made.dir, handle, Buffer.from(last));
    assert.ok(carry, "the keys the import's writer carried are known for the file as it is");
    await carry.appending();
    await appendFile(made.ledger, `${last}\n`);
    await handle.write(`${last}\n`);
    await carry.appended(`${last}\n`);
  } finally {
    await handle.close();
  }
  assert.deepEqual(await trustedKeys(made.dir), [made.owner.keyId]);
  assert.equal(ledgerTrustSource(made.dir), "ledger", "the size was not the writer's alone: nothing carried");
});
