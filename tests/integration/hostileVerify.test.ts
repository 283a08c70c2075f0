/**
 * `sightline verify --json` as the strictest reader of a hostile case folder (docs/LEDGER.md,
 * "Reading the ledger"): every spoiled line, object or folder is reported with its code and its
 * line or path, the run never aborts, and it still reports an unrelated changed object in the same
 * run. Forged events are hashed by the product's own RFC 8785 rule and signed with the examiner's
 * key from the test profile, so each test proves its one rule and not a hash mismatch.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFile, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import { tempDir } from "../support/fixtures.js";
import {
  appendEvent,
  copyCase,
  flipByte,
  ledgerLines,
  ledgerOf,
  linesOfType,
  makeHostileBase,
  mkfifo,
  newSigner,
  payloadAt,
  rewriteLine,
  runCliWithin,
  type HostileBase,
} from "../support/hostileCase.js";

let base: HostileBase;
/** Line of the JPEG's item.imported, and of the other file's. */
let jpegLine: number;
/** Lines of the two metadata.extracted events: spoiling them leaves every object and derivative named. */
let metaA: number;
let metaB: number;

before(async () => {
  base = await makeHostileBase();
  const lines = (await ledgerLines(base.caseDir)).map((l) => JSON.parse(l));
  jpegLine = lines.findIndex((e) => e.payload.objectPath === base.jpegObject) + 1;
  [metaA, metaB] = (await linesOfType(base.caseDir, "metadata.extracted")) as [number, number];
  assert.ok(metaA && metaB);
});

/** Rewrites `{"seq":N,` at the start of a line. */
const seqAs = (caseDir: string, line: number, write: (n: string) => string) =>
  rewriteLine(caseDir, line, (l) => l.replace(/^\{"seq":(\d+),/, (_, n: string) => `{"seq":${write(n)},`));

interface Report {
  caseId: string;
  title: string;
  problems: { code: string; line?: number; file?: string }[];
}

/**
 * Flips a byte of the unrelated object, runs verify --json (bounded in time: nothing may block
 * it), and returns the report with its problems as "code line" or "code path", the unrelated
 * object's problem checked and removed.
 */
async function verifySpoiled(caseDir: string): Promise<{ report: Report; found: string[] }> {
  await flipByte(caseDir, base.otherObject);
  const run = await runCliWithin(["verify", caseDir, "--json"], base.home, 120_000);
  assert.equal(run.timedOut, false, "verify must return promptly");
  assert.doesNotMatch(run.stderr, /unexpected error/);
  assert.equal(run.code, 1, run.stderr);
  const report = JSON.parse(run.stdout) as Report;
  const found = report.problems.map((p) => `${p.code} ${p.line ?? p.file}`);
  const unrelated = `object-corrupt ${base.otherObject}`;
  assert.ok(found.includes(unrelated), `the changed object is still reported:\n${found.join("\n")}`);
  return { report, found: found.filter((f) => f !== unrelated) };
}

async function expectProblems(caseDir: string, expected: string[]): Promise<Report> {
  const { report, found } = await verifySpoiled(caseDir);
  assert.deepEqual(found, expected);
  return report;
}

const NOTE = (text: string) => ({ sha256: "0".repeat(64), text });

describe("lines two parsers could read differently", { concurrency: true }, () => {
  test("invalid UTF-8 inside a string, and an escaped lone surrogate in a note: ledger-invalid-text", async () => {
    const caseDir = await copyCase(base);
    const noteLine = await appendEvent(caseDir, "note.added", NOTE("SURROGATE"), base.examiner);
    await rewriteLine(caseDir, noteLine, (l) => l.replace("SURROGATE", "\\ud800"));
    const bytes = await readFile(ledgerOf(caseDir));
    const lineStart = (await ledgerLines(caseDir))
      .slice(0, metaA - 1)
      .reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
    const at = bytes.indexOf('"mime":"', lineStart) + 8;
    assert.ok(at > lineStart);
    bytes[at] = 0xc3; // 0xC3 0x28: a lead byte followed by "(", not UTF-8
    bytes[at + 1] = 0x28;
    await writeFile(ledgerOf(caseDir), bytes);
    await expectProblems(caseDir, [`ledger-invalid-text ${metaA}`, `ledger-invalid-text ${noteLine}`]);
  });

  test("a member name given twice, at the top and nested in the payload: ledger-duplicate-key", async () => {
    const caseDir = await copyCase(base);
    await seqAs(caseDir, metaA, (n) => `${n},"seq":${n}`);
    await rewriteLine(caseDir, metaB, (l) => l.replace('"metadata":{', '"metadata":{"software":"x",'));
    await expectProblems(caseDir, [`ledger-duplicate-key ${metaA}`, `ledger-duplicate-key ${metaB}`]);
  });

  test("a top-level field beyond the nine: event-field-unknown, and the hash still holds", async () => {
    const caseDir = await copyCase(base);
    await rewriteLine(caseDir, jpegLine, (l) => l.replace(/}$/, ',"comment":"x"}'));
    await expectProblems(caseDir, [`event-field-unknown ${jpegLine}`]);
  });

  test("seq written 1.0 or 1e0: ledger-malformed-line", async () => {
    const caseDir = await copyCase(base);
    await seqAs(caseDir, metaA, (n) => `${n}.0`);
    await seqAs(caseDir, metaB, (n) => `${n}e0`);
    await expectProblems(caseDir, [`ledger-malformed-line ${metaA}`, `ledger-malformed-line ${metaB}`]);
  });

  test("a sig without its padding, or with the unused low bits set: signature-malformed", async () => {
    const caseDir = await copyCase(base);
    await rewriteLine(caseDir, metaA, (l) => l.replace(/"sig":"([^"]+)=="/, '"sig":"$1"'));
    await rewriteLine(caseDir, metaB, (l) =>
      l.replace(/"sig":"([^"]+)(.)=="/, (_, s: string, c: string) => `"sig":"${s}${c === "R" ? "S" : "R"}=="`),
    );
    await expectProblems(caseDir, [`signature-malformed ${metaA}`, `signature-malformed ${metaB}`]);
  });

  test("a cut-off last line: ledger-torn-tail", async () => {
    const caseDir = await copyCase(base);
    const count = (await ledgerLines(caseDir)).length;
    await writeFile(ledgerOf(caseDir), '{"seq":99,"id":"cut-sh', { flag: "a" });
    await expectProblems(caseDir, [`ledger-torn-tail ${count + 1}`]);
  });
});

