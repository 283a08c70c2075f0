/**
 * Files the workbench page sends (browser mode: dropped or picked, the page never learns their
 * paths), over real HTTP on 127.0.0.1: announced with beginUpload, sent with PUT /upload, then
 * imported by the ordinary pipeline. Hostile names, short and long bodies, abandoned and cancelled
 * uploads.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { getEventListeners } from "node:events";
import http from "node:http";
import path from "node:path";
import { PassThrough } from "node:stream";
import { after, before, describe, test } from "node:test";
import type { LoopbackHost } from "../../electron/host/loopbackHost.js";
import { SightlineService } from "../../electron/services/sightlineService.js";
import { UploadSession } from "../../electron/services/import/uploadSession.js";
import type { ApiClient } from "../../renderer/api/apiClient.js";
import type { LedgerEvent } from "../../shared/ledger/events.js";
import { finishedJob } from "../support/apiJobs.js";
import { tempDir } from "../support/fixtures.js";
import { put, startUploadHost } from "../support/uploadHost.js";

/** Sends `bytes` then breaks the connection, as a page that is closed mid-upload does. */
function putAndBreak(host: LoopbackHost, query: string, bytes: Buffer, announced: number): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request({
      host: "127.0.0.1",
      port: host.port,
      path: `/upload?${query}`,
      method: "PUT",
      headers: { Authorization: `Bearer ${host.token}`, "Content-Length": String(announced) },
    });
    req.on("error", () => resolve());
    req.write(bytes, () => setTimeout(() => req.destroy(), 100));
    req.on("close", () => resolve());
  });
}

const imported = (events: LedgerEvent[]) =>
  events.filter((e) => e.type === "item.imported").map((e) => e.payload as Record<string, any>);

