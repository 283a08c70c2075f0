/**
 * A large file the page sends as several ranges at once (PUT /upload?…&offset&length), over real
 * HTTP on 127.0.0.1: ranges out of order and interleaved are hashed and stored in order; ranges
 * that overlap, run past the file, or end short or long fail the file with a one-line reason and
 * leave nothing staged; a staging thread that dies and a cancel mid-range lose the file, not the
 * others, and nothing reaches the ledger.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import { after, before, describe, test } from "node:test";
import type { LoopbackHost } from "../../electron/host/loopbackHost.js";
import { SightlineService } from "../../electron/services/sightlineService.js";
import { UploadSession, type UploadProgress } from "../../electron/services/import/uploadSession.js";
import type { ApiClient } from "../../renderer/api/apiClient.js";
import { finishedJob } from "../support/apiJobs.js";
import { tempDir } from "../support/fixtures.js";
import { openPut, put, startUploadHost } from "../support/uploadHost.js";

const MiB = 1024 * 1024;

/** A session's progress callback, and a promise that resolves once its first bytes have arrived. */
function firstBytes(): { onProgress: (p: UploadProgress) => void; bytes: Promise<void> } {
  let arrived: () => void = () => undefined;
  const bytes = new Promise<void>((resolve) => (arrived = resolve));
  return { onProgress: (p) => p.bytesDone > 0 && arrived(), bytes };
}

