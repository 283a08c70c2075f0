/**
 * Walks a ledger's lines: parses each event, re-computes its hash, checks its
 * signature against the keys the ledger itself has established, checks the
 * chain (seq and prev) and replays it into a case state. Pure: the caller
 * reads the file and passes the text.
 *
 * Trust: the first event (`case.created`) introduces the first examiner key and
 * is signed by it; later keys enter only through `examiner.added` events signed
 * by a key already trusted. A whole ledger rewritten under a new key is only
 * caught against a head hash or case id kept elsewhere (reports print both).
 */
import { applyEvent, emptyCaseState, type CaseState } from "./caseState.js";
import { hexToBytes, type LedgerCrypto } from "./cryptoProvider.js";
import { eventHash } from "./eventHash.js";
import { CaseCreatedPayload, LedgerEventSchema, PAYLOAD_SCHEMAS, type LedgerEvent } from "./events.js";
import { keyIdFor } from "./keyId.js";
import type { Notice, Problem } from "./problems.js";

export interface LedgerCheck {
  problems: Problem[];
  notices: Notice[];
  state: CaseState;
  /** The last event's seq and hash as the file stands, whether or not it checks out. */
  head: { seq: number; hash: string } | null;
}

interface ParsedLine {
  line: number;
  event: LedgerEvent;
}

/** Checks the full text of a ledger.jsonl file. */
export function verifyLedgerText(text: string, crypto: LedgerCrypto): LedgerCheck {
  const problems: Problem[] = [];
  const notices: Notice[] = [];
  const state = emptyCaseState();
  if (text.length === 0) {
    problems.push({ code: "ledger-empty", message: "the ledger has no events", file: "ledger.jsonl" });
    return { problems, notices, state, head: null };
  }
  const rawLines = text.split("\n");
  const endsClean = rawLines[rawLines.length - 1] === "";
  if (endsClean) rawLines.pop();

  // Parse everything first: reorder detection needs to know which seqs come later.
  const parsed: (ParsedLine | null)[] = rawLines.map((raw, index) => {
    const line = index + 1;
    const isTail = !endsClean && index === rawLines.length - 1;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      problems.push(
        isTail
          ? {
              code: "ledger-torn-tail",
              line,
              message: `line ${line} is an unfinished event (no line end): an append was cut short`,
              file: "ledger.jsonl",
            }
          : { code: "ledger-malformed-line", line, message: `line ${line} is not valid JSON`, file: "ledger.jsonl" },
      );
      return null;
    }
    const shape = LedgerEventSchema.safeParse(json);
    if (!shape.success) {
      const issue = shape.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` (field ${issue.path.join(".")})` : "";
      problems.push({
        code: "ledger-malformed-line",
        line,
        message: `line ${line} is not a ledger event${where}`,
        file: "ledger.jsonl",
      });
      return null;
    }
    return { line, event: shape.data as LedgerEvent };
  });

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
    const at = { line, seq: event.seq, file: "ledger.jsonl" };

    // 1. Content against its own hash.
    const recomputed = eventHash(event, crypto);
    if (recomputed !== event.hash) {
      problems.push({
        code: "event-hash-mismatch",
        ...at,
        message: `line ${line} (event ${event.seq}, ${event.type}) does not match its hash: its content was changed after it was written`,
      });
    }

    // 2. Genesis, or the link to the line before.
    if (index === 0) {
      const genesis = CaseCreatedPayload.safeParse(event.payload);
      if (event.seq !== 0 || event.prev !== null || event.type !== "case.created" || !genesis.success) {
        problems.push({
          code: "genesis-invalid",
          ...at,
          message: `line 1 is not a case.created event with seq 0 and no prev`,
        });
      } else if (
        genesis.data.examiner.keyId !== keyIdFor(genesis.data.examiner.publicKey, crypto) ||
        event.actor !== genesis.data.examiner.keyId
      ) {
        problems.push({
          code: "genesis-invalid",
          ...at,
          message: `line 1 names a key id that does not belong to its public key`,
        });
      }
    } else if (event.seq !== expectedSeq) {
      const isReordered = event.seq < expectedSeq || (laterSeqs.get(expectedSeq) ?? 0) > 0;
      problems.push(
        isReordered
          ? {
              code: "event-out-of-order",
              ...at,
              message: `line ${line} holds event ${event.seq} where event ${expectedSeq} belongs: lines were reordered`,
            }
          : {
              code: "event-missing",
              ...at,
              message:
                event.seq - expectedSeq === 1
                  ? `event ${expectedSeq} is missing before line ${line}: a line was deleted`
                  : `events ${expectedSeq}–${event.seq - 1} are missing before line ${line}: lines were deleted`,
            },
      );
    } else if (previous && event.prev !== previous.event.hash) {
      problems.push({
        code: "chain-broken",
        ...at,
        message: `line ${line} (event ${event.seq}) does not point to the hash of the event before it`,
      });
    }
    // An earlier seq (a line moved back) does not push the expectation forward: only the lines it displaced are reported.
    expectedSeq = Math.max(expectedSeq, event.seq + 1);

    // 3. Signature, by a key the ledger already trusts (genesis trusts its own).
    const signer =
      index === 0 && event.type === "case.created"
        ? CaseCreatedPayload.safeParse(event.payload).data?.examiner
        : state.examiners.get(event.actor);
    let isSignedByTrustedKey = false;
    if (!signer || signer.keyId !== event.actor) {
      problems.push({
        code: "signer-unknown",
        ...at,
        message: `line ${line} (event ${event.seq}) is signed by ${event.actor}, which is not an examiner of this case`,
      });
    } else if (!safeVerify(crypto, signer.publicKey, event.hash, event.sig)) {
      problems.push({
        code: "signature-invalid",
        ...at,
        message: `line ${line} (event ${event.seq}) carries a signature that ${signer.name}'s key did not make`,
      });
    } else {
      isSignedByTrustedKey = true;
    }

    // 4. Payload shape for the types this version knows.
    const schema = PAYLOAD_SCHEMAS[event.type as keyof typeof PAYLOAD_SCHEMAS];
    if (!schema) {
      notices.push({
        code: "event-type-unknown",
        line,
        message: `line ${line} has event type ${event.type}, which this version does not know`,
      });
    } else if (!schema.safeParse(event.payload).success) {
      problems.push({
        code: "payload-invalid",
        ...at,
        message: `line ${line} (${event.type}) has a payload that does not match its type`,
      });
    } else if (event.type === "derivative.created") {
      // A derivative lives in its own parent's folder; a path pointing elsewhere could pass off one item's file as another's.
      const { parent, path } = event.payload as { parent: string; path: string };
      if (!path.startsWith(`derived/${parent}/`) || !state.items.has(parent)) {
        problems.push({
          code: "derivative-path-invalid",
          ...at,
          file: path,
          message: `line ${line} names derivative ${path}, which is not in the folder of a known item ${parent.slice(0, 12)}…`,
        });
      }
    }

    // A key enters the trusted set only on a valid signature by a key already in it.
    if (event.type !== "examiner.added" || isSignedByTrustedKey) applyEvent(state, event);
    previous = current;
  }
  return { problems, notices, state, head: state.head };
}

function safeVerify(crypto: LedgerCrypto, publicKey: string, hashHex: string, sig: string): boolean {
  try {
    return crypto.verifyEd25519(publicKey, hexToBytes(hashHex), sig);
  } catch {
    return false;
  }
}
