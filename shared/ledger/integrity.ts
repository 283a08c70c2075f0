/**
 * Integrity per item, from the ledger alone: the last `verification.run` names the items it found
 * a problem with, and an `original.restored` after it clears the problems of that item's vault
 * copy. Pure; the replay (caseState.ts) calls it, the board and the item page show its result.
 */

/** One finding about an item, as the last verification recorded it. */
export interface IntegrityFinding {
  code: string;
  /** Case-relative path of the file concerned, when the run gave one. */
  file?: string;
}

import type { CaseState } from "./caseState.js";
import type { Notice } from "./problems.js";

/** What the last verification found wrong with an item, and when. */
export interface ItemIntegrity {
  /** When the run that found it was recorded, and its seq. */
  foundAt: string;
  foundSeq: number;
  findings: IntegrityFinding[];
  /** A restore since that fixed the vault copy: the problems of the copy no longer hold. */
  restored: { at: string; seq: number } | null;
}

/** Codes that concern the vault copy of the original itself: a restore answers these. */
export const ORIGINAL_PROBLEM_CODES: ReadonlySet<string> = new Set([
  "object-missing",
  "object-corrupt",
  "object-size-mismatch",
  "object-not-regular",
  "object-path-invalid",
]);

/** Problems verify reports about an item, in words a person reads first (the code stays available). */
const FINDING_WORDS: Record<string, string> = {
  "object-missing": "The original is missing from the vault",
  "object-corrupt": "The original's bytes have changed since import",
  "object-size-mismatch": "The original's size has changed since import (cut short or added to)",
  "object-not-regular": "The original in the vault is not a plain file (a link, folder or device)",
  "object-path-invalid": "The original's vault path is not where the format puts it",
  "derivative-missing": "A thumbnail, keyframe or other derived file is missing",
  "derivative-corrupt": "A thumbnail, keyframe or other derived file has changed",
  "derivative-path-invalid": "A derived file is recorded outside the item's own folder",
  "derivative-not-regular": "A derived file is not a plain file (a link, folder or device)",
  "geo-item-unknown": "A geolocation names this item before it was imported",
  "geo-reference-broken": "A geolocation record of this item refers to one that does not exist",
  "geo-snapshot-unknown": "A map snapshot of this item was never recorded",
  "geolocation-self-review": "A geolocation of this item was reviewed by its own examiner",
};

export function findingWords(code: string): string {
  return FINDING_WORDS[code] ?? `Verification found a problem (${code})`;
}

/** The findings that still hold: after a restore, those of the vault copy are answered. */
export function openFindings(integrity: ItemIntegrity | null): IntegrityFinding[] {
  if (!integrity) return [];
  return integrity.restored
    ? integrity.findings.filter((f) => !ORIGINAL_PROBLEM_CODES.has(f.code))
    : integrity.findings;
}

/** True when the item still has a finding the last verification made. */
export function hasIntegrityProblem(integrity: ItemIntegrity | null): boolean {
  return openFindings(integrity).length > 0;
}

/**
 * Applies one verification run to the items: every item it names gets its findings; every item
 * that had findings and is not named is clean again. Calls `touch` for each item whose integrity
 * changed (so incremental listings pick it up).
 */
export function applyVerificationRun(
  items: ReadonlyMap<string, { integrity: ItemIntegrity | null; restores: readonly { seq: number; ts: string }[] }>,
  run: {
    seq: number;
    ts: string;
    /** The last event the run checked: a restore recorded after it (while it ran) answers what it found of the copy. */
    verifiedSeq: number;
    problems: readonly { code: string; item?: string; file?: string }[];
  },
  touch: (sha256: string) => void,
): void {
  const found = new Map<string, IntegrityFinding[]>();
  for (const p of run.problems) {
    if (!p.item || !items.has(p.item)) continue;
    const list = found.get(p.item) ?? [];
    if (list.length < 50) list.push({ code: p.code, ...(p.file !== undefined ? { file: p.file } : {}) });
    found.set(p.item, list);
  }
  for (const [sha, item] of items) {
    const findings = found.get(sha);
    if (findings) {
      const restore = item.restores.at(-1);
      const restored = restore && restore.seq > run.verifiedSeq ? { at: restore.ts, seq: restore.seq } : null;
      item.integrity = { foundAt: run.ts, foundSeq: run.seq, findings, restored };
      touch(sha);
    } else if (item.integrity) {
      item.integrity = null;
      touch(sha);
    }
  }
}

/**
 * What verify says of each restore, so a reader sees the history of an original: the damage found,
 * then the restore from a later acquisition, and where the damaged copy is kept. Lines are 1-based.
 */
export function restoreNotices(state: CaseState): Notice[] {
  const notices: Notice[] = [];
  for (const item of state.items.values()) {
    for (const r of item.restores) {
      const found = r.foundBySeq === null ? "found" : `found by the verification at line ${r.foundBySeq + 1}`;
      const kept = r.setAside ? `the damaged copy is kept at ${r.setAside}` : "nothing was there to keep";
      notices.push({
        code: "original-restored",
        line: r.seq + 1,
        file: item.objectPath,
        message: `${item.objectPath}: its vault copy was ${found} damaged (${r.damagedKind}) and restored on ${r.ts} from the acquisition at line ${r.acquisitionSeq + 1}; ${kept}`,
      });
    }
  }
  return notices;
}
