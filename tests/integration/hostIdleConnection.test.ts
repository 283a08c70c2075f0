/**
 * An idle keep-alive connection of the loopback host, taken for the next request by a client that is
 * late by a few seconds: the request is answered (here, the clear 413 for a too-big body), not reset.
 * A client cannot know whether the host is closing an idle connection the instant it sends on it; the
 * host tells clients a short time and holds the connection far longer, so a late client still lands.
 */
import assert from "node:assert/strict";
import net from "node:net";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { startLoopbackHost, type LoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { tempDir } from "../support/fixtures.js";
import { testService } from "../support/testService.js";

/** Twice the host's 1 MiB bound for a method's body, as JSON. */
const TOO_BIG = JSON.stringify({ text: "x".repeat(2 * 1024 * 1024) });
const REFUSAL = /^the body is larger than 1048576 bytes$/;

interface RawResponse {
  status: number;
  head: string;
  body: string;
}

/** Reads whole responses off a raw connection, one per call, or fails when it closes first. */
function responses(socket: net.Socket): () => Promise<RawResponse> {
  let buffered = Buffer.alloc(0);
  let closed: string | null = null;
  let wake = () => {};
  socket.on("data", (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    wake();
  });
  socket.on("error", (error: NodeJS.ErrnoException) => {
    closed = `the connection failed (${error.code ?? error.message})`;
    wake();
  });
  socket.on("close", () => {
    closed ??= "the host closed the connection without answering";
    wake();
  });
  return async () => {
    for (;;) {
      const end = buffered.indexOf("\r\n\r\n");
      if (end >= 0) {
        const head = buffered.subarray(0, end).toString("latin1");
        const length = Number(/^content-length: *(\d+)$/im.exec(head)?.[1] ?? NaN);
        assert.ok(Number.isSafeInteger(length), `an answer without Content-Length: ${head}`);
        if (buffered.length >= end + 4 + length) {
          const body = buffered.subarray(end + 4, end + 4 + length).toString("utf8");
          buffered = buffered.subarray(end + 4 + length);
          return { status: Number(head.split(" ")[1]), head, body };
        }
      }
      if (closed) throw new Error(closed);
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
}

describe("an idle connection to the loopback host", () => {
  let host: LoopbackHost;
  const auth = () => ({ Authorization: `Bearer ${host.token}`, "Content-Type": "application/json" });

  before(async () => {
    const root = await tempDir();
    host = await startLoopbackHost({ service: testService(new KeyStore(path.join(root, "home"))) });
  });
  after(() => host.close());

  test("still answers a too-big body with 413 when the client sends on it 2 s past the time it was told", async () => {
    const socket = net.connect(host.port, "127.0.0.1");
    const next = responses(socket);
    const request = (body: string) =>
      [
        `POST /api/addNote HTTP/1.1`,
        `Host: 127.0.0.1:${host.port}`,
        ...Object.entries(auth()).map(([name, value]) => `${name}: ${value}`),
        `Content-Length: ${Buffer.byteLength(body)}`,
        "",
        body,
      ].join("\r\n");
    try {
      socket.write(request("{}"));
      const first = await next();
      assert.equal(first.status, 400, first.body);
      assert.match(first.head, /^connection: keep-alive$/im);
      const advertised = /^keep-alive: timeout=(\d+)$/im.exec(first.head);
      assert.ok(advertised, `no idle time advertised: ${first.head}`);
      await delay(Number(advertised[1]) * 1000 + 2000);
      socket.write(request(TOO_BIG));
      const late = await next();
      assert.equal(late.status, 413, late.body);
      assert.match((JSON.parse(late.body) as { error: { message: string } }).error.message, REFUSAL);
    } finally {
      socket.destroy();
    }
  });

  test("answers fetch the 413 when fetch's event loop was held past the time it retires idle connections", async () => {
    const post = (body: string) => fetch(`${host.url}/api/addNote`, { method: "POST", headers: auth(), body });
    const first = await post("{}");
    assert.equal(first.status, 400);
    await first.text();
    // fetch retires an idle connection 2 s before the advertised time, on a timer of its own; the loop
    // held from before then until past the advertised time (as building or parsing a large body on a
    // loaded machine holds it), the timer has not run and fetch sends on the connection it kept.
    await delay(2_500);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4_500);
    const late = await post(TOO_BIG);
    assert.equal(late.status, 413);
    assert.match(((await late.json()) as { error: { message: string } }).error.message, REFUSAL);
  });
});
