/**
 * `verify` catches each kind of tampering, applied with plain file operations to
 * a real case made by the real CLI, and names the exact problem and its place.
 */
import assert from "node:assert/strict";
import { generateKeyPairSync, sign } from "node:crypto";
import { appendFile, chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, test } from "node:test";
import { nodeLedgerCrypto } from "../../electron/services/nodeLedgerCrypto.js";
import { hexToBytes } from "../../shared/ledger/cryptoProvider.js";
import { eventHash } from "../../shared/ledger/eventHash.js";
import type { LedgerEvent } from "../../shared/ledger/events.js";
import { keyIdFor } from "../../shared/ledger/keyId.js";
import { runCli, runCliJson } from "../support/cli.js";
import { makeImportedCase, type CaseFixture } from "../support/caseFixture.js";

async function readLines(c: CaseFixture): Promise<string[]> {
  return (await readFile(path.join(c.caseDir, "ledger.jsonl"), "utf8")).split("\n").filter(Boolean);
}
async function writeLines(c: CaseFixture, lines: string[]): Promise<void> {
  await writeFile(path.join(c.caseDir, "ledger.jsonl"), lines.map((l) => `${l}\n`).join(""));
}
async function objectOf(c: CaseFixture, line = 2): Promise<{ file: string; sha256: string }> {
  const event = JSON.parse((await readLines(c))[line - 1]!) as LedgerEvent<{ objectPath: string; sha256: string }>;
  return { file: event.payload.objectPath, sha256: event.payload.sha256 };
}

/** Runs verify --json and returns its problems as [code, place] pairs. */
async function problems(c: CaseFixture): Promise<[string, string | number | undefined][]> {
  const result = await runCliJson(["verify", c.caseDir], c.home);
  assert.equal(result.code, 1, "verify exits 1 on tampering");
  assert.equal(result.json.isClean, false);
  return result.json.problems.map((p: any) => [p.code, p.line ?? p.file]);
}

function freshKey() {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const spki = publicKey.export({ format: "der", type: "spki" }).toString("base64");
  return { keyId: keyIdFor(spki, nodeLedgerCrypto), publicKey: spki, privateKey };
}

/** An event that chains correctly after `last`, signed by `key` but claiming `actor`. */
function forgedAfter(last: LedgerEvent, key: ReturnType<typeof freshKey>, actor: string): string {
  const unsigned = {
    seq: last.seq + 1,
    id: "forged",
    ts: new Date().toISOString(),
    actor,
    type: "item.imported",
    payload: last.payload,
    prev: last.hash,
  };
  const hash = eventHash(unsigned, nodeLedgerCrypto);
  return JSON.stringify({ ...unsigned, hash, sig: sign(null, hexToBytes(hash), key.privateKey).toString("base64") });
}

