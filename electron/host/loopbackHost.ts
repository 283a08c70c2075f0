/**
 * The loopback HTTP transport of the API (DESIGN rule 3), for browser mode,
 * headless use and the end-to-end tests.
 *
 * Binds 127.0.0.1 only, on a random port. Every request must carry the per-run
 * token (`Authorization: Bearer …`) and a Host header naming this exact address;
 * a request with an Origin must come from this exact origin (a web page elsewhere
 * cannot drive it, DNS rebinding included). Anything else is refused before the
 * dispatcher sees it.
 *
 *   POST /api/<method>   JSON input → JSON Result
 *   GET  /api/events     server-sent events (ApiEvent per message)
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fail, type Result } from "../../shared/api/result.js";
import { dispatch } from "../services/apiDispatch.js";
import type { SightlineService } from "../services/sightlineService.js";

export interface LoopbackHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export interface LoopbackHostOptions {
  service: SightlineService;
  /** 0 (the default) picks a free port. */
  port?: number;
  token?: string;
}

const MAX_BODY = 1024 * 1024;
const DRAIN_LIMIT = 64 * 1024 * 1024;

export async function startLoopbackHost(options: LoopbackHostOptions): Promise<LoopbackHost> {
  const token = options.token ?? randomBytes(32).toString("base64url");
  const expectedAuth = Buffer.from(`Bearer ${token}`);
  let port = 0;
  const server = http.createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const origin = `http://127.0.0.1:${port}`;
    if (req.headers.host !== `127.0.0.1:${port}`) return send(res, 403, fail("unauthorized", "wrong Host header"));
    if (req.headers.origin !== undefined && req.headers.origin !== origin) {
      return send(res, 403, fail("unauthorized", "requests from other origins are refused"));
    }
    const auth = Buffer.from(req.headers.authorization ?? "");
    if (auth.length !== expectedAuth.length || !timingSafeEqual(auth, expectedAuth)) {
      return send(res, 401, fail("unauthorized", "missing or wrong token"));
    }
    const url = new URL(req.url ?? "/", origin);
    if (url.pathname === "/api/events" && req.method === "GET") return streamEvents(req, res);
    const match = /^\/api\/([A-Za-z]{1,64})$/.exec(url.pathname);
    if (!match) return send(res, 404, fail("not-found", "no such endpoint"));
    if (req.method !== "POST") return send(res, 405, fail("invalid-input", "use POST"));
    if (!(req.headers["content-type"] ?? "").startsWith("application/json")) {
      return send(res, 415, fail("invalid-input", "the body must be application/json"));
    }
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (error) {
      return send(res, (error as { status?: number }).status ?? 400, fail("invalid-input", (error as Error).message));
    }
    const result = await dispatch(options.service, match[1]!, body);
    send(res, result.ok ? 200 : statusFor(result.error.code), result);
  }

  function streamEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": "text/event-stream", Connection: "keep-alive" });
    res.write(": connected\n\n");
    const unsubscribe = options.service.onEvent((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
    req.on("close", () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const SECURITY_HEADERS = {
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "Cross-Origin-Resource-Policy": "same-origin",
};

function send(res: http.ServerResponse, status: number, result: Result<unknown>): void {
  const body = JSON.stringify(result);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
}

function statusFor(code: string): number {
  switch (code) {
    case "invalid-input":
      return 400;
    case "not-found":
    case "not-a-case":
      return 404;
    case "case-exists":
    case "locked":
      return 409;
    case "unauthorized":
      return 401;
    default:
      return 500;
  }
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let isTooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        // Answer 413, but keep draining a while so the client can read the answer
        // (closing on unread data makes the kernel reset the connection); past
        // DRAIN_LIMIT the sender is abusive and the connection is cut.
        if (!isTooLarge) {
          isTooLarge = true;
          chunks.length = 0;
          reject(Object.assign(new Error(`the body is larger than ${MAX_BODY} bytes`), { status: 413 }));
        }
        if (size > DRAIN_LIMIT) req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (isTooLarge) return;
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"));
      } catch {
        reject(new Error("the body is not valid JSON"));
      }
    });
    req.on("error", reject);
  });
}
