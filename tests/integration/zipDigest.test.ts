/**
 * The bundle zip's digest thread (electron/services/exchange/zipDigest.ts): chunks that are small
 * views into one large buffer (as Node's pooled buffers are) are hashed as exactly their own bytes,
 * and pass through unchanged; a thread that stops while a chunk may be held back ends the stream
 * with one clear error instead of leaving it waiting; each file's digest is of its own bytes at its place in
 * the zip, and a zip cut short of a file gives a reason, not a digest.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { test } from "node:test";
import { zipDigest } from "../../electron/services/exchange/zipDigest.js";

test("chunks that are views into one large buffer are hashed as their own bytes", async () => {
  const pool = randomBytes(8 << 20);
  const chunks: Buffer[] = [];
  for (let at = 0; at + 4096 <= pool.length; at += 4096 * 3) chunks.push(pool.subarray(at + 17, at + 4096));
  const digest = zipDigest();
  const written: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    digest.stream,
    new Writable({
      write(chunk: Buffer, _encoding, next) {
        written.push(chunk);
        next();
      },
    }),
  );
  const expected = createHash("sha256");
  for (const c of chunks) expected.update(c);
  const { sha256, size } = await digest.result();
  assert.equal(sha256, expected.digest("hex"));
  assert.equal(
    size,
    chunks.reduce((n, c) => n + c.length, 0),
  );
  assert.deepEqual(Buffer.concat(written), Buffer.concat(chunks), "the zip's own bytes pass through unchanged");
});

test("a hashing thread stopped while a chunk may be held back ends the stream with one error", async () => {
  const digest = zipDigest();
  const errors: Error[] = [];
  digest.stream.on("error", (e) => errors.push(e));
  digest.stream.resume();
  // More than may be in flight at once: the stream holds this chunk until the thread catches up.
  digest.stream.write(Buffer.alloc(40 << 20, 7));
  const ended = new Promise((resolve) => digest.stream.on("close", resolve));
  await digest.close();
  // Whether or not the thread had caught up before it stopped, the next chunk cannot go through.
  digest.stream.write(Buffer.alloc(1024, 8), () => undefined);
  await ended;
  assert.equal(errors.length, 1, errors.map(String).join("; "));
  assert.match(errors[0]!.message, /the zip hashing thread stopped/);
  await assert.rejects(digest.result(), /the zip hashing thread stopped/);
});

test("a file's digest is of its bytes at its place in the zip, whatever the chunks' bounds", async () => {
  const header = Buffer.from("local header");
  const file = randomBytes(3 << 20);
  const second = randomBytes(5000);
  const between = Buffer.from("data descriptor, next header");
  const zip = Buffer.concat([header, file, between, second, Buffer.from("central directory")]);
  // Chunks that cut across the files' bounds, as a zip stream's may.
  const chunks: Buffer[] = [];
  for (let at = 0; at < zip.length; at += 700_001) chunks.push(zip.subarray(at, at + 700_001));
  const digest = zipDigest();
  const first = digest.fileAt(header.length, file.length);
  const other = digest.fileAt(header.length + file.length + between.length, second.length);
  await pipeline(Readable.from(chunks), digest.stream, new Writable({ write: (_c, _e, next) => next() }));
  const { sha256 } = await digest.result();
  assert.equal(await first, createHash("sha256").update(file).digest("hex"));
  assert.equal(await other, createHash("sha256").update(second).digest("hex"));
  assert.equal(sha256, createHash("sha256").update(zip).digest("hex"));
});

test("a zip that ends before a file's bytes are all in it fails with a reason instead of a digest", async () => {
  const digest = zipDigest();
  const file = digest.fileAt(10, 1 << 20);
  file.catch(() => undefined);
  await pipeline(Readable.from([randomBytes(1000)]), digest.stream, new Writable({ write: (_c, _e, next) => next() }));
  await assert.rejects(digest.result(), /file 0 ended 1047586 bytes short in the zip/);
  await assert.rejects(file, /bytes short in the zip/);
  await digest.close();
});
