/**
 * Keeps a pile of idle, slow or unauthenticated connections from shutting the page out of the
 * loopback host. Owns the host's connection bookkeeping:
 *
 * - at most `maxConnections` in all (server.maxConnections: past it Node drops new connections);
 * - of those, at most `maxUnproven` that have not yet carried an authenticated request: a new
 *   connection past that closes the oldest unproven one, so someone trickling headers over
 *   hundreds of sockets (a slowloris) cannot fill the table and the page's next connection,
 *   which authenticates in its first request, always finds room;
 * - headers must arrive within `headersTimeoutMs`, checked every second rather than every 30;
 * - a request's body must arrive within `requestTimeoutMs`, except an authenticated upload
 *   (a 4 GB video from a slow disk takes many minutes; the upload has its own idle timeout).
 *   Node's own requestTimeout cannot make that exception, so it is off and this does it.
 */
import http from "node:http";
import type { Socket } from "node:net";

export interface ConnectionLimits {
  maxConnections: number;
  maxUnproven: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

/**
 * The page needs a handful of connections (Chromium opens at most six per host, plus the event
 * stream); the rest of the room is for scripts and the CLI driving the API.
 */
export const DEFAULT_LIMITS: ConnectionLimits = {
  maxConnections: 256,
  maxUnproven: 64,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
};
/** How often Node looks for connections past their headers timeout (its default is 30 s). */
const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

export interface ConnectionGuard {
  /** The connection carried an authenticated request: it is never closed to make room. */
  prove(socket: Socket): void;
  /** Closes the request's connection unless its body has arrived within `requestTimeoutMs`. */
  limitRequestTime(req: http.IncomingMessage): void;
}

/** An HTTP server for `handler` with these bounds, and the guard the handler reports to. */
export function createGuardedServer(
  handler: http.RequestListener,
  limits: ConnectionLimits = DEFAULT_LIMITS,
): { server: http.Server; guard: ConnectionGuard } {
  const server = http.createServer({ connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS }, handler);
  server.maxConnections = limits.maxConnections;
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = 0;
  // Unproven connections, oldest first (a Set keeps insertion order).
  const unproven = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    unproven.add(socket);
    socket.once("close", () => unproven.delete(socket));
    if (unproven.size <= limits.maxUnproven) return;
    const oldest = unproven.values().next().value!;
    unproven.delete(oldest);
    oldest.destroy();
  });
  const guard: ConnectionGuard = {
    prove: (socket) => void unproven.delete(socket),
    limitRequestTime(req) {
      const timer = setTimeout(() => {
        if (!req.complete) req.socket.destroy();
      }, limits.requestTimeoutMs);
      timer.unref();
      req.once("close", () => clearTimeout(timer));
    },
  };
  return { server, guard };
}
