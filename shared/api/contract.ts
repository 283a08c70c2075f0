/**
 * The one API the renderer may use (DESIGN rule 3). The Electron IPC bridge and
 * the loopback HTTP host are both built from `contract` (its keys are the
 * method names, its schemas check every argument before a service sees it);
 * the renderer's client is typed by `SightlineApi`. Adding a method is one
 * entry here and one method on the service.
 */
import { z } from "zod";
import { CollectionInputSchema } from "../case/collection.js";
import type { Acquisition, ItemState } from "../ledger/caseState.js";
import type { DamageKind } from "../ledger/restoreEvents.js";
import type { MediaKind, WarningCode } from "../media/metadata.js";
import type { NearDuplicateNotice } from "../media/phash.js";
import {
  HASH_ALGORITHMS,
  ITEM_STATUSES,
  NoteAddedPayload,
  StatusChangedPayload,
  TagsChangedPayload,
  WarningAcknowledgedPayload,
  type Examiner,
  type HashAlgorithm,
  type ItemStatus,
  type LedgerEvent,
} from "../ledger/events.js";
import type { Notice, Problem } from "../ledger/problems.js";
import type { Result } from "./result.js";
import { exchangeContract, type ExchangeJobResult } from "./exchangeContract.js";
import { geoContract } from "./geoContract.js";
import { reportContract, type ReportJobResult } from "./reportContract.js";
import { timestampContract } from "./timestampContract.js";
import { trainingContract } from "./trainingContract.js";

const caseDir = z.string().min(1, "a case folder is required").max(4096);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "not a SHA-256 digest (64 lower-case hex digits)");

/** A near-duplicate group as the API returns it: the items, named, and the closest links between them. */
export interface NearDuplicateGroup {
  items: { sha256: string; name: string }[];
  links: { a: string; b: string; distance: number; aAtS: number | null; bAtS: number | null }[];
}

export interface CaseSummary {
  dir: string;
  id: string;
  title: string;
  created: string;
  hashAlgorithms: HashAlgorithm[];
  examiners: Examiner[];
  itemCount: number;
  head: { seq: number; hash: string } | null;
  /** The latest `verification.run` in the ledger, with its examiner's name; null if none yet. */
  lastVerification: {
    seq: number;
    ts: string;
    examiner: string;
    /** The last event the run checked. */
    verifiedSeq: number;
    isClean: boolean;
    problemCount: number;
  } | null;
}

export interface ItemSummary {
  sha256: string;
  name: string;
  size: number;
  acquisitionCount: number;
  firstAcquiredAt: string;
  /** From `metadata.extracted`; null until the item has been analysed. */
  kind: MediaKind | null;
  mime: string | null;
  capturedAt: string | null;
  hasGps: boolean;
  warningCodes: WarningCode[];
  /** Case-relative path of the thumbnail (or a video's poster), if one was made. */
  thumbnailPath: string | null;
  status: ItemStatus;
  tags: string[];
  noteCount: number;
  /** What the last verification found wrong with the item, and when; null when it found nothing. */
  integrity: ItemState["integrity"];
  /**
   * What the board's search matches beyond the fields above: camera, software, codecs,
   * capture-time source, notes, source URLs and accounts, and every name the bytes were
   * acquired under. Bounded (see `SEARCH_TEXT_LIMIT`), so a crafted note cannot swell the list.
   */
  searchText: string;
}

/** Characters of `ItemSummary.searchText` kept per item. */
export const SEARCH_TEXT_LIMIT = 4096;

/** One entry of an item's custody timeline: a ledger event, with its signer's name. */
export interface TimelineEntry {
  event: LedgerEvent;
  actorName: string;
}

export interface ItemDetail extends ItemSummary {
  md5?: string;
  sha1?: string;
  objectPath: string;
  acquisitions: Acquisition[];
  metadata: ItemState["metadata"];
  derivatives: ItemState["derivatives"];
  notes: ItemState["notes"];
  /** Warnings of the metadata acknowledged with a remark, oldest first. */
  acknowledgements: ItemState["acknowledgements"];
  /** Restores of the vault copy from a later acquisition of the same bytes, oldest first. */
  restores: ItemState["restores"];
}

