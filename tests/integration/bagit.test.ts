/**
 * `sightline export --bagit` writes a bag (RFC 8493) that validates with Sightline's own reader
 * and with the Library of Congress's bagit.py (vendored in tests/validators/bagit); a tampered
 * payload file, a missing file, an extra file and a wrong Payload-Oxum each fail in both.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, cp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import { validateBag } from "../../electron/services/exchange/bagitReader.js";
import { runCliJson, REPO_ROOT } from "../support/cli.js";
import { makeExchangeCase, readLedger } from "../support/exchangeCase.js";

const BAGIT_PY = path.join(REPO_ROOT, "tests", "validators", "bagit", "run_bagit.py");

function bagitPy(bag: string): { code: number | null; out: string } {
  const r = spawnSync("python3", [BAGIT_PY, bag], { encoding: "utf8" });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe("BagIt", () => {
  let c: Awaited<ReturnType<typeof makeExchangeCase>>;
  let bag: string;
  let exported: any;
  let copies = 0;

  before(async () => {
    c = await makeExchangeCase();
    bag = path.join(c.root, "bag");
    const r = await runCliJson(["export", c.caseDir, "--bagit", bag], c.home);
    assert.equal(r.code, 0, r.stderr);
    exported = r.json;
  });

  /** A copy of the bag to spoil, writable. */
  async function copy(): Promise<string> {
    const dir = path.join(c.root, `spoilt-${++copies}`);
    await cp(bag, dir, { recursive: true });
    return dir;
  }

  async function assertBothFail(dir: string, ours: RegExp, theirs: RegExp) {
    const mine = await validateBag(dir);
    assert.equal(mine.isValid, false);
    assert.ok(
      mine.problems.some((p) => ours.test(p)),
      mine.problems.join("\n"),
    );
    const py = bagitPy(dir);
    assert.equal(py.code, 1, py.out);
    assert.match(py.out, theirs);
  }

  test("the bag validates with both, holds the case, and says what it is", async () => {
    const mine = await validateBag(bag);
    assert.deepEqual(mine.problems, []);
    const py = bagitPy(bag);
    assert.equal(py.code, 0, py.out);
    assert.match(py.out, /is valid/);
    const info = mine.info;
    const ledger = await readLedger(c.caseDir);
    const genesis = ledger[0];
    assert.deepEqual(info.get("External-Identifier"), [genesis.payload.caseId]);
    assert.deepEqual(info.get("Contact-Name"), ["A. Analyst"]);
    assert.deepEqual(info.get("Sightline-Head-Hash"), [exported.head.hash]);
    assert.deepEqual(info.get("Payload-Oxum"), [exported.payloadOxum]);
    assert.match(info.get("Bagging-Date")![0]!, /^\d{4}-\d\d-\d\d$/);
    assert.doesNotMatch(info.get("External-Description")![0]!, /\u202e/, "the title is inert");
    // The case records MD5 and SHA-1, so the bag carries those manifests too.
    for (const algorithm of ["md5", "sha1", "sha256"]) {
      const manifest = await readFile(path.join(bag, `manifest-${algorithm}.txt`), "utf8");
      for (const sha of c.items) assert.ok(manifest.includes(`data/objects/sha256/${sha.slice(0, 2)}/${sha.slice(2)}`));
    }
    const last = ledger.at(-1);
    assert.equal(last.type, "bag.exported");
    const manifest = await readFile(path.join(bag, "manifest-sha256.txt"));
    assert.equal(last.payload.manifestSha256, createHash("sha256").update(manifest).digest("hex"));
  });

  test("a tampered payload file fails in both", async () => {
    const dir = await copy();
    const sha = c.items[0]!;
    const file = path.join(dir, "data", "objects", "sha256", sha.slice(0, 2), sha.slice(2));
    await chmod(file, 0o600);
    const bytes = await readFile(file);
    bytes[0] = bytes[0]! ^ 0xff;
    await writeFile(file, bytes);
    await assertBothFail(dir, /does not match its sha256/, /checksum validation failed|invalid/i);
  });

  test("a missing payload file fails in both", async () => {
    const dir = await copy();
    const sha = c.items[1]!;
    await rm(path.join(dir, "data", "objects", "sha256", sha.slice(0, 2), sha.slice(2)), { force: true });
    await assertBothFail(dir, /missing from the payload/, /exists in manifest but was not found|Payload-Oxum/i);
  });

  test("an extra payload file fails in both", async () => {
    const dir = await copy();
    await writeFile(path.join(dir, "data", "added-later.txt"), "not in any manifest\n");
    await assertBothFail(
      dir,
      /is in the payload but not in manifest/,
      /exists on filesystem but is not in the manifest|Payload-Oxum/i,
    );
  });

  test("a wrong Payload-Oxum fails in both (the tag manifest made to agree)", async () => {
    const dir = await copy();
    const infoFile = path.join(dir, "bag-info.txt");
    const text = (await readFile(infoFile, "utf8")).replace(
      /Payload-Oxum: (\d+)\./,
      (_m, n) => `Payload-Oxum: ${Number(n) + 1}.`,
    );
    await writeFile(infoFile, text);
    const tag = path.join(dir, "tagmanifest-sha256.txt");
    const digest = createHash("sha256").update(text).digest("hex");
    const tags = (await readFile(tag, "utf8")).replace(/^[0-9a-f]{64} {2}bag-info\.txt$/m, `${digest}  bag-info.txt`);
    await writeFile(tag, tags);
    await assertBothFail(dir, /Payload-Oxum says/, /Payload-Oxum validation failed/i);
  });
});
