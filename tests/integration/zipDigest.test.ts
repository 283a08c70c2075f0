/**
 * The bundle zip's digest thread (electron/services/exchange/zipDigest.ts): chunks that are small
 * views into one large buffer (as Node's pooled buffers are) are hashed as exactly their own bytes,
 * and pass through unchanged; a thread that stops while a chunk may be held back ends the stream
 * with one clear error instead of leaving it waiting.
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
