/**
 * The verification pool on real keys and real files: signatures good and bad,
 * each kind of file a hostile case folder can hold, progress, cancellation,
 * order and concurrent calls. Threads that die: verifyPoolDeaths.test.ts; how
 * many threads the work starts: verifyPoolGrowth.test.ts.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { once } from "node:events";
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { nodeLedgerCrypto } from "../../electron/services/ledger/nodeLedgerCrypto.js";
import { VerifyPool, type FileCheckResult, type SignatureCheck } from "../../electron/services/ledger/verifyPool.js";
import { tempDir, writeRandomFile } from "../support/fixtures.js";
import { digest, newKey, signed } from "../support/verifyChecks.js";

const MiB = 1024 * 1024;

describe("VerifyPool", () => {
  let pool: VerifyPool;
  let dir: string;
  before(async () => {
    pool = VerifyPool.create({ threads: 2 });
    dir = await tempDir();
  });
  after(() => pool.close());

  test("signatures: valid, altered hash, wrong key, malformed key, hash and sig", async () => {
    const alice = newKey();
    const bob = newKey();
    const good = signed(alice, "event 0");
    const other = signed(alice, "event 1");
    const flipped = good.sig.startsWith("A") ? `B${good.sig.slice(1)}` : `A${good.sig.slice(1)}`;
    const checks: [string, SignatureCheck, boolean][] = [
      ["valid", good, true],
      ["valid, second key", signed(bob, "event 2"), true],
      ["altered hash", { ...good, hash: other.hash }, false],
      ["signature of another event", { ...good, sig: other.sig }, false],
      ["altered signature", { ...good, sig: flipped }, false],
      ["wrong key", { ...good, publicKey: bob.publicKey }, false],
      ["key not base64 DER", { ...good, publicKey: "not a key" }, false],
      ["key truncated", { ...good, publicKey: alice.publicKey.slice(0, 20) }, false],
      ["key of another type", { ...good, publicKey: rsaPublicKey() }, false],
      ["key empty", { ...good, publicKey: "" }, false],
      ["sig truncated", { ...good, sig: good.sig.slice(0, 40) }, false],
      ["sig with stray characters", { ...good, sig: `${good.sig.slice(0, 10)}!${good.sig.slice(10)}` }, false],
      ["sig without padding", { ...good, sig: good.sig.replace(/=+$/, "") }, false],
      ["hash upper-case", { ...good, hash: good.hash.toUpperCase() }, false],
      ["hash not hex", { ...good, hash: "zz".repeat(32) }, false],
      ["hash short", { ...good, hash: good.hash.slice(0, 62) }, false],
      ["fields not strings", { publicKey: 1, hash: null, sig: {} } as unknown as SignatureCheck, false],
    ];
    const valid = await pool.checkSignatures(checks.map(([, check]) => check));
    assert.deepEqual(
      checks.map(([name], i) => `${name}: ${valid[i]}`),
      checks.map(([name, , expected]) => `${name}: ${expected}`),
    );
    assert.deepEqual(await pool.checkSignatures([]), []);
  });

  test("signatures: many batches come back in order and agree with the ledger's own check", async () => {
    const keys = [newKey(), newKey(), newKey()];
    const checks = Array.from({ length: 3000 }, (_, i) => signed(keys[i % 3]!, `event ${i}`));
    for (let i = 7; i < checks.length; i += 97) checks[i] = { ...checks[i]!, hash: checks[i - 1]!.hash };
    const valid = await pool.checkSignatures(checks);
    const expected = checks.map((c) => nodeLedgerCrypto.verifyEd25519(c.publicKey, Buffer.from(c.hash, "hex"), c.sig));
    assert.deepEqual(valid, expected);
    assert.equal(valid.filter((v) => !v).length, Math.ceil((checks.length - 7) / 97));
  });

  test("files: only the digests asked, each matching node:crypto", async () => {
    const file = path.join(dir, "photo.jpg");
    await writeRandomFile(file, 3 * MiB + 17);
    const empty = path.join(dir, "empty.bin");
    await writeFile(empty, "");
    const bytes = await readFile(file);
    const [onlySha, all, none, nothing] = await pool.checkFiles([
      { path: file, algorithms: ["sha256"] },
      { path: file, algorithms: ["sha256", "md5", "sha1"] },
      { path: file, algorithms: [] },
      { path: empty, algorithms: ["sha256"] },
    ]);
    assert.deepEqual(onlySha, { kind: "file", size: bytes.length, digests: { sha256: digest("sha256", bytes) } });
    assert.deepEqual(all, {
      kind: "file",
      size: bytes.length,
      digests: { sha256: digest("sha256", bytes), md5: digest("md5", bytes), sha1: digest("sha1", bytes) },
    });
    assert.deepEqual(none, { kind: "file", size: bytes.length, digests: {} });
    assert.deepEqual(nothing, { kind: "file", size: 0, digests: { sha256: digest("sha256", "") } });
  });

  test("files: missing, symlink, FIFO, directory and socket are reported, never read or waited on", async () => {
    const original = path.join(dir, "original.bin");
    await writeFile(original, "the same bytes");
    const link = path.join(dir, "link.bin");
    await symlink(original, link);
    const fifo = path.join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    // Followed, this link would block on the FIFO: it must be reported as a link.
    const linkToFifo = path.join(dir, "link-to-pipe");
    await symlink(fifo, linkToFifo);
    const folder = path.join(dir, "folder");
    await mkdir(folder);
    const socket = path.join(dir, "socket");
    const server = createServer().listen(socket);
    await once(server, "listening");
    const started = performance.now();
    const results = await pool.checkFiles(
      [
        path.join(dir, "absent.bin"),
        path.join(dir, "absent", "deeper.bin"),
        link,
        linkToFifo,
        fifo,
        folder,
        "/dev/null",
        socket,
      ].map((p) => ({ path: p, algorithms: ["sha256"] as const })),
    );
    assert.deepEqual(results, [
      { kind: "missing" },
      { kind: "missing" },
      { kind: "not-regular", what: "symlink" },
      { kind: "not-regular", what: "symlink" },
      { kind: "not-regular", what: "fifo" },
      { kind: "not-regular", what: "directory" },
      { kind: "not-regular", what: "device" },
      { kind: "not-regular", what: "socket" },
    ]);
    assert.ok(performance.now() - started < 5000, "nothing was waited on");
    server.close();
  });

  test("files: a path that cannot be opened is an error with a reason, and the others still come back", async () => {
    const plain = path.join(dir, "plain.bin");
    await writeFile(plain, "open");
    // Permissions do not stop root, so the unreadable file only counts when the tests run as a user.
    const locked = path.join(dir, "locked.bin");
    await writeFile(locked, "secret", { mode: 0o000 });
    const isRoot = process.getuid?.() === 0;
    const results = await pool.checkFiles(
      [path.join(plain, "inside"), path.join(dir, "n".repeat(300)), plain, ...(isRoot ? [] : [locked])].map((p) => ({
        path: p,
        algorithms: ["sha256"] as const,
      })),
    );
    assert.deepEqual(results, [
      { kind: "error", message: "a part of the path is not a folder" },
      { kind: "error", message: "the name is too long" },
      { kind: "file", size: 4, digests: { sha256: digest("sha256", "open") } },
      ...(isRoot ? [] : [{ kind: "error", message: "permission denied" }]),
    ]);
  });

  test("files: a 64 MiB file's progress adds up to its size", async () => {
    const big = path.join(dir, "big.mp4");
    await writeRandomFile(big, 64 * MiB);
    let reported = 0;
    let calls = 0;
    const [result] = await pool.checkFiles([{ path: big, algorithms: ["sha256"] }], {
      onBytes: (n) => {
        reported += n;
        calls++;
      },
    });
    assert.equal(result?.kind, "file");
    assert.equal((result as Extract<FileCheckResult, { kind: "file" }>).size, 64 * MiB);
    assert.equal(reported, 64 * MiB);
    assert.ok(calls < 64, `progress is reported periodically, not per chunk (${calls} calls)`);
    const expected = execFileSync("sha256sum", [big], { encoding: "utf8" }).split(" ")[0];
    assert.equal((result as Extract<FileCheckResult, { kind: "file" }>).digests.sha256, expected);
  });

  test("files: cancelling rejects at once and the threads stop reading", async () => {
    const big = path.join(dir, "cancel.bin");
    await writeRandomFile(big, 64 * MiB);
    // 4 GiB to read in all: far longer than the test waits.
    const files = Array.from({ length: 64 }, () => ({ path: big, algorithms: ["sha256", "md5", "sha1"] as const }));
    const controller = new AbortController();
    let reportedAfterAbort = 0;
    const checking = pool.checkFiles(files, {
      signal: controller.signal,
      onBytes: (n) => {
        if (controller.signal.aborted) reportedAfterAbort += n;
        else if (n > 0) controller.abort();
      },
    });
    const started = performance.now();
    await assert.rejects(checking, { name: "AbortError" });
    assert.equal(reportedAfterAbort, 0);
    // The threads are free again well before 4 GiB could have been read.
    const [after] = await pool.checkFiles([{ path: big, algorithms: [] }]);
    assert.equal(after?.kind, "file");
    assert.ok(performance.now() - started < 3000, `threads stopped promptly (${performance.now() - started} ms)`);
    await assert.rejects(pool.checkFiles(files, { signal: AbortSignal.abort() }), { name: "AbortError" });
  });

  test("files: 2,000 small files come back in request order", async () => {
    const folder = path.join(dir, "many");
    await mkdir(folder);
    const contents = Array.from({ length: 2000 }, (_, i) => `file ${i} `.repeat(1 + (i % 50)));
    await Promise.all(contents.map((text, i) => writeFile(path.join(folder, `f${i}`), text)));
    const results = await pool.checkFiles(
      contents.map((_, i) => ({ path: path.join(folder, `f${i}`), algorithms: ["sha256"] })),
    );
    assert.deepEqual(
      results,
      contents.map((text) => ({
        kind: "file",
        size: Buffer.byteLength(text),
        digests: { sha256: digest("sha256", text) },
      })),
    );
  });

  test("concurrent calls: signatures and files at once, each answered correctly", async () => {
    const key = newKey();
    const folder = path.join(dir, "concurrent");
    await mkdir(folder);
    const names = Array.from({ length: 300 }, (_, i) => path.join(folder, `f${i}`));
    await Promise.all(names.map((p, i) => writeFile(p, `bytes ${i}`)));
    const big = path.join(dir, "concurrent-big.bin");
    await writeRandomFile(big, 32 * MiB);
    const batches = Array.from({ length: 6 }, (_, b) =>
      Array.from({ length: 512 }, (_, i) =>
        i === b ? { ...signed(key, `e${i}`), sig: "" } : signed(key, `e${b}-${i}`),
      ),
    );
    const [bigResult, smallResults, ...valid] = await Promise.all([
      pool.checkFiles([{ path: big, algorithms: ["sha256"] }]),
      pool.checkFiles(names.map((p) => ({ path: p, algorithms: ["md5"] }))),
      ...batches.map((batch) => pool.checkSignatures(batch)),
    ]);
    assert.equal(bigResult[0]?.kind, "file");
    assert.deepEqual(
      smallResults,
      names.map((_, i) => ({
        kind: "file",
        size: Buffer.byteLength(`bytes ${i}`),
        digests: { md5: digest("md5", `bytes ${i}`) },
      })),
    );
    valid.forEach((v, b) =>
      assert.deepEqual(
        v,
        batches[b]!.map((_, i) => i !== b),
      ),
    );
  });

  test("bad requests reject: an unknown algorithm", async () => {
    await assert.rejects(
      pool.checkFiles([{ path: dir, algorithms: ["crc32" as "md5"] }]),
      /unknown hash algorithm crc32/,
    );
  });
});

function rsaPublicKey(): string {
  const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
  return publicKey.export({ type: "spki", format: "der" }).toString("base64");
}
