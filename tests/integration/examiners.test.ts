/**
 * A second examiner joins a case through the CLI: their key card, added by an examiner the case
 * trusts, as a signed examiner.added event; afterwards they can sign, and the case verifies with
 * our verifier and the standalone one. Hostile and wrong cards are refused with one line each.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { REPO_ROOT, runCli, runCliJson } from "../support/cli.js";
import { tempDir, writeRandomFile } from "../support/fixtures.js";

test("an examiner adds a colleague's key card; the colleague can then sign; bad cards are refused", async () => {
  const root = await tempDir();
  const alice = path.join(root, "alice-home");
  const bob = path.join(root, "bob-home");
  const mallory = path.join(root, "mallory-home");
  const caseDir = path.join(root, "case");
  assert.equal((await runCli(["init", caseDir, "--title", "Shared", "--examiner", "A. Analyst"], alice)).code, 0);

  const card = await runCli(["examiner", "key", "--name", "B. Verifier"], bob);
  assert.equal(card.code, 0, card.stderr);
  const cardJson = JSON.parse(card.stdout);
  assert.equal(cardJson.name, "B. Verifier");
  assert.ok(!card.stdout.includes("private"), "a key card never carries the private key");
  const cardFile = path.join(root, "bob.card.json");
  await writeFile(cardFile, card.stdout);

  // Bob cannot sign in the case yet.
  await writeRandomFile(path.join(root, "media", "a.bin"), 2000);
  const early = await runCli(["import", caseDir, path.join(root, "media", "a.bin"), "--no-analyse"], bob);
  assert.equal(early.code, 1);
  assert.match(early.stderr, /none of this profile's keys/);
  // Nor can a stranger add him.
  const stranger = await runCli(["examiner", "add", caseDir, cardFile], mallory);
  assert.equal(stranger.code, 1);
  assert.match(stranger.stderr, /none of this profile's keys/);

  const added = await runCliJson(["examiner", "add", caseDir, cardFile], alice);
  assert.equal(added.code, 0, added.stderr);
  assert.equal(added.json.added.keyId, cardJson.keyId);
  assert.equal(typeof added.json.seq, "number");
  const caseFile = JSON.parse(await readFile(path.join(caseDir, "case.json"), "utf8"));
  assert.deepEqual(
    caseFile.examiners.map((e: { name: string }) => e.name),
    ["A. Analyst", "B. Verifier"],
  );
  const again = await runCli(["examiner", "add", caseDir, cardFile], alice);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /is already an examiner of this case/);

  // Now Bob signs an import, and both verifiers accept the case.
  const later = await runCli(["import", caseDir, path.join(root, "media", "a.bin"), "--no-analyse"], bob);
  assert.equal(later.code, 0, later.stderr);
  const ledger = (await readFile(path.join(caseDir, "ledger.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.equal(ledger.at(-1).actor, cardJson.keyId);
  assert.equal((await runCli(["verify", caseDir], alice)).code, 0);
  const standalone = spawnSync("python3", [path.join(REPO_ROOT, "resources", "verify-ledger.py"), caseDir], {
    encoding: "utf8",
  });
  assert.equal(standalone.status, 0, standalone.stdout + standalone.stderr);
  const list = await runCli(["examiner", "list", caseDir], bob);
  assert.match(list.stdout, /B\. Verifier/);

  // Cards that are not what they claim, each refused with one clear line and nothing written.
  const before = await readFile(path.join(caseDir, "ledger.jsonl"));
  const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "der", type: "spki" });
  const other = JSON.parse((await runCli(["examiner", "key", "--name", "C. Other"], bob)).stdout);
  const bad: [string, string | Buffer, RegExp][] = [
    ["empty.json", "", /not a key card \(not JSON\)/],
    ["text.json", "hello", /not a key card \(not JSON\)/],
    ["array.json", "[1,2]", /not a Sightline key card/],
    ["huge.json", "x".repeat(100_000), /larger than 16384 bytes/],
    ["wrong-id.json", JSON.stringify({ ...cardJson, keyId: other.keyId, name: "Wrong" }), /key id does not belong/],
    ["rsa.json", JSON.stringify({ ...cardJson, publicKey: rsa.toString("base64"), name: "Rsa" }), /not an Ed25519 key/],
    [
      "rlo.json",
      JSON.stringify({ ...other, name: "C.\u202eOther" }),
      /control characters, direction overrides or markup/,
    ],
    ["markup.json", JSON.stringify({ ...other, name: "<img src=x onerror=alert(1)>" }), /markup/],
    ["nameless.json", JSON.stringify({ ...other, name: "  " }), /has no examiner name/],
  ];
  for (const [name, body, reason] of bad) {
    const file = path.join(root, name);
    await writeFile(file, body);
    const r = await runCli(["examiner", "add", caseDir, file], alice);
    assert.equal(r.code, 1, `${name}: ${r.stderr}`);
    assert.match(r.stderr, reason, name);
    assert.equal(r.stderr.trim().split("\n").length, 1, `${name}: one line`);
  }
  const missing = await runCli(["examiner", "add", caseDir, path.join(root, "nope.json")], alice);
  assert.match(missing.stderr, /cannot read the key card .*no such file/);
  const usage = await runCli(["examiner", "add", caseDir], alice);
  assert.equal(usage.code, 2);
  const unknown = await runCli(["examiner", "remove", caseDir], alice);
  assert.equal(unknown.code, 2);
  assert.ok((await readFile(path.join(caseDir, "ledger.jsonl"))).equals(before), "nothing was written");
});
