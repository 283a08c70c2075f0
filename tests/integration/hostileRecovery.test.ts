/**
 * Crash recovery in a hostile case folder (DESIGN rule 5): a writer (`sightline import`, which
 * runs crash recovery when it opens the ledger) meets links, FIFOs and crafted intent files
 * planted with plain file operations, and never touches anything outside the case; an entry it
 * cannot trust is ignored or refused with one line.
 */
import assert from "node:assert/strict";
import { chmod, copyFile, mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, test } from "node:test";
import {
  assertOneLine,
  assertUnchanged,
  copyCase,
  hostileSuite,
  ledgerOf,
  mkfifo,
  snapshot,
  outsideWithVictim,
} from "../support/hostileCase.js";

const suite = hostileSuite();
const importInto = suite.importInto;

const hex = (c: string, n: number) => c.repeat(n);

describe("crash recovery never reaches outside the case", { concurrency: true }, () => {
  test("an intent entry that is a link to an outside file: the file keeps its mode and bytes", async () => {
    const caseDir = await copyCase(suite.base);
    const { dir } = await outsideWithVictim();
    const before = await snapshot(dir);
    await symlink(path.join(dir, "victim.txt"), path.join(caseDir, "objects/sha256/k"));
    await writeFile(path.join(caseDir, "tmp/x.intent"), "objects/sha256/k\n");
    const result = await importInto(caseDir);
    // objects/sha256/k is not a shard folder: the writer refuses the case before recovery runs.
    assert.notEqual(result.code, 0);
    assert.match(assertOneLine(result.stderr), /objects\/sha256\/k .*nothing was written/);
    await assertUnchanged(dir, before, "the outside folder");
  });

  test("a well-formed entry whose shard folder is a link out: refused, the outside file intact", async () => {
    const caseDir = await copyCase(suite.base);
    const { dir } = await outsideWithVictim();
    const name = hex("a", 62);
    await copyFile(path.join(dir, "victim.txt"), path.join(dir, name));
    await chmod(path.join(dir, name), 0o600);
    const before = await snapshot(dir);
    const ledgerBefore = await readFile(ledgerOf(caseDir));
    await rm(path.join(caseDir, "objects/sha256/ab"), { recursive: true });
    await symlink(dir, path.join(caseDir, "objects/sha256/ab"));
    await writeFile(path.join(caseDir, "tmp/x.intent"), `objects/sha256/ab/${name}\n`);
    const result = await importInto(caseDir);
    assert.notEqual(result.code, 0);
    assert.match(assertOneLine(result.stderr), /objects\/sha256\/ab is a symbolic link.*nothing was written/);
    assert.deepEqual(await readFile(ledgerOf(caseDir)), ledgerBefore);
    await assertUnchanged(dir, before, "the outside folder");
  });

  test("an entry whose object is itself a link: the case is refused, the link not removed through, the target untouched", async () => {
    const caseDir = await copyCase(suite.base);
    const { dir, victim } = await outsideWithVictim();
    const before = await snapshot(dir);
    const entry = `objects/sha256/cd/${hex("c", 62)}`;
    await symlink(victim, path.join(caseDir, entry));
    await writeFile(path.join(caseDir, "tmp/x.intent"), `${entry}\n`);
    const ledgerBefore = await readFile(ledgerOf(caseDir));
    const result = await importInto(caseDir);
    // A link among the objects would pass off its target as an original: the writer refuses the case.
    assert.notEqual(result.code, 0);
    assert.match(assertOneLine(result.stderr), new RegExp(`${entry} is a symbolic link.*nothing was written`));
    assert.deepEqual(await readFile(ledgerOf(caseDir)), ledgerBefore);
    await assertUnchanged(dir, before, "the outside folder");
  });

  test("entries with .., absolute paths, trailing spaces, CR or upper-case hex are ignored", async () => {
    const caseDir = await copyCase(suite.base);
    const { dir, victim } = await outsideWithVictim();
    // Real vault objects under names that are almost object paths: none may be removed.
    const upper = `objects/sha256/EF/${hex("E", 62)}`;
    const spaced = `objects/sha256/ef/${hex("e", 62)}`;
    const crlf = `objects/sha256/ee/${hex("d", 62)}`;
    await mkdir(path.join(caseDir, "objects/sha256/EF"));
    for (const f of [upper, spaced, crlf]) await writeFile(path.join(caseDir, f), "planted");
    const relativeOut = path.relative(caseDir, victim);
    const lines = [
      `objects/sha256/../../${relativeOut}`,
      `objects/sha256/ab/../../../${relativeOut}`,
      victim,
      `/${spaced}`,
      `${spaced} `,
      `${crlf}\r`,
      upper,
      `./${spaced}`,
    ];
    await writeFile(path.join(caseDir, "tmp/x.intent"), lines.join("\n") + "\n");
    const before = await snapshot(dir);
    const result = await importInto(caseDir);
    // objects/sha256/EF is not a shard name: the writer refuses the folder; without it, it must ignore them all.
    if (result.code !== 0) assert.match(assertOneLine(result.stderr), /objects\/sha256\/EF/);
    await assertUnchanged(dir, before, "the outside folder");
    for (const f of [upper, spaced, crlf]) assert.equal(await readFile(path.join(caseDir, f), "utf8"), "planted", f);

    // The same entries in a folder whose layout is sound: the writer runs recovery and must ignore every one.
    const sound = await copyCase(suite.base);
    for (const f of [spaced, crlf]) await writeFile(path.join(sound, f), "planted");
    await writeFile(path.join(sound, "tmp/x.intent"), lines.join("\n") + "\n");
    const ok = await importInto(sound);
    assert.equal(ok.code, 0, ok.stderr);
    for (const f of [spaced, crlf]) assert.equal(await readFile(path.join(sound, f), "utf8"), "planted", f);
    await assertUnchanged(dir, before, "the outside folder");
  });

  test("an intent file that is a link to an outside file, or a FIFO: not read, no hang", async () => {
    const { dir, victim } = await outsideWithVictim();
    // The outside file names a real, unrecorded vault object: were it read, that object would go.
    const caseDir = await copyCase(suite.base);
    const planted = `objects/sha256/ef/${hex("f", 62)}`;
    await writeFile(path.join(caseDir, planted), "planted");
    await writeFile(victim, `${planted}\n`);
    await chmod(victim, 0o600);
    const before = await snapshot(dir);
    await symlink(victim, path.join(caseDir, "tmp/x.intent"));
    const viaLink = await importInto(caseDir);
    assert.equal(viaLink.code, 0, viaLink.stderr);
    assert.equal(await readFile(path.join(caseDir, planted), "utf8"), "planted", "the linked intent was not read");
    await assertUnchanged(dir, before, "the outside folder");

    const fifoCase = await copyCase(suite.base);
    mkfifo(path.join(fifoCase, "tmp/x.intent"));
    const outsideFifo = path.join(dir, "pipe.intent");
    mkfifo(outsideFifo);
    await symlink(outsideFifo, path.join(fifoCase, "tmp/y.intent"));
    const viaFifo = await importInto(fifoCase);
    assert.equal(viaFifo.code, 0, viaFifo.stderr);
  });

  test("a folder named like an intent file is ignored or refused with one line, never an unexpected error", async () => {
    const caseDir = await copyCase(suite.base);
    await mkdir(path.join(caseDir, "tmp/x.intent"));
    await writeFile(path.join(caseDir, "tmp/x.intent/inside"), "kept");
    const ledgerBefore = await readFile(ledgerOf(caseDir));
    const result = await importInto(caseDir);
    if (result.code !== 0) {
      assertOneLine(result.stderr);
      assert.deepEqual(await readFile(ledgerOf(caseDir)), ledgerBefore);
    }
  });
});
