/**
 * The standalone checker (resources/verify-ledger.py) against hostile case folders: each one a
 * real case made by the CLI, then changed with plain file operations or given an event written
 * and signed here, exactly as someone holding the case folder (and, where said, the examiner's
 * key) could. Every rule of docs/LEDGER.md's "Reading the ledger" is exercised with its code.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash, generateKeyPairSync, randomUUID } from "node:crypto";
import { appendFile, cp, mkdir, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, test } from "node:test";
import { REPO_ROOT, runCliJson } from "../support/cli.js";
import { makeImportedCase, type CaseFixture } from "../support/caseFixture.js";
import { tempDir } from "../support/fixtures.js";
import {
  appendEvent as appendSignedEvent,
  flipByte,
  ledgerLines,
  ledgerOf,
  newSigner,
  payloadAt,
  profileSigner,
  rewriteLine,
  type Signer,
} from "../support/hostileCase.js";

const script = path.join(REPO_ROOT, "resources", "verify-ledger.py");

let base: CaseFixture;
let examiner: Signer;

before(async () => {
  base = await makeImportedCase([30_000, 5]);
  examiner = await profileSigner(base.home);
});

/** A fresh copy of the base case to spoil. */
async function copyCase(): Promise<string> {
  const caseDir = path.join(await tempDir(), "case");
  await cp(base.caseDir, caseDir, { recursive: true });
  return caseDir;
}

function check(caseDir: string): { status: number | null; stdout: string } {
  const run = spawnSync("python3", [script, caseDir], { encoding: "utf8" });
  assert.equal(run.stderr, "", "the checker must not crash");
  return { status: run.status, stdout: run.stdout };
}

/** The checker's problem lines, each as "<where> [<code>]". */
function problems(stdout: string): string[] {
  return [...stdout.matchAll(/^PROBLEM (.+?): .* \[([a-z-]+)\]$/gm)].map((m) => `${m[1]} [${m[2]}]`);
}

/** Appends a properly chained and signed event, by the case's examiner unless told otherwise; returns its line. */
const appendEvent = (caseDir: string, type: string, payload: Record<string, unknown>, by: Signer = examiner) =>
  appendSignedEvent(caseDir, type, payload, by);

test("a clean copy checks out (the control for every case below)", async () => {
  const result = check(await copyCase());
  assert.equal(result.status, 0, result.stdout);
  assert.deepEqual(problems(result.stdout), []);
});

test("invalid UTF-8 on line 3 and a flipped object byte are both reported", async () => {
  const caseDir = await copyCase();
  const { objectPath } = await payloadAt(caseDir, 2);
  const bytes = await readFile(ledgerOf(caseDir));
  const line3 = bytes.indexOf("\n", bytes.indexOf("\n") + 1) + 1;
  bytes[line3 + 20] = 0xff; // inside the event's id; 0xff is not valid UTF-8 anywhere
  await writeFile(ledgerOf(caseDir), bytes);
  await flipByte(caseDir, objectPath, 1000);
  const result = check(caseDir);
  assert.equal(result.status, 1);
  const found = problems(result.stdout);
  assert.ok(found.includes("line 3 [ledger-invalid-text]"), result.stdout);
  assert.match(result.stdout, new RegExp(`^PROBLEM ${objectPath}: bytes do not match the recorded SHA-256`, "m"));
});

test("a string holding a lone surrogate is not text", async () => {
  const caseDir = await copyCase();
  await rewriteLine(caseDir, 2, (l) => l.replace('"clip-0.mp4"', '"clip-0\\ud800.mp4"'));
  assert.ok(problems(check(caseDir).stdout).includes("line 2 [ledger-invalid-text]"));
});

test("a member name given twice, at any depth, is refused", async () => {
  const caseDir = await copyCase();
  // The second "size" is the one JSON.parse keeps and Python's dict keeps: both would agree, and still it is refused.
  await rewriteLine(caseDir, 2, (l) => l.replace('"payload":{', '"payload":{"size":1,'));
  await rewriteLine(caseDir, 3, (l) => l.replace('{"seq":2,', '{"seq":2,"seq":2,'));
  const found = problems(check(caseDir).stdout);
  assert.ok(found.includes("line 2 [ledger-duplicate-key]"), found.join("\n"));
  assert.ok(found.includes("line 3 [ledger-duplicate-key]"), found.join("\n"));
});

