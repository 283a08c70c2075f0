/**
 * An idle keep-alive connection of the loopback host, taken for the next request by a client that is
 * late by a few seconds: the request is answered (here, the clear 413 for a too-big body), not reset.
 * A client cannot know whether the host is closing an idle connection the instant it sends on it; the
 * host tells clients a short time and holds the connection far longer, so a late client still lands.
 * Both times are the host's options: the tests run with short ones.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import net from "node:net";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { ConnectionLimits } from "../../electron/host/connectionGuard.js";
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

/**
 * Idle times shorter than the real ones (5 s told, 30 s held), in the same proportion to what clients
 * do: a raw client is late by a second; fetch keeps a connection until 2 s before the told time, so
 * it needs 3 s told to keep one at all.
 */
const RAW_CLIENT = { keepAliveAdvertisedS: 1, idleHeldMs: 3_000 };
const FETCH_CLIENT = { keepAliveAdvertisedS: 3, idleHeldMs: 10_000 };

describe("an idle connection to the loopback host", () => {
  const hosts: LoopbackHost[] = [];
  let service: ReturnType<typeof testService>;
  const start = async (limits: Partial<ConnectionLimits>) => {
    const host = await startLoopbackHost({ service, limits });
    hosts.push(host);
    return host;
  };
  const auth = (host: LoopbackHost) => ({
    Authorization: `Bearer ${host.token}`,
    "Content-Type": "application/json",
  });

  before(async () => {
    service = testService(new KeyStore(path.join(await tempDir(), "home")));
  });
  after(() => Promise.all(hosts.map((host) => host.close())));

  test("still answers a too-big body with 413 when the client sends on it a second past the time it was told; an idle one it closes", async () => {
    const host = await start(RAW_CLIENT);
    const request = (body: string) =>
      [
        `POST /api/addNote HTTP/1.1`,
        `Host: 127.0.0.1:${host.port}`,
        ...Object.entries(auth(host)).map(([name, value]) => `${name}: ${value}`),
        `Content-Length: ${Buffer.byteLength(body)}`,
        "",
        body,
      ].join("\r\n");
    // Two connections, each answered once: the late client sends on one, the other is left idle.
    const [late, idle] = [0, 1].map(() => net.connect(host.port, "127.0.0.1"));
    try {
      const answered = await Promise.all(
        [late!, idle!].map(async (socket) => {
          const next = responses(socket);
          socket.write(request("{}"));
          return { socket, next, first: await next() };
        }),
      );
      for (const { first } of answered) {
        assert.equal(first.status, 400, first.body);
        assert.match(first.head, /^connection: keep-alive$/im);
        assert.match(first.head, /^keep-alive: timeout=1$/im, "the idle time told is the host's option");
      }
      const sendLate = async () => {
        const { socket, next } = answered[0]!;
        // The connection's own idle timer: it fires once nothing has passed on it for the told time and a second.
        socket.setTimeout(RAW_CLIENT.keepAliveAdvertisedS * 1000 + 1000);
        await once(socket, "timeout");
        socket.setTimeout(0);
        socket.write(request(TOO_BIG));
        const answer = await next();
        assert.equal(answer.status, 413, answer.body);
        assert.match((JSON.parse(answer.body) as { error: { message: string } }).error.message, REFUSAL);
      };
      // Held, not kept: past the time it holds an idle connection, the host ends it itself.
      const ended = Promise.all([once(idle!, "end"), once(idle!, "close")]);
      await Promise.all([sendLate(), ended]);
    } finally {
      late!.destroy();
      idle!.destroy();
    }
  });

  test("answers fetch the 413 when fetch's event loop was held past the time it retires idle connections", async () => {
    const host = await start(FETCH_CLIENT);
    const post = (body: string) => fetch(`${host.url}/api/addNote`, { method: "POST", headers: auth(host), body });
    const first = await post("{}");
    assert.equal(first.status, 400);
    assert.equal(first.headers.get("keep-alive"), "timeout=3");
    await first.text();
    // fetch retires an idle connection 2 s before the told time, on a timer of its own; the loop held
    // from now (before then) until past the told time (as building or parsing a large body on a loaded
    // machine holds it), the timer has not run and fetch sends on the connection it kept.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, FETCH_CLIENT.keepAliveAdvertisedS * 1000 + 500);
    const late = await post(TOO_BIG);
    assert.equal(late.status, 413);
    assert.match(((await late.json()) as { error: { message: string } }).error.message, REFUSAL);
  });
});
