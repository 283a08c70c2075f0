/**
 * Walks a ledger's lines: reads each one strictly (ledgerLine.ts), re-computes its hash,
 * checks its signature against the keys the ledger itself has established, checks the chain
 * (seq and prev) and each payload against its type, and replays it into a case state. Pure:
 * the caller reads the file and passes its bytes. Every problem is reported with its line;
 * nothing in a line can stop the walk.
 *
 * Trust: the first event (`case.created`) introduces the first examiner key and is signed by
 * it; later keys enter only through `examiner.added` events signed by a key already trusted
 * (examinerTrust.ts). A whole ledger rewritten under a new key is only caught against a head
 * hash or case id kept elsewhere (reports print both).
 *
 * Signatures of events that introduce no key do not decide anything later in the walk, so a
 * caller may take them (`deferSignature`) and check them elsewhere, on other threads.
 */
import { applyEvent, emptyCaseState, type CaseState } from "./caseState.js";
import type { LedgerCrypto } from "./cryptoProvider.js";
import { eventHash } from "./eventHash.js";
import {
  CaseCreatedPayload,
  ExaminerAddedPayload,
  LedgerEventSchema,
  PAYLOAD_SCHEMAS,
  type Examiner,
  type LedgerEvent,
} from "./events.js";
import { examinerKeyFault, isSignedBy } from "./examinerTrust.js";
import { GEO_EVENT_TYPES, GeoChecks, type RecordedExport } from "./geoVerify.js";
import { readLedgerLine, type LineFault } from "./ledgerLine.js";
import type { Notice, Problem } from "./problems.js";
import { TIMESTAMP_EVENT_TYPES, TimestampChecks, type RecordedTimestamp } from "./timestampVerify.js";
import { ExerciseChecks } from "../training/exerciseVerify.js";

/** A signature check handed to the caller: `sig` must be `signer`'s signature of `hash`. */
export interface PendingSignature {
  line: number;
  seq: number;
  type: string;
  signer: Examiner;
  hash: string;
  sig: string;
}

/** What one `item.imported` line recorded of its object; verifyCase holds each against the vault. */
export interface RecordedAcquisition {
  line: number;
  seq: number;
  sha256: string;
  size: number;
  md5?: string;
  sha1?: string;
  objectPath: string;
}

export interface LedgerCheckOptions {
  /** Takes the signature checks that decide no trust, instead of checking them inline. */
  deferSignature?: (pending: PendingSignature) => void;
}

export interface LedgerCheck {
  problems: Problem[];
  notices: Notice[];
  state: CaseState;
  /** The last event's seq and hash as the file stands, whether or not it checks out. */
  head: { seq: number; hash: string } | null;
  acquisitions: RecordedAcquisition[];
  /** The files `geolocations.exported` lines named, in ledger order. */
  exports: RecordedExport[];
  /** The `timestamp.recorded` lines whose head is in this ledger, in ledger order (verifyTimestamps.ts reads their tokens). */
  timestamps: RecordedTimestamp[];
}

interface ParsedLine {
  line: number;
  event: LedgerEvent;
  faults: LineFault[];
}

const FILE = "ledger.jsonl";

/** Checks the full text of a ledger.jsonl file. */
export function verifyLedgerText(text: string, crypto: LedgerCrypto, options: LedgerCheckOptions = {}): LedgerCheck {
  return verifyLedgerBytes(new TextEncoder().encode(text), crypto, options);
}

/** The problem a failed signature check is reported as. */
export function signatureProblem(p: PendingSignature): Problem {
  return {
    code: "signature-invalid",
    line: p.line,
    seq: p.seq,
    file: FILE,
    message: `line ${p.line} (event ${p.seq}, ${p.type}) carries a signature that ${p.signer.name}'s key did not make`,
  };
}

