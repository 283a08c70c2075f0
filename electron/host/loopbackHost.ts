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
 *   POST /launch {code}  trades a one-time launch code (from `host --open`) for the token; no token needed
 *   POST /session        sets an HttpOnly, SameSite=Strict cookie for /files only (a secret of its own)
 *   GET  /files?dir&path a case's original or derivative, by its case path (token or that cookie),
 *                        with single byte ranges so a video can seek without loading the file
 *   PUT  /upload?id&index the bytes of one file announced by `beginUpload` (token required);
 *        with &offset&length, one range of them (a large file comes as several ranges at once)
 *   GET  /, /assets/*    the workbench UI itself (no token: it holds no data; the page
 *                        reads the token from the address's #fragment, which is never sent)
 */
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { stat } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { MAX_SNAPSHOT_BYTES } from "../../shared/api/geoContract.js";
import { fail } from "../../shared/api/result.js";
import { dispatch } from "../services/apiDispatch.js";
import { assetType, DEFAULT_APP_DIR, PAGE_HEADERS, renderAppPage } from "../appPage.js";
import { SightlineError } from "../services/sightlineError.js";
import type { SightlineService } from "../services/sightlineService.js";
import { serveCaseFile } from "./caseFileRoute.js";
import { HostCredentials } from "./hostCredentials.js";
import { createGuardedServer, DEFAULT_LIMITS, type ConnectionLimits } from "./connectionGuard.js";
import { refuse, SECURITY_HEADERS, send, statusFor } from "./hostResponses.js";

export interface LoopbackHost {
  url: string;
  port: number;
  token: string;
  /** A one-time code that POST /launch trades for the token (see HostCredentials). */
  issueLaunchCode(): string;
  close(): Promise<void>;
}

export interface LoopbackHostOptions {
  service: SightlineService;
  /** 0 (the default) picks a free port. */
  port?: number;
  token?: string;
  /** The built UI (default: dist/app beside this build). */
  appDir?: string;
  /** The clock launch codes expire by (default Date.now). */
  now?: () => number;
  /** Connection bounds and timeouts (tests shorten them). */
  limits?: Partial<ConnectionLimits>;
  /** Called when a launch code has been traded for the token. */
  onLaunchCodeRedeemed?: () => void;
}

const MAX_BODY = 1024 * 1024;
/** A map snapshot's PNG arrives as base64 in the JSON body: up to MAX_SNAPSHOT_BYTES × 4/3, with room for its params. */
const MAX_SNAPSHOT_BODY = Math.ceil(MAX_SNAPSHOT_BYTES / 3) * 4 + MAX_BODY;
/**
 * "Report on selected" and "Export selected" send up to 100,000 item digests (the contracts'
 * bound: reportContract.ts, exchangeContract.ts), each `"<64 hex>",` in the JSON, with room for the rest.
 */
const MAX_SELECTED_ITEMS_BODY = 100_000 * (64 + 3) + MAX_BODY;
/** The methods whose body may exceed MAX_BODY. */
const LARGE_BODY_METHODS: Record<string, number> = {
  saveMapSnapshot: MAX_SNAPSHOT_BODY,
  generateReport: MAX_SELECTED_ITEMS_BODY,
  exportBundle: MAX_SELECTED_ITEMS_BODY,
};
const DRAIN_LIMIT = 64 * 1024 * 1024;

