/**
 * The loopback host over real HTTP on 127.0.0.1: the token, Host and Origin
 * checks, hostile requests, and the contract end to end through the renderer's
 * own HTTP client (import job with progress events, list, get, verify).
 */
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { DEFAULT_LIMITS } from "../../electron/host/connectionGuard.js";
import { LAUNCH_CODE_TTL_MS } from "../../electron/host/hostCredentials.js";
import { startLoopbackHost, type LoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import type { SightlineService } from "../../electron/services/sightlineService.js";
import { testService } from "../support/testService.js";
import { createHttpClient } from "../../renderer/api/apiClient.js";
import type { ApiEvent } from "../../shared/api/contract.js";
import { tempDir, writeRandomFile } from "../support/fixtures.js";

/** A raw request, so tests can send what a well-behaved client never would. */
function rawRequest(
  host: LoopbackHost,
  options: { path: string; method?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: host.port,
        path: options.path,
        method: options.method ?? "POST",
        headers: options.headers ?? {},
      },
      (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** A raw TCP connection to the host and everything it answers until it is closed. */
function rawConnection(host: LoopbackHost): { socket: net.Socket; closed: Promise<string> } {
  const socket = net.connect(host.port, "127.0.0.1");
  let text = "";
  socket.on("data", (d: Buffer) => (text += d.toString()));
  socket.on("error", () => undefined);
  return { socket, closed: new Promise((resolve) => socket.on("close", () => resolve(text))) };
}

/** Resolves to how long `promise` took, in milliseconds. */
async function timed(promise: Promise<unknown>): Promise<number> {
  const start = performance.now();
  await promise;
  return performance.now() - start;
}

describe("loopback host", () => {
  let host: LoopbackHost;
  let service: SightlineService;
  let root: string;
  const auth = () => ({ Authorization: `Bearer ${host.token}`, "Content-Type": "application/json" });

  before(async () => {
    root = await tempDir();
    service = testService(new KeyStore(path.join(root, "home")));
    host = await startLoopbackHost({ service });
  });
  after(async () => {
    await service.jobs.settle();
    await host.close();
  });

  test("listens on 127.0.0.1 only", () => {
    assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test("a request without the token, or with a wrong one, gets 401 and changes nothing", async () => {
    const dir = path.join(root, "unauthorised-case");
    const body = JSON.stringify({ dir, title: "t", examiner: "e" });
    const none = await rawRequest(host, {
      path: "/api/createCase",
      headers: { "Content-Type": "application/json" },
      body,
    });
    assert.equal(none.status, 401);
    assert.deepEqual(JSON.parse(none.body), {
      ok: false,
      error: { code: "unauthorized", message: "missing or wrong token" },
    });
    const wrong = await rawRequest(host, {
      path: "/api/createCase",
      headers: { ...auth(), Authorization: `Bearer ${"x".repeat(host.token.length)}` },
      body,
    });
    assert.equal(wrong.status, 401);
    await assert.rejects(readFile(path.join(dir, "case.json")), { code: "ENOENT" });
    const events = await rawRequest(host, { path: "/api/events", method: "GET" });
    assert.equal(events.status, 401);
  });

  test("a launch code is traded for the token once, and not after its minute", async () => {
    let now = 1_000_000;
    const launched = await startLoopbackHost({ service, now: () => now });
    try {
      const redeem = (code: string) =>
        rawRequest(launched, {
          path: "/launch",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ code }),
        });
      const code = launched.issueLaunchCode();
      assert.doesNotMatch(code, new RegExp(launched.token), "the code is not the token");
      const first = await redeem(code);
      assert.equal(first.status, 200);
      assert.deepEqual(JSON.parse(first.body), { ok: true, value: { token: launched.token } });
      const again = await redeem(code);
      assert.equal(again.status, 401, "a code works once");
      assert.deepEqual(JSON.parse(again.body), {
        ok: false,
        error: { code: "unauthorized", message: "the launch code is wrong, already used or expired" },
      });
      const late = launched.issueLaunchCode();
      now += LAUNCH_CODE_TTL_MS;
      assert.equal((await redeem(late)).status, 401, "a code expires");
      assert.equal((await redeem("x".repeat(code.length))).status, 401, "a made-up code is refused");
    } finally {
      await launched.close();
    }
  });

  test("the page keeps other windows off it and has no device or sensor", async () => {
    const appDir = path.join(root, "app");
    await mkdir(appDir, { recursive: true });
    await writeFile(
      path.join(appDir, "index.html"),
      `<meta name="sightline-style-nonce" content="__SIGHTLINE_NONCE__">`,
    );
    const served = await startLoopbackHost({ service, appDir });
    try {
      const page = await fetch(`${served.url}/`);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get("cross-origin-opener-policy"), "same-origin");
      assert.equal(page.headers.get("x-content-type-options"), "nosniff");
      assert.equal(page.headers.get("referrer-policy"), "no-referrer");
      assert.match(page.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
      const permissions = page.headers.get("permissions-policy") ?? "";
      for (const feature of ["camera", "microphone", "geolocation", "usb", "serial", "hid", "display-capture"]) {
        assert.match(permissions, new RegExp(`(^|, )${feature}=\\(\\)`), feature);
      }
    } finally {
      await served.close();
    }
  });

  test("the app's bundles are served, and never a source map left beside them", async () => {
    const appDir = path.join(root, "app-with-maps");
    await mkdir(path.join(appDir, "assets"), { recursive: true });
    await writeFile(
      path.join(appDir, "assets", "index-abc.js"),
      "console.log(1);\n//# sourceMappingURL=index-abc.js.map",
    );
    await writeFile(path.join(appDir, "assets", "index-abc.js.map"), '{"sources":["../src/App.tsx"]}');
    await writeFile(path.join(appDir, "assets", "index-abc.css.map"), "{}");
    const served = await startLoopbackHost({ service, appDir });
    try {
      const bundle = await fetch(`${served.url}/assets/index-abc.js`);
      assert.equal(bundle.status, 200);
      assert.equal(bundle.headers.get("content-type"), "text/javascript; charset=utf-8");
      for (const map of ["/assets/index-abc.js.map", "/assets/index-abc.css.map", "/assets/INDEX-ABC.JS.MAP"]) {
        const r = await fetch(`${served.url}${map}`, { headers: { Authorization: `Bearer ${served.token}` } });
        assert.equal(r.status, 404, map);
        assert.doesNotMatch(await r.text(), /sources/, map);
      }
    } finally {
      await served.close();
    }
  });

  test("a refusal (401, 403) says Connection: close and closes the connection", async () => {
    const refusals = [
      `GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nConnection: keep-alive\r\n\r\n`,
      `GET /api/events HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer ${host.token}\r\n\r\n`,
    ];
    for (const [i, request] of refusals.entries()) {
      const { socket, closed } = rawConnection(host);
      socket.write(request);
      const answer = await closed; // the host closed it although the client asked to keep it
      assert.match(answer, i === 0 ? /^HTTP\/1\.1 401 / : /^HTTP\/1\.1 403 /);
      assert.match(answer, /\r\nConnection: close\r\n/i);
    }
  });

  test("hundreds of slow unauthenticated connections do not shut the page out", async () => {
    const page = createHttpClient(host.url, host.token);
    const slow = Array.from({ length: DEFAULT_LIMITS.maxConnections + 44 }, () => rawConnection(host));
    await Promise.all(slow.map(({ socket }) => new Promise((resolve) => socket.once("connect", resolve))));
    // A slowloris: the start of a request, then one header byte now and then, never the end.
    for (const { socket } of slow) socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nX-Slow: `);
    const drip = setInterval(() => slow.forEach(({ socket }) => socket.writable && socket.write("a")), 200);
    try {
      await new Promise((r) => setTimeout(r, 300));
      for (let i = 0; i < 3; i++) {
        let answer: Awaited<ReturnType<typeof page.api.getJob>> | undefined;
        const ms = await timed(page.api.getJob({ jobId: "no-such-job" }).then((r) => (answer = r)));
        assert.equal(answer?.ok, false);
        assert.equal(answer?.ok === false && answer.error.code, "not-found", "the page's request was answered");
        assert.ok(ms < 1000, `the page waited ${Math.round(ms)} ms`);
      }
      const open = slow.filter(({ socket }) => !socket.destroyed && socket.readyState === "open").length;
      assert.ok(open <= DEFAULT_LIMITS.maxUnproven, `${open} unauthenticated connections still held`);
    } finally {
      clearInterval(drip);
      slow.forEach(({ socket }) => socket.destroy());
    }
  });

  test("headers and bodies must arrive in time, except an upload's", async () => {
    const limits = { headersTimeoutMs: 500, requestTimeoutMs: 800 };
    const strict = await startLoopbackHost({ service, limits });
    try {
      const hostHeader = `Host: 127.0.0.1:${strict.port}\r\n`;
      const slowHeaders = rawConnection(strict);
      slowHeaders.socket.write(`GET / HTTP/1.1\r\n${hostHeader}`);
      assert.ok((await timed(slowHeaders.closed)) < 3000, "stalled headers are cut off");

      const slowBody = rawConnection(strict);
      slowBody.socket.write(
        `POST /api/openCase HTTP/1.1\r\n${hostHeader}Authorization: Bearer ${strict.token}\r\n` +
          `Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"dir":`,
      );
      assert.ok((await timed(slowBody.closed)) < 3000, "a stalled API body is cut off");

      // An upload trickling in for longer than any request may take still arrives.
      const client = createHttpClient(strict.url, strict.token);
      const dir = path.join(root, "slow-upload-case");
      assert.ok((await client.api.createCase({ dir, title: "t", examiner: "e" })).ok);
      const size = 2000;
      const begun = await client.api.beginUpload({
        dir,
        files: [{ name: "a.bin", size, lastModified: 0 }],
        collection: {},
      });
      assert.ok(begun.ok, JSON.stringify(begun));
      const upload = rawConnection(strict);
      upload.socket.write(
        `PUT /upload?id=${begun.value.uploadId}&index=0 HTTP/1.1\r\n${hostHeader}Authorization: Bearer ${strict.token}\r\n` +
          `Content-Type: application/octet-stream\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`,
      );
      for (let sent = 0; sent < size; sent += 200) {
        upload.socket.write(Buffer.alloc(200, 7));
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.match(await upload.closed, /^HTTP\/1\.1 200 /);
      await service.jobs.settle();
    } finally {
      await strict.close();
    }
  });

  test("a wrong Host header (DNS rebinding) or a foreign Origin is refused", async () => {
    const body = JSON.stringify({ dir: path.join(root, "nope") });
    const rebound = await rawRequest(host, {
      path: "/api/openCase",
      headers: { ...auth(), Host: `evil.example:${host.port}` },
      body,
    });
    assert.equal(rebound.status, 403);
    const foreign = await rawRequest(host, {
      path: "/api/openCase",
      headers: { ...auth(), Origin: "https://evil.example" },
      body,
    });
    assert.equal(foreign.status, 403);
    const same = await rawRequest(host, { path: "/api/openCase", headers: { ...auth(), Origin: host.url }, body });
    assert.equal(same.status, 404, "the same origin gets through to the service (which finds no case)");
  });

  test("hostile requests get a clear one-line reason", async () => {
    const cases: [string, Parameters<typeof rawRequest>[1], number, RegExp][] = [
      ["malformed JSON", { path: "/api/openCase", headers: auth(), body: "{not json" }, 400, /not valid JSON/],
      [
        "wrong content type",
        { path: "/api/openCase", headers: { ...auth(), "Content-Type": "text/plain" }, body: "{}" },
        415,
        /application\/json/,
      ],
      [
        "huge body",
        { path: "/api/openCase", headers: auth(), body: Buffer.alloc(2 * 1024 * 1024, 0x20) },
        413,
        /larger than/,
      ],
      ["unknown method", { path: "/api/deleteEverything", headers: auth(), body: "{}" }, 404, /no API method/],
      [
        "path traversal in the URL",
        { path: "/api/../../etc/passwd", headers: auth(), body: "{}" },
        404,
        /no such endpoint/,
      ],
      ["missing argument", { path: "/api/openCase", headers: auth(), body: "{}" }, 400, /openCase: dir: /],
      [
        "wrong type",
        { path: "/api/importFiles", headers: auth(), body: JSON.stringify({ dir: 5, paths: [], collection: {} }) },
        400,
        /importFiles: dir/,
      ],
      [
        "bad hash",
        { path: "/api/getItem", headers: auth(), body: JSON.stringify({ dir: root, sha256: "../../etc" }) },
        400,
        /not a SHA-256/,
      ],
      ["GET on a method", { path: "/api/openCase", method: "GET", headers: auth() }, 405, /use POST/],
    ];
    for (const [what, request, status, message] of cases) {
      const response = await rawRequest(host, request);
      assert.equal(response.status, status, what);
      const result = JSON.parse(response.body);
      assert.equal(result.ok, false, what);
      assert.match(result.error.message, message, what);
      assert.doesNotMatch(result.error.message, /\n/, `${what}: one line`);
    }
  });

  test("the renderer's client drives a whole case: create, import with progress, list, get, verify", async () => {
    const client = createHttpClient(host.url, host.token);
    const events: ApiEvent[] = [];
    const finished = new Promise<ApiEvent & { type: "job.finished" }>((resolve) => {
      const stop = client.onEvent((event) => {
        events.push(event);
        if (event.type === "job.finished") {
          stop();
          resolve(event);
        }
      });
    });
    const dir = path.join(root, "api-case");
    const created = await client.api.createCase({
      dir,
      title: "Mbera camp photos",
      examiner: "B. Verifier",
      hashAlgorithms: ["md5"],
    });
    assert.ok(created.ok);
    assert.equal(created.value.title, "Mbera camp photos");
    assert.deepEqual(created.value.hashAlgorithms, ["sha256", "md5"]);

    const media = path.join(root, "api-media");
    await writeRandomFile(path.join(media, "a.jpg"), 50_000);
    await writeRandomFile(path.join(media, "b", "c.mp4"), 9_000_000);
    await new Promise((r) => setTimeout(r, 100)); // let the event stream connect before the job starts
    const job = await client.api.importFiles({
      dir,
      paths: [media],
      collection: { sourceAccount: "@witness", method: "AirDrop" },
    });
    assert.ok(job.ok, JSON.stringify(job));
    const done = await finished;
    assert.equal(done.job.status, "finished");
    assert.deepEqual(
      done.job.outcomes.map((o) => o.status),
      ["imported", "imported"],
    );
    assert.deepEqual(done.job.warnings.length, 1, "collection time is missing");
    const progress = events.filter((e) => e.type === "job.progress");
    assert.ok(progress.length >= 2, "progress was pushed");
    assert.ok(events.some((e) => e.type === "ledger.appended"));

    const items = await client.api.listItems({ dir });
    assert.ok(items.ok);
    assert.deepEqual(items.value.map((i) => i.name).sort(), ["a.jpg", "c.mp4"]);
    const item = await client.api.getItem({ dir, sha256: items.value[0]!.sha256 });
    assert.ok(item.ok);
    assert.match(item.value.md5 ?? "", /^[0-9a-f]{32}$/);
    assert.equal(item.value.acquisitions[0]!.collection.sourceAccount, "@witness");
    const verified = await client.api.verifyCase({ dir });
    assert.ok(verified.ok);
    assert.equal(verified.value.isClean, true);
    assert.equal(verified.value.objectsChecked, 2);

    const missing = await client.api.getItem({ dir, sha256: "0".repeat(64) });
    assert.deepEqual(missing, {
      ok: false,
      error: { code: "not-found", message: `no item ${"0".repeat(64)} in this case` },
    });
  });
});
