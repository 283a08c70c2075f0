/**
 * The Chrome DevTools Protocol over the pipe of a Chromium started with `--remote-debugging-pipe`:
 * the browser reads commands on its fd 3 and writes answers and events on its fd 4, each message one
 * JSON text ended by a NUL byte. Only the process that started the browser holds these pipes: no
 * port is opened, so no other local user or page can reach the protocol.
 *
 * Written by hand rather than with playwright-core: Playwright speaks this pipe only to a browser it
 * launches itself, with its automation switches (`--enable-automation`, the "controlled by
 * automated test software" bar, its own profile handling); `connectOverCDP` takes only a WebSocket
 * or HTTP address. The protocol needed here is a few commands, which this small client covers.
 */
import type { Readable, Writable } from "node:stream";

/** The largest message accepted from the browser (a page's answer is small; anything bigger is refused). */
const MAX_MESSAGE_CHARS = 16 * 1024 * 1024;

interface Pending {
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

export class CdpPipe {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** The start of a message not yet ended by its NUL: its pieces from the chunks it spans so far. */
  private pieces: string[] = [];
  private piecesLength = 0;
  private closedReason: string | null = null;

  constructor(
    private readonly toBrowser: Writable,
    fromBrowser: Readable,
  ) {
    // Decoded as it arrives (a character split between chunks is held back until it is whole).
    fromBrowser.setEncoding("utf8");
    fromBrowser.on("data", (chunk: string) => this.receive(chunk));
    fromBrowser.on("error", () => this.close("the browser's pipe failed"));
    fromBrowser.on("close", () => this.close("the browser has closed"));
    toBrowser.on("error", () => this.close("the browser's pipe failed"));
  }

  /** Whether the browser is still there to answer. */
  get isOpen(): boolean {
    return this.closedReason === null;
  }

  /** Sends one command (to a page when `sessionId` is given) and resolves with its result. */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.closedReason !== null) return Promise.reject(new Error(this.closedReason));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + "\0");
    });
  }

  /** Fails every command still waiting; later ones fail at once with the same reason. */
  close(reason = "the browser has closed"): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    for (const { reject } of this.pending.values()) reject(new Error(reason));
    this.pending.clear();
  }

  /**
   * Reads the messages a chunk ends, searching only the chunk: a message within it is a slice of it
   * (V8 shares the chunk's characters, nothing is copied), and the start of one it does not end is
   * kept as a piece, joined once its end arrives. (Appending each chunk to one buffer and searching
   * that buffer again re-read and re-copied a long message for every chunk it spans: quadratic.)
   */
  private receive(chunk: string): void {
    if (this.closedReason !== null) return;
    let start = 0;
    for (let end = chunk.indexOf("\0"); end >= 0; end = chunk.indexOf("\0", start)) {
      let text = chunk.slice(start, end);
      if (this.pieces.length > 0) {
        text = this.pieces.join("") + text;
        this.pieces = [];
        this.piecesLength = 0;
      }
      start = end + 1;
      this.answer(text);
    }
    if (start === chunk.length) return;
    this.pieces.push(chunk.slice(start));
    this.piecesLength += chunk.length - start;
    if (this.piecesLength > MAX_MESSAGE_CHARS) {
      this.pieces = [];
      this.close("the browser sent a message too large to read");
    }
  }

  /** Settles the command a message answers; events and anything unreadable are skipped. */
  private answer(text: string): void {
    let message: { id?: unknown; result?: unknown; error?: { message?: unknown } };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (typeof message.id !== "number") return; // An event: none is listened to.
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (message.error) {
      const said = typeof message.error.message === "string" ? message.error.message : "refused";
      waiting.reject(new Error(`the browser refused: ${said.split("\n")[0]!.slice(0, 200)}`));
    } else {
      waiting.resolve((message.result ?? {}) as Record<string, unknown>);
    }
  }
}
