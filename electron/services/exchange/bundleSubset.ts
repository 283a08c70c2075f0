/**
 * The checks of a subset bundle once its files are extracted and match the manifest: the proof
 * (shared/exchange/subsetProof.ts) holds and ends at the head bundle.json names, the case is the
 * one case.json and bundle.json name, and every original and derivative in it is one the included
 * events recorded, with the digest they recorded; every item named has its original.
 */
import path from "node:path";
import { readFile } from "node:fs/promises";
import { CaseFileSchema } from "../../../shared/case/caseFile.js";
import { BUNDLE_ENTRIES, SUBSET_PROOF_FILE, type BundleDescription } from "../../../shared/exchange/bundleFormat.js";
import { checkProof } from "../../../shared/exchange/subsetProof.js";
import type { DerivativeCreated, ItemImported } from "../../../shared/ledger/events.js";
import { nodeLedgerCrypto } from "../ledger/nodeLedgerCrypto.js";
import { refuse, shownEntry } from "./bundleEntries.js";

export async function checkSubset(caseDir: string, description: BundleDescription): Promise<void> {
  const read = (name: string) =>
    readFile(path.join(caseDir, name)).catch(() => {
      throw refuse(`the subset has no case/${name}`);
    });
  const proof = checkProof((await read(SUBSET_PROOF_FILE)).toString("utf8"), nodeLedgerCrypto);
  if (proof.fault) throw refuse(`the subset's proof does not hold: ${proof.fault}`);
  if (proof.head?.seq !== description.head.seq || proof.head.hash !== description.head.hash) {
    throw refuse(
      `bundle.json names head ${description.head.seq} ${description.head.hash} but the proof ends elsewhere`,
    );
  }
  let caseJson: unknown = null;
  try {
    caseJson = JSON.parse((await read("case.json")).toString("utf8"));
  } catch {
    throw refuse("the subset's case.json is not JSON");
  }
  const parsedCase = CaseFileSchema.safeParse(caseJson);
  if (!parsedCase.success) throw refuse("the subset's case.json is not a case file");
  if (parsedCase.data.id !== proof.caseId || description.caseId !== proof.caseId) {
    throw refuse(`the proof is of case ${proof.caseId}, not the case ${description.caseId} the bundle names`);
  }
  const imported = new Map<string, ItemImported>();
  const derived = new Map<string, DerivativeCreated>();
  for (const event of proof.included) {
    if (event.type === "item.imported") {
      const p = event.payload as ItemImported;
      imported.set(p.sha256, p);
    } else if (event.type === "derivative.created") {
      const p = event.payload as DerivativeCreated;
      derived.set(p.path, p);
    }
  }
  const prefix = `${BUNDLE_ENTRIES.caseFolder}/`;
  const present = new Set<string>();
  for (const file of description.files) {
    if (!file.path.startsWith(prefix)) continue;
    const relative = file.path.slice(prefix.length);
    const object = /^objects\/sha256\/([0-9a-f]{2})\/([0-9a-f]{62})$/.exec(relative);
    if (object) {
      const sha256 = object[1]! + object[2]!;
      if (file.sha256 !== sha256) throw refuse(`the original ${shownEntry(relative)} does not match its name`);
      if (!imported.has(sha256) || !description.items.includes(sha256)) {
        throw refuse(`the original ${shownEntry(relative)} is not an item of the subset`);
      }
      if (imported.get(sha256)!.size !== file.size)
        throw refuse(`the original ${shownEntry(relative)} has the wrong size`);
      present.add(sha256);
    } else if (relative.startsWith("derived/")) {
      const event = derived.get(relative);
      if (!event || !description.items.includes(event.parent)) {
        throw refuse(`${shownEntry(relative)} is not a derivative the subset's events recorded`);
      }
      if (event.sha256 !== file.sha256)
        throw refuse(`${shownEntry(relative)} does not match the SHA-256 its event recorded`);
    } else if (relative !== "case.json" && relative !== SUBSET_PROOF_FILE) {
      throw refuse(`${shownEntry(relative)} does not belong in a subset`);
    }
  }
  for (const sha256 of description.items) {
    if (!imported.has(sha256)) throw refuse(`the proof holds no import of the item ${sha256}`);
    if (!present.has(sha256)) throw refuse(`the original of the item ${sha256} is missing`);
  }
}
