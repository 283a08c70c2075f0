/**
 * Case files over the loopback host, as <img> and <video> load them: a session cookie set only
 * with the token and accepted only by /files, single byte ranges for seeking, and the same refusals
 * as ever for anything that is not a vault object, derivative or export.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdir, readdir, symlink, writeFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { test } from "node:test";
import { startLoopbackHost, type LoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { testService } from "../support/testService.js";
import { tempDir } from "../support/fixtures.js";

function request(
  host: LoopbackHost,
  target: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: host.port, path: target, method: options.method ?? "GET", headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

test("case files load with a session cookie made with the token, in ranges, and nothing else does", async () => {
  const root = await tempDir();
  const service = testService(new KeyStore(path.join(root, "home")));
  const host = await startLoopbackHost({ service });
  try {
    const dir = path.join(root, "case");
    await service.createCase({ dir, title: "Files", examiner: "F. Iles", hashAlgorithms: ["sha256"] });
    const bytes = randomBytes(100_000);
    await writeFile(path.join(root, "clip.bin"), bytes);
    await service.importFiles({ dir, paths: [path.join(root, "clip.bin")], collection: {} });
    await service.jobs.settle();
    const [item] = await service.listItems({ dir });
    const objectPath = (await service.getItem({ dir, sha256: item!.sha256 })).objectPath;
    const target = `/files?${new URLSearchParams({ dir, path: objectPath })}`;

    // No cookie yet, and a cookie cannot be had without the token.
    assert.equal((await request(host, target)).status, 401);
    assert.equal((await request(host, "/session", { method: "POST" })).status, 401);
    const session = await request(host, "/session", {
      method: "POST",
      headers: { Authorization: `Bearer ${host.token}` },
    });
    assert.equal(session.status, 204);
    const setCookie = session.headers["set-cookie"]?.[0] ?? "";
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    assert.match(setCookie, /Path=\/files/);
    const cookie = setCookie.split(";")[0]!;
    // Its own secret, not the API token, under a name that carries this host's port.
    assert.ok(cookie.startsWith(`sightline-files-${host.port}=`));
    assert.ok(!setCookie.includes(host.token));

    const whole = await request(host, target, { headers: { Cookie: cookie } });
    assert.equal(whole.status, 200);
    assert.ok(whole.body.equals(bytes));
    assert.equal(whole.headers["accept-ranges"], "bytes");
    const part = await request(host, target, { headers: { Cookie: cookie, Range: "bytes=1000-1999" } });
    assert.equal(part.status, 206);
    assert.equal(part.headers["content-range"], "bytes 1000-1999/100000");
    assert.ok(part.body.equals(bytes.subarray(1000, 2000)));
    const tail = await request(host, target, { headers: { Cookie: cookie, Range: "bytes=-500" } });
    assert.ok(tail.body.equals(bytes.subarray(99_500)));
    const open = await request(host, target, { headers: { Cookie: cookie, Range: "bytes=99000-" } });
    assert.ok(open.body.equals(bytes.subarray(99_000)));
    const beyond = await request(host, target, { headers: { Cookie: cookie, Range: "bytes=200000-" } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers["content-range"], "bytes */100000");

    // The cookie opens /files only: not the API, not the event stream; a wrong one opens nothing.
    const api = await request(host, "/api/listItems", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/json" },
    });
    assert.equal(api.status, 401);
    assert.equal((await request(host, "/api/events", { headers: { Cookie: cookie } })).status, 401);
    assert.equal((await request(host, target, { headers: { Cookie: "sightline-files=guess" } })).status, 401);
    // By cookie, only cases this host opened: another case on disk stays closed, though the token still reads it.
    const other = path.join(root, "other-case");
    const elsewhere = testService(new KeyStore(path.join(root, "home")));
    await elsewhere.createCase({
      dir: other,
      title: "Not opened here",
      examiner: "F. Iles",
      hashAlgorithms: ["sha256"],
    });
    await elsewhere.importFiles({ dir: other, paths: [path.join(root, "clip.bin")], collection: {} });
    await elsewhere.jobs.settle();
    const unopened = `/files?${new URLSearchParams({ dir: other, path: objectPath })}`;
    const closed = await request(host, unopened, { headers: { Cookie: cookie } });
    assert.equal(closed.status, 404);
    assert.match(closed.body.toString(), /open case/);
    // And /files still refuses what is not a case file, cookie or not.
    for (const bad of [
      "case.json",
      "../case/case.json",
      "objects/sha256/../../case.json",
      `derived/${"a".repeat(64)}/../x`,
    ]) {
      const r = await request(host, `/files?${new URLSearchParams({ dir, path: bad })}`, {
        headers: { Cookie: cookie },
      });
      assert.equal(r.status, 400, bad);
      assert.match(r.body.toString(), /not a case file path/);
    }
    // A link planted in derived/ that leads out of the case is refused, cookie or not.
    const outside = path.join(root, "secret.txt");
    await writeFile(outside, "not evidence");
    const planted = `derived/${item!.sha256}/planted.jpg`;
    await mkdir(path.join(dir, "derived", item!.sha256), { recursive: true });
    await symlink(outside, path.join(dir, planted));
    const viaLink = await request(host, `/files?${new URLSearchParams({ dir, path: planted })}`, {
      headers: { Cookie: cookie },
    });
    assert.equal(viaLink.status, 400);
    assert.ok(!viaLink.body.toString().includes("not evidence"));
    // A request abandoned mid-file (a video seeking) leaves no file open behind it.
    await writeFile(path.join(root, "long.bin"), randomBytes(16 * 1024 * 1024));
    await service.importFiles({ dir, paths: [path.join(root, "long.bin")], collection: {} });
    await service.jobs.settle();
    const long = (await service.listItems({ dir })).find((i) => i.name === "long.bin")!;
    const longPath = (await service.getItem({ dir, sha256: long.sha256 })).objectPath;
    const longTarget = `/files?${new URLSearchParams({ dir, path: longPath })}`;
    const before = (await readdir("/proc/self/fd")).length;
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const req = http.request(
          { host: "127.0.0.1", port: host.port, path: longTarget, headers: { Cookie: cookie } },
          (res) => {
            res.once("data", () => {
              req.destroy();
              resolve();
            });
          },
        );
        req.on("error", () => resolve());
        req.end();
      });
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.ok((await readdir("/proc/self/fd")).length <= before + 2, "no descriptors left open");
    const missing = await request(
      host,
      `/files?${new URLSearchParams({ dir, path: `objects/sha256/00/${"0".repeat(62)}` })}`,
      {
        headers: { Cookie: cookie },
      },
    );
    assert.equal(missing.status, 404);
  } finally {
    await host.close();
  }
});

