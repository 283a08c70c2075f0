/** `case.json`: what a case folder says about itself. The ledger remains the truth. */
import { z } from "zod";
import { ExaminerSchema, HASH_ALGORITHMS } from "../ledger/events.js";
import { OBJECTS_DIR, objectPathInVault } from "./objectPath.js";

export const CASE_FORMAT_VERSION = 1;

export const CaseFileSchema = z.object({
  formatVersion: z.literal(CASE_FORMAT_VERSION),
  id: z.string().min(1),
  title: z.string(),
  created: z.string(),
  hashAlgorithms: z.array(z.enum(HASH_ALGORITHMS)).min(1),
  /** Every examiner key the ledger trusts; verification checks this list against the ledger. */
  examiners: z.array(ExaminerSchema).min(1),
});
export type CaseFile = z.infer<typeof CaseFileSchema>;

/** Paths inside a case folder, relative to it. */
export const CASE_PATHS = {
  caseFile: "case.json",
  ledger: "ledger.jsonl",
  objects: OBJECTS_DIR,
  derived: "derived",
  exports: "exports",
  /** Staging for imports in flight; never evidence. */
  staging: "tmp",
  /** Unfinished ledger tails moved aside by recovery. */
  recovered: "recovered",
  /** RFC 3161 tokens over ledger heads, each named in a timestamp.recorded event. */
  timestamps: "timestamps",
} as const;

/** Vault path of the object with this SHA-256, relative to the case folder. */
export function objectPathFor(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new TypeError("not a SHA-256 hex digest");
  return `${CASE_PATHS.objects}/${objectPathInVault(sha256)}`;
}
