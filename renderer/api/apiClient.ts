/**
 * The renderer's typed client of the contract, over either transport. The
 * method list comes from the contract itself, so the client cannot drift from
 * what the Node side serves.
 */
import { API_METHODS, type ApiEvent, type ApiMethod, type SightlineApi } from "../../shared/api/contract.js";
import type { Result } from "../../shared/api/result.js";

/** What the Electron preload exposes on `window.sightline` (see electron/preload.cts). */
export interface SightlineBridge {
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

export interface ApiClient {
  api: SightlineApi;
  /** Subscribes to pushed events; returns the unsubscribe function. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

function buildApi(invoke: (method: ApiMethod, input: unknown) => Promise<Result<unknown>>): SightlineApi {
  return Object.fromEntries(
    API_METHODS.map((m) => [m, (input: unknown) => invoke(m, input)]),
  ) as unknown as SightlineApi;
}

/** The client in the Electron window: IPC through the preload bridge. */
export function createIpcClient(bridge: SightlineBridge): ApiClient {
  return { api: buildApi((m, input) => bridge.invoke(m, input)), onEvent: (l) => bridge.onEvent(l) };
}

/** The client in browser mode: the loopback host, with its token on every request. */
export function createHttpClient(baseUrl: string, token: string, fetchImpl: typeof fetch = fetch): ApiClient {
  const headers = { Authorization: `Bearer ${token}` };
  const api = buildApi(async (method, input) => {
    try {
      const response = await fetchImpl(`${baseUrl}/api/${method}`, {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/json" },
        body: JSON.stringify(input ?? {}),
      });
      return (await response.json()) as Result<unknown>;
    } catch (error) {
      return { ok: false, error: { code: "io-error", message: `the Sightline host did not answer: ${String(error)}` } };
    }
  });
  // One event stream for the whole page, shared by every subscriber: each stream holds an HTTP/1.1
  // connection for as long as it is open, and Chromium allows six per host, so a stream per view
  // (the board, its import bar, a report or bundle dialog, the ledger view...) would leave no
  // connection for the page's images and scene reads, which would then wait for ever.
  const listeners = new Set<(event: ApiEvent) => void>();
  let stream: AbortController | null = null;
  const open = () => {
    const controller = new AbortController();
    stream = controller;
    void (async () => {
      try {
        const response = await fetchImpl(`${baseUrl}/api/events`, { headers, signal: controller.signal });
        if (!response.body) return;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const message = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            for (const row of message.split("\n")) {
              if (!row.startsWith("data: ")) continue;
              const event = JSON.parse(row.slice(6)) as ApiEvent;
              for (const listener of [...listeners]) listener(event);
            }
          }
        }
      } catch {
        // Aborted when the last subscriber left, or the host went away: no more events.
      } finally {
        if (stream === controller) stream = null;
      }
    })();
  };
  const onEvent = (listener: (event: ApiEvent) => void) => {
    listeners.add(listener);
    if (!stream) open();
    return () => {
      listeners.delete(listener);
      // Closed a moment later, not at once: a view that listens again straight away (a React
      // effect re-run) keeps the same stream and misses no event.
      setTimeout(() => {
        if (listeners.size === 0 && stream) {
          stream.abort();
          stream = null;
        }
      }, 1000);
    };
  };
  return { api, onEvent };
}
