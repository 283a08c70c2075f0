/**
 * The layout of a Sightline bundle (docs/EXCHANGE.md): one zip file, entries stored (not
 * deflated), holding
 *
 *   README.txt           what each file is and how to check it by hand
 *   verify-ledger.py     the stand-alone checker (Python standard library and openssl)
 *   case/…               the case folder: case.json, ledger.jsonl, objects/, derived/, exports/, …
 *                        (an items subset has ledger-proof.jsonl in place of ledger.jsonl)
 *   SHA256SUMS           `sha256sum -c` lines for every entry above
 *   bundle.json          what the bundle is: case, head, scope, and every file with size and SHA-256
 *
 * Pure: names and their rules, and the bundle.json schema. Readers refuse any entry name that is
 * not one of these.
 */
import { z } from "zod";
import { EventRefSchema } from "../ledger/geoEvents.js";
import { EXCHANGE_SCOPES } from "../ledger/exchangeEvents.js";

export const BUNDLE_FORMAT = "sightline-bundle" as const;
export const BUNDLE_FORMAT_VERSION = 1;

export const BUNDLE_ENTRIES = {
  readme: "README.txt",
  checker: "verify-ledger.py",
  sums: "SHA256SUMS",
  description: "bundle.json",
  caseFolder: "case",
} as const;

/** In a subset bundle, the proof that its events belong to the full ledger (shared/exchange/subsetProof.ts). */
export const SUBSET_PROOF_FILE = "ledger-proof.jsonl";

/** One path component of a case file as Sightline writes them: plain, no dots first, bounded. */
const PLAIN_COMPONENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Folders of a case folder that travel; `tmp/` (imports in flight) and the lock never do. */
export const TRAVELLING_FOLDERS = ["objects", "derived", "exports", "recovered", "timestamps"] as const;
/** Top-level files of a case folder that travel. */
export const TRAVELLING_FILES = ["case.json", "ledger.jsonl", SUBSET_PROOF_FILE] as const;

/**
 * Why a case-relative path (`/`-separated) cannot be a file of a travelling case folder, or null
 * when it can. Depth at most four (`objects/sha256/ab/cdef…`), each part plain.
 */
export function caseFileNameFault(relative: string): string | null {
  const parts = relative.split("/");
  if (parts.length === 1) {
    return (TRAVELLING_FILES as readonly string[]).includes(relative) ? null : "is not a file a case folder holds";
  }
  if (!(TRAVELLING_FOLDERS as readonly string[]).includes(parts[0]!)) return "is not in a folder a case travels with";
  if (parts.length > 4) return "is nested deeper than a case folder goes";
  if (!parts.every((p) => PLAIN_COMPONENT.test(p))) return "has a part that is not a plain name";
  return null;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/** Every file of the bundle but SHA256SUMS and bundle.json itself, with its size and digest. */
export const BundleFileSchema = z.strictObject({
  path: z.string().min(1).max(600),
  size: z.number().int().nonnegative(),
  sha256: hex64,
});
export type BundleFile = z.infer<typeof BundleFileSchema>;

export const BundleDescriptionSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
  caseId: z.string().min(1).max(200),
  title: z.string().max(2000),
  /** The last event the bundle holds: the ledger's last line, or the proof's. */
  head: EventRefSchema,
  eventCount: z.number().int().positive(),
  scope: z.enum(EXCHANGE_SCOPES),
  items: z.array(hex64).max(100_000),
  exportedAt: z.string().max(64),
  exportedBy: z.strictObject({ keyId: z.string().max(128), name: z.string().max(256) }),
  tool: z.strictObject({ name: z.string().max(128), version: z.string().max(128) }),
  files: z.array(BundleFileSchema).max(2_000_000),
});
export type BundleDescription = z.infer<typeof BundleDescriptionSchema>;

/** bundle.json is a few hundred bytes per file; a larger one is refused unread. */
export const MAX_DESCRIPTION_BYTES = 512 * 1024 * 1024;

/** `sha256sum` lines: `<hex>  <path>`, one per file, LF-ended. */
export function formatSums(files: readonly BundleFile[]): string {
  return files.map((f) => `${f.sha256}  ${f.path}\n`).join("");
}

/** Reads `sha256sum` lines back; null when any line is not one. */
export function parseSums(text: string): Map<string, string> | null {
  const sums = new Map<string, string>();
  if (text.length > 0 && !text.endsWith("\n")) return null;
  for (const line of text.split("\n").slice(0, -1)) {
    const match = /^([0-9a-f]{64}) {2}(\S.*)$/.exec(line);
    if (!match || sums.has(match[2]!)) return null;
    sums.set(match[2]!, match[1]!);
  }
  return sums;
}