describe("properly signed events that break a rule", { concurrency: true }, () => {
  test("a second case.created with a new title and key: genesis-repeated, and title and id stay", async () => {
    const caseDir = await copyCase(base);
    const genesis = await payloadAt(caseDir, 1);
    const intruder = newSigner("Intruder");
    const line = await appendEvent(
      caseDir,
      "case.created",
      {
        ...genesis,
        caseId: "00000000-0000-4000-8000-000000000000",
        title: "A different case",
        examiner: { keyId: intruder.keyId, name: intruder.name, publicKey: intruder.publicKey },
      },
      base.examiner,
    );
    const report = await expectProblems(caseDir, [`genesis-repeated ${line}`]);
    assert.equal(report.title, genesis.title);
    assert.equal(report.caseId, genesis.caseId);
  });

  test("examiner.added reusing the examiner's key id with a new key: examiner-key-invalid; that key signs nothing", async () => {
    const caseDir = await copyCase(base);
    const impostor = newSigner("Impostor");
    const added = await appendEvent(
      caseDir,
      "examiner.added",
      { examiner: { keyId: base.examiner.keyId, name: "A. Analyst", publicKey: impostor.publicKey } },
      base.examiner,
    );
    const asItself = await appendEvent(caseDir, "note.added", NOTE("by the new key"), impostor);
    const asVictim = await appendEvent(caseDir, "note.added", NOTE("in the victim's name"), {
      ...impostor,
      keyId: base.examiner.keyId,
    });
    await expectProblems(caseDir, [
      `examiner-key-invalid ${added}`,
      `signer-unknown ${asItself}`,
      `signature-invalid ${asVictim}`,
    ]);
  });

  test("an unknown event type: event-type-unknown; a payload with an extra member: payload-invalid", async () => {
    const caseDir = await copyCase(base);
    const unknown = await appendEvent(caseDir, "item.teleported", { sha256: "0".repeat(64) }, base.examiner);
    const extra = await appendEvent(caseDir, "note.added", { ...NOTE("hi"), pinned: true }, base.examiner);
    await expectProblems(caseDir, [`event-type-unknown ${unknown}`, `payload-invalid ${extra}`]);
  });

  test("a second acquisition whose size, md5, sha1 or path disagree with the stored object", async () => {
    const caseDir = await copyCase(base);
    const imported = await payloadAt(caseDir, jpegLine);
    const again = { ...imported, isNewObject: false };
    const size = await appendEvent(caseDir, "item.imported", { ...again, size: imported.size + 1 }, base.examiner);
    const md5 = await appendEvent(caseDir, "item.imported", { ...again, md5: "0".repeat(32) }, base.examiner);
    const sha1 = await appendEvent(caseDir, "item.imported", { ...again, sha1: "0".repeat(40) }, base.examiner);
    const elsewhere = await appendEvent(
      caseDir,
      "item.imported",
      { ...again, objectPath: base.otherObject },
      base.examiner,
    );
    const found = (await verifySpoiled(caseDir)).found;
    assert.deepEqual(
      [...found].sort(),
      [
        `object-size-mismatch ${size}`,
        `object-corrupt ${md5}`,
        `object-corrupt ${sha1}`,
        `object-path-invalid ${elsewhere}`,
      ].sort(),
    );
  });
});

