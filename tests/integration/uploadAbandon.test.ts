/**
 * A large upload that stops part-way must still end: the page gives a part-sent file up, the page
 * goes quiet after some ranges were answered, or the import is cancelled while a range is open.
 * Each ends the file with a one-line reason and leaves nothing staged; a file's digests are never
 * taken from a file that failed meanwhile; and a session takes one file at a time.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import type { LoopbackHost } from "../../electron/host/loopbackHost.js";
import { UploadSession } from "../../electron/services/import/uploadSession.js";
import { CHUNK } from "../../electron/services/vault/objectStager.js";
import { StageThreads } from "../../electron/services/vault/stageThreads.js";
import type { ApiClient } from "../../renderer/api/apiClient.js";
import { UPLOAD_RANGE_BYTES, uploadSender } from "../../renderer/src/connection.js";
import { finishedJob } from "../support/apiJobs.js";
import { tempDir } from "../support/fixtures.js";
import { openPut, put, startUploadHost } from "../support/uploadHost.js";

const MiB = 1024 * 1024;
const threeMiB = [{ name: "clip.mp4", size: 3 * MiB, lastModified: 0 }];
let sessionNo = 0;
const newSession = (staging: string, files = threeMiB, idleMs?: number) =>
  new UploadSession(
    `00000000-0000-0000-0000-${String(++sessionNo).padStart(12, "0")}`,
    staging,
    files,
    () => undefined,
    idleMs,
  );

describe("uploads that stop part-way", () => {
  let host: LoopbackHost;
  let client: ApiClient;
  let root: string;
  let close: () => Promise<void>;

  before(async () => {
    ({ host, client, root, close } = await startUploadHost());
  });
  after(() => close());

  test("a part-sent file the page gives up is refused with its reason, its open range too; the next file imports", async () => {
    const dir = path.join(root, "abandon");
    assert.ok((await client.api.createCase({ dir, title: "Abandon", examiner: "A. Bandon" })).ok);
    const begun = await client.api.beginUpload({
      dir,
      files: [...threeMiB, { name: "note.txt", size: 4, lastModified: 0 }],
      collection: {},
    });
    assert.ok(begun.ok, JSON.stringify(begun));
    const { jobId, uploadId } = begun.value;
    const done = finishedJob(client, jobId);
    const q = (offset: number) => `id=${uploadId}&index=0&offset=${offset}&length=${MiB}`;
    assert.equal((await put(host, q(0), randomBytes(MiB))).status, 200);
    const open = openPut(host, q(MiB));
    open.body.write(randomBytes(MiB / 2));
    const abandoned = await client.api.abandonUpload({ uploadId, index: 0, reason: "NotReadableError" });
    assert.deepEqual(abandoned, { ok: true, value: { abandoned: true } });
    const cut = await open.answer;
    open.body.destroy();
    assert.deepEqual([cut.status, cut.body.error?.message], [400, "the page could not send it: NotReadableError"]);
    assert.equal((await put(host, `id=${uploadId}&index=1`, Buffer.from("note"))).status, 200);
    const job = await done;
    assert.equal(job.status, "finished", job.error);
    assert.deepEqual(
      job.outcomes.map((o) => [o.displayPath, o.status, "reason" in o ? o.reason : ""]),
      [
        ["clip.mp4", "refused", "the page could not send it: NotReadableError"],
        ["note.txt", "imported", ""],
      ],
    );
    assert.deepEqual(await readdir(path.join(dir, "tmp")), []);
  });

  test("the page's sender: a file whose cancel came before its turn sends nothing; a large one goes in ranges", async () => {
    const dir = path.join(root, "sender");
    assert.ok((await client.api.createCase({ dir, title: "Sender", examiner: "S. Ender" })).ok);
    const size = UPLOAD_RANGE_BYTES + 5;
    const bytes = randomBytes(size);
    const begun = await client.api.beginUpload({
      dir,
      files: ["early.mp4", "sent.mp4"].map((name) => ({ name, size, lastModified: 0 })),
      collection: {},
    });
    assert.ok(begun.ok, JSON.stringify(begun));
    const { jobId, uploadId } = begun.value;
    const done = finishedJob(client, jobId);
    const send = uploadSender(host.url.replace(/\/$/, ""), host.token);
    const cancelled = new AbortController();
    cancelled.abort();
    await assert.rejects(send(uploadId, 0, new Blob([bytes]), cancelled.signal), { name: "AbortError" });
    // Nothing of it arrived: the file is still waiting, so it can be given up.
    const abandoned = await client.api.abandonUpload({ uploadId, index: 0, reason: "cancelled" });
    assert.deepEqual(abandoned, { ok: true, value: { abandoned: true } });
    await send(uploadId, 1, new Blob([bytes]), new AbortController().signal);
    const job = await done;
    assert.deepEqual(
      job.outcomes.map((o) => [o.displayPath, o.status]),
      [
        ["early.mp4", "refused"],
        ["sent.mp4", "imported"],
      ],
    );
  });

  test("a page that goes quiet after two of three ranges were answered: the file is given up with a reason", async () => {
    const staging = await tempDir();
    const session = newSession(staging, threeMiB, 50);
    const signal = new AbortController().signal;
    for (const start of [0, MiB]) {
      const answered = await session.receive(0, Readable.from([randomBytes(MiB)]), signal, { start, length: MiB });
      assert.deepEqual(answered, { bytes: MiB });
    }
    await session.settled(signal);
    const scanned = await session.scanned();
    assert.deepEqual(scanned.files, []);
    assert.deepEqual(scanned.refused, [{ displayPath: "clip.mp4", reason: "the page sent nothing for 50 ms" }]);
    assert.deepEqual(await readdir(staging), []);
    await assert.rejects(
      session.receive(0, Readable.from([randomBytes(MiB)]), signal, { start: 2 * MiB, length: MiB }),
      /the page sent nothing for 50 ms/,
    );
  });

  test("a cancel while a range is open ends the file whose other ranges were already answered", async () => {
    const staging = await tempDir();
    const session = newSession(staging);
    const cancel = new AbortController();
    await session.receive(0, Readable.from([randomBytes(MiB)]), cancel.signal, { start: 0, length: MiB });
    const open = new PassThrough();
    const cut = session.receive(0, open, cancel.signal, { start: 2 * MiB, length: MiB });
    cut.catch(() => undefined);
    open.write(randomBytes(1000));
    cancel.abort();
    await assert.rejects(cut, /the import was cancelled/);
    await session.settled(cancel.signal);
    assert.deepEqual((await session.scanned()).refused, [
      { displayPath: "clip.mp4", reason: "cancelled before it had arrived" },
    ]);
    assert.deepEqual(await readdir(staging), []);
  });

  test("one file at a time: a second file is refused while the first arrives; bytes before the frontier are refused", async () => {
    const staging = await tempDir();
    const files = [...threeMiB, { name: "b.mp4", size: 2 * MiB, lastModified: 0 }];
    const session = newSession(staging, files);
    const signal = new AbortController().signal;
    await session.receive(0, Readable.from([randomBytes(MiB)]), signal, { start: 0, length: MiB });
    await assert.rejects(
      session.receive(1, Readable.from([randomBytes(MiB)]), signal, { start: 0, length: MiB }),
      /^SightlineError: file number 0 of this upload is still arriving; send one file at a time$/,
    );
    await assert.rejects(
      session.receive(0, Readable.from([randomBytes(MiB)]), signal, { start: 0, length: MiB }),
      new RegExp(`the range 0\\+${MiB} overlaps bytes already sent`),
    );
    // The overlap failed the first file; the second may now come.
    assert.deepEqual(await session.receive(1, Readable.from([randomBytes(2 * MiB)]), signal, null), { bytes: 2 * MiB });
    await session.settled(signal);
    const scanned = await session.scanned();
    assert.deepEqual(
      scanned.files.map((f) => f.displayPath),
      ["b.mp4"],
    );
    assert.deepEqual(scanned.refused, [
      { displayPath: "clip.mp4", reason: `the range 0+${MiB} overlaps bytes already sent` },
    ]);
    await session.discard();
    assert.deepEqual(await readdir(staging), []);
  });

  test("a duplicate range while the last one is being finished: the file fails, nothing marks it received", async () => {
    const staging = await tempDir();
    const session = newSession(staging);
    const signal = new AbortController().signal;
    await session.receive(0, Readable.from([randomBytes(2 * MiB)]), signal, { start: 0, length: 2 * MiB });
    const last = session.receive(0, Readable.from([randomBytes(MiB)]), signal, { start: 2 * MiB, length: MiB });
    last.catch(() => undefined);
    const duplicate = session.receive(0, Readable.from([randomBytes(MiB)]), signal, { start: 2 * MiB, length: MiB });
    await assert.rejects(duplicate, /overlaps bytes already sent/);
    await assert.rejects(last, /overlaps bytes already sent/);
    await session.settled(signal);
    const scanned = await session.scanned();
    assert.deepEqual(scanned.files, []);
    assert.equal(scanned.refused.length, 1);
    assert.deepEqual(await readdir(staging), []);
  });

  test("a hashing lane dropped before its end gives no digest, never one of part of the file", async () => {
    const threads = new StageThreads(1);
    try {
      const memory = new SharedArrayBuffer(CHUNK);
      const chunk = new Uint8Array(memory);
      chunk.fill(7);
      const hashing = threads.hashFile(["sha256", "md5"]);
      await hashing.update(chunk, CHUNK);
      hashing.drop();
      await assert.rejects(hashing.digests(), /the file was given up while it was hashed/);
    } finally {
      await threads.close();
    }
  });
});
