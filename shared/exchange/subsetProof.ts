/**
 * The proof that the events of a subset belong to the full ledger (docs/EXCHANGE.md, "Subset
 * proofs"). `ledger-proof.jsonl` has one line per event of the full ledger, genesis to head:
 *
 * - an **included** event, as its ledger line (all nine fields): the recipient recomputes its
 *   hash from its content and checks its signature;
 * - an **excluded** event as a stub `{"seq","actor","prev","hash","sig","excluded":true}`: its
 *   content is withheld, but its signature over its hash still checks, and its `prev` links it.
 *
 * Every line's `prev` must be the `hash` of the line before, so the hashes form one chain from
 * genesis to the head, and each included event's hash (which covers its `prev`) pins its place.
 * The genesis event and every `examiner.added` are always included: they say whose keys sign.
 *
 * Pure: building the proof from a ledger, and checking one.
 */
import { z } from "zod";
import { hexToBytes, type LedgerCrypto } from "../ledger/cryptoProvider.js";
import { eventHash } from "../ledger/eventHash.js";
import { PAYLOAD_SCHEMAS, type Examiner, type LedgerEvent } from "../ledger/events.js";
import { keyIdFor } from "../ledger/keyId.js";

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const sig = z.string().regex(/^[A-Za-z0-9+/]{86}==$/);

export const ProofStubSchema = z.strictObject({
  seq: z.number().int().nonnegative(),
  actor: z.string().min(1).max(128),
  prev: hex64.nullable(),
  hash: hex64,
  sig,
  excluded: z.literal(true),
});
export type ProofStub = z.infer<typeof ProofStubSchema>;

const ProofEventSchema = z.strictObject({
  seq: z.number().int().nonnegative(),
  id: z.string().min(1).max(64),
  ts: z.string().min(10).max(64),
  actor: z.string().min(1).max(128),
  type: z.string().regex(/^[a-z]+(\.[a-z]+)+$/),
  payload: z.record(z.string(), z.unknown()),
  prev: hex64.nullable(),
  hash: hex64,
  sig,
});

/** Events that say whose keys sign: always in a proof. */
const ALWAYS_INCLUDED = new Set(["case.created", "examiner.added"]);

/** True when the event concerns one of the items: any string in its payload is one of their SHA-256s. */
export function concernsItems(event: LedgerEvent, items: ReadonlySet<string>): boolean {
  const visit = (value: unknown, depth: number): boolean => {
    if (typeof value === "string") return items.has(value);
    if (depth > 64 || typeof value !== "object" || value === null) return false;
    return Object.values(value).some((v) => visit(v, depth + 1));
  };
  return visit(event.payload, 0);
}

/** The proof's lines (without line ends) for the events that concern `items`. */
export function buildProof(events: readonly LedgerEvent[], items: ReadonlySet<string>): string[] {
  return events.map((event) => {
    if (ALWAYS_INCLUDED.has(event.type) || concernsItems(event, items)) return JSON.stringify(event);
    const stub: ProofStub = {
      seq: event.seq,
      actor: event.actor,
      prev: event.prev,
      hash: event.hash,
      sig: event.sig,
      excluded: true,
    };
    return JSON.stringify(stub);
  });
}

export interface ProofCheck {
  /** The first fault, as one line with its place; null when the proof holds. */
  fault: string | null;
  head: { seq: number; hash: string } | null;
  caseId: string | null;
  included: LedgerEvent[];
  excludedCount: number;
  examiners: Examiner[];
}

/** Checks a proof's text: every line, its hash where its content is given, the chain and every signature. */
export function checkProof(text: string, crypto: LedgerCrypto): ProofCheck {
  const result: ProofCheck = { fault: null, head: null, caseId: null, included: [], excludedCount: 0, examiners: [] };
  const keys = new Map<string, Examiner>();
  const fail = (line: number, why: string): ProofCheck => ({ ...result, fault: `line ${line} of the proof: ${why}` });
  if (!text.endsWith("\n")) return { ...result, fault: "the proof does not end with a line end (it is cut short)" };
  const lines = text.split("\n").slice(0, -1);
  let prev: string | null = null;
  for (const [index, lineText] of lines.entries()) {
    const at = index + 1;
    let json: unknown;
    try {
      json = JSON.parse(lineText);
    } catch {
      return fail(at, "not JSON");
    }
    const isStub = typeof json === "object" && json !== null && "excluded" in json;
    const parsed = isStub ? ProofStubSchema.safeParse(json) : ProofEventSchema.safeParse(json);
    if (!parsed.success) return fail(at, `not ${isStub ? "an excluded-event stub" : "an event"} of the format`);
    const entry = parsed.data;
    if (entry.seq !== index)
      return fail(at, `seq is ${entry.seq} where ${index} belongs (an event is missing or out of order)`);
    if (entry.prev !== prev) return fail(at, "prev is not the hash of the line before: the chain is broken");
    if (!isStub) {
      const event = entry as LedgerEvent;
      if (eventHash(event, crypto) !== event.hash)
        return fail(at, "its content does not give its hash (it was changed)");
      const schema = PAYLOAD_SCHEMAS[event.type as keyof typeof PAYLOAD_SCHEMAS];
      if (!schema) return fail(at, `event type ${JSON.stringify(event.type)} is not one this version knows`);
      if (!schema.safeParse(event.payload).success) return fail(at, `its payload does not fit ${event.type}`);
      if (index === 0) {
        if (event.type !== "case.created") return fail(at, "the first event is not the case's creation");
        const p = event.payload as { caseId: string; examiner: Examiner };
        if (keyIdFor(p.examiner.publicKey, crypto) !== p.examiner.keyId || event.actor !== p.examiner.keyId) {
          return fail(at, "the case's first examiner key is not valid");
        }
        keys.set(p.examiner.keyId, p.examiner);
        result.caseId = p.caseId;
      } else if (event.type === "case.created") {
        return fail(at, "a second case creation");
      }
    } else if (index === 0) {
      return fail(at, "the case's creation is withheld; it must be included");
    }
    const signer = keys.get(entry.actor);
    if (!signer) return fail(at, `signed by ${entry.actor}, a key the included events do not trust`);
    if (!crypto.verifyEd25519(signer.publicKey, hexToBytes(entry.hash), entry.sig)) {
      return fail(at, "its signature does not verify");
    }
    if (!isStub && (entry as LedgerEvent).type === "examiner.added") {
      const added = ((entry as LedgerEvent).payload as { examiner: Examiner }).examiner;
      if (keyIdFor(added.publicKey, crypto) !== added.keyId || keys.has(added.keyId)) {
        return fail(at, "an examiner key that is not valid");
      }
      keys.set(added.keyId, added);
    }
    if (isStub) result.excludedCount++;
    else result.included.push(entry as LedgerEvent);
    prev = entry.hash;
    result.head = { seq: entry.seq, hash: entry.hash };
  }
  if (!result.head) return { ...result, fault: "the proof is empty" };
  result.examiners = [...keys.values()];
  return result;
}
