/**
 * A case can be checked by someone who never installed Sightline: the
 * standalone script in resources/ (Python standard library + openssl) agrees
 * with `sightline verify` on a clean case and on a tampered one.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmod, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { REPO_ROOT, runCliJson } from "../support/cli.js";
import { makeImportedCase } from "../support/caseFixture.js";
import { appendEvent, payloadAt, profileSigner } from "../support/hostileCase.js";

const script = path.join(REPO_ROOT, "resources", "verify-ledger.py");
const check = (caseDir: string) => spawnSync("python3", [script, caseDir], { encoding: "utf8" });

test("the standalone checker passes a clean case and prints the same head as sightline", async () => {
  const { caseDir, home } = await makeImportedCase([30_000, 1, 0]);
  const result = check(caseDir);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  const ours = await runCliJson(["verify", caseDir], home);
  assert.match(
    result.stdout,
    new RegExp(
      `^OK: ${ours.json.eventCount} events, 3 objects, 0 derivatives, head ${ours.json.head.seq} ${ours.json.head.hash}$`,
      "m",
    ),
  );
});

test("the standalone checker catches an edited payload and a flipped object byte", async () => {
  const { caseDir } = await makeImportedCase([30_000]);
  const ledgerPath = path.join(caseDir, "ledger.jsonl");
  const lines = (await readFile(ledgerPath, "utf8")).split("\n");
  lines[1] = lines[1]!.replace("saved from the channel", "saved from a different channel");
  await writeFile(ledgerPath, lines.join("\n"));
  const objectPath = JSON.parse(lines[1]!).payload.objectPath as string;
  const object = path.join(caseDir, objectPath);
  await chmod(object, 0o644);
  const bytes = await readFile(object);
  bytes[1000] = bytes[1000]! ^ 0x01;
  await writeFile(object, bytes);
  const result = check(caseDir);
  assert.equal(result.status, 1);
  assert.match(result.stdout, /PROBLEM line 2: content does not match its hash/);
  assert.match(result.stdout, new RegExp(`PROBLEM ${objectPath}: bytes do not match the recorded SHA-256`));
});

test("free text the schemas refuse (blank, or holding a control character) is refused by both checkers", async () => {
  const { caseDir, home } = await makeImportedCase([30_000]);
  const examiner = await profileSigner(home);
  const sha256 = (await payloadAt(caseDir, 2)).sha256 as string;
  const acknowledge = (remark: string) =>
    appendEvent(caseDir, "warning.acknowledged", { sha256, code: "no-metadata", remark }, examiner);
  const fine = await acknowledge("Seen: a screenshot carries no EXIF.\tTab and\nnew line are text.");
  const refused = [
    await acknowledge(" \t\n\u3000"),
    await acknowledge("a bell\u0007"),
    await acknowledge("x".repeat(4001)),
    await appendEvent(caseDir, "note.added", { sha256, text: "\u00a0\r\n" }, examiner),
    await appendEvent(
      caseDir,
      "status.changed",
      { sha256, from: "unverified", to: "in-review", reason: "\u001b[31m" },
      examiner,
    ),
  ];
  const result = check(caseDir);
  assert.equal(result.status, 1, result.stdout + result.stderr);
  const found = [...result.stdout.matchAll(/^PROBLEM line (\d+): .* \[payload-invalid\]$/gm)].map((m) => Number(m[1]));
  assert.deepEqual(found, refused, result.stdout);
  assert.ok(fine < refused[0]!);
  const ours = await runCliJson<{ problems: { code: string; line?: number }[] }>(["verify", caseDir], home);
  const oursInvalid = ours.json.problems.filter((p) => p.code === "payload-invalid").map((p) => p.line);
  assert.deepEqual(oursInvalid, refused, JSON.stringify(ours.json.problems));
});