test("case files are served as media or as downloads, never as pages, with their protective headers", async () => {
  const root = await tempDir();
  const service = testService(new KeyStore(path.join(root, "home")));
  const host = await startLoopbackHost({ service });
  try {
    const dir = path.join(root, "case");
    await service.createCase({ dir, title: "Types", examiner: "T. Ypes", hashAlgorithms: ["sha256"] });
    // An "original" that is really a web page: evidence is kept as it came, but never served as a page.
    await writeFile(path.join(root, "page.html"), "<!doctype html><script>alert(1)</script>");
    await service.importFiles({ dir, paths: [path.join(root, "page.html")], collection: {} });
    await service.jobs.settle();
    const [item] = await service.listItems({ dir });
    const { objectPath } = await service.getItem({ dir, sha256: item!.sha256 });
    // Derivatives planted in the case folder (a case may come from someone else).
    const derived = path.join(dir, "derived", item!.sha256);
    await mkdir(derived, { recursive: true });
    const planted: Record<string, string> = {
      "frame.jpg": "\xff\xd8\xff",
      "proxy.mp4": "....ftypisom",
      "scene.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      "page.html": "<script>alert(1)</script>",
      "feed.xml": "<?xml version='1.0'?><x/>",
      "code.js": "alert(1)",
      "app.js.map": "{}",
    };
    for (const [name, text] of Object.entries(planted)) await writeFile(path.join(derived, name), text, "latin1");
    const session = await request(host, "/session", {
      method: "POST",
      headers: { Authorization: `Bearer ${host.token}` },
    });
    const cookie = String(session.headers["set-cookie"]).split(";")[0]!;
    const expected: [string, string, boolean][] = [
      [`derived/${item!.sha256}/frame.jpg`, "image/jpeg", false],
      [`derived/${item!.sha256}/proxy.mp4`, "video/mp4", false],
      [`derived/${item!.sha256}/scene.svg`, "application/octet-stream", true],
      [`derived/${item!.sha256}/page.html`, "application/octet-stream", true],
      [`derived/${item!.sha256}/feed.xml`, "application/octet-stream", true],
      [`derived/${item!.sha256}/code.js`, "application/octet-stream", true],
      [`derived/${item!.sha256}/app.js.map`, "application/octet-stream", true],
      [objectPath, "application/octet-stream", true],
    ];
    for (const [casePath, type, isDownload] of expected) {
      const r = await request(host, `/files?${new URLSearchParams({ dir, path: casePath })}`, {
        headers: { Cookie: cookie },
      });
      assert.equal(r.status, 200, casePath);
      assert.equal(r.headers["content-type"], type, casePath);
      assert.equal(r.headers["content-disposition"], isDownload ? "attachment" : undefined, casePath);
      assert.equal(r.headers["x-content-type-options"], "nosniff", casePath);
      assert.match(String(r.headers["content-security-policy"]), /default-src 'none'/, casePath);
      assert.match(String(r.headers["content-security-policy"]), /frame-ancestors 'none'/, casePath);
      assert.match(String(r.headers["content-security-policy"]), /\bsandbox\b/, casePath);
    }
  } finally {
    await host.close();
  }
});