describe("uploads from the workbench page", () => {
  let host: LoopbackHost;
  let service: SightlineService;
  let client: ApiClient;
  let root: string;
  let close: () => Promise<void>;
  let makeCase: (title: string, examiner: string, hashAlgorithms?: ("md5" | "sha1")[]) => Promise<string>;

  before(async () => {
    ({ host, service, client, root, close, newCase: makeCase } = await startUploadHost());
  });
  after(() => close());

  const newCase = (hashAlgorithms: ("md5" | "sha1")[] = []) => makeCase("Uploads", "U. Ploader", hashAlgorithms);

  const ledgerOf = async (dir: string) => (await service.ledgerEvents({ dir })).map((e) => e.event);

  test("hostile names are recorded as given, never used as paths; bytes, times and channel are kept", async () => {
    const dir = await newCase(["md5", "sha1"]);
    const files = [
      { name: "../../etc/passwd", bytes: randomBytes(3000) },
      { name: "drop/<img src=x onerror=alert(1)>.jpg", bytes: randomBytes(70_000) },
      { name: "drop/sub/\u202egpj.exe", bytes: randomBytes(10) },
      { name: "drop/bell\u0007and\u001b[31mred.mp4", bytes: randomBytes(2_500_000) },
      { name: "empty.bin", bytes: Buffer.alloc(0) },
    ];
    const lastModified = Date.parse("2026-02-16T09:12:44Z");
    const begun = await client.api.beginUpload({
      dir,
      files: files.map((f) => ({ name: f.name, size: f.bytes.length, lastModified })),
      collection: { sourceUrl: "https://t.me/c/1", method: "dropped on the workbench" },
    });
    assert.ok(begun.ok, JSON.stringify(begun));
    const { jobId, uploadId } = begun.value;
    const done = finishedJob(client, jobId);
    for (const [index, f] of files.entries()) {
      const r = await put(host, `id=${uploadId}&index=${index}`, f.bytes);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const job = await done;
    assert.equal(job.status, "finished", job.error);
    assert.deepEqual(
      job.outcomes.map((o) => o.status),
      files.map(() => "imported"),
    );

    const records = imported(await ledgerOf(dir));
    for (const f of files) {
      const r = records.find((p) => p.source.path === f.name);
      assert.ok(r, `recorded: ${JSON.stringify(f.name)}`);
      assert.equal(r.source.channel, "upload");
      assert.equal(r.source.fileTimes.modified, "2026-02-16T09:12:44.000Z");
      assert.equal(r.source.fileTimes.accessed, null);
      assert.equal(await readFile(path.join(dir, r.objectPath)).then((b) => b.equals(f.bytes)), true);
      // Hashed as the bytes arrived, with every algorithm the case records.
      assert.equal(r.sha256, createHash("sha256").update(f.bytes).digest("hex"));
      assert.equal(r.md5, createHash("md5").update(f.bytes).digest("hex"));
      assert.equal(r.sha1, createHash("sha1").update(f.bytes).digest("hex"));
      assert.equal(r.collection.sourceUrl, "https://t.me/c/1");
    }
    const nested = records.find((p) => p.source.path === "drop/sub/\u202egpj.exe")!;
    assert.equal(nested.source.originalName, "\u202egpj.exe");
    assert.equal(nested.source.relativePath, "drop/sub/\u202egpj.exe");
    // Nothing was written by the page's names, and staging is empty again.
    assert.deepEqual(await readdir(path.join(dir, "tmp")), []);
    assert.ok(!(await readdir(root)).includes("etc"));
    const verified = await client.api.verifyCase({ dir });
    assert.ok(verified.ok && verified.value.isClean, JSON.stringify(verified));
  });

  test("a short body, a long body and a broken connection lose only that file, each with its reason", async () => {
    const dir = await newCase();
    const good = randomBytes(5000);
    const begun = await client.api.beginUpload({
      dir,
      files: [
        { name: "good.jpg", size: good.length, lastModified: 0 },
        { name: "short.jpg", size: 1000, lastModified: 0 },
        { name: "long.jpg", size: 1000, lastModified: 0 },
        { name: "broken.mp4", size: 4_000_000, lastModified: 0 },
      ],
      collection: {},
    });
    assert.ok(begun.ok);
    const { jobId, uploadId } = begun.value;
    const done = finishedJob(client, jobId);
    assert.equal((await put(host, `id=${uploadId}&index=0`, good)).status, 200);
    const short = await put(host, `id=${uploadId}&index=1`, randomBytes(400));
    assert.equal(short.status, 400);
    assert.equal(short.body.error?.message, "the upload ended after 400 of 1000 bytes");
    const long = await put(host, `id=${uploadId}&index=2`, randomBytes(5000));
    assert.equal(long.status, 400);
    assert.equal(long.body.error?.message, "more bytes arrived than the 1000 announced");
    await putAndBreak(host, `id=${uploadId}&index=3`, randomBytes(100_000), 4_000_000);

    const job = await done;
    assert.equal(job.status, "finished");
    const byName = new Map(job.outcomes.map((o) => [o.displayPath, o]));
    assert.equal(byName.get("good.jpg")?.status, "imported");
    for (const name of ["short.jpg", "long.jpg", "broken.mp4"]) {
      const o = byName.get(name)!;
      assert.equal(o.status, "refused", name);
      assert.ok("reason" in o && o.reason.length > 0 && !o.reason.includes("\n"), `${name}: ${JSON.stringify(o)}`);
    }
    const broken = byName.get("broken.mp4")!;
    assert.match("reason" in broken ? broken.reason : "", /broke off after \d+ of 4000000 bytes|ended after/);
    assert.deepEqual(await readdir(path.join(dir, "tmp")), []);
    const verified = await client.api.verifyCase({ dir });
    assert.ok(verified.ok && verified.value.isClean);
    assert.equal(verified.value.objectsChecked, 1);
  });

  test("bad requests get a clear one-line reason and change nothing", async () => {
    const dir = await newCase();
    const begun = await client.api.beginUpload({
      dir,
      files: [{ name: "a.jpg", size: 3, lastModified: 0 }],
      collection: {},
    });
    assert.ok(begun.ok);
    const { jobId, uploadId } = begun.value;
    const done = finishedJob(client, jobId);
    const noToken = await put(host, `id=${uploadId}&index=0`, Buffer.from("abc"), {});
    assert.equal(noToken.status, 401);
    const badIndex = await put(host, `id=${uploadId}&index=7`, Buffer.from("abc"));
    assert.deepEqual([badIndex.status, badIndex.body.error?.message], [400, "this upload has no file number 7"]);
    const badQuery = await put(host, `id=../../x&index=-1`, Buffer.from("abc"));
    assert.deepEqual(
      [badQuery.status, badQuery.body.error?.message],
      [400, "an upload needs id=<upload id>&index=<file number>"],
    );
    const unknown = await put(host, `id=${"0".repeat(8)}-0000-0000-0000-${"0".repeat(12)}&index=0`, Buffer.from("abc"));
    assert.equal(unknown.status, 404);
    assert.equal((await put(host, `id=${uploadId}&index=0`, Buffer.from("abc"))).status, 200);
    // Sent twice: refused, whether the upload is still open or has already moved on to the import.
    const again = await put(host, `id=${uploadId}&index=0`, Buffer.from("abc"));
    assert.ok(
      [
        "file number 0 of this upload was already sent",
        "no upload with that id is waiting (finished or cancelled)",
      ].includes(again.body.error?.message ?? ""),
      JSON.stringify(again.body),
    );
    assert.equal((await done).status, "finished");

    const none = await client.api.beginUpload({ dir, files: [], collection: {} });
    assert.equal(none.ok, false);
    const badUrl = await client.api.beginUpload({
      dir,
      files: [{ name: "x", size: 1, lastModified: 0 }],
      collection: { sourceUrl: "<script>" },
    });
    assert.ok(!badUrl.ok && /source URL is not a URL/.test(badUrl.error.message));
    const notACase = await client.api.beginUpload({
      dir: path.join(root, "nowhere"),
      files: [{ name: "x", size: 1, lastModified: 0 }],
      collection: {},
    });
    assert.equal(notACase.ok, false);
  });

  test("a file the page cannot read is abandoned with its reason; the others still import", async () => {
    const dir = await newCase();
    const begun = await client.api.beginUpload({
      dir,
      files: [
        { name: "gone.jpg", size: 10, lastModified: 0 },
        { name: "here.jpg", size: 4, lastModified: 0 },
      ],
      collection: {},
    });
    assert.ok(begun.ok);
    const { jobId, uploadId } = begun.value;
    const done = finishedJob(client, jobId);
    const abandoned = await client.api.abandonUpload({ uploadId, index: 0, reason: "NotReadableError" });
    assert.deepEqual(abandoned, { ok: true, value: { abandoned: true } });
    assert.equal((await put(host, `id=${uploadId}&index=1`, Buffer.from("here"))).status, 200);
    const job = await done;
    assert.deepEqual(
      job.outcomes.map((o) => [o.displayPath, o.status, "reason" in o ? o.reason : ""]),
      [
        ["gone.jpg", "refused", "the page could not send it: NotReadableError"],
        ["here.jpg", "imported", ""],
      ],
    );
  });

  test("cancelling while files arrive keeps what arrived out of the case and leaves it clean", async () => {
    const dir = await newCase();
    const begun = await client.api.beginUpload({
      dir,
      files: [
        { name: "first.jpg", size: 100, lastModified: 0 },
        { name: "second.mp4", size: 50_000_000, lastModified: 0 },
      ],
      collection: {},
    });
    assert.ok(begun.ok);
    const { jobId, uploadId } = begun.value;
    const done = finishedJob(client, jobId);
    assert.equal((await put(host, `id=${uploadId}&index=0`, randomBytes(100))).status, 200);
    // The second file starts arriving, then the examiner presses Cancel.
    const slow = new PassThrough();
    const sending = new Promise<number>((resolve) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port: host.port,
          path: `/upload?id=${uploadId}&index=1`,
          method: "PUT",
          headers: { Authorization: `Bearer ${host.token}`, "Content-Length": "50000000" },
        },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on("error", () => resolve(-1));
      slow.pipe(req);
    });
    slow.write(randomBytes(200_000));
    await new Promise((r) => setTimeout(r, 200));
    await client.api.cancelJob({ jobId });
    const job = await done;
    slow.destroy();
    assert.equal(job.status, "cancelled");
    assert.ok([409, -1].includes(await sending));
    assert.ok(job.outcomes.every((o) => o.status !== "imported"));
    assert.deepEqual(await readdir(path.join(dir, "tmp")), []);
    const verified = await client.api.verifyCase({ dir });
    assert.ok(verified.ok && verified.value.isClean);
  });

  test("an upload the page stops sending is given up after the idle time, file by file", async () => {
    const staging = await tempDir();
    const session = new UploadSession(
      "00000000-0000-0000-0000-000000000001",
      staging,
      [
        { name: "a", size: 3, lastModified: 0 },
        { name: "b", size: 3, lastModified: 0 },
      ],
      () => undefined,
      300,
    );
    const body = new PassThrough();
    const received = session.receive(0, body, new AbortController().signal);
    body.end(Buffer.from("abc"));
    assert.deepEqual(await received, { bytes: 3 });
    const waiting = new AbortController();
    await session.settled(waiting.signal);
    // Each second's wait removed its abort listener (a long upload once piled them up).
    assert.equal(getEventListeners(waiting.signal, "abort").length, 0);
    const scanned = await session.scanned();
    assert.deepEqual(
      scanned.files.map((f) => f.displayPath),
      ["a"],
    );
    assert.deepEqual(scanned.refused, [{ displayPath: "b", reason: "the page sent nothing for 300 ms" }]);
    await session.discard();
    assert.deepEqual(await readdir(staging), []);
  });
});
