/**
 * How services append to a case: through the facade's `append`, which opens the case's writer
 * (its lock), keeps a submitted exercise frozen, and tells every window the ledger moved.
 *
 * A rule that depends on the case's state ("the status is still what the request saw", "this
 * geolocation was not replaced", "the exercise was not submitted yet") is checked once before,
 * to answer quickly, and again in `recheck`, which runs under the lock on the state as the
 * ledger then stands: checked only before the lock, two requests at once (two windows, a double
 * click) could both pass and both be written. `recheck` refuses by throwing; nothing is written then.
 */
import type { CaseState } from "../../../shared/ledger/caseState.js";
import type { EventDraft, LedgerEvent } from "../../../shared/ledger/events.js";

export type AppendRecheck = (state: CaseState) => void | Promise<void>;

export type CaseAppend = (dir: string, drafts: EventDraft[], recheck?: AppendRecheck) => Promise<LedgerEvent[]>;
