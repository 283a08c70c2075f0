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
 *   Node's own requestTimeout cannot make that exception, so it is off and this does it;
 * - an idle connection is held far longer than clients are told it lasts (see DEFAULT_LIMITS).
 */
import http from "node:http";
import type { Socket } from "node:net";

export interface ConnectionLimits {
  maxConnections: number;
  maxUnproven: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** How long clients are told an idle connection lasts, in whole seconds (`Keep-Alive: timeout=N`). */
  keepAliveAdvertisedS: number;
  /** How long an idle connection is really held (Node adds a second of its own): see DEFAULT_LIMITS. */
  idleHeldMs: number;
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
  // Clients are told 5 s (Node's usual figure) and an idle connection is held 30 s. A client takes an
  // idle connection for its next request without knowing whether the host is closing it that instant:
  // held only a second past what it advertises (Node's default), a request sent as the host's idle
  // timer fired was reset with its body unread instead of answered. fetch retires a connection 2 s
  // before the advertised time, but only when its own timer runs: a client whose event loop was busy
  // for a few seconds (building a large body, parsing one) sent on a connection idle for 5-6 s, and
  // met the reset.
  keepAliveAdvertisedS: 5,
  idleHeldMs: 30_000,
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
  const server = http.createServer({ connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS }, (req, res) => {
    // Set by hand, Node sends this header instead of its own, which would name the held time.
    res.setHeader("Keep-Alive", `timeout=${limits.keepAliveAdvertisedS}`);
    handler(req, res);
  });
  server.keepAliveTimeout = limits.idleHeldMs;
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