export interface ImportProgressInfo {
  /** `receiving`: files dropped on the workbench are arriving over the loopback host. `verifying`: a verify job. */
  phase: "receiving" | "scanning" | "copying" | "committing" | "analysing" | "verifying" | "finished";
  filesTotal: number;
  bytesTotal: number;
  filesDone: number;
  bytesDone: number;
  currentFile: string | null;
  /** Items waiting for, or in, the media stage. */
  analysing: number;
  /**
   * An import by path: false while the folders are still being walked (filesTotal and bytesTotal
   * are what was found so far), true once they are the totals. Absent for other jobs.
   */
  isScanComplete?: boolean;
}

/** An examiner's own settings, with who they belong to. */
export interface ExaminerSettingsInfo {
  examiner: { name: string; keyId: string };
  /** Thumbnails and viewers start blurred, greyscale and muted, revealed one item at a time. */
  veilMediaByDefault: boolean;
}

/** Progress of a job that has not reported yet. */
export function emptyProgress(phase: ImportProgressInfo["phase"] = "scanning"): ImportProgressInfo {
  return { phase, filesTotal: 0, bytesTotal: 0, filesDone: 0, bytesDone: 0, currentFile: null, analysing: 0 };
}

export type ImportOutcomeInfo =
  | {
      status: "imported" | "duplicate";
      displayPath: string;
      sha256: string;
      size: number;
      seq: number;
      objectPath: string;
      /**
       * The same bytes as an item whose vault copy is damaged: the acquisition is recorded, the vault
       * copy left as it was; `restoreOriginal` with this outcome's `seq` restores it from this file.
       */
      damaged?: DamageKind;
    }
  | { status: "refused" | "failed" | "cancelled"; displayPath: string; reason: string };

export interface JobInfo {
  jobId: string;
  kind: "import" | "verify" | "report" | "bundle" | "exercise";
  dir: string;
  status: "running" | "finished" | "failed" | "cancelled";
  progress: ImportProgressInfo;
  /** A bounded list (an import lists at most a thousand files that came in and a thousand that did not). */
  outcomes: ImportOutcomeInfo[];
  /** An import's outcomes counted by status, every file included, once it has finished. */
  outcomeCounts?: Record<ImportOutcomeInfo["status"], number>;
  /** Outcomes counted but not in `outcomes` (each acquisition is in the ledger). */
  outcomesLeftOff?: number;
  /** An import's files not imported can all be paged through with `listNotImported`, however many. */
  hasNotImportedList?: boolean;
  warnings: string[];
  error?: string;
  /** A verify job's result, once it has finished. */
  verify?: VerifyResult;
  /** A report job's result, once it has finished. */
  report?: ReportJobResult;
  /** A bundle job's result (export or open), once it has finished. */
  exchange?: ExchangeJobResult;
}

/** One page of an import's files not imported (`listNotImported`). */
export interface NotImportedPage {
  outcomes: { status: "refused" | "failed" | "cancelled"; displayPath: string; reason: string }[];
  /** The cursor of the next page, or null after the last. */
  next: number | null;
  /** Files not imported in all (refused, failed and cancelled), once the job has finished. */
  total: number | null;
}

export interface VerifyResult {
  isClean: boolean;
  problems: Problem[];
  notices: Notice[];
  head: { seq: number; hash: string } | null;
  eventCount: number;
  itemCount: number;
  objectsChecked: number;
  bytesChecked: number;
  derivativesChecked: number;
  checkedAt: string;
}

/**
 * The page's Map (intake id → File[]) of the files of an intake, which the host of its own window can
 * take by path (importWindowFiles).
 */
export const HELD_FILES_GLOBAL = "__sightlineHeldFiles";

/** The files of a drop or a pick as the page announces them (beginUpload, importWindowFiles). */
const pageFiles = z
  .array(
    z.object({
      /** The name as the page knows it: a dropped folder's files carry their path under it, `/`-separated. */
      name: z.string().min(1).max(4096),
      size: z
        .number()
        .int()
        .nonnegative()
        .max(2 ** 50),
      /** `File.lastModified`, in milliseconds since 1970. */
      lastModified: z.number().int().min(0).max(8.64e15),
    }),
  )
  .min(1)
  .max(100_000);

