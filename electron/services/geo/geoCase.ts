/**
 * What every where-and-when service starts from: the case (its folder checked to hold a case),
 * its replayed state, one of its items, and the examiner this process signs as in it.
 */
import path from "node:path";
import type { CaseState, ItemState } from "../../../shared/ledger/caseState.js";
import type { EventDraft, LedgerEvent } from "../../../shared/ledger/events.js";
import type { ExaminerKey, KeyStore } from "../examiners/keyStore.js";
import type { AppendRecheck, CaseAppend } from "../ledger/caseAppend.js";
import { trustedExaminers } from "../ledger/caseTrust.js";
import { SightlineError } from "../sightlineError.js";
import type { CaseStateCache } from "../vault/caseStateCache.js";
import { readCaseFile } from "../vault/caseStore.js";

export interface GeoServiceTools {
  keyStore: KeyStore;
  states: CaseStateCache;
  /** Appends events under the case's writer lock and tells every window the ledger moved (ledger/caseAppend.ts). */
  append: CaseAppend;
}

/** The case's absolute folder and replayed state; throws `not-a-case` when it holds no case. */
export async function openGeoCase(tools: GeoServiceTools, dir: string): Promise<{ dir: string; state: CaseState }> {
  const absolute = path.resolve(dir);
  await readCaseFile(absolute);
  return { dir: absolute, state: await tools.states.get(absolute) };
}

export function itemIn(state: CaseState, sha256: string): ItemState {
  const item = state.items.get(sha256);
  if (!item) throw new SightlineError("not-found", `no item ${sha256} in this case`);
  return item;
}

/** The examiner whose key signs in this case (the same key `append` signs with). */
export async function signingExaminer(tools: GeoServiceTools, dir: string): Promise<ExaminerKey> {
  return tools.keyStore.findFor(await trustedExaminers(dir));
}

export function examinerName(state: CaseState, keyId: string): string {
  return state.examiners.get(keyId)?.name ?? keyId;
}

/** Appends one event and returns it; `recheck` runs under the writer's lock first. */
export async function appendOne(
  tools: GeoServiceTools,
  dir: string,
  draft: EventDraft,
  recheck?: AppendRecheck,
): Promise<LedgerEvent> {
  const [event] = await tools.append(dir, [draft], recheck);
  if (!event) throw new SightlineError("internal", "the ledger did not record the event");
  return event;
}
