/** What the training services start from: the facade's tools, passed in through its constructor. */
import type { ApiEvent, ApiOutput, ApiParsedInput } from "../../../shared/api/contract.js";
import type { KeyStore } from "../examiners/keyStore.js";
import type { CaseAppend } from "../ledger/caseAppend.js";
import type { JobRegistry } from "../jobRegistry.js";
import type { ReportPrinter } from "../reports/reportPrinter.js";
import type { CaseStateCache } from "../vault/caseStateCache.js";
import type { ExerciseStore } from "./exerciseStore.js";

export interface TrainingTools {
  keyStore: KeyStore;
  states: CaseStateCache;
  jobs: JobRegistry;
  store: ExerciseStore;
  /**
   * Appends events under the case's writer lock (refusing what a submitted exercise freezes);
   * `recheck` runs under the lock first (ledger/caseAppend.ts).
   */
  append: CaseAppend;
  emit(event: ApiEvent): void;
  /** The geo service's marking of reference imagery. */
  markReference(input: ApiParsedInput<"markReference">): Promise<ApiOutput<"markReference">>;
  /** A printer for the PDF scorecard (the system Chromium unless a host plugs in its own). */
  makePrinter(): ReportPrinter;
}