/** Checks the bytes of a ledger.jsonl file. */
export function verifyLedgerBytes(
  bytes: Uint8Array,
  crypto: LedgerCrypto,
  options: LedgerCheckOptions = {},
): LedgerCheck {
  const problems = new BoundedProblems();
  const notices: Notice[] = [];
  const acquisitions: RecordedAcquisition[] = [];
  const state = emptyCaseState();
  const geo = new GeoChecks();
  const timestamps = new TimestampChecks();
  const exercise = new ExerciseChecks();
  if (bytes.length === 0) {
    problems.push({ code: "ledger-empty", message: "the ledger has no events", file: FILE });
    return { problems: problems.list(), notices, state, head: null, acquisitions, exports: [], timestamps: [] };
  }

  // Read every line first: reorder detection needs to know which seqs come later.
  const parsed: (ParsedLine | null)[] = [];
  for (let start = 0, line = 1; start < bytes.length; line++) {
    const end = bytes.indexOf(0x0a, start);
    if (end < 0) {
      // The one rule for a cut-off tail (LEDGER.md): bytes after the last line end are an
      // unfinished append, never an event, until the next writer moves them to recovered/.
      problems.push({
        code: "ledger-torn-tail",
        line,
        file: FILE,
        message: `line ${line} is an unfinished event (no line end): an append was cut short; the next writer moves it to recovered/`,
      });
      break;
    }
    parsed.push(parseLine(bytes.subarray(start, end), line, problems));
    start = end + 1;
  }

  const laterSeqs = new Map<number, number>(); // seq -> count of occurrences not yet visited
  for (const p of parsed) if (p) laterSeqs.set(p.event.seq, (laterSeqs.get(p.event.seq) ?? 0) + 1);

  let previous: ParsedLine | null = null;
  let expectedSeq = 0;
  for (let index = 0; index < parsed.length; index++) {
    const current = parsed[index];
    if (!current) {
      previous = null; // the next link cannot be checked against an unreadable line
      expectedSeq++;
      continue;
    }
    const { line, event } = current;
    laterSeqs.set(event.seq, (laterSeqs.get(event.seq) ?? 1) - 1);
    const at = { line, seq: event.seq, file: FILE };
    const problemsBefore = problems.length;
    const report = (code: Problem["code"], message: string, extra: Partial<Problem> = {}) =>
      problems.push({ code, ...at, message, ...extra });
    for (const fault of current.faults) report(fault.code, `line ${line} ${fault.reason}`);

    // 1. Content against its own hash.
    let recomputed: string | null;
    try {
      recomputed = eventHash(event, crypto);
    } catch {
      recomputed = null;
    }
    if (recomputed !== event.hash) {
      report(
        "event-hash-mismatch",
        `line ${line} (event ${event.seq}, ${event.type}) does not match its hash: its content was changed after it was written`,
      );
    }

    // 2. Genesis, or the link to the line before.
    if (index === 0) {
      const genesis = CaseCreatedPayload.safeParse(event.payload);
      if (event.seq !== 0 || event.prev !== null || event.type !== "case.created" || !genesis.success) {
        report("genesis-invalid", "line 1 is not a case.created event with seq 0 and no prev");
      } else if (
        examinerKeyFault(genesis.data.examiner, state.examiners, crypto) !== null ||
        event.actor !== genesis.data.examiner.keyId
      ) {
        report("genesis-invalid", "line 1 names a key that is not an Ed25519 key whose id its public key gives");
      }
    } else if (event.seq !== expectedSeq) {
      const isReordered = event.seq < expectedSeq || (laterSeqs.get(expectedSeq) ?? 0) > 0;
      if (isReordered) {
        report(
          "event-out-of-order",
          `line ${line} holds event ${event.seq} where event ${expectedSeq} belongs: lines were reordered`,
        );
      } else {
        report(
          "event-missing",
          event.seq - expectedSeq === 1
            ? `event ${expectedSeq} is missing before line ${line}: a line was deleted`
            : `events ${expectedSeq}–${event.seq - 1} are missing before line ${line}: lines were deleted`,
        );
      }
    } else if (previous && event.prev !== previous.event.hash) {
      report("chain-broken", `line ${line} (event ${event.seq}) does not point to the hash of the event before it`);
    }
    // An earlier seq (a line moved back) does not push the expectation forward: only the lines it displaced are reported.
    expectedSeq = Math.max(expectedSeq, event.seq + 1);

    // 3. Signature, by a key the ledger already trusts (genesis trusts its own).
    const isGenesis = index === 0 && event.type === "case.created";
    const signer = isGenesis
      ? CaseCreatedPayload.safeParse(event.payload).data?.examiner
      : state.examiners.get(event.actor);
    const isSigMalformed = current.faults.some((f) => f.code === "signature-malformed");
    let isSignedByTrustedKey = false;
    if (!signer || signer.keyId !== event.actor) {
      report(
        "signer-unknown",
        `line ${line} (event ${event.seq}) is signed by ${event.actor}, which is not an examiner of this case`,
      );
    } else if (!isSigMalformed) {
      const pending: PendingSignature = {
        line,
        seq: event.seq,
        type: event.type,
        signer,
        hash: event.hash,
        sig: event.sig,
      };
      const decidesTrust = isGenesis || event.type === "examiner.added";
      if (!decidesTrust && options.deferSignature) {
        options.deferSignature(pending);
      } else if (isSignedBy(crypto, signer.publicKey, event.hash, event.sig)) {
        isSignedByTrustedKey = true;
      } else {
        problems.push(signatureProblem(pending));
      }
    }

    // 4. The payload against its type.
    const schema = PAYLOAD_SCHEMAS[event.type as keyof typeof PAYLOAD_SCHEMAS];
    const reading = schema?.safeParse(event.payload);
    let mayApply = true;
    if (!schema) {
      report(
        "event-type-unknown",
        `line ${line} has event type ${event.type}, which this version does not know: it was not checked (a newer Sightline may read it)`,
      );
    } else if (!reading?.success) {
      report("payload-invalid", `line ${line} (${event.type}) has a payload that does not match its type`);
    } else if (GEO_EVENT_TYPES.has(event.type)) {
      geo.check(event, line, reading.data as Record<string, unknown>, state, report);
    } else if (TIMESTAMP_EVENT_TYPES.has(event.type)) {
      timestamps.check(event, line, reading.data as Record<string, unknown>, report);
    } else if (event.type === "report.generated" || event.type === "scorecard.exported") {
      // A report's or scorecard's copy in exports/ is re-hashed like a geolocation export.
      const p = reading.data as { path: string; sha256: string; size: number };
      geo.exports.push({ line, seq: event.seq, path: p.path, sha256: p.sha256, size: p.size });
    } else if (event.type === "uco.exported") {
      // A CASE/UCO export's copy in exports/ likewise (events from before it was kept there name none).
      const p = reading.data as { path?: string; file: { sha256: string; size: number } };
      if (p.path !== undefined) geo.exports.push({ line, seq: event.seq, path: p.path, ...p.file });
    } else if (event.type === "case.created" && index > 0) {
      mayApply = false;
      report(
        "genesis-repeated",
        `line ${line} is a second case.created: a case is created once, and its keys, title and id are not taken from it`,
      );
    } else if (event.type === "examiner.added") {
      const examiner = ExaminerAddedPayload.parse(event.payload).examiner;
      const fault = examinerKeyFault(examiner, state.examiners, crypto);
      if (fault) report("examiner-key-invalid", `line ${line} adds an examiner key that cannot be trusted: ${fault}`);
      // A key enters the trusted set only from a line with nothing wrong: its content matches its hash, that
      // hash is signed by a key already trusted, and it is linked in place (not replayed from another ledger).
      mayApply = fault === null && isSignedByTrustedKey && problems.length === problemsBefore;
    } else if (event.type === "item.imported") {
      const p = event.payload as unknown as RecordedAcquisition;
      acquisitions.push({
        line,
        seq: event.seq,
        sha256: p.sha256,
        size: p.size,
        ...(p.md5 !== undefined ? { md5: p.md5 } : {}),
        ...(p.sha1 !== undefined ? { sha1: p.sha1 } : {}),
        objectPath: p.objectPath,
      });
      const expected = `objects/sha256/${p.sha256.slice(0, 2)}/${p.sha256.slice(2)}`;
      if (p.objectPath !== expected) {
        report(
          "object-path-invalid",
          `line ${line} stores item ${p.sha256.slice(0, 12)}… at ${p.objectPath}, not at its hash's path ${expected}`,
          { item: p.sha256, file: expected },
        );
      }
    } else if (event.type === "derivative.created") {
      // A derivative lives in its own parent's folder; a path pointing elsewhere could pass off one item's file as another's.
      const { parent, path } = event.payload as { parent: string; path: string };
      if (!path.startsWith(`derived/${parent}/`) || !state.items.has(parent)) {
        report(
          "derivative-path-invalid",
          `line ${line} names derivative ${path}, which is not in the folder of a known item ${parent.slice(0, 12)}…`,
          { file: path },
        );
      } else if ((event.payload as { role: string }).role === "map-snapshot") {
        geo.noteSnapshot(event.payload as { parent: string; path: string; sha256: string });
      }
    }

    exercise.check(event, line, reading?.success ? (reading.data as Record<string, unknown>) : null, report);
    if (index === 0 && problems.length !== problemsBefore) mayApply = false; // a broken genesis trusts no one
    if (mayApply) applyEvent(state, event);
    else state.head = { seq: event.seq, hash: event.hash };
    if (!mayApply) state.eventCount++;
    timestamps.note(event);
    previous = current;
  }
  notices.push(...timestamps.pendingNotices());
  return {
    problems: problems.list(),
    notices,
    state,
    head: state.head,
    acquisitions,
    exports: geo.exports,
    timestamps: timestamps.recorded,
  };
}