describe("verify catches tampering", () => {
  test("control: an untouched case verifies clean", async () => {
    const c = await makeImportedCase();
    const result = await runCliJson(["verify", c.caseDir], c.home);
    assert.equal(result.code, 0);
    assert.deepEqual(result.json.problems, []);
    assert.equal(result.json.objectsChecked, 3);
  });

  test("a flipped byte in an object", async () => {
    const c = await makeImportedCase();
    const { file, sha256 } = await objectOf(c);
    const full = path.join(c.caseDir, file);
    await chmod(full, 0o644);
    const bytes = await readFile(full);
    bytes[4242] = bytes[4242]! ^ 0x10;
    await writeFile(full, bytes);
    const result = await runCliJson(["verify", c.caseDir], c.home);
    assert.deepEqual(
      result.json.problems.map((p: any) => [p.code, p.file, p.item]),
      [["object-corrupt", file, sha256]],
    );
  });

  test("a missing object", async () => {
    const c = await makeImportedCase();
    const { file } = await objectOf(c, 3);
    await rm(path.join(c.caseDir, file), { force: true });
    assert.deepEqual(await problems(c), [["object-missing", file]]);
  });

  test("an object that nothing in the ledger names", async () => {
    const c = await makeImportedCase();
    const extra = `objects/sha256/ab/${"c".repeat(62)}`;
    await mkdir(path.join(c.caseDir, "objects/sha256/ab"), { recursive: true });
    await writeFile(path.join(c.caseDir, extra), "planted");
    assert.deepEqual(await problems(c), [["object-unreferenced", extra]]);
  });

  test("an edited payload", async () => {
    const c = await makeImportedCase();
    const lines = await readLines(c);
    lines[2] = lines[2]!.replace("https://t.me/example/1", "https://t.me/example/2");
    await writeLines(c, lines);
    assert.deepEqual(await problems(c), [["event-hash-mismatch", 3]]);
  });

  test("a reordered line", async () => {
    const c = await makeImportedCase();
    const lines = await readLines(c);
    [lines[1], lines[2]] = [lines[2]!, lines[1]!];
    await writeLines(c, lines);
    const found = await problems(c);
    assert.deepEqual(found[0], ["event-out-of-order", 2]);
    assert.ok(
      found.every(([code]) => code === "event-out-of-order" || code === "chain-broken"),
      JSON.stringify(found),
    );
  });

  test("a deleted middle line", async () => {
    const c = await makeImportedCase();
    const lines = await readLines(c);
    const { file } = await objectOf(c, 3);
    lines.splice(2, 1);
    await writeLines(c, lines);
    assert.deepEqual(await problems(c), [
      ["event-missing", 3],
      ["object-unreferenced", file],
    ]);
  });

  test("a forged line appended without the key", async () => {
    const c = await makeImportedCase();
    const last = JSON.parse((await readLines(c)).pop()!) as LedgerEvent;
    const intruder = freshKey();
    await appendFile(path.join(c.caseDir, "ledger.jsonl"), `${forgedAfter(last, intruder, intruder.keyId)}\n`);
    assert.deepEqual(await problems(c), [["signer-unknown", 5]]);
  });

  test("a forged line claiming the examiner's key id", async () => {
    const c = await makeImportedCase();
    const last = JSON.parse((await readLines(c)).pop()!) as LedgerEvent;
    await appendFile(path.join(c.caseDir, "ledger.jsonl"), `${forgedAfter(last, freshKey(), last.actor)}\n`);
    assert.deepEqual(await problems(c), [["signature-invalid", 5]]);
  });

  test("a wrong signature", async () => {
    const c = await makeImportedCase();
    const lines = await readLines(c);
    const [second, third] = [JSON.parse(lines[1]!), JSON.parse(lines[2]!)];
    second.sig = third.sig; // a real signature, of another event
    lines[1] = JSON.stringify(second);
    await writeLines(c, lines);
    assert.deepEqual(await problems(c), [["signature-invalid", 2]]);
  });

  test("a line with a broken prev", async () => {
    const c = await makeImportedCase();
    const lines = await readLines(c);
    const event = JSON.parse(lines[2]!);
    event.prev = "f".repeat(64);
    event.hash = eventHash(event, nodeLedgerCrypto); // consistent hash; the signature cannot be remade
    lines[2] = JSON.stringify(event);
    await writeLines(c, lines);
    const found = await problems(c);
    assert.deepEqual(found.slice(0, 2), [
      ["chain-broken", 3],
      ["signature-invalid", 3],
    ]);
  });

  test("a malformed line", async () => {
    const c = await makeImportedCase();
    const lines = await readLines(c);
    lines[2] = "{not json";
    await writeLines(c, lines);
    const found = await problems(c);
    assert.deepEqual(found[0], ["ledger-malformed-line", 3]);
  });

  test("an edited case.json key list", async () => {
    const c = await makeImportedCase();
    const caseJson = path.join(c.caseDir, "case.json");
    const caseFile = JSON.parse(await readFile(caseJson, "utf8"));
    const { keyId, publicKey } = freshKey();
    caseFile.examiners.push({ keyId, name: "Planted", publicKey });
    await writeFile(caseJson, JSON.stringify(caseFile));
    assert.deepEqual(await problems(c), [["case-keys-mismatch", "case.json"]]);
  });

  test("a torn last line", async () => {
    const c = await makeImportedCase();
    await appendFile(path.join(c.caseDir, "ledger.jsonl"), '{"seq":5,"id":"x');
    assert.deepEqual(await problems(c), [["ledger-torn-tail", 5]]);
  });

  test("the human report names the problem and its line", async () => {
    const c = await makeImportedCase();
    const lines = await readLines(c);
    lines[1] = lines[1]!.replace("saved from the channel", "saved from somewhere else");
    await writeLines(c, lines);
    const result = await runCli(["verify", c.caseDir], c.home);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /1 PROBLEM\n/);
    assert.match(
      result.stdout,
      /event-hash-mismatch\s+ledger\.jsonl:2\s+line 2 \(event 1, item\.imported\) does not match its hash/,
    );
  });
});
