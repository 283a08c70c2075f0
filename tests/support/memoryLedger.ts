/**
 * Ledgers built in memory with real Ed25519 keys, for the pure checker's tests: a genesis by its
 * owner, then events chained to it and signed by whoever a test says, hashed by the product's own
 * eventHash (RFC 8785) so only the rule under test can fail.
 */
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { nodeLedgerCrypto } from "../../electron/services/ledger/nodeLedgerCrypto.js";
import { hexToBytes } from "../../shared/ledger/cryptoProvider.js";
import { eventHash } from "../../shared/ledger/eventHash.js";
import type { Examiner, LedgerEvent, UnsignedEvent } from "../../shared/ledger/events.js";
import { keyIdFor } from "../../shared/ledger/keyId.js";

export interface MemoryKey {
  examiner: Examiner;
  privateKey: KeyObject;
}

export function makeKey(name: string): MemoryKey {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const spki = publicKey.export({ format: "der", type: "spki" }).toString("base64");
  return { examiner: { keyId: keyIdFor(spki, nodeLedgerCrypto), name, publicKey: spki }, privateKey };
}

export function signEvent(unsigned: UnsignedEvent, key: MemoryKey): LedgerEvent {
  const hash = eventHash(unsigned, nodeLedgerCrypto);
  return { ...unsigned, hash, sig: sign(null, hexToBytes(hash), key.privateKey).toString("base64") };
}

/** case.created by `owner`, then each of `extra` made from the event before it. */
export function buildLedger(owner: MemoryKey, extra: ((prev: LedgerEvent) => LedgerEvent)[] = []): LedgerEvent[] {
  const genesis = signEvent(
    {
      seq: 0,
      id: "e0",
      ts: "2026-02-16T09:00:00.000Z",
      actor: owner.examiner.keyId,
      type: "case.created",
      prev: null,
      payload: { caseId: "c1", title: "T", formatVersion: 1, hashAlgorithms: ["sha256"], examiner: owner.examiner },
    },
    owner,
  );
  const events = [genesis];
  for (const make of extra) events.push(make(events[events.length - 1]!));
  return events;
}

/** The event after `prev`, by `actor`, chained and signed. */
export function step(prev: LedgerEvent, actor: MemoryKey, type: string, payload: object): LedgerEvent {
  return signEvent(
    {
      seq: prev.seq + 1,
      id: `e${prev.seq + 1}`,
      ts: "2026-02-16T10:00:00.000Z",
      actor: actor.examiner.keyId,
      type,
      prev: prev.hash,
      payload: payload as Record<string, unknown>,
    },
    actor,
  );
}

/** The ledger.jsonl text of `events`. */
export const ledgerText = (events: LedgerEvent[]) => events.map((e) => JSON.stringify(e) + "\n").join("");