test("a field outside the nine is reported, even though no hash covers it", async () => {
  const caseDir = await copyCase();
  await rewriteLine(caseDir, 2, (l) => l.replace(/}$/, ',"note":"trust me"}'));
  const result = check(caseDir);
  assert.equal(result.status, 1);
  assert.deepEqual(problems(result.stdout), ["line 2 [event-field-unknown]"]);
});

test('seq written as 1.0, 1e0, "1" or true is refused (1.0 even hashes the same)', async () => {
  for (const seq of ["1.0", "1e0", '"1"', "true", "-0"]) {
    const caseDir = await copyCase();
    const line = seq === "-0" ? 1 : 2;
    await rewriteLine(caseDir, line, (l) => l.replace(/^\{"seq":\d+,/, `{"seq":${seq},`));
    assert.ok(problems(check(caseDir).stdout).includes(`line ${line} [ledger-malformed-line]`), seq);
  }
});

test("hash and prev must be 64 lower-case hex digits; a blank line and a non-object are malformed", async () => {
  const caseDir = await copyCase();
  await rewriteLine(caseDir, 2, (l) =>
    l.replace(/"hash":"([0-9a-f]{64})"/, (_, h: string) => `"hash":"${h.toUpperCase()}"`),
  );
  await rewriteLine(caseDir, 3, (l) => l.replace(/"prev":"[0-9a-f]{64}"/, '"prev":null'));
  const lines = await ledgerLines(caseDir);
  await writeFile(ledgerOf(caseDir), [...lines, "", "[1]"].join("\n") + "\n");
  const found = problems(check(caseDir).stdout);
  for (const line of [2, 3, lines.length + 1, lines.length + 2]) {
    assert.ok(found.includes(`line ${line} [ledger-malformed-line]`), `${line}: ${found.join("\n")}`);
  }
});

test("a signature that is not canonical padded base64 of 64 bytes is malformed", async () => {
  // Without its padding; and with the unused low bits of the last character set, which decoders ignore.
  for (const edit of [(s: string) => s.slice(0, -2), (s: string) => s.slice(0, -3) + "R=="]) {
    const caseDir = await copyCase();
    await rewriteLine(caseDir, 2, (l) => l.replace(/"sig":"([^"]+)"/, (_, s: string) => `"sig":"${edit(s)}"`));
    const result = check(caseDir);
    assert.equal(result.status, 1);
    assert.deepEqual(problems(result.stdout), ["line 2 [signature-malformed]"]);
  }
});

test("a second case.created changes nothing: no new title, id or key enters", async () => {
  const caseDir = await copyCase();
  const genesis = await payloadAt(caseDir, 1);
  const intruder = newSigner("Intruder");
  const line = await appendEvent(caseDir, "case.created", {
    ...genesis,
    title: "Another case",
    examiner: { keyId: intruder.keyId, name: intruder.name, publicKey: intruder.publicKey },
  });
  const signedByIntruder = await appendEvent(caseDir, "note.added", { sha256: "0".repeat(64), text: "hi" }, intruder);
  const found = problems(check(caseDir).stdout);
  assert.deepEqual(found, [`line ${line} [genesis-repeated]`, `line ${signedByIntruder} [signer-unknown]`]);
});

test("an examiner.added whose keyId is not its key's, or whose key is not Ed25519, or already trusted: not trusted", async () => {
  const caseDir = await copyCase();
  const newcomer = newSigner("B. Newcomer");
  const wrongId = await appendEvent(caseDir, "examiner.added", {
    examiner: { keyId: `ed25519:${"0".repeat(32)}`, name: newcomer.name, publicKey: newcomer.publicKey },
  });
  const notEd25519 = generateKeyPairSync("ec", { namedCurve: "P-256" })
    .publicKey.export({ format: "der", type: "spki" })
    .toString("base64");
  const wrongKey = await appendEvent(caseDir, "examiner.added", {
    examiner: {
      keyId: `ed25519:${createHash("sha256").update(notEd25519).digest("hex").slice(0, 32)}`,
      name: "EC",
      publicKey: notEd25519,
    },
  });
  const again = await appendEvent(caseDir, "examiner.added", {
    examiner: { keyId: examiner.keyId, name: "Same key, new name", publicKey: examiner.publicKey },
  });
  const signedByNewcomer = await appendEvent(
    caseDir,
    "note.added",
    { sha256: "0".repeat(64), text: "hi" },
    {
      ...newcomer,
      keyId: `ed25519:${"0".repeat(32)}`,
    },
  );
  const result = check(caseDir);
  assert.equal(result.status, 1);
  assert.deepEqual(problems(result.stdout), [
    `line ${wrongId} [examiner-key-invalid]`,
    `line ${wrongKey} [examiner-key-invalid]`,
    `line ${again} [examiner-key-invalid]`,
    `line ${signedByNewcomer} [signer-unknown]`,
  ]);
});

test("a valid examiner.added is trusted, and case.json must then list exactly the trusted keys", async () => {
  const caseDir = await copyCase();
  const newcomer = newSigner("B. Newcomer");
  await appendEvent(caseDir, "examiner.added", {
    examiner: { keyId: newcomer.keyId, name: newcomer.name, publicKey: newcomer.publicKey },
  });
  await appendEvent(caseDir, "note.added", { sha256: "0".repeat(64), text: "signed by the newcomer" }, newcomer);
  assert.deepEqual(problems(check(caseDir).stdout), ["case.json [case-keys-mismatch]"]);
  const caseFile = JSON.parse(await readFile(path.join(caseDir, "case.json"), "utf8"));
  // Order ignored; the triple (keyId, publicKey, name) must match.
  caseFile.examiners = [
    { keyId: newcomer.keyId, name: newcomer.name, publicKey: newcomer.publicKey },
    ...caseFile.examiners,
  ];
  await writeFile(path.join(caseDir, "case.json"), JSON.stringify(caseFile, null, 2));
  assert.equal(check(caseDir).status, 0);
  caseFile.examiners[0].name = "Someone else";
  await writeFile(path.join(caseDir, "case.json"), JSON.stringify(caseFile, null, 2));
  assert.deepEqual(problems(check(caseDir).stdout), ["case.json [case-keys-mismatch]"]);
});

test("an event type the checker does not know is a problem, and so is a payload that does not fit its type", async () => {
  const caseDir = await copyCase();
  const unknown = await appendEvent(caseDir, "item.teleported", { sha256: "0".repeat(64) });
  const imported = await payloadAt(caseDir, 2);
  const wrongType = await appendEvent(caseDir, "item.imported", { ...imported, size: String(imported.size) });
  const extra = await appendEvent(caseDir, "item.imported", { ...imported, isNewObject: false, origin: "unsaid" });
  assert.deepEqual(problems(check(caseDir).stdout), [
    `line ${unknown} [event-type-unknown]`,
    `line ${wrongType} [payload-invalid]`,
    `line ${extra} [payload-invalid]`,
  ]);
});

test("every acquisition is checked against its object: size, md5, sha1 and the vault path", async () => {
  const caseDir = await copyCase();
  const imported = await payloadAt(caseDir, 2);
  const again = { ...imported, isNewObject: false };
  const size = await appendEvent(caseDir, "item.imported", { ...again, size: imported.size + 1 });
  const md5 = await appendEvent(caseDir, "item.imported", { ...again, md5: "0".repeat(32) });
  const sha1 = await appendEvent(caseDir, "item.imported", { ...again, sha1: "0".repeat(40) });
  const objectPath = await appendEvent(caseDir, "item.imported", {
    ...again,
    objectPath: "objects/sha256/../../case.json",
  });
  assert.deepEqual(problems(check(caseDir).stdout), [
    `line ${objectPath} [object-path-invalid]`,
    `line ${size} [object-size-mismatch]`,
    `line ${md5} [object-corrupt]`,
    `line ${sha1} [object-corrupt]`,
  ]);
});

test("an object that is a symbolic link is not followed, even to identical bytes outside the case", async () => {
  const caseDir = await copyCase();
  const { objectPath } = await payloadAt(caseDir, 2);
  const outside = path.join(path.dirname(caseDir), "outside.bin");
  await cp(path.join(caseDir, objectPath), outside);
  await rm(path.join(caseDir, objectPath), { force: true });
  await symlink(outside, path.join(caseDir, objectPath));
  const result = check(caseDir);
  assert.equal(result.status, 1);
  assert.deepEqual(problems(result.stdout), [`${objectPath} [object-not-regular]`]);
});

test("a FIFO in place of an object is reported without blocking", async () => {
  const caseDir = await copyCase();
  const { objectPath } = await payloadAt(caseDir, 2);
  await rm(path.join(caseDir, objectPath), { force: true });
  assert.equal(spawnSync("mkfifo", [path.join(caseDir, objectPath)]).status, 0);
  assert.deepEqual(problems(check(caseDir).stdout), [`${objectPath} [object-not-regular]`]);
});

test("bytes after the last line end are a torn tail, not an event", async () => {
  const caseDir = await copyCase();
  const lines = await ledgerLines(caseDir);
  await appendFile(ledgerOf(caseDir), '{"seq":5,"id":"cut-sh');
  const result = check(caseDir);
  assert.equal(result.status, 1);
  assert.deepEqual(problems(result.stdout), [`line ${lines.length + 1} [ledger-torn-tail]`]);
  assert.match(result.stdout, new RegExp(`^FAILED: ${lines.length} events,`, "m"));
});

test("an object named by a tmp/*.intent and by no event is an interrupted import: a notice, not a problem", async () => {
  const caseDir = await copyCase();
  const bytes = Buffer.from("staged but never recorded");
  const sha = createHash("sha256").update(bytes).digest("hex");
  const objectPath = `objects/sha256/${sha.slice(0, 2)}/${sha.slice(2)}`;
  await mkdir(path.join(caseDir, path.dirname(objectPath)), { recursive: true });
  await writeFile(path.join(caseDir, objectPath), bytes);
  assert.deepEqual(problems(check(caseDir).stdout), [`${objectPath} [object-unreferenced]`]);
  await mkdir(path.join(caseDir, "tmp"), { recursive: true });
  await writeFile(path.join(caseDir, "tmp", `${randomUUID()}.intent`), `${objectPath}\n../../elsewhere\n`);
  const result = check(caseDir);
  assert.equal(result.status, 0, result.stdout);
  assert.match(result.stdout, new RegExp(`^NOTICE ${objectPath}: .* \\[import-interrupted\\]$`, "m"));
});

test("numbers and names where naive JSON differs from RFC 8785 hash as our canonicalJson hashes them", async () => {
  const caseDir = await copyCase();
  const metadata = await payloadAt(caseDir, 4);
  // 1/20000 s is 0.00005 (Python writes 5e-05); U+FB33 sorts after U+1F600 in UTF-16 code units, before it in code points.
  const raw = {
    ExposureTime: 0.00005,
    FNumber: 1e21,
    "\ufb33": "dalet",
    "\ud83d\ude00": "grin",
    "\u00f6": "\u2028\u0007",
  };
  const line = await appendEvent(caseDir, "metadata.extracted", {
    ...metadata,
    metadata: { ...metadata.metadata, raw },
  });
  const written = (await ledgerLines(caseDir))[line - 1]!;
  const naive = spawnSync(
    "python3",
    [
      "-c",
      'import json,sys; e=json.loads(sys.stdin.read()); del e["hash"], e["sig"]; sys.stdout.write(json.dumps(e,sort_keys=True,separators=(",",":"),ensure_ascii=False))',
    ],
    { input: written, encoding: "utf8" },
  ).stdout;
  assert.notEqual(
    createHash("sha256").update(naive).digest("hex"),
    JSON.parse(written).hash,
    "the case must defeat json.dumps",
  );
  const result = check(caseDir);
  assert.equal(result.status, 0, result.stdout);
  const ours = await runCliJson(["verify", caseDir], base.home);
  assert.equal(ours.json.isClean, true, JSON.stringify(ours.json.problems));
  assert.match(result.stdout, new RegExp(`head ${ours.json.head.seq} ${ours.json.head.hash}$`, "m"));
});

/** `sightline verify --json` on the same folder: its problems as "<file or line> [<code>]", and its exit code. */
async function verifyProblems(caseDir: string): Promise<{ code: number | null; found: string[] }> {
  const { code, json } = await runCliJson<{ problems: { code: string; file?: string; line?: number }[] }>(
    ["verify", caseDir],
    base.home,
  );
  return { code, found: json.problems.map((p) => `${p.file ?? `line ${p.line}`} [${p.code}]`) };
}

/** Moves a folder of the case out of it (same files, same bytes) and links it back in; returns where it went. */
async function linkOut(caseDir: string, folder: string): Promise<string> {
  const outside = path.join(await tempDir(), "moved");
  await cp(path.join(caseDir, folder), outside, { recursive: true });
  await rm(path.join(caseDir, folder), { recursive: true, force: true });
  await symlink(outside, path.join(caseDir, folder));
  return outside;
}

const layoutSpoils: { name: string; spoil: (caseDir: string) => Promise<string[]> }[] = [
  {
    name: "a shard folder that is a link out of the case: its object is not opened, though its bytes match",
    spoil: async (caseDir) => {
      const shard = path.posix.dirname((await payloadAt(caseDir, 2)).objectPath);
      const inside = (await readdir(path.join(caseDir, shard))).map((n) => `${shard}/${n} [object-not-regular]`);
      await linkOut(caseDir, shard);
      return [`${shard} [case-layout-invalid]`, ...inside];
    },
  },
  {
    name: "a stray file in objects/sha256, where only shard folders belong",
    spoil: async (caseDir) => {
      await writeFile(path.join(caseDir, "objects", "sha256", "stray"), "not a shard");
      return ["objects/sha256/stray [case-layout-invalid]"];
    },
  },
  {
    name: "a derived/ entry that is a file, where only items' folders belong",
    spoil: async (caseDir) => {
      await mkdir(path.join(caseDir, "derived"), { recursive: true });
      await writeFile(path.join(caseDir, "derived", "notes.txt"), "not an item's folder");
      return ["derived/notes.txt [case-layout-invalid]"];
    },
  },
  {
    name: "tmp as a link: an intent behind it is not read, so the object it names is unreferenced",
    spoil: async (caseDir) => {
      const bytes = Buffer.from("staged but never recorded");
      const sha = createHash("sha256").update(bytes).digest("hex");
      const objectPath = `objects/sha256/${sha.slice(0, 2)}/${sha.slice(2)}`;
      await mkdir(path.join(caseDir, path.dirname(objectPath)), { recursive: true });
      await writeFile(path.join(caseDir, objectPath), bytes);
      await mkdir(path.join(caseDir, "tmp"), { recursive: true });
      const outside = await linkOut(caseDir, "tmp");
      await writeFile(path.join(outside, `${randomUUID()}.intent`), `${objectPath}\n`);
      return ["tmp [case-layout-invalid]", `${objectPath} [object-unreferenced]`];
    },
  },
];

for (const { name, spoil } of layoutSpoils) {
  test(`case-layout-invalid, as verify reports it: ${name}`, async () => {
    const caseDir = await copyCase();
    const expected = (await spoil(caseDir)).sort();
    const result = check(caseDir);
    assert.equal(result.status, 1, result.stdout);
    assert.deepEqual(problems(result.stdout).sort(), expected, result.stdout);
    const ours = await verifyProblems(caseDir);
    assert.equal(ours.code, 1);
    assert.deepEqual(ours.found.sort(), expected);
  });
}
