/**
 * What lets a request through the loopback host, and nothing else: the per-run API token, the
 * /files cookie's own secret, and the one-time launch codes `sightline host --open` hands the
 * browser instead of the token (a process's command line is readable by every local user, through
 * /proc/<pid>/cmdline; a code there is worth nothing once the window has used it, or a minute later).
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type http from "node:http";

/** How long a launch code waits for the window to start and redeem it. */
export const LAUNCH_CODE_TTL_MS = 60_000;
/** Set by POST /session (which needs the token) and accepted by GET /files only. */
const FILES_COOKIE = "sightline-files";

const sameSecret = (given: string, expected: Buffer) => {
  const bytes = Buffer.from(given);
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
};

export class HostCredentials {
  private readonly expectedAuth: Buffer;
  // The cookie holds a secret of its own, not the API token: browsers share cookies across the
  // ports of 127.0.0.1, so whatever else listens there may see it, and it opens /files only.
  private readonly fileSecret = randomBytes(32).toString("base64url");
  private readonly expectedCookie = Buffer.from(this.fileSecret);
  /** Unredeemed launch codes and when each expires. */
  private readonly launchCodes = new Map<string, number>();

  constructor(
    readonly token: string,
    private readonly now: () => number = Date.now,
  ) {
    this.expectedAuth = Buffer.from(`Bearer ${token}`);
  }

  /** True when the request carries `Authorization: Bearer <token>`. */
  hasToken(req: http.IncomingMessage): boolean {
    return sameSecret(req.headers.authorization ?? "", this.expectedAuth);
  }

  /**
   * The Set-Cookie value that opens /files. Its name carries the port, so two hosts at once do
   * not overwrite each other's.
   */
  filesCookie(port: number): string {
    return `${FILES_COOKIE}-${port}=${this.fileSecret}; HttpOnly; SameSite=Strict; Path=/files`;
  }

  hasFilesCookie(req: http.IncomingMessage, port: number): boolean {
    return (req.headers.cookie ?? "").split(";").some((part) => {
      const [name, value] = part.trim().split("=", 2);
      return name === `${FILES_COOKIE}-${port}` && value !== undefined && sameSecret(value, this.expectedCookie);
    });
  }

  /** A new code that POST /launch trades for the token once, within LAUNCH_CODE_TTL_MS. */
  issueLaunchCode(): string {
    this.forgetExpired();
    const code = randomBytes(24).toString("base64url");
    this.launchCodes.set(code, this.now() + LAUNCH_CODE_TTL_MS);
    return code;
  }

  /** The token for a live code, which is void from then on; null for a wrong, spent or expired one. */
  redeemLaunchCode(code: string): string | null {
    this.forgetExpired();
    for (const known of this.launchCodes.keys()) {
      if (!sameSecret(code, Buffer.from(known))) continue;
      this.launchCodes.delete(known);
      return this.token;
    }
    return null;
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [code, expires] of this.launchCodes) if (expires <= now) this.launchCodes.delete(code);
  }
}
