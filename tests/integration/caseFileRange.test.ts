/**
 * Case files in byte ranges as the desktop window's app://sightline/files answers them
 * (electron/host/caseFileRange.ts, the module electron/main.ts hands its requests to), driven
 * with real Request objects and real files: a vault object, a sparse file of several GB read at
 * offsets past 4 GiB, and hostile paths; the loopback host's /files gives the same bytes.
 */
import assert from "node:assert/strict";
import { mkdir, open, readdir, symlink, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { test } from "node:test";
import { byteRange, caseFileResponse } from "../../electron/host/caseFileRange.js";
import { startLoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { testService } from "../support/testService.js";
import { tempDir } from "../support/fixtures.js";

const GIB = 1024 ** 3;

async function caseWithFiles() {
  const root = await tempDir();
  const service = testService(new KeyStore(path.join(root, "home")));
  const dir = path.join(root, "case");
  await service.createCase({ dir, title: "Ranges", examiner: "R. Ange", hashAlgorithms: ["sha256"] });
  const bytes = randomBytes(100_000);
  await writeFile(path.join(root, "scene.bin"), bytes);
  await service.importFiles({ dir, paths: [path.join(root, "scene.bin")], collection: {} });
  await service.jobs.settle();
  const [item] = await service.listItems({ dir });
  const { objectPath } = await service.getItem({ dir, sha256: item!.sha256 });
  // A 5 GiB derivative, sparse on disk, with known bytes past the 4 GiB mark (32-bit offsets end there).
  const folder = path.join(dir, "derived", item!.sha256);
  await mkdir(folder, { recursive: true });
  const big = `derived/${item!.sha256}/big.tif`;
  const handle = await open(path.join(dir, big), "w");
  await handle.truncate(5 * GIB);
  await handle.write(Buffer.from("far into the scene"), 0, 18, 4.5 * GIB);
  await handle.close();
  return { root, service, dir, bytes, objectPath, big, sha256: item!.sha256 };
}

const fileRequest = (dir: string, casePath: string, init: RequestInit = {}) =>
  new Request(`app://sightline/files?${new URLSearchParams({ dir, path: casePath })}`, init);

test("byte ranges are read as RFC 9110 says: first-last, first-, -suffix; anything else is the whole file", () => {
  assert.deepEqual(byteRange("bytes=0-9", 100), { start: 0, end: 9 });
  assert.deepEqual(byteRange("bytes=90-", 100), { start: 90, end: 99 });
  assert.deepEqual(byteRange("bytes=-10", 100), { start: 90, end: 99 });
  assert.deepEqual(byteRange("bytes=-1000", 100), { start: 0, end: 99 });
  assert.deepEqual(byteRange("bytes=50-5000", 100), { start: 50, end: 99 });
  assert.equal(byteRange("bytes=100-", 100), "unsatisfiable");
  assert.equal(byteRange("bytes=9-3", 100), "unsatisfiable");
  assert.equal(byteRange("bytes=-0", 100), "unsatisfiable");
  assert.equal(byteRange("bytes=0-0", 0), "unsatisfiable");
  for (const whole of [null, "", "bytes=-", "bytes=0-9,20-29", "items=0-9", "bytes=a-b", "bytes=99999999999999999-"]) {
    assert.equal(byteRange(whole, 100), null, String(whole));
  }
});

test("app://sightline/files answers ranges of a case file, past 4 GiB too, and refuses what it must", async () => {
  const c = await caseWithFiles();
  const opened = (dir: string) => c.service.isOpenedCase(dir);

  const whole = await caseFileResponse(fileRequest(c.dir, c.objectPath), opened);
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get("accept-ranges"), "bytes");
  assert.equal(whole.headers.get("content-length"), "100000");
  assert.equal(whole.headers.get("content-type"), "application/octet-stream");
  assert.equal(whole.headers.get("content-disposition"), "attachment");
  assert.match(whole.headers.get("content-security-policy") ?? "", /sandbox/);
  assert.ok(Buffer.from(await whole.arrayBuffer()).equals(c.bytes));

  const part = await caseFileResponse(
    fileRequest(c.dir, c.objectPath, { headers: { Range: "bytes=1000-1999" } }),
    opened,
  );
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("content-range"), "bytes 1000-1999/100000");
  assert.ok(Buffer.from(await part.arrayBuffer()).equals(c.bytes.subarray(1000, 2000)));
  const tail = await caseFileResponse(fileRequest(c.dir, c.objectPath, { headers: { Range: "bytes=-16" } }), opened);
  assert.equal(tail.status, 206);
  assert.ok(Buffer.from(await tail.arrayBuffer()).equals(c.bytes.subarray(-16)));
  const past = await caseFileResponse(
    fileRequest(c.dir, c.objectPath, { headers: { Range: "bytes=100000-" } }),
    opened,
  );
  assert.equal(past.status, 416);
  assert.equal(past.headers.get("content-range"), "bytes */100000");
  assert.equal((await past.arrayBuffer()).byteLength, 0);

  // A 5 GiB file read 1 MiB at a time where the map would: a range at 4.5 GiB, and the very end.
  const at = 4.5 * GIB;
  const far = await caseFileResponse(
    fileRequest(c.dir, c.big, { headers: { Range: `bytes=${at}-${at + 1024 * 1024 - 1}` } }),
    opened,
  );
  assert.equal(far.status, 206);
  assert.equal(far.headers.get("content-range"), `bytes ${at}-${at + 1024 * 1024 - 1}/${5 * GIB}`);
  assert.equal(far.headers.get("content-type"), "application/octet-stream", "a .tif derivative is not media");
  const farBytes = Buffer.from(await far.arrayBuffer());
  assert.equal(farBytes.length, 1024 * 1024);
  assert.equal(farBytes.subarray(0, 18).toString(), "far into the scene");
  const end = await caseFileResponse(
    fileRequest(c.dir, c.big, { headers: { Range: `bytes=${5 * GIB - 4}-` } }),
    opened,
  );
  assert.equal(end.status, 206);
  assert.equal((await end.arrayBuffer()).byteLength, 4);
  // HEAD says how big without sending (or reading) a byte.
  const head = await caseFileResponse(fileRequest(c.dir, c.big, { method: "HEAD" }), opened);
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-length"), String(5 * GIB));
  assert.equal(head.body, null);

  // Refusals: each one clear line, nothing served.
  const refused = async (r: Response, status: number, message: RegExp) => {
    assert.equal(r.status, status);
    const body = (await r.json()) as { ok: boolean; error: { message: string } };
    assert.equal(body.ok, false);
    assert.match(body.error.message, message);
    assert.ok(!body.error.message.includes("\n"));
  };
  await refused(await caseFileResponse(fileRequest(c.dir, c.objectPath, { method: "POST" }), opened), 405, /GET/);
  const other = path.join(c.root, "not-opened");
  await refused(await caseFileResponse(fileRequest(other, c.objectPath), opened), 404, /open case/);
  for (const bad of [
    "case.json",
    "ledger.jsonl",
    "../case/case.json",
    "objects/sha256/../../case.json",
    `derived/${"a".repeat(64)}/../x`,
    `derived/${c.sha256}/<img src=x onerror=alert(1)>.png`,
    `derived/${c.sha256}/\u202egnp.exe`,
    `derived/${c.sha256}/a\u0000.png`,
    `derived/${c.sha256}/a\nb.png`,
    "/etc/passwd",
    "",
  ]) {
    await refused(await caseFileResponse(fileRequest(c.dir, bad), opened), 400, /not a case file path/);
  }
  await refused(
    await caseFileResponse(fileRequest(c.dir, `objects/sha256/00/${"0".repeat(62)}`), opened),
    404,
    /no such file/,
  );
  // A link planted in the case that leads out of it, and a folder where a file should be.
  await writeFile(path.join(c.root, "secret.txt"), "not evidence");
  await symlink(path.join(c.root, "secret.txt"), path.join(c.dir, "derived", c.sha256, "planted.jpg"));
  const viaLink = await caseFileResponse(fileRequest(c.dir, `derived/${c.sha256}/planted.jpg`), opened);
  assert.equal(viaLink.status, 400);
  assert.ok(!(await viaLink.text()).includes("not evidence"));
  await mkdir(path.join(c.dir, "derived", c.sha256, "folder.png"));
  await refused(
    await caseFileResponse(fileRequest(c.dir, `derived/${c.sha256}/folder.png`), opened),
    400,
    /not a regular file/,
  );

  // Ranges abandoned after their first chunk (tiles the map no longer needs) leave no file open.
  const before = (await readdir("/proc/self/fd")).length;
  for (let i = 0; i < 20; i++) {
    const r = await caseFileResponse(
      fileRequest(c.dir, c.big, { headers: { Range: `bytes=${(i * GIB) / 4}-` } }),
      opened,
    );
    const reader = r.body!.getReader();
    await reader.read();
    await reader.cancel();
  }
  await new Promise((r) => setTimeout(r, 300));
  assert.ok((await readdir("/proc/self/fd")).length <= before + 2, "no descriptors left open");

  // The loopback host's /files answers the same bytes from the same module.
  const host = await startLoopbackHost({ service: c.service });
  try {
    const target = `${host.url}/files?${new URLSearchParams({ dir: c.dir, path: c.big })}`;
    const viaHost = await fetch(target, {
      headers: { Authorization: `Bearer ${host.token}`, Range: `bytes=${at}-${at + 17}` },
    });
    assert.equal(viaHost.status, 206);
    assert.equal(viaHost.headers.get("content-range"), `bytes ${at}-${at + 17}/${5 * GIB}`);
    assert.equal(await viaHost.text(), "far into the scene");
    const hostRefusal = await fetch(`${host.url}/files?${new URLSearchParams({ dir: c.dir, path: "case.json" })}`, {
      headers: { Authorization: `Bearer ${host.token}` },
    });
    assert.equal(hostRefusal.status, 400);
    assert.match(((await hostRefusal.json()) as { error: { message: string } }).error.message, /not a case file path/);
  } finally {
    await host.close();
  }
});