/** Events the Node side pushes to the renderer. */
export type ApiEvent =
  | { type: "job.progress"; jobId: string; progress: ImportProgressInfo }
  | { type: "job.finished"; job: JobInfo }
  | { type: "ledger.appended"; dir: string; head: { seq: number; hash: string } }
  | { type: "item.nearDuplicate"; dir: string; jobId: string; notice: NearDuplicateNotice };

interface MethodSpec<I extends z.ZodType, O> {
  input: I;
  /** Phantom: the type of the value a successful call returns. */
  output?: O;
  doc: string;
}
/** `method<Output>()(inputSchema, doc)`: the input type is inferred from the schema. */
const method =
  <O>() =>
  <I extends z.ZodType>(input: I, doc: string): MethodSpec<I, O> => ({ input, doc });

export const contract = {
  createCase: method<CaseSummary>()(
    z.object({
      dir: caseDir,
      title: z.string().trim().min(1, "a case needs a title").max(500),
      examiner: z.string().trim().min(1, "a case needs an examiner").max(200),
      hashAlgorithms: z.array(z.enum(HASH_ALGORITHMS)).default(["sha256"]),
    }),
    "Creates a case in a new or empty folder, signed by the named examiner's key (made on first use).",
  ),
  openCase: method<CaseSummary>()(z.object({ dir: caseDir }), "Reads a case folder's case.json and ledger head."),
  importFiles: method<{ jobId: string }>()(
    z.object({
      dir: caseDir,
      paths: z.array(z.string().min(1).max(4096)).min(1).max(100_000),
      collection: CollectionInputSchema,
    }),
    "Starts importing files and folders as a job; progress arrives as job.progress events, the end as job.finished.",
  ),
  beginUpload: method<{ jobId: string; uploadId: string }>()(
    z.object({
      dir: caseDir,
      files: pageFiles,
      collection: CollectionInputSchema,
    }),
    "Starts an import of files the page holds (dropped or picked in browser mode): send each one's bytes with PUT /upload?id=…&index=…; the import runs once all have arrived, as one job.",
  ),
  importWindowFiles: method<{ jobId: string; reason: null } | { jobId: null; reason: string }>()(
    z.object({
      dir: caseDir,
      /** A random UUID the page made and keeps its File objects under, in `globalThis[HELD_FILES_GLOBAL]`. */
      intakeId: z.string().uuid(),
      files: pageFiles,
      collection: CollectionInputSchema,
    }),
    "Imports by path the files the page holds under an intake id (dropped or picked in the host's own window, `sightline host --open`): the host asks its browser which file on disk each File is, and takes it only when that path ends with the name announced for it; a dropped folder's files keep those names (the folder's own name first) in the ledger, as an upload records them. Answers a job, or a reason why not (another browser, a file made by a script, a file changed since, a name that is not the path's end): the page then sends the bytes of all of them with beginUpload.",
  ),
  abandonUpload: method<{ abandoned: boolean }>()(
    z.object({
      uploadId: z.string().uuid(),
      index: z.number().int().min(0),
      reason: z.string().min(1).max(500),
    }),
    "Tells an upload that the page cannot send one of its files (it could not read it), so the import does not wait for it.",
  ),
  startVerify: method<{ jobId: string }>()(
    z.object({ dir: caseDir }),
    "Starts verification as a job (progress as job.progress, the result in job.finished's job.verify); records a verification.run event.",
  ),
  examinerSettings: method<ExaminerSettingsInfo>()(
    z.object({ dir: caseDir }),
    "The settings of this profile's examiner in the case (e.g. whether media is veiled by default).",
  ),
  setExaminerSettings: method<ExaminerSettingsInfo>()(
    z.object({ dir: caseDir, veilMediaByDefault: z.boolean() }),
    "Changes this profile's examiner's settings; they follow the examiner to every case.",
  ),
  getJob: method<JobInfo>()(z.object({ jobId: z.string().min(1).max(64) }), "The state of a job."),
  cancelJob: method<JobInfo>()(
    z.object({ jobId: z.string().min(1).max(64) }),
    "Cancels a running job; files already read are kept.",
  ),
  listNotImported: method<NotImportedPage>()(
    z.object({
      jobId: z.string().uuid(),
      cursor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
      limit: z.number().int().min(1).max(1000).default(1000),
    }),
    "One page of the files an import job did not bring in (refused, failed, cancelled), each with its reason: every one, however many. Start at cursor 0 and pass back `next` until it is null.",
  ),
  listItems: method<ItemSummary[]>()(
    z.object({ dir: caseDir, changedAfterSeq: z.number().int().min(-1).optional() }),
    "Every item in the case; with changedAfterSeq, only items an event after that seq touched.",
  ),
  ledgerEvents: method<TimelineEntry[]>()(
    z.object({
      dir: caseDir,
      afterSeq: z.number().int().min(-1).optional(),
      limit: z.number().int().min(1).max(100_000).optional(),
    }),
    "The case's ledger events in order, each with its signer's name.",
  ),
  getItem: method<ItemDetail>()(z.object({ dir: caseDir, sha256 }), "One item with all its acquisitions."),
  nearDuplicates: method<NearDuplicateGroup[]>()(
    z.object({ dir: caseDir, threshold: z.number().int().min(0).max(32).optional() }),
    "Groups of items whose pictures (images, video keyframes) are within the pHash threshold of each other.",
  ),
  restoreOriginal: method<{ sha256: string; seq: number; damaged: DamageKind; setAside: string | null }>()(
    z.object({ dir: caseDir, sha256, acquisitionSeq: z.number().int().nonnegative() }),
    "Restores an item's damaged vault copy from the file of a later acquisition of the same bytes (the acquisition's ledger seq, as an import's outcome gives it; a file the page uploaded is read from the copy held in the case when it arrived), setting the damaged copy aside under recovered/ (an original.restored event). Refused when the file no longer holds the item's exact bytes or the vault copy looks intact.",
  ),
  addNote: method<{ seq: number }>()(
    z.object({ dir: caseDir, sha256, text: NoteAddedPayload.shape.text }),
    "Adds a Markdown note to an item (a note.added event).",
  ),
  changeTags: method<{ seq: number; tags: string[] }>()(
    z.object({ dir: caseDir, sha256, add: TagsChangedPayload.shape.added, remove: TagsChangedPayload.shape.removed }),
    "Adds and removes tags of an item (a tags.changed event).",
  ),
  changeStatus: method<{ seq: number; status: ItemStatus }>()(
    z.object({ dir: caseDir, sha256, to: z.enum(ITEM_STATUSES), reason: StatusChangedPayload.shape.reason }),
    "Moves an item along the review workflow, saying why (a status.changed event).",
  ),
  acknowledgeWarning: method<{ seq: number }>()(
    z.object({
      dir: caseDir,
      sha256,
      code: WarningAcknowledgedPayload.shape.code,
      remark: WarningAcknowledgedPayload.shape.remark,
    }),
    "Acknowledges one warning of an item's metadata with what the examiner makes of it (a warning.acknowledged event); once per warning.",
  ),
  itemTimeline: method<TimelineEntry[]>()(
    z.object({ dir: caseDir, sha256 }),
    "Every ledger event concerning an item, newest first: its custody timeline.",
  ),
  verifyCase: method<VerifyResult>()(
    z.object({ dir: caseDir }),
    "Re-hashes every object and checks every ledger event's hash, chain and signature.",
  ),
  ...geoContract,
  ...reportContract,
  ...timestampContract,
  ...exchangeContract,
  ...trainingContract,
} as const;

export type ApiMethod = keyof typeof contract;
export const API_METHODS = Object.keys(contract) as ApiMethod[];
export type ApiInput<M extends ApiMethod> = z.input<(typeof contract)[M]["input"]>;
export type ApiParsedInput<M extends ApiMethod> = z.output<(typeof contract)[M]["input"]>;
/** The value a call returns (`output` is a phantom, optional member: its `undefined` is not part of the value). */
export type ApiOutput<M extends ApiMethod> = Exclude<(typeof contract)[M]["output"], undefined>;

/** What a client sees: every method, returning a Result. */
export type SightlineApi = { [M in ApiMethod]: (input: ApiInput<M>) => Promise<Result<ApiOutput<M>>> };

/** What a service implements: parsed input in, value out (throwing SightlineError on failure). */
export type SightlineServiceApi = { [M in ApiMethod]: (input: ApiParsedInput<M>) => Promise<ApiOutput<M>> };

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
