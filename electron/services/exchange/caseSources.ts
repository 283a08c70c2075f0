/**
 * The files an export writes, under their path in the export (`case/…`): bytes already in hand
 * (case.json, the ledger as it was when the export began, a subset's proof) or files read from
 * the case, each with the digest it must have where the ledger says (an original's is its name,
 * a derivative's what its latest event recorded).
 */
import { lstat } from "node:fs/promises";
import path from "node:path";
import { objectPathFor } from "../../../shared/case/caseFile.js";
import { BUNDLE_ENTRIES, SUBSET_PROOF_FILE } from "../../../shared/exchange/bundleFormat.js";
import { buildProof } from "../../../shared/exchange/subsetProof.js";
import { SightlineError } from "../sightlineError.js";
import { listTravellingFiles, type CaseSnapshot } from "./caseSnapshot.js";

/** What goes into the zip's case folder: bytes already in hand, or a file read from the case. */
export type Source =
  { path: string; bytes: Buffer } | { path: string; file: string; size: number; expect: string | null };

export async function wholeCaseSources(snapshot: CaseSnapshot): Promise<Source[]> {
  const derivedSha = new Map<string, string>();
  for (const item of snapshot.state.items.values()) for (const d of item.derivatives) derivedSha.set(d.path, d.sha256);
  const files = await listTravellingFiles(snapshot.caseDir);
  const caseEntry = (relative: string) => `${BUNDLE_ENTRIES.caseFolder}/${relative}`;
  return [
    { path: caseEntry("case.json"), bytes: snapshot.caseFile },
    { path: caseEntry("ledger.jsonl"), bytes: snapshot.ledger },
    ...files.map((f) => ({
      path: caseEntry(f.relative),
      file: path.join(snapshot.caseDir, f.relative),
      size: f.size,
      expect: expectedDigest(f.relative, derivedSha),
    })),
  ];
}

/** An original's digest is its name; a derivative's is what its latest event recorded. */
function expectedDigest(relative: string, derivedSha: ReadonlyMap<string, string>): string | null {
  const object = /^objects\/sha256\/([0-9a-f]{2})\/([0-9a-f]{62})$/.exec(relative);
  if (object) return object[1]! + object[2]!;
  return derivedSha.get(relative) ?? null;
}

export async function subsetSources(snapshot: CaseSnapshot, items: readonly string[]): Promise<Source[]> {
  if (items.length === 0) throw new SightlineError("invalid-input", "a subset needs at least one item");
  const caseEntry = (relative: string) => `${BUNDLE_ENTRIES.caseFolder}/${relative}`;
  const sources: Source[] = [
    { path: caseEntry("case.json"), bytes: snapshot.caseFile },
    {
      path: caseEntry(SUBSET_PROOF_FILE),
      bytes: Buffer.from(
        buildProof(snapshot.events, new Set(items))
          .map((l) => `${l}\n`)
          .join(""),
      ),
    },
  ];
  for (const sha256 of items) {
    const item = snapshot.state.items.get(sha256);
    if (!item) throw new SightlineError("not-found", `no item of this case has the SHA-256 ${sha256}`);
    const relatives = [
      { relative: objectPathFor(sha256), expect: sha256 },
      ...item.derivatives.map((d) => ({ relative: d.path, expect: d.sha256 })),
    ];
    for (const { relative, expect } of relatives) {
      const file = path.join(snapshot.caseDir, relative);
      const info = await lstat(file).catch(() => null);
      if (!info?.isFile()) {
        throw new SightlineError(
          "tampered",
          `${relative} is missing or not a regular file; run "sightline verify"; nothing was exported`,
        );
      }
      sources.push({ path: caseEntry(relative), file, size: info.size, expect });
    }
  }
  return sources;
}
