/**
 * What the ledger walk checks of trusted timestamps (docs/LEDGER.md, "Trusted timestamps"): the
 * head a request or token names is an earlier event of this ledger, by seq and hash; a token that
 * answers a queued request names an earlier `timestamp.requested` for the same head and nonce; a
 * request no token answers is a notice (pending: it proves no time). The token files themselves
 * (hash, imprint, signature, chain, genTime) are checked on the Node side, which reads them.
 */
import type { LedgerEvent } from "./events.js";
import type { EventRef } from "./geoEvents.js";
import type { Notice, Problem } from "./problems.js";
import type { TimestampRecorded, TimestampRequested } from "./timestampEvents.js";

export const TIMESTAMP_EVENT_TYPES: ReadonlySet<string> = new Set(["timestamp.requested", "timestamp.recorded"]);

/** A `timestamp.recorded` line whose head is in the ledger, with that head event's time. */
export interface RecordedTimestamp {
  line: number;
  seq: number;
  payload: TimestampRecorded;
  headTs: string;
}

type Report = (code: Problem["code"], message: string, extra?: Partial<Problem>) => void;

const key = (ref: EventRef) => `${ref.seq}:${ref.hash}`;

export class TimestampChecks {
  /** Every event walked so far, by seq: its hash and time. */
  private readonly seen = new Map<number, { hash: string; ts: string }>();
  private readonly requests = new Map<string, { line: number; payload: TimestampRequested }>();
  private readonly answered = new Set<string>();
  readonly recorded: RecordedTimestamp[] = [];

  /** Called for every event after its own checks, so later lines can name it. */
  note(event: LedgerEvent): void {
    this.seen.set(event.seq, { hash: event.hash, ts: event.ts });
  }

  check(event: LedgerEvent, line: number, payload: Record<string, unknown>, report: Report): void {
    const head = payload.head as EventRef;
    const covered = this.seen.get(head.seq);
    if (head.seq >= event.seq || covered?.hash !== head.hash) {
      report(
        "timestamp-head-unknown",
        `line ${line} (${event.type}) names head ${head.seq} ${head.hash.slice(0, 12)}…, which is not an earlier event of this ledger`,
      );
      return;
    }
    if (event.type === "timestamp.requested") {
      this.requests.set(key(event), { line, payload: payload as unknown as TimestampRequested });
      return;
    }
    const p = payload as unknown as TimestampRecorded;
    if (p.request) {
      const request = this.requests.get(key(p.request));
      if (!request || key(request.payload.head) !== key(p.head) || request.payload.nonce !== p.nonce) {
        report(
          "timestamp-reference-broken",
          `line ${line} answers request ${p.request.seq}, which is not an earlier timestamp.requested for the same head and nonce`,
        );
      } else this.answered.add(key(p.request));
    }
    this.recorded.push({ line, seq: event.seq, payload: p, headTs: covered.ts });
  }

  /** Requests no token answered: notices, since they prove nothing yet. */
  pendingNotices(): Notice[] {
    return [...this.requests.entries()]
      .filter(([k]) => !this.answered.has(k))
      .map(([, r]) => ({
        code: "timestamp-pending",
        line: r.line,
        message: `line ${r.line} asked ${r.payload.tsaUrl} for a timestamp of head ${r.payload.head.seq} that was never sent (${r.payload.reason}); it proves no time until it is sent`,
      }));
  }
}
