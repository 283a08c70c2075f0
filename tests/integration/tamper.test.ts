/**
 * `sightline verify` catches each kind of tampering. Every test makes a real
 * case with the real CLI, changes ONE thing with plain file operations, and
 * checks the exact problem and its place (`ledger.jsonl:<line>` or a file).
 *
 * The forged events are built here from the documented rule (docs/LEDGER.md):
 * hash = SHA-256 of the JCS form without `hash` and `sig`; sig = Ed25519 over
 * the 32 raw bytes of that hash. Only canonicalJson is taken from the code.
 */
import assert from "node:assert/strict";
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { appendFile, chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, test } from "node:test";
import { canonicalJson } from "../../shared/ledger/canonicalJson.js";
import { makeImportedCase, type CaseFixture } from "../support/caseFixture.js";
import { runCli, runCliJson } from "../support/cli.js";

// ---------- the case on disk ----------

type Event = {
  seq: number;
  id: string;
  ts: string;
  actor: string;
  type: string;
  payload: any;
  prev: string | null;
  hash: string;
  sig: string;
};

const ledgerFile = (c: CaseFixture) => path.join(c.caseDir, "ledger.jsonl");

/** The ledger's lines, without line ends; lines[0] is ledger.jsonl:1. */
async function readLines(c: CaseFixture): Promise<string[]> {
  const text = await readFile(ledgerFile(c), "utf8");
  assert.ok(text.endsWith("\n"), "the fixture's ledger ends with a line end");
  return text.slice(0, -1).split("\n");
}

async function writeLines(c: CaseFixture, lines: string[]): Promise<void> {
  await writeFile(ledgerFile(c), lines.map((l) => `${l}\n`).join(""));
}

/** Parses ledger.jsonl:<line>. */
const eventAt = (lines: string[], line: number): Event => JSON.parse(lines[line - 1]!) as Event;

/** The vault object the item.imported event at ledger.jsonl:<line> names. */
async function objectAt(c: CaseFixture, line: number): Promise<{ file: string; sha256: string }> {
  const { payload } = eventAt(await readLines(c), line);
  return { file: payload.objectPath, sha256: payload.sha256 };
}

// ---------- running verify ----------

type Problem = { code: string; line?: number; file?: string; item?: string };

/** A problem as the human report places it: `code ledger.jsonl:3` or `code case.json`. */
const placed = (p: Problem) => `${p.code} ${p.line !== undefined ? `ledger.jsonl:${p.line}` : p.file}`;

/** Runs `verify --json`, expects it to report tampering, and returns the problems. */
async function verifyTampered(c: CaseFixture): Promise<Problem[]> {
  const { code, json } = await runCliJson(["verify", c.caseDir], c.home);
  assert.equal(code, 1, `verify exits 1 on tampering; it reported ${JSON.stringify(json.problems)}`);
  assert.equal(json.isClean, false);
  return json.problems as Problem[];
}

/** Runs verify and asserts exactly these problems, in this order. */
async function expectProblems(c: CaseFixture, expected: string[]): Promise<Problem[]> {
  const problems = await verifyTampered(c);
  assert.deepEqual(problems.map(placed), expected, JSON.stringify(problems, null, 1));
  return problems;
}

// ---------- forging ----------

function freshKey(): { keyId: string; publicKey: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const spki = publicKey.export({ format: "der", type: "spki" }).toString("base64");
  return { keyId: `ed25519:${sha256Hex(spki).slice(0, 32)}`, publicKey: spki, privateKey };
}

const sha256Hex = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** The event hash, by the documented rule. */
function hashOf(e: Omit<Event, "hash" | "sig">): string {
  const { seq, id, ts, actor, type, payload, prev } = e;
  return sha256Hex(canonicalJson({ seq, id, ts, actor, type, payload, prev }));
}

const signHash = (hash: string, key: KeyObject) => sign(null, Buffer.from(hash, "hex"), key).toString("base64");

/** A next event that chains correctly after `last` and is signed by `key`, but claims `actor`. */
function forgeAfter(last: Event, actor: string, key: KeyObject): string {
  const payload = structuredClone(last.payload);
  payload.collection.note = "added later by someone without the examiner's key";
  const unsigned = {
    seq: last.seq + 1,
    id: "0f0f0f0f-forged",
    ts: new Date().toISOString(),
    actor,
    type: last.type,
    payload,
    prev: last.hash,
  };
  const hash = hashOf(unsigned);
  return JSON.stringify({ ...unsigned, hash, sig: signHash(hash, key) });
}