/** Detailed problems kept per code; a ledger of a million blank lines is reported, not held, line by line. */
const MAX_DETAILED_PER_CODE = 1000;

class BoundedProblems {
  private readonly kept: Problem[] = [];
  private readonly counts = new Map<Problem["code"], { count: number; lastLine?: number }>();

  push(problem: Problem): void {
    const entry = this.counts.get(problem.code) ?? { count: 0 };
    entry.count++;
    if (problem.line !== undefined) entry.lastLine = problem.line;
    this.counts.set(problem.code, entry);
    if (entry.count <= MAX_DETAILED_PER_CODE) this.kept.push(problem);
  }

  get length(): number {
    let n = 0;
    for (const { count } of this.counts.values()) n += count;
    return n;
  }

  list(): Problem[] {
    const out = [...this.kept];
    for (const [code, { count, lastLine }] of this.counts) {
      if (count <= MAX_DETAILED_PER_CODE) continue;
      out.push({
        code,
        file: FILE,
        ...(lastLine !== undefined ? { line: lastLine } : {}),
        message: `and ${count - MAX_DETAILED_PER_CODE} more lines with the same problem (${code}), the last at line ${lastLine ?? "?"}`,
      });
    }
    return out;
  }
}

function parseLine(bytes: Uint8Array, line: number, problems: BoundedProblems): ParsedLine | null {
  const reading = readLedgerLine(bytes);
  if (!reading.ok) {
    problems.push({ code: reading.fault.code, line, file: FILE, message: `line ${line} ${reading.fault.reason}` });
    return null;
  }
  const shape = LedgerEventSchema.safeParse(reading.value);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (field ${issue.path.join(".")})` : "";
    problems.push({
      code: "ledger-malformed-line",
      line,
      file: FILE,
      message: `line ${line} is not a ledger event${where}`,
    });
    return null;
  }
  // The hash covers the line's own values, not what the schema made of them.
  return { line, event: reading.value as unknown as LedgerEvent, faults: reading.faults };
}