describe("objects, derivatives and folders that are not what they should be", { concurrency: true }, () => {
  test("an object replaced by a link to a FIFO outside the case: object-not-regular, promptly", async () => {
    const caseDir = await copyCase(base);
    const fifo = path.join(await tempDir("sightline-outside-"), "identical.bin");
    mkfifo(fifo);
    await rm(path.join(caseDir, base.jpegObject), { force: true });
    await symlink(fifo, path.join(caseDir, base.jpegObject));
    await expectProblems(caseDir, [`object-not-regular ${base.jpegObject}`]);
  });

  test("a derivative replaced by a FIFO: derivative-not-regular", async () => {
    const caseDir = await copyCase(base);
    await rm(path.join(caseDir, base.thumbnail), { force: true });
    mkfifo(path.join(caseDir, base.thumbnail));
    const { found } = await verifySpoiled(caseDir);
    assert.deepEqual(
      found.filter((f) => f.includes(base.thumbnail)),
      [`derivative-not-regular ${base.thumbnail}`],
      found.join("\n"),
    );
    assert.deepEqual(
      found.filter((f) => !f.includes(base.thumbnail)),
      [],
      found.join("\n"),
    );
  });

  test("a shard folder replaced by a link: case-layout-invalid", async () => {
    const caseDir = await copyCase(base);
    const shard = path.dirname(base.jpegObject);
    assert.notEqual(shard, path.dirname(base.otherObject), "the two objects share no shard");
    const outside = await tempDir("sightline-outside-");
    await rm(path.join(caseDir, shard), { recursive: true, force: true });
    await symlink(outside, path.join(caseDir, shard));
    const { found } = await verifySpoiled(caseDir);
    assert.ok(found.includes(`case-layout-invalid ${shard}`), found.join("\n"));
    assert.ok(
      found.every((f) => !f.includes("unexpected")),
      found.join("\n"),
    );
  });
});

describe("what lies behind a linked folder is never read", { concurrency: true }, () => {
  /** Moves `folder` out of the case, keeping its files (identical bytes), and links it back in. */
  async function linkOut(caseDir: string, folder: string): Promise<void> {
    const outside = path.join(await tempDir("sightline-outside-"), "moved");
    execFileSync("cp", ["-a", path.join(caseDir, folder), outside]);
    await rm(path.join(caseDir, folder), { recursive: true, force: true });
    await symlink(outside, path.join(caseDir, folder));
  }

  for (const which of ["object", "derivative"] as const) {
    test(`a${which === "object" ? "n object" : " derivative"} reached through a linked folder is ${which}-not-regular and not counted as checked`, async () => {
      const caseDir = await copyCase(base);
      const file = which === "object" ? base.jpegObject : base.thumbnail;
      await linkOut(caseDir, path.dirname(file));
      const { report, found } = await verifySpoiled(caseDir);
      assert.ok(found.includes(`case-layout-invalid ${path.dirname(file)}`), found.join("\n"));
      assert.ok(found.includes(`${which}-not-regular ${file}`), found.join("\n"));
      const checked = report as unknown as { objectsChecked: number; derivativesChecked: number };
      if (which === "object")
        assert.equal(checked.objectsChecked, 1, "only the object inside the case counts as checked");
      else assert.equal(checked.derivativesChecked, 0);
    });
  }
});

describe("--json is one parseable document", () => {
  test("with many problems at once, of every kind above", async () => {
    const caseDir = await copyCase(base);
    await rewriteLine(caseDir, jpegLine, (l) => l.replace(/}$/, ',"comment":"x"}'));
    await seqAs(caseDir, metaA, (n) => `${n}.0`);
    await appendEvent(caseDir, "item.teleported", { sha256: "0".repeat(64) }, base.examiner);
    await rm(path.join(caseDir, base.thumbnail), { force: true });
    mkfifo(path.join(caseDir, base.thumbnail));
    await writeFile(path.join(caseDir, "objects/sha256/stray"), "x");
    await writeFile(ledgerOf(caseDir), '{"seq":', { flag: "a" });
    const { found } = await verifySpoiled(caseDir);
    for (const code of [
      "event-field-unknown",
      "ledger-malformed-line",
      "event-type-unknown",
      "derivative-not-regular",
      "case-layout-invalid",
      "ledger-torn-tail",
    ]) {
      assert.ok(
        found.some((f) => f.startsWith(`${code} `)),
        `${code} in:\n${found.join("\n")}`,
      );
    }
  });
});
