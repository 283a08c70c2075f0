/**
 * A writer (`sightline import`, which opens the ledger writer) against a hostile case folder
 * (DESIGN rule 5): a folder that is not as Sightline wrote it is refused with one line, nothing
 * written; trusted keys come from the ledger, never from case.json. Also the modes a new case gets,
 * `init` under kernel file systems, and text that is not well-formed UTF-16. Crash recovery in a
 * hostile folder is in hostileRecovery.test.ts.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, readdir, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, test } from "node:test";
import { runCli, runCliJson } from "../support/cli.js";
import { tempDir } from "../support/fixtures.js";
import {
  assertOneLine,
  assertUnchanged,
  copyCase,
  hostileSuite,
  ledgerLines,
  ledgerOf,
  mkfifo,
  newSigner,
  runCliWithin,
  snapshot,
  COLLECTION_ARGS,
  outsideWithVictim,
} from "../support/hostileCase.js";

const suite = hostileSuite();
const importInto = suite.importInto;

describe("a writer refuses a case folder that is not as Sightline wrote it", { concurrency: true }, () => {
  const cases: [string, (caseDir: string, outside: string) => Promise<void>, RegExp][] = [
    [
      "ledger.jsonl is a link (to a copy of itself outside)",
      async (c, out) => {
        await copyFile(ledgerOf(c), path.join(out, "ledger.jsonl"));
        await rm(ledgerOf(c));
        await symlink(path.join(out, "ledger.jsonl"), ledgerOf(c));
      },
      /^sightline: ledger\.jsonl is a symbolic link/,
    ],
    [
      "case.json is a link",
      async (c, out) => {
        await copyFile(path.join(c, "case.json"), path.join(out, "case.json"));
        await rm(path.join(c, "case.json"));
        await symlink(path.join(out, "case.json"), path.join(c, "case.json"));
      },
      /^sightline: case\.json is a symbolic link/,
    ],
    [
      "tmp/ is a link to an outside folder",
      async (c, out) => {
        await rm(path.join(c, "tmp"), { recursive: true });
        await symlink(out, path.join(c, "tmp"));
      },
      /^sightline: tmp is a symbolic link/,
    ],
    ...(["objects", "derived"] as const).map((name): [string, (c: string, out: string) => Promise<void>, RegExp] => [
      `${name}/ is a link`,
      async (c, out) => {
        await rename(path.join(c, name), path.join(out, name));
        await symlink(path.join(out, name), path.join(c, name));
      },
      new RegExp(`^sightline: ${name} is a symbolic link`),
    ]),
    [
      "recovered/ is a link",
      async (c, out) => symlink(out, path.join(c, "recovered")),
      /^sightline: recovered is a symbolic link/,
    ],
    [
      "a shard folder objects/sha256/00 is a link",
      async (c, out) => {
        await rm(path.join(c, "objects/sha256/00"), { recursive: true });
        await symlink(out, path.join(c, "objects/sha256/00"));
      },
      /^sightline: objects\/sha256\/00 is a symbolic link/,
    ],
    [
      "objects/sha256 holds a stray file",
      async (c) => writeFile(path.join(c, "objects/sha256/stray"), "x"),
      /^sightline: objects\/sha256\/stray /,
    ],
    [
      "objects/sha256 holds a FIFO",
      async (c) => mkfifo(path.join(c, "objects/sha256/pipe")),
      /^sightline: objects\/sha256\/pipe /,
    ],
    [
      "ledger.jsonl.lock is a link",
      async (c, out) => symlink(out, path.join(c, "ledger.jsonl.lock")),
      /^sightline: ledger\.jsonl\.lock is a symbolic link/,
    ],
  ];
  for (const [what, spoil, message] of cases) {
    test(`${what}: one line naming it, nothing written inside or outside`, async () => {
      const caseDir = await copyCase(suite.base);
      const { dir } = await outsideWithVictim();
      await spoil(caseDir, dir);
      const [inside, outside] = [await snapshot(caseDir), await snapshot(dir)];
      const ledgerBytes = await readFile(ledgerOf(caseDir));
      const result = await importInto(caseDir);
      assert.notEqual(result.code, 0);
      const line = assertOneLine(result.stderr);
      assert.match(line, message);
      assert.match(line, /nothing was written/);
      assert.deepEqual(await readFile(ledgerOf(caseDir)), ledgerBytes, "the ledger's bytes are unchanged");
      await assertUnchanged(caseDir, inside, "the case folder");
      await assertUnchanged(dir, outside, "the outside folder");
    });
  }
});

describe("trusted keys come from the ledger, never from case.json", { concurrency: true }, () => {
  async function addToCaseJson(caseDir: string, examiner: { keyId: string; name: string; publicKey: string }) {
    const file = path.join(caseDir, "case.json");
    const caseFile = JSON.parse(await readFile(file, "utf8"));
    caseFile.examiners.push(examiner);
    await writeFile(file, JSON.stringify(caseFile, null, 2) + "\n");
  }

  test("case.json lists a key the ledger never added: import refused, ledger unchanged, verify says so", async () => {
    const caseDir = await copyCase(suite.base);
    const { keyId, name, publicKey } = newSigner("Extra Examiner");
    await addToCaseJson(caseDir, { keyId, name, publicKey });
    const ledgerBytes = await readFile(ledgerOf(caseDir));
    const result = await importInto(caseDir);
    assert.notEqual(result.code, 0);
    assert.match(assertOneLine(result.stderr), /case\.json's examiner list differs.*nothing was written/);
    assert.deepEqual(await readFile(ledgerOf(caseDir)), ledgerBytes);
    const verify = await runCliJson(["verify", caseDir], suite.base.home);
    assert.equal(verify.code, 1);
    assert.deepEqual(
      verify.json.problems.map((p: any) => `${p.code} ${p.file}`),
      ["case-keys-mismatch case.json"],
    );
  });

  test("a second profile's key written into case.json only: that profile cannot write", async () => {
    const caseDir = await copyCase(suite.base);
    const otherHome = path.join(await tempDir(), "home");
    const card = await runCli(["examiner", "key", "--name", "B. Outsider"], otherHome);
    assert.equal(card.code, 0, card.stderr);
    const { keyId, name, publicKey } = JSON.parse(card.stdout);
    await addToCaseJson(caseDir, { keyId, name, publicKey });
    const ledgerBytes = await readFile(ledgerOf(caseDir));
    const result = await runCliWithin(["import", caseDir, suite.newFile, ...COLLECTION_ARGS], otherHome, 120_000);
    assert.notEqual(result.code, 0);
    assertOneLine(result.stderr);
    assert.deepEqual(await readFile(ledgerOf(caseDir)), ledgerBytes);
    // Even when case.json then names only that key, the ledger decides.
    const file = path.join(caseDir, "case.json");
    const caseFile = JSON.parse(await readFile(file, "utf8"));
    caseFile.examiners = [{ keyId, name, publicKey }];
    await writeFile(file, JSON.stringify(caseFile, null, 2) + "\n");
    const again = await runCliWithin(["import", caseDir, suite.newFile, ...COLLECTION_ARGS], otherHome, 120_000);
    assert.notEqual(again.code, 0);
    assertOneLine(again.stderr);
    assert.deepEqual(await readFile(ledgerOf(caseDir)), ledgerBytes);
  });
});

describe("modes and where a case may be made", { concurrency: true }, () => {
  test("a new case is 0700; originals and derivatives 0400; case.json, the ledger and every other file 0600", async () => {
    const mode = async (relative: string) =>
      ((await stat(path.join(suite.base.caseDir, relative))).mode & 0o777).toString(8);
    assert.equal(await mode("."), "700");
    assert.equal(await mode(suite.base.jpegObject), "400");
    assert.equal(await mode(suite.base.otherObject), "400");
    assert.equal(await mode(suite.base.thumbnail), "400");
    assert.equal(await mode("case.json"), "600");
    assert.equal(await mode("ledger.jsonl"), "600");
  });

  test("the torn tail the next writer saves under recovered/ is 0600, like every file that is not evidence", async () => {
    const caseDir = await copyCase(suite.base);
    await writeFile(ledgerOf(caseDir), '{"seq":99,"id":"cut-sh', { flag: "a" });
    const result = await importInto(caseDir);
    assert.equal(result.code, 0, result.stderr);
    const [saved] = await readdir(path.join(caseDir, "recovered"));
    assert.ok(saved, "the torn tail was saved");
    const savedMode = (await stat(path.join(caseDir, "recovered", saved))).mode & 0o777;
    assert.equal(savedMode.toString(8), "600", `recovered/${saved}`);
  });

  test("init under /proc, /sys or /dev: one line, promptly", async () => {
    const home = path.join(await tempDir(), "home");
    for (const dir of ["/proc/self/foo", "/sys/x", "/dev/x", "//proc/self/foo", "/tmp/../proc/self/foo"]) {
      const result = await runCliWithin(["init", dir, "--title", "T", "--examiner", "A"], home, 120_000);
      assert.equal(result.timedOut, false, `${dir}: init must return promptly`);
      assert.ok(result.code === 1 || result.code === 2, `${dir}: exit ${result.code}`);
      assertOneLine(result.stderr);
    }
  });

  test("init through a link into /proc: one line, promptly", async () => {
    const home = path.join(await tempDir(), "home");
    const link = path.join(await tempDir(), "looks-like-storage");
    await symlink("/proc/self", link);
    const result = await runCliWithin(
      ["init", path.join(link, "foo"), "--title", "T", "--examiner", "A"],
      home,
      120_000,
    );
    assert.equal(result.timedOut, false, "init must return promptly");
    assert.notEqual(result.code, 0);
    assertOneLine(result.stderr);
  });
});

describe("text that is not well-formed UTF-16", { concurrency: true }, () => {
  test("a key card whose name holds a lone surrogate is refused with one line; the case stays writable and clean", async () => {
    const caseDir = await copyCase(suite.base);
    const otherHome = path.join(await tempDir(), "home");
    const made = await runCli(["examiner", "key", "--name", "B. Newcomer"], otherHome);
    assert.equal(made.code, 0, made.stderr);
    const card = path.join(path.dirname(caseDir), "card.json");
    // The CLI's argv cannot carry a lone surrogate; a key card's JSON can.
    await writeFile(card, made.stdout.replace('"B. Newcomer"', '"B. New\\ud800comer"'));
    const linesBefore = (await ledgerLines(caseDir)).length;
    const added = await runCli(["examiner", "add", caseDir, card], suite.base.home);
    assert.equal(added.code, 1, added.stderr);
    assertOneLine(added.stderr);
    assert.match(added.stderr, /broken text/);
    assert.equal((await ledgerLines(caseDir)).length, linesBefore, "nothing was written");
    const verify = await runCliJson(["verify", caseDir], suite.base.home);
    assert.deepEqual(verify.json.problems, [], "verify is clean after adding the examiner");
    const next = await importInto(caseDir);
    assert.equal(next.code, 0, `the case stays writable: ${next.stderr}`);
  });

  test("file names are bytes: a name that is not UTF-8 is imported, written as U+FFFD, and verifies clean", async () => {
    const caseDir = await copyCase(suite.base);
    const folder = path.join(path.dirname(caseDir), "odd-names");
    await mkdir(folder);
    // 0xED 0xA0 0x80 is U+D800 encoded as if it were a character (CESU-8): not UTF-8.
    const name = Buffer.concat([Buffer.from("odd-"), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(".bin")]);
    await writeFile(Buffer.concat([Buffer.from(folder + "/"), name]), createHash("sha256").update("x").digest());
    const result = await runCliWithin(["import", caseDir, folder, ...COLLECTION_ARGS], suite.base.home, 120_000);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const last = (await ledgerLines(caseDir)).map((l) => JSON.parse(l)).filter((e) => e.type === "item.imported");
    assert.match(last.at(-1).payload.source.originalName, /^odd-\ufffd+\.bin$/);
    const verify = await runCliJson(["verify", caseDir], suite.base.home);
    assert.deepEqual(verify.json.problems, []);
  });
});