describe("uploads of a large file in ranges", () => {
  let host: LoopbackHost;
  let service: SightlineService;
  let client: ApiClient;
  let close: () => Promise<void>;
  let newCase: (title: string, examiner: string, hashAlgorithms?: ("md5" | "sha1")[]) => Promise<string>;

  before(async () => {
    ({ host, service, client, close, newCase } = await startUploadHost());
  });
  after(() => close());

  async function begin(files: { name: string; size: number }[], hashAlgorithms: ("md5" | "sha1")[] = []) {
    const dir = await newCase("Ranges", "R. Anger", hashAlgorithms);
    const begun = await client.api.beginUpload({
      dir,
      files: files.map((f) => ({ ...f, lastModified: 0 })),
      collection: {},
    });
    assert.ok(begun.ok, JSON.stringify(begun));
    return { dir, ...begun.value, done: finishedJob(client, begun.value.jobId) };
  }

  test("ranges sent out of order and at once are stored and hashed in order", async () => {
    const bytes = randomBytes(5 * MiB + 12_345);
    const { dir, uploadId, done } = await begin([{ name: "video.mp4", size: bytes.length }], ["md5", "sha1"]);
    const cuts = [0, 2 * MiB + 7, 4 * MiB + 1, bytes.length];
    // The last range first, the first range last, the middle one dribbled in small pieces meanwhile.
    const ranges = [2, 1, 0].map((i) => {
      const [start, end] = [cuts[i]!, cuts[i + 1]!];
      return {
        ...openPut(host, `id=${uploadId}&index=0&offset=${start}&length=${end - start}`),
        part: bytes.subarray(start, end),
      };
    });
    ranges[0]!.body.end(ranges[0]!.part);
    for (let at = 0; at < ranges[1]!.part.length; at += 300_000) {
      ranges[1]!.body.write(ranges[1]!.part.subarray(at, at + 300_000));
      await new Promise((r) => setImmediate(r));
    }
    ranges[1]!.body.end();
    ranges[2]!.body.end(ranges[2]!.part);
    for (const r of ranges) assert.equal((await r.answer).status, 200, JSON.stringify((await r.answer).body));
    const job = await done;
    assert.equal(job.status, "finished", job.error);
    const events = (await service.ledgerEvents({ dir })).map((e) => e.event);
    const item = events.find((e) => e.type === "item.imported")!.payload as Record<string, any>;
    assert.equal(item.sha256, createHash("sha256").update(bytes).digest("hex"));
    assert.equal(item.md5, createHash("md5").update(bytes).digest("hex"));
    assert.equal(item.sha1, createHash("sha1").update(bytes).digest("hex"));
    assert.equal(item.size, bytes.length);
    assert.ok((await readFile(path.join(dir, item.objectPath))).equals(bytes));
    assert.deepEqual(await readdir(path.join(dir, "tmp")), []);
  });

  test("overlapping, out-of-bounds, short and long ranges fail that file with a reason; the others import", async () => {
    const size = 3 * MiB;
    const files = ["overlap.mp4", "past.mp4", "short.mp4", "long.mp4", "good.jpg", "tiny.mp4"].map((name) => ({
      name,
      size,
    }));
    const { dir, uploadId, done } = await begin(files);
    const q = (index: number, offset: number | string, length: number | string) =>
      `id=${uploadId}&index=${index}&offset=${offset}&length=${length}`;
    // Malformed ranges are refused before anything is staged, and the file can still be sent.
    for (const [offset, length] of [
      ["-1", "5"],
      ["0", "0"],
      ["x", "5"],
      ["0", ""],
    ] as const) {
      const bad = await put(host, q(0, offset, length), Buffer.from("abcde"));
      assert.deepEqual(
        [bad.status, bad.body.error?.message],
        [400, "a range of an upload needs offset=<byte> and length=<bytes>"],
      );
    }
    const noLength = await put(host, `id=${uploadId}&index=0&offset=0`, Buffer.from("abc"));
    assert.equal(noLength.status, 400);

    const first = openPut(host, q(0, 0, 2 * MiB));
    first.body.write(randomBytes(MiB));
    const overlap = await put(host, q(0, MiB, MiB), randomBytes(MiB));
    assert.deepEqual(
      [overlap.status, overlap.body.error?.message],
      [400, `the range ${MiB}+${MiB} overlaps bytes already sent`],
    );
    first.body.end(randomBytes(MiB));
    assert.equal((await first.answer).status, 400, "the file was given up");

    const past = await put(host, q(1, 2 * MiB, 2 * MiB), randomBytes(2 * MiB));
    assert.deepEqual(
      [past.status, past.body.error?.message],
      [400, `the range ${2 * MiB}+${2 * MiB} goes past the ${size} bytes announced`],
    );
    const short = await put(host, q(2, 0, 2 * MiB), randomBytes(MiB));
    assert.deepEqual(
      [short.status, short.body.error?.message],
      [400, `the range at 0 ended after ${MiB} of its ${2 * MiB} bytes`],
    );
    const long = await put(host, q(3, MiB, MiB), randomBytes(MiB + 1));
    assert.deepEqual([long.status, long.body.error?.message], [400, `more bytes arrived than the range's ${MiB}`]);
    const good = randomBytes(size);
    const parts = await Promise.all([
      put(host, q(4, MiB, 2 * MiB), good.subarray(MiB)),
      put(host, q(4, 0, MiB), good.subarray(0, MiB)),
    ]);
    assert.deepEqual(
      parts.map((p) => p.status),
      [200, 200],
    );
    const tiny = await put(host, q(5, 0, 1000), randomBytes(1000));
    assert.deepEqual(
      [tiny.status, tiny.body.error?.message],
      [400, "a range must be at least 1 MiB long, except the file's last"],
    );
    // A file once failed stays failed: a later range is refused with its reason.
    const late = await put(host, q(2, 2 * MiB, MiB), randomBytes(MiB));
    assert.equal(late.status, 400);

    const job = await done;
    assert.equal(job.status, "finished", job.error);
    const byName = new Map(job.outcomes.map((o) => [o.displayPath, o]));
    assert.equal(byName.get("good.jpg")?.status, "imported");
    for (const name of ["overlap.mp4", "past.mp4", "short.mp4", "long.mp4", "tiny.mp4"]) {
      const o = byName.get(name)!;
      assert.equal(o.status, "refused", name);
      assert.ok("reason" in o && o.reason.length > 0 && !o.reason.includes("\n"), `${name}: ${JSON.stringify(o)}`);
    }
    const events = (await service.ledgerEvents({ dir })).map((e) => e.event);
    const item = events.find((e) => e.type === "item.imported")!.payload as Record<string, any>;
    assert.equal(item.sha256, createHash("sha256").update(good).digest("hex"));
    assert.equal(events.filter((e) => e.type === "item.imported").length, 1);
    assert.deepEqual(await readdir(path.join(dir, "tmp")), []);
  });

  test("a staging thread that dies mid-file, and a cancel mid-range, leave nothing staged", async () => {
    const staging = await tempDir();
    const files = [
      { name: "a.mp4", size: 8 * MiB, lastModified: 0 },
      { name: "b.mp4", size: 8 * MiB, lastModified: 0 },
    ];
    const arrived = firstBytes();
    const session = new UploadSession("00000000-0000-0000-0000-000000000002", staging, files, arrived.onProgress);
    const body = new PassThrough();
    const receiving = session.receive(0, body, new AbortController().signal, { start: 0, length: 8 * MiB });
    receiving.catch(() => undefined);
    body.write(randomBytes(3 * MiB));
    await arrived.bytes;
    // Both threads: a dead thread is replaced and only what it held fails, so the one hashing this file must die.
    await session.stagingThreads!.stopThread(0);
    await session.stagingThreads!.stopThread(1);
    body.end(randomBytes(5 * MiB));
    await assert.rejects(receiving, /a staging thread stopped unexpectedly \(exit code \d+\)/);
    assert.deepEqual(await readdir(staging), []);
    await session.discard();

    const started = firstBytes();
    const second = new UploadSession("00000000-0000-0000-0000-000000000003", staging, files, started.onProgress);
    const cancel = new AbortController();
    const range = new PassThrough();
    const cut = second.receive(1, range, cancel.signal, { start: MiB, length: 7 * MiB });
    cut.catch(() => undefined);
    range.write(randomBytes(2 * MiB + 17));
    await started.bytes;
    cancel.abort();
    await assert.rejects(cut, /the import was cancelled/);
    await second.settled(cancel.signal);
    const scanned = await second.scanned();
    assert.deepEqual(scanned.files, []);
    assert.equal(scanned.refused.length, 2);
    await second.discard();
    assert.deepEqual(await readdir(staging), []);
  });
});
