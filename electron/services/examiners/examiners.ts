/**
 * Bringing another examiner into a case. The newcomer exports a key card from their own profile
 * (name, key id, public key; never the private key) and sends it; an examiner the case already
 * trusts adds it, which is an `examiner.added` event signed by that examiner's key, and then
 * lists the key in case.json. From then on the newcomer's profile can sign events in the case.
 *
 * The ledger event comes first: it is the record, and case.json follows it. A crash between the
 * two leaves case.json one key short, which `verify` reports as `case-keys-mismatch`; adding the
 * same card again then completes case.json without a second event.
 */
import { createPublicKey } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { CASE_PATHS, type CaseFile } from "../../../shared/case/caseFile.js";
import { keyIdFor } from "../../../shared/ledger/keyId.js";
import type { Examiner } from "../../../shared/ledger/events.js";
import { readCaseFile } from "../vault/caseStore.js";
import { isWellFormed } from "../../../shared/ledger/ledgerLine.js";
import { writeFileDurably } from "../vault/durableFs.js";
import type { KeyStore } from "./keyStore.js";
import { LedgerWriter } from "../ledger/ledgerWriter.js";
import { nodeLedgerCrypto } from "../ledger/nodeLedgerCrypto.js";
import { SightlineError, describeIoError } from "../sightlineError.js";
import { trustedExaminers } from "../ledger/caseTrust.js";

/** Key cards are a few hundred bytes; anything much larger is not one. */
const MAX_CARD_BYTES = 16 * 1024;

export const KeyCardSchema = z.object({
  sightlineKeyCard: z.literal(1),
  name: z
    .string()
    .trim()
    .min(1, "the card has no examiner name")
    .max(200, "the examiner name is longer than 200 characters")
    .refine(
      (n) => !/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069<>]/u.test(n),
      "the examiner name holds control characters, direction overrides or markup",
    )
    .refine(isWellFormed, "the examiner name holds broken text (half of a UTF-16 surrogate pair)"),
  keyId: z.string().max(128),
  publicKey: z.string().max(256),
});
export type KeyCard = z.infer<typeof KeyCardSchema>;

export function keyCardOf(examiner: Examiner): KeyCard {
  return { sightlineKeyCard: 1, name: examiner.name, keyId: examiner.keyId, publicKey: examiner.publicKey };
}

/** Reads and checks a key card file: the JSON, the name, an Ed25519 public key, and its key id. */
export async function readKeyCard(file: string): Promise<Examiner> {
  let text: string;
  try {
    if ((await stat(file)).size > MAX_CARD_BYTES) {
      throw new SightlineError("invalid-input", `${file} is not a key card (larger than ${MAX_CARD_BYTES} bytes)`);
    }
    text = await readFile(file, "utf8");
  } catch (error) {
    if (error instanceof SightlineError) throw error;
    throw new SightlineError("invalid-input", `cannot read the key card ${file}: ${describeIoError(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SightlineError("invalid-input", `${file} is not a key card (not JSON)`);
  }
  const parsed = KeyCardSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const why =
      issue?.path.length === 0 || issue?.path[0] === "sightlineKeyCard" ? "not a Sightline key card" : issue?.message;
    throw new SightlineError("invalid-input", `${file}: ${why}`);
  }
  const card = parsed.data;
  let isEd25519 = false;
  try {
    const key = createPublicKey({ key: Buffer.from(card.publicKey, "base64"), format: "der", type: "spki" });
    isEd25519 = key.asymmetricKeyType === "ed25519";
  } catch {
    isEd25519 = false;
  }
  if (!isEd25519) throw new SightlineError("invalid-input", `${file}: the public key is not an Ed25519 key`);
  if (keyIdFor(card.publicKey, nodeLedgerCrypto) !== card.keyId) {
    throw new SightlineError("invalid-input", `${file}: the key id does not belong to the public key`);
  }
  return { name: card.name, keyId: card.keyId, publicKey: card.publicKey };
}

/**
 * Adds `newcomer` to the case, signed by this profile's key that the case trusts. Returns the
 * event's seq, or null when the ledger already trusted the key (case.json is completed then).
 */
export async function addExaminer(
  dir: string,
  keyStore: KeyStore,
  newcomer: Examiner,
): Promise<{ seq: number | null; examiners: Examiner[] }> {
  const caseDir = path.resolve(dir);
  const signer = await keyStore.findFor(await trustedExaminers(caseDir));
  // Everything under the case's writer lock, case.json included: two examiners added at once
  // must both end up in it.
  const writer = await LedgerWriter.open(caseDir, { key: signer });
  try {
    // The writer has checked that case.json lists exactly the keys the ledger trusts.
    const caseFile = await readCaseFile(caseDir);
    if (caseFile.examiners.some((e) => e.keyId === newcomer.keyId)) {
      throw new SightlineError(
        "invalid-input",
        `${newcomer.name} (${newcomer.keyId}) is already an examiner of this case`,
      );
    }
    const [event] = await writer.append([{ type: "examiner.added", payload: { examiner: newcomer } }]);
    // case.json copies the examiner as the ledger holds it, so the two always agree.
    const added = (event!.payload as { examiner: Examiner }).examiner;
    const seq: number | null = event!.seq;
    const next: CaseFile = { ...caseFile, examiners: [...caseFile.examiners, added] };
    await writeFileDurably(path.join(caseDir, CASE_PATHS.caseFile), `${JSON.stringify(next, null, 2)}\n`, caseDir);
    return { seq, examiners: next.examiners };
  } finally {
    await writer.close();
  }
}