// ---------- the tests ----------
// The fixture: 3 files imported, so ledger.jsonl:1 is case.created and lines 2–4 are item.imported (seq 1–3).

describe("verify catches tampering", () => {
  test("control: an untouched case verifies clean", async () => {
    const c = await makeImportedCase(undefined, { analyse: false });
    const { code, json } = await runCliJson(["verify", c.caseDir], c.home);
    assert.deepEqual(json.problems, []);
    assert.equal(json.isClean, true);
    assert.equal(code, 0);
    assert.equal(json.eventCount, 4);
    assert.equal(json.objectsChecked, 3);
  });

  test("a flipped byte in an object → object-corrupt", async () => {
    const c = await makeImportedCase(undefined, { analyse: false });
    const { file, sha256 } = await objectAt(c, 3);
    const full = path.join(c.caseDir, file);
    await chmod(full, 0o644);
    const bytes = await readFile(full);
    bytes[1000] = bytes[1000]! ^ 0x01;
    await writeFile(full, bytes);
    const [problem] = await expectProblems(c, [`object-corrupt ${file}`]);
    assert.equal(problem!.item, sha256);
    assert.match(file, /^objects\/sha256\/[0-9a-f]{2}\/[0-9a-f]{62}$/);
  });

  test("a deleted object → object-missing", async () => {
    const c = await makeImportedCase(undefined, { analyse: false });
    const { file, sha256 } = await objectAt(c, 2);
    await rm(path.join(c.caseDir, file));
    const [problem] = await expectProblems(c, [`object-missing ${file}`]);
    assert.equal(problem!.item, sha256);
  });

  test("an object nothing in the ledger names → object-unreferenced", async () => {
    const c = await makeImportedCase(undefined, { analyse: false });
    const planted = `objects/sha256/ab/${"cd".repeat(31)}`;
    await mkdir(path.join(c.caseDir, "objects/sha256/ab"), { recursive: true });
    await writeFile(path.join(c.caseDir, planted), "planted bytes");
    await expectProblems(c, [`object-unreferenced ${planted}`]);
  });

  test("an edited payload → event-hash-mismatch at that line only", async () => {
    const c = await makeImportedCase(undefined, { analyse: false });
    const lines = await readLines(c);
    const edited = eventAt(lines, 3);
    edited.payload.collection.sourceUrl = "https://t.me/someone-else/9";
    lines[2] = JSON.stringify(edited);
    await writeLines(c, lines);
    await expectProblems(c, ["event-hash-mismatch ledger.jsonl:3"]);
  });

  test("two item lines swapped → event-out-of-order at the first swapped line", async () => {
    const c = await makeImportedCase(undefined, { analyse: false });
    const lines = await readLines(c);
    [lines[1], lines[2]] = [lines[2]!, lines[1]!];
    await writeLines(c, lines);
    const problems = await verifyTampered(c);
    const report = JSON.stringify(problems, null, 1);
    assert.equal(placed(problems[0]!), "event-out-of-order ledger.jsonl:2", report);
    // Only ledger-order findings: line 4's link to the (now) line before it may be called broken...
    assert.deepEqual(
      problems.filter((p) => !["event-out-of-order", "chain-broken"].includes(p.code)),
      [],
      report,
    );
    // ...but line 4 still holds event 3, in its place: only the two swapped lines are out of order.
    const outOfOrder = problems.filter((p) => p.code === "event-out-of-order").map((p) => p.line);
    assert.deepEqual(outOfOrder, [2, 3], report);
  });

  test("a deleted middle line → event-missing at the line after the gap", async () => {
    const c = await makeImportedCase(undefined, { analyse: false });
    const lines = await readLines(c);
    const orphan = await objectAt(c, 3);
    lines.splice(2, 1);
    await writeLines(c, lines);
    // The deleted event was the only one naming its object, so the object is now unreferenced too.
    await expectProblems(c, ["event-missing ledger.jsonl:3", `object-unreferenced ${orphan.file}`]);
  });

  test("a forged line appended, signed by a key the case does not know → signer-unknown", async () => {
    const c = await makeImportedCase(undefined, { analyse: false });
    const intruder = freshKey();
    const last = eventAt(await readLines(c), 4);
    await appendFile(ledgerFile(c), `${forgeAfter(last, intruder.keyId, intruder.privateKey)}\n`);
    await expectProblems(c, ["signer-unknown ledger.jsonl:5"]);
  });

  test("a forged line claiming the examiner's key id → signature-invalid", async () => {
    const c = await makeImportedCase(undefined, { analyse: false });
    const last = eventAt(await readLines(c), 4);
    await appendFile(ledgerFile(c), `${forgeAfter(last, last.actor, freshKey().privateKey)}\n`);
    await expectProblems(c, ["signature-invalid ledger.jsonl:5"]);
  });

  test("a line's signature replaced → signature-invalid at that line", async () => {
    const c = await makeImportedCase(undefined, { analyse: false });
    const lines = await readLines(c);
    const event = eventAt(lines, 2);
    event.sig = signHash(sha256Hex("some other event"), freshKey().privateKey); // valid-looking, wrong
    lines[1] = JSON.stringify(event);
    await writeLines(c, lines);
    await expectProblems(c, ["signature-invalid ledger.jsonl:2"]);
  });

  test("a line whose prev was changed and its hash remade → chain-broken at that line", async () => {
    const c = await makeImportedCase(undefined, { analyse: false });
    const lines = await readLines(c);
    const event = eventAt(lines, 3);
    event.prev = "e".repeat(64);
    event.hash = hashOf(event); // consistent with its content; the signature cannot be remade
    lines[2] = JSON.stringify(event);
    await writeLines(c, lines);
    // Line 4 still points to line 3's old hash, so its link breaks too.
    await expectProblems(c, [
      "chain-broken ledger.jsonl:3",
      "signature-invalid ledger.jsonl:3",
      "chain-broken ledger.jsonl:4",
    ]);
  });

  test("a middle line that is not JSON → ledger-malformed-line at that line", async () => {
    const c = await makeImportedCase(undefined, { analyse: false });
    const lines = await readLines(c);
    const orphan = await objectAt(c, 3);
    lines[2] = "{not json";
    await writeLines(c, lines);
    // With its event unreadable, nothing readable names that line's object.
    await expectProblems(c, ["ledger-malformed-line ledger.jsonl:3", `object-unreferenced ${orphan.file}`]);
  });

  test("a second examiner added to case.json → case-keys-mismatch", async () => {
    const c = await makeImportedCase(undefined, { analyse: false });
    const caseJson = path.join(c.caseDir, "case.json");
    const caseFile = JSON.parse(await readFile(caseJson, "utf8"));
    const { keyId, publicKey } = freshKey();
    caseFile.examiners.push({ keyId, name: "B. Planted", publicKey });
    await writeFile(caseJson, JSON.stringify(caseFile, null, 2));
    await expectProblems(c, ["case-keys-mismatch case.json"]);
  });

  test("the examiner's public key changed in case.json → case-keys-mismatch", async () => {
    const c = await makeImportedCase(undefined, { analyse: false });
    const caseJson = path.join(c.caseDir, "case.json");
    const caseFile = JSON.parse(await readFile(caseJson, "utf8"));
    caseFile.examiners[0].publicKey = freshKey().publicKey;
    await writeFile(caseJson, JSON.stringify(caseFile, null, 2));
    await expectProblems(c, ["case-keys-mismatch case.json"]);
  });

  test("a partial last line with no line end → ledger-torn-tail", async () => {
    const c = await makeImportedCase(undefined, { analyse: false });
    const last = eventAt(await readLines(c), 4);
    const whole = forgeAfter(last, last.actor, freshKey().privateKey);
    await appendFile(ledgerFile(c), whole.slice(0, 120));
    await expectProblems(c, ["ledger-torn-tail ledger.jsonl:5"]);
  });

  test("the human report names the problem code and ledger.jsonl:<line>", async () => {
    const c = await makeImportedCase(undefined, { analyse: false });
    const lines = await readLines(c);
    const edited = eventAt(lines, 2);
    edited.payload.collection.note = "a note written in afterwards";
    lines[1] = JSON.stringify(edited);
    await writeLines(c, lines);
    const { code, stdout } = await runCli(["verify", c.caseDir], c.home);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /Result\s+1 PROBLEM\n/);
    assert.match(stdout, /^\s+event-hash-mismatch\s+ledger\.jsonl:2\s+line 2 \(event 1, item\.imported\)/m);
  });
});