export async function startLoopbackHost(options: LoopbackHostOptions): Promise<LoopbackHost> {
  const credentials = new HostCredentials(options.token ?? randomBytes(32).toString("base64url"), options.now);
  let port = 0;
  const { server, guard } = createGuardedServer(
    (req, res) => {
      void handle(req, res);
    },
    { ...DEFAULT_LIMITS, ...options.limits },
  );

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const origin = `http://127.0.0.1:${port}`;
    const isUpload = req.method === "PUT" && req.url?.startsWith("/upload?") === true && credentials.hasToken(req);
    if (!isUpload) guard.limitRequestTime(req);
    if (req.headers.host !== `127.0.0.1:${port}`) return refuse(res, 403, fail("unauthorized", "wrong Host header"));
    if (req.headers.origin !== undefined && req.headers.origin !== origin) {
      return refuse(res, 403, fail("unauthorized", "requests from other origins are refused"));
    }
    if (req.method === "GET") {
      const pathname = new URL(req.url ?? "/", origin).pathname;
      if (pathname === "/" || pathname === "/index.html") return serveIndex(res);
      const type = assetType(pathname);
      if (type) return serveAsset(res, pathname, type);
      if (pathname === "/favicon.ico") {
        res.writeHead(204, SECURITY_HEADERS);
        return void res.end();
      }
    }
    const url = new URL(req.url ?? "/", origin);
    // Case files may also be fetched with the session cookie, so <img> and <video> can load them
    // directly (streamed, with ranges) instead of through script; nothing else accepts it.
    if (url.pathname === "/files" && req.method === "GET" && credentials.hasFilesCookie(req, port)) {
      guard.prove(req.socket);
      // Browsers send 127.0.0.1 cookies to every port, so another local server the examiner visits
      // may hold this one: by cookie, only the cases this host has opened are served.
      if (!options.service.isOpenedCase(url.searchParams.get("dir") ?? "")) {
        return send(res, 404, fail("not-found", "no such file in an open case"));
      }
      return serveCaseFile(req, res, url);
    }
    if (url.pathname === "/launch" && req.method === "POST") return redeemLaunchCode(req, res);
    if (!credentials.hasToken(req)) return refuse(res, 401, fail("unauthorized", "missing or wrong token"));
    guard.prove(req.socket);
    if (url.pathname === "/session" && req.method === "POST") {
      res.writeHead(204, { ...SECURITY_HEADERS, "Set-Cookie": credentials.filesCookie(port) });
      return void res.end();
    }
    if (url.pathname === "/api/events" && req.method === "GET") return streamEvents(req, res);
    if (url.pathname === "/files" && req.method === "GET") return serveCaseFile(req, res, url);
    if (url.pathname === "/upload" && req.method === "PUT") return receiveUpload(req, res, url);
    const match = /^\/api\/([A-Za-z]{1,64})$/.exec(url.pathname);
    if (!match) return send(res, 404, fail("not-found", "no such endpoint"));
    if (req.method !== "POST") return send(res, 405, fail("invalid-input", "use POST"));
    if (!(req.headers["content-type"] ?? "").startsWith("application/json")) {
      return send(res, 415, fail("invalid-input", "the body must be application/json"));
    }
    let body: unknown;
    try {
      // Own members only: `constructor` or `toString` must not look up Object.prototype's functions.
      const method = match[1]!;
      body = await readJson(req, Object.hasOwn(LARGE_BODY_METHODS, method) ? LARGE_BODY_METHODS[method]! : MAX_BODY);
    } catch (error) {
      return send(res, (error as { status?: number }).status ?? 400, fail("invalid-input", (error as Error).message));
    }
    const result = await dispatch(options.service, match[1]!, body);
    send(res, result.ok ? 200 : statusFor(result.error.code), result);
  }

  const appDir = options.appDir ?? DEFAULT_APP_DIR;

  async function serveIndex(res: http.ServerResponse): Promise<void> {
    let page: { html: string; csp: string };
    try {
      page = await renderAppPage(appDir, await options.service.tileOrigins());
    } catch {
      return send(res, 404, fail("not-found", "the workbench UI is not built (run npm run build)"));
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      ...PAGE_HEADERS,
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": page.csp,
    });
    res.end(page.html);
  }

  async function serveAsset(res: http.ServerResponse, pathname: string, type: string): Promise<void> {
    const file = path.join(appDir, pathname);
    try {
      const info = await stat(file);
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        "Content-Type": type,
        "Content-Length": info.size,
        "Cache-Control": "no-cache",
      });
      await pipeline(createReadStream(file), res).catch(() => undefined);
    } catch {
      send(res, 404, fail("not-found", "no such asset"));
    }
  }

  /** POST /launch {code}: the window `host --open` started trades its one-time code for the token. */
  async function redeemLaunchCode(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body: unknown;
    try {
      body = (req.headers["content-type"] ?? "").startsWith("application/json") ? await readJson(req) : null;
    } catch {
      body = null;
    }
    const code = (body as { code?: unknown } | null)?.code;
    const token = typeof code === "string" ? credentials.redeemLaunchCode(code) : null;
    if (!token) return refuse(res, 401, fail("unauthorized", "the launch code is wrong, already used or expired"));
    send(res, 200, { ok: true, value: { token } });
    options.onLaunchCodeRedeemed?.();
  }

  /** A decimal whole number from a query parameter, or -1. */
  function wholeNumber(text: string | null): number {
    return text !== null && /^[0-9]{1,15}$/.test(text) ? Number(text) : -1;
  }

  async function receiveUpload(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const id = url.searchParams.get("id") ?? "";
    const index = Number(url.searchParams.get("index") ?? "");
    if (!/^[0-9a-f-]{36}$/.test(id) || !Number.isSafeInteger(index) || index < 0) {
      req.resume();
      return send(res, 400, fail("invalid-input", "an upload needs id=<upload id>&index=<file number>"));
    }
    // A range of a large file (the page sends several at once): offset and length, both or neither.
    const offset = url.searchParams.get("offset");
    const length = url.searchParams.get("length");
    const range =
      offset === null && length === null ? null : { start: wholeNumber(offset), length: wholeNumber(length) };
    if (range && (range.start < 0 || range.length < 1)) {
      req.resume();
      return send(res, 400, fail("invalid-input", "a range of an upload needs offset=<byte> and length=<bytes>"));
    }
    try {
      const value = await options.service.receiveUpload(id, index, req, range);
      send(res, 200, { ok: true, value });
    } catch (error) {
      const known = error instanceof SightlineError;
      const code = known ? error.code : "internal";
      // The rest of the body is not wanted; let it drain a while so the page can read the answer.
      req.resume();
      send(res, statusFor(code), fail(code, known ? error.message : "the upload failed"));
    }
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
    token: credentials.token,
    issueLaunchCode: () => credentials.issueLaunchCode(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readJson(req: http.IncomingMessage, maxBody = MAX_BODY): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let isTooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBody) {
        // Answer 413, but keep draining a while so the client can read the answer
        // (closing on unread data makes the kernel reset the connection); past
        // DRAIN_LIMIT the sender is abusive and the connection is cut.
        if (!isTooLarge) {
          isTooLarge = true;
          chunks.length = 0;
          reject(Object.assign(new Error(`the body is larger than ${maxBody} bytes`), { status: 413 }));
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
