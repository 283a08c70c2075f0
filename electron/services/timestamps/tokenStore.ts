/**
 * Stores a timestamp token in the case as `timestamps/<head seq>-<head hash>.tsr` (`-2`, `-3`…
 * when that head already has one), read-only, never replacing or following anything
 * (vault/caseFolderFile.ts).
 */
import type { EventRef } from "../../../shared/ledger/geoEvents.js";
import { writeCaseFolderFile } from "../vault/caseFolderFile.js";

/** Writes the token and returns its case-relative path. */
export function storeToken(dir: string, head: EventRef, token: Buffer): Promise<string> {
  return writeCaseFolderFile(dir, "timestamps", `${head.seq}-${head.hash}.tsr`, token);
}
