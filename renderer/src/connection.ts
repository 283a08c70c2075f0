/**
 * Which transport this window talks over: the Electron preload's IPC bridge when
 * present, else the loopback host that served the page (browser mode), with the
 * token it put in the address's fragment (never sent over the network, removed
 * from the address bar at once, kept for this tab only).
 */
import { createHttpClient, createIpcClient, type ApiClient, type SightlineBridge } from "../api/apiClient.js";

export interface Connection {
  client: ApiClient;
  /**
   * A URL the page may show or read a case file (thumbnail, keyframe, proxy, original, a scene in
   * byte ranges) from: `/files` of the page's own origin, the loopback host's in a browser and the
   * app:// protocol's in Electron; both answer Range requests. Revoking it is harmless.
   */
  fileUrl(dir: string, casePath: string): Promise<string>;
  /**
   * How files the examiner drops or picks reach the case. In Electron the page may learn each
   * file's path, and the import reads it from disk like the CLI; in a browser it cannot, and the
   * page sends the bytes to the loopback host instead (`beginUpload`, then one PUT per file, or
   * for a large file several PUTs of its ranges at once).
   */
  intake:
    | { kind: "paths"; pathFor(file: File): string }
    | { kind: "upload"; send(uploadId: string, index: number, file: File, signal: AbortSignal): Promise<void> };
}

const TOKEN_KEY = "sightline-token";
/** A file larger than this goes as ranges of this size, so many at once (measured: see docs/PERFORMANCE.md). */
export const UPLOAD_RANGE_BYTES = 16 * 1024 * 1024;
export const UPLOAD_RANGES_AT_ONCE = 4;

/**
 * In browser mode, a window `sightline host --open` started arrives with a one-time launch code
 * in the address's fragment instead of the token (which must not sit on a command line): trade
 * it for the token, kept for this tab like one that came in the fragment. Resolves to why that
 * failed, in one line, or null (also when there was no code).
 */
export async function redeemLaunchCode(): Promise<string | null> {
  const code = new URLSearchParams(window.location.hash.slice(1)).get("code");
  if (!code) return null;
  history.replaceState(null, "", window.location.pathname);
  try {
    const response = await fetch(`${window.location.origin}/launch`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code }),
    });
    const body = (await response.json().catch(() => null)) as {
      ok?: boolean;
      value?: { token?: string };
      error?: { message?: string };
    } | null;
    if (!body?.ok || typeof body.value?.token !== "string") {
      return body?.error?.message ?? `the host answered ${response.status}`;
    }
    sessionStorage.setItem(TOKEN_KEY, body.value.token);
    return null;
  } catch {
    return "the host could not be reached";
  }
}

export function connect(): Connection | null {
  const bridge = (
    window as unknown as {
      sightline?: SightlineBridge & {
        pathForFile?(file: File): string;
      };
    }
  ).sightline;
  if (bridge) {
    const client = createIpcClient(bridge);
    return {
      client,
      // Streamed from the case by the main process (electron/host/caseFileRange.ts), never whole.
      async fileUrl(dir, casePath) {
        return `${window.location.origin}/files?${new URLSearchParams({ dir, path: casePath })}`;
      },
      intake: { kind: "paths", pathFor: (file) => bridge.pathForFile!(file) },
    };
  }
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get("token");
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, "", window.location.pathname);
  }
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  const base = window.location.origin;
  const session = fetch(`${base}/session`, { method: "POST", headers: { Authorization: `Bearer ${token}` } }).then(
    (r) => {
      if (!r.ok) throw new Error(`the host refused the session (${r.status})`);
    },
  );
  session.catch(() => undefined);
  return {
    client: createHttpClient(base, token),
    // In a browser the page loads case files straight from the host (<img>, <video> with ranges),
    // carried by the cookie POST /session sets; no bytes pass through script.
    async fileUrl(dir, casePath) {
      await session;
      return `${base}/files?${new URLSearchParams({ dir, path: casePath })}`;
    },
    intake: {
      kind: "upload",
      send: uploadSender(base, token),
    },
  };
}

/**
 * Sends one announced file's bytes to the loopback host at `base`: one PUT, or for a large file
 * several ranges at once. Rejects with the host's reason when it refuses the file.
 */
export function uploadSender(
  base: string,
  token: string,
): (uploadId: string, index: number, file: Blob, signal: AbortSignal) => Promise<void> {
  return async (uploadId, index, file, signal) => {
    // A signal aborted already never fires "abort": nothing is sent at all.
    signal.throwIfAborted();
    const put = async (body: Blob, range: { offset: number; length: number } | null, stop: AbortSignal) => {
      const query = new URLSearchParams({ id: uploadId, index: String(index) });
      if (range) {
        query.set("offset", String(range.offset));
        query.set("length", String(range.length));
      }
      const response = await fetch(`${base}/upload?${query}`, {
        method: "PUT",
        body,
        signal: stop,
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/octet-stream" },
      });
      if (!response.ok) {
        const answer = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new Error(answer?.error?.message ?? `the host answered ${response.status}`);
      }
    };
    if (file.size <= UPLOAD_RANGE_BYTES) return put(file, null, signal);
    // Chromium sends one request's body at a fraction of the disk's speed (about 30 MB/s measured
    // over loopback); several ranges at once go several times faster. The host puts them in order.
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    let next = 0;
    const sender = async () => {
      while (next < file.size && !stop.signal.aborted) {
        const offset = next;
        const length = Math.min(UPLOAD_RANGE_BYTES, file.size - offset);
        next += length;
        await put(file.slice(offset, offset + length), { offset, length }, stop.signal);
      }
    };
    try {
      await Promise.all(
        Array.from({ length: UPLOAD_RANGES_AT_ONCE }, () =>
          sender().catch((error: unknown) => {
            stop.abort(); // one range failed: the host has given the file up; stop the others
            throw error;
          }),
        ),
      );
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  };
}
