/**
 * A real case exported as a bundle and opened again with the real CLI: the bundle checks with
 * standard tools alone (unzip, sha256sum, the bundled verify-ledger.py), its README says what a
 * recipient needs in plain, inert text, both ends record the exchange in their ledgers, and the
 * opened case verifies clean.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { chmod, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import { runCli, runCliJson } from "../support/cli.js";
import { makeExchangeCase, readLedger } from "../support/exchangeCase.js";
import { zipEntries } from "../support/hostileZip.js";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("bundles", () => {
  let c: Awaited<ReturnType<typeof makeExchangeCase>>;
  let bundle: string;
  let exported: any;

  before(async () => {
    c = await makeExchangeCase();
    bundle = path.join(c.root, "out", "case bundle.zip");
    await mkdir(path.dirname(bundle));
    const r = await runCliJson(["export", c.caseDir, "--bundle", bundle], c.home);
    assert.equal(r.code, 0, r.stderr);
    exported = r.json;
  });

  test("the export is recorded with the bundle's SHA-256, size and the head it holds", async () => {
    const bytes = await readFile(bundle);
    assert.equal(exported.sha256, sha256(bytes));
    const ledger = await readLedger(c.caseDir);
    const last = ledger.at(-1);
    assert.equal(last.type, "bundle.exported");
    assert.deepEqual(last.payload.file, { name: "case bundle.zip", sha256: sha256(bytes), size: bytes.length });
    assert.deepEqual(last.payload.head, { seq: ledger.at(-2).seq, hash: ledger.at(-2).hash });
    assert.equal(last.payload.scope, "case");
    const verify = await runCli(["verify", c.caseDir], c.home);
    assert.equal(verify.code, 0, verify.stdout);
  });

  test("entries are stored, and the bundle checks by hand with unzip, sha256sum and verify-ledger.py", async () => {
    const listing = execFileSync("unzip", ["-v", bundle], { encoding: "utf8" });
    assert.doesNotMatch(listing, /Defl/, "no entry is deflated");
    const dir = path.join(c.root, "unzipped");
    execFileSync("unzip", ["-q", bundle, "-d", dir]);
    const sums = execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: dir, encoding: "utf8" });
    assert.ok(sums.trim().split("\n").length >= 8);
    assert.doesNotMatch(sums, /FAILED/);
    const checker = execFileSync("python3", ["verify-ledger.py", "case"], { cwd: dir, encoding: "utf8" });
    assert.match(checker, new RegExp(`^OK: .*head ${exported.head.seq} ${exported.head.hash}$`, "m"));
    const objects = await readdir(path.join(dir, "case", "objects", "sha256"), { recursive: true });
    for (const sha of c.items) assert.ok(objects.includes(`${sha.slice(0, 2)}/${sha.slice(2)}`));
  });

  test("the README explains the files and the checks, with the case's text inert", async () => {
    const dir = path.join(c.root, "unzipped");
    const readme = await readFile(path.join(dir, "README.txt"), "utf8");
    assert.match(readme, /sha256sum -c SHA256SUMS/);
    assert.match(readme, /python3 verify-ledger\.py case/);
    assert.match(readme, /openssl pkeyutl -verify/);
    assert.ok(readme.includes(exported.head.hash), "the head hash");
    assert.doesNotMatch(readme, /\u202e/, "no bidi override reaches the README");
    assert.ok(readme.includes("Kidal <script>alert(1)</script> \\u{202E}fdp.exe"), "the title, shown inert");
  });

  test("open-bundle verifies it, opens the case and records the receipt", async () => {
    const target = path.join(c.root, "received");
    const r = await runCliJson(["open-bundle", bundle, target], c.home);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.bundleSha256, exported.sha256);
    assert.deepEqual(r.json.head, exported.head);
    const ledger = await readLedger(target);
    const last = ledger.at(-1);
    assert.equal(last.type, "bundle.opened");
    assert.equal(last.payload.file.sha256, exported.sha256);
    assert.deepEqual(last.payload.head, exported.head);
    assert.equal(ledger.at(-2).hash, exported.head.hash);
    const verify = await runCliJson(["verify", target], c.home);
    assert.equal(verify.code, 0);
    assert.equal(verify.json.isClean, true);
    assert.equal(verify.json.objectsChecked, c.items.length);
    assert.ok(verify.json.derivativesChecked >= 1, "the thumbnail travelled");
    const python = execFileSync("python3", ["resources/verify-ledger.py", target], { encoding: "utf8" });
    assert.match(python, /^OK: /m);
    const names = await readdir(c.root);
    assert.ok(!names.some((n) => n.includes(".opening-")), "no staging folder is left");
  });

  test("ZIP64 records, as a bundle past 4 GB has them, are read (written here with every record forced to ZIP64)", async () => {
    const { yazl } = await import("../../electron/services/exchange/zipLibraries.js");
    const zip = new yazl.ZipFile();
    for (const entry of await zipEntries(bundle)) {
      zip.addBuffer(entry.data, entry.name, { compress: false, forceZip64Format: true });
    }
    // yazl reads this option (index.js, ZipFile.prototype.end); @types/yazl does not list it.
    zip.end({ forceZip64Format: true } as Parameters<typeof zip.end>[0]);
    const file = path.join(c.root, "zip64.zip");
    await pipeline(zip.outputStream, createWriteStream(file));
    const listing = execFileSync("zipinfo", ["-v", file], { encoding: "utf8" });
    assert.match(listing, /zip64/i);
    const r = await runCliJson(["open-bundle", file, path.join(c.root, "from-zip64")], c.home);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json.head, exported.head);
  });

  test("opening into a folder that holds anything, or exporting over a file, is refused", async () => {
    const busy = path.join(c.root, "busy");
    await mkdir(busy);
    await writeFile(path.join(busy, "keep.txt"), "mine");
    const r = await runCli(["open-bundle", bundle, busy], c.home);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /already exists and is not an empty folder/);
    assert.equal(await readFile(path.join(busy, "keep.txt"), "utf8"), "mine");
    const again = await runCli(["export", c.caseDir, "--bundle", bundle], c.home);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists; nothing was replaced/);
    const inside = await runCli(["export", c.caseDir, "--bundle", path.join(c.caseDir, "exports", "b.zip")], c.home);
    assert.equal(inside.code, 1);
    assert.match(inside.stderr, /cannot be written inside the case it holds/);
  });

  test("an original that no longer matches its name refuses the export, and no file is left", async () => {
    const other = await makeExchangeCase();
    const sha = other.items[0]!;
    const object = path.join(other.caseDir, "objects", "sha256", sha.slice(0, 2), sha.slice(2));
    await chmod(object, 0o600);
    const bytes = await readFile(object);
    bytes[10] = bytes[10]! ^ 0xff;
    await writeFile(object, bytes);
    const out = path.join(other.root, "bad.zip");
    const r = await runCli(["export", other.caseDir, "--bundle", out], other.home);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no longer matches the SHA-256 the case records/);
    assert.deepEqual(
      (await readdir(other.root)).filter((n) => n.startsWith("bad.zip")),
      [],
      "neither the bundle nor a partial file",
    );
  });
});
