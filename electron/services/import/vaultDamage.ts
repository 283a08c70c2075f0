/**
 * Whether an item's vault copy is damaged, as far as an import can tell without re-reading every
 * duplicate: the copy is missing, not a regular file, of another size than recorded, or the last
 * verification found its bytes changed (and no restore has answered it since), or, when asked, its
 * bytes no longer hash to the item's SHA-256. A vault copy that is a link is never followed.
 */
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { lstat, open } from "node:fs/promises";
import path from "node:path";
import type { CaseState } from "../../../shared/ledger/caseState.js";
import { ORIGINAL_PROBLEM_CODES, openFindings } from "../../../shared/ledger/integrity.js";
import { DAMAGE_WORDS, type DamageKind } from "../../../shared/ledger/restoreEvents.js";

export { DAMAGE_WORDS };

/** The damage of a known item's vault copy, or null when it looks intact (or the item is unknown). */
export async function vaultDamage(
  caseDir: string,
  state: CaseState,
  sha256: string,
  /** Re-read the copy when nothing else shows damage (the command line, and a restore, do; the workbench relies on its last verification). */
  { rehash = false }: { rehash?: boolean } = {},
): Promise<DamageKind | null> {
  const item = state.items.get(sha256);
  if (!item) return null;
  let info;
  try {
    info = await lstat(path.join(caseDir, item.objectPath));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw error;
  }
  if (!info.isFile()) return "not-a-file";
  if (info.size !== item.size) return "truncated";
  const findings = openFindings(item.integrity).filter((f) => ORIGINAL_PROBLEM_CODES.has(f.code));
  if (findings.length > 0) return "changed";
  if (!rehash) return null;
  const now = await fingerprintOf(path.join(caseDir, item.objectPath));
  if (!now) return "not-a-file";
  return now.sha256 === sha256 && now.size === item.size ? null : now.size === item.size ? "changed" : "truncated";
}

/** SHA-256 and size of a file, opened without following a link and without blocking on a FIFO. */
export async function fingerprintOf(file: string): Promise<{ sha256: string; size: number } | null> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => null);
  if (!handle) return null;
  try {
    const info = await handle.stat();
    if (!info.isFile()) return null;
    const hash = createHash("sha256");
    let size = 0;
    for await (const chunk of handle.createReadStream({ autoClose: false })) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    return { sha256: hash.digest("hex"), size };
  } finally {
    await handle.close();
  }
}
