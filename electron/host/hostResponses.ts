/**
 * How the loopback host answers: the headers every response carries, a JSON Result with its
 * status, and the status for each error code. One place, so every route answers alike.
 */
import type http from "node:http";
import type { Result } from "../../shared/api/result.js";

export const SECURITY_HEADERS = {
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "Cross-Origin-Resource-Policy": "same-origin",
};

export function send(res: http.ServerResponse, status: number, result: Result<unknown>): void {
  const body = JSON.stringify(result);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * A refusal (401, 403): the answer, then the connection is closed, so a client without the right
 * credentials cannot hold it open for another try.
 */
export function refuse(res: http.ServerResponse, status: 401 | 403, result: Result<unknown>): void {
  res.setHeader("Connection", "close");
  res.removeHeader("Keep-Alive");
  res.once("finish", () => res.socket?.destroySoon());
  send(res, status, result);
}

export function statusFor(code: string): number {
  switch (code) {
    case "invalid-input":
      return 400;
    case "not-found":
    case "not-a-case":
      return 404;
    case "case-exists":
    case "tampered":
    case "locked":
    case "cancelled":
      return 409;
    case "unauthorized":
      return 401;
    default:
      return 500;
  }
}
