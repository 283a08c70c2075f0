/** What an import is asked (ImportRequest), what it answers (ImportReport) and its outcome per file (importPipeline.ts). */
import type { ImportOutcomeInfo, ImportProgressInfo } from "../../../shared/api/contract.js";
import type { CollectionInput } from "../../../shared/case/collection.js";
import type { DamageKind } from "../../../shared/ledger/restoreEvents.js";
import type { MediaStage, MediaStageSummary } from "../media/mediaStage.js";
import type { StageThreads } from "../vault/stageThreads.js";
import type { OutcomeCounts } from "./importOutcomes.js";
import type { ScanResult } from "./importScan.js";

/** One file's outcome: the same shape the API reports (see ImportOutcomeInfo for the fields). */
export type ImportOutcome = ImportOutcomeInfo;

/** The job's progress as the API reports it (the pipeline uses its scanning…finished phases). */
export type ImportProgress = ImportProgressInfo;

export interface ImportRequest {
  paths: readonly string[];
  /** Files already listed (uploads held in staging); used instead of scanning `paths`. */
  scanned?: ScanResult;
  collection: CollectionInput;
  /** `window`: the paths are of files dropped in the host's own window (the ledger's `source.channel`). */
  channel?: "window";
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** Called as soon as a batch's events are in the ledger. */
  onCommitted?: (outcomes: ImportOutcome[]) => void;
  /** Commit after this many files or bytes, whichever comes first. */
  batchFiles?: number;
  batchBytes?: number;
  /** Reads metadata and makes derivatives of each new object as its batch commits. */
  media?: MediaStage;
  /**
   * Whether the vault copy of bytes the case already holds is damaged (vaultDamage.ts). Such a
   * copy is neither replaced nor re-created by an import: the acquisition is recorded and the
   * outcome says so, for an explicit, recorded restore.
   */
  damageOf?: (sha256: string) => Promise<DamageKind | null>;
  /** The staging threads to use, and keep; by default the import starts its own and stops them at the end. */
  threads?: StageThreads;
  /**
   * Staging threads the caller started for this import (startThreadsFor), handed over: the import
   * uses them and stops them as soon as its files are staged. (The caller stops them too where the
   * import never began, which does nothing to threads already stopped.)
   */
  threadsToStop?: StageThreads;
  /** Entries the folder walk may find ahead of the stagers (default 4,096). */
  walkAhead?: number;
  /** Outcomes listed of each kind, files in and files not (default KEPT_OUTCOMES, importOutcomes.ts). */
  outcomesKept?: number;
  /**
   * Keeps every file not imported, with its reason, in the case's list for this id (a UUID;
   * notImportedLog.ts), for the caller to page through however many there are.
   */
  notImportedId?: string;
}

export interface ImportReport {
  /** The outcomes listed (a bounded number: importOutcomes.ts), refusals first, then in the order found. */
  outcomes: ImportOutcome[];
  /** Every file's outcome, counted. */
  counts: OutcomeCounts;
  /** Outcomes counted but not listed; each acquisition is in the ledger. */
  outcomesLeftOff: number;
  /** Whether every file not imported is in the list for `notImportedId` (see notImportedLog.ts). */
  hasNotImportedList: boolean;
  warnings: string[];
  isCancelled: boolean;
  head: { seq: number; hash: string };
  /** What the media stage did, when one ran. */
  media: MediaStageSummary | null;
}
