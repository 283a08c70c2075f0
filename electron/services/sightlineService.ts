/**
 * The Node implementation of the contract. Transports (IPC, loopback HTTP) call
 * it through `apiDispatch.ts`; it never imports Electron. Its tools (key store,
 * job registry) come in through the constructor.
 */
import path from "node:path";
import type { Readable } from "node:stream";
import type { WindowFiles } from "../host/windowFiles.js";
import type {
  ApiEvent,
  ApiParsedInput,
  CaseSummary,
  ExaminerSettingsInfo,
  ItemDetail,
  ItemSummary,
  NearDuplicateGroup,
  SightlineServiceApi,
  TimelineEntry,
} from "../../shared/api/contract.js";
import type { ItemState } from "../../shared/ledger/caseState.js";
import type { EventDraft } from "../../shared/ledger/events.js";
import * as itemReview from "./vault/itemReview.js";
import type { ItemReviewTools } from "./vault/itemReview.js";
import { CaseStateCache } from "./vault/caseStateCache.js";
import { CaseFactsCheckpoints } from "./vault/caseFactsCheckpoint.js";
import { ExaminerSettingsStore } from "./examiners/examinerSettings.js";
import { createCase, readCaseFile, readLedgerEvents } from "./vault/caseStore.js";
import { trustedExaminers } from "./ledger/caseTrust.js";
import { restoreOriginal } from "./import/restoreOriginal.js";
import { ImportService } from "./import/importService.js";
import { JobRegistry } from "./jobRegistry.js";
import type { KeyStore } from "./examiners/keyStore.js";
import type { AppendRecheck } from "./ledger/caseAppend.js";
import { LedgerWriter } from "./ledger/ledgerWriter.js";
import { SightlineError } from "./sightlineError.js";
import { verifyCase } from "./ledger/verifyCase.js";
import { summarise } from "./vault/itemSummary.js";
import { GeoService } from "./geo/geoService.js";
import { TimestampService } from "./timestamps/timestampService.js";
import { TrainingService } from "./training/trainingService.js";
import { ExerciseStore } from "./training/exerciseStore.js";
import { assertNotFrozen } from "./training/exerciseFreeze.js";
import { ChromiumPrinter, type ReportPrinter } from "./reports/reportPrinter.js";
import { examinerTimestampAnchors } from "./timestamps/tsaSettings.js";
import { runVerifyJob, verifyRecorder, verifyResultOf } from "./ledger/verifyJob.js";
import { startReportJob } from "./reports/reportJob.js";
import { startCaseUcoJob, startExportBundleJob, startOpenBundleJob } from "./exchange/bundleJob.js";

export type ApiEventListener = (event: ApiEvent) => void;

export class SightlineService implements SightlineServiceApi {
  private readonly listeners = new Set<ApiEventListener>();
  readonly jobs = new JobRegistry();
  /** Replayed case state, kept between calls (checkpointed in the profile); everything here only reads it. */
  private readonly states: CaseStateCache;
  /** Case folders opened through this service: the only ones whose files a page may load by cookie. */
  private readonly openedCases = new Set<string>();

  private readonly settings: ExaminerSettingsStore;
  /** Reference imagery, tile layers, snapshots, geolocations, chronolocations, exports (services/geo). */
  private readonly geo: GeoService;
  /** Trusted timestamps of the ledger head (services/timestamps). */
  private readonly timestamps: TimestampService;
  /** Samples, exercises, hints, submission, scoring and scorecards (services/training). */
  private readonly training: TrainingService;
  /** Imports by path and by upload (services/import). */
  private readonly imports: ImportService;

  /**
   * `makePrinter` prints reports and scorecards to PDF: the system Chromium by default (CLI and
   * browser mode); the desktop app passes its own (electron/electronPrinter.ts). `windowFiles`: the
   * files of the host's own window, which `sightline host --open` makes (electron/host/windowFiles.ts);
   * null everywhere else, where `importWindowFiles` answers that the page must send the bytes.
   */
  constructor(
    private readonly keyStore: KeyStore,
    private readonly makePrinter: () => ReportPrinter = () => new ChromiumPrinter(),
    private readonly windowFiles: WindowFiles | null = null,
  ) {
    this.states = new CaseStateCache({
      checkpoints: new CaseFactsCheckpoints(path.join(keyStore.profileDir, "ledger-checkpoints")),
    });
    this.settings = new ExaminerSettingsStore(keyStore.profileDir);
    this.geo = new GeoService({
      keyStore,
      states: this.states,
      append: (dir, drafts, recheck) => this.append(dir, drafts, recheck),
    });
    this.timestamps = new TimestampService({
      keyStore,
      states: this.states,
      append: (dir, drafts, recheck) => this.append(dir, drafts, recheck),
    });
    this.imports = new ImportService({ keyStore, states: this.states, jobs: this.jobs, emit: (e) => this.emit(e) });
    this.training = new TrainingService({
      keyStore,
      states: this.states,
      jobs: this.jobs,
      store: new ExerciseStore(keyStore.profileDir),
      append: (dir, drafts, recheck) => this.append(dir, drafts, recheck),
      emit: (event) => this.emit(event),
      markReference: (input) => this.geo.markReference(input),
      makePrinter: () => this.makePrinter(),
    });
  }

  /** Origins of every configured tile layer: the page's Content-Security-Policy allows exactly these (not an API method). */
  tileOrigins = () => this.geo.tileOrigins();
  inspectReference = (input: ApiParsedInput<"inspectReference">) => this.geo.inspectReference(input);
  markReference = (input: ApiParsedInput<"markReference">) => this.geo.markReference(input);
  listReferences = (input: ApiParsedInput<"listReferences">) => this.geo.listReferences(input);
  tileSources = (input: ApiParsedInput<"tileSources">) => this.geo.tileSources(input);
  saveTileSource = (input: ApiParsedInput<"saveTileSource">) => this.geo.saveTileSource(input);
  removeTileSource = (input: ApiParsedInput<"removeTileSource">) => this.geo.removeTileSource(input);
  tileUrl = (input: ApiParsedInput<"tileUrl">) => this.geo.tileUrl(input);
  saveMapSnapshot = (input: ApiParsedInput<"saveMapSnapshot">) => this.geo.saveMapSnapshot(input);
  proposeGeolocation = (input: ApiParsedInput<"proposeGeolocation">) => this.geo.proposeGeolocation(input);
  reviewGeolocation = (input: ApiParsedInput<"reviewGeolocation">) => this.geo.reviewGeolocation(input);
  recordChronolocation = (input: ApiParsedInput<"recordChronolocation">) => this.geo.recordChronolocation(input);
  listGeolocations = (input: ApiParsedInput<"listGeolocations">) => this.geo.listGeolocations(input);
  caseMap = (input: ApiParsedInput<"caseMap">) => this.geo.caseMap(input);
  exportGeolocations = (input: ApiParsedInput<"exportGeolocations">) => this.geo.exportGeolocations(input);
  timestampAuthorities = (input: ApiParsedInput<"timestampAuthorities">) => this.timestamps.timestampAuthorities(input);
  saveTimestampAuthority = (input: ApiParsedInput<"saveTimestampAuthority">) =>
    this.timestamps.saveTimestampAuthority(input);
  removeTimestampAuthority = (input: ApiParsedInput<"removeTimestampAuthority">) =>
    this.timestamps.removeTimestampAuthority(input);
  timestampLedger = (input: ApiParsedInput<"timestampLedger">) => this.timestamps.timestampLedger(input);
  sendPendingTimestamps = (input: ApiParsedInput<"sendPendingTimestamps">) =>
    this.timestamps.sendPendingTimestamps(input);
  listTimestamps = (input: ApiParsedInput<"listTimestamps">) => this.timestamps.listTimestamps(input);
  listSamples = (input: ApiParsedInput<"listSamples">) => this.training.listSamples(input);
  inspectSample = (input: ApiParsedInput<"inspectSample">) => this.training.inspectSample(input);
  startExercise = (input: ApiParsedInput<"startExercise">) => this.training.startExercise(input);
  getExercise = (input: ApiParsedInput<"getExercise">) => this.training.getExercise(input);
  openHint = (input: ApiParsedInput<"openHint">) => this.training.openHint(input);
  submitExercise = (input: ApiParsedInput<"submitExercise">) => this.training.submitExercise(input);
  getScorecard = (input: ApiParsedInput<"getScorecard">) => this.training.getScorecard(input);
  exportScorecard = (input: ApiParsedInput<"exportScorecard">) => this.training.exportScorecard(input);
  authorSample = (input: ApiParsedInput<"authorSample">) => this.training.authorSample(input);

  /** Subscribes to pushed events; returns the unsubscribe function. */
  onEvent(listener: ApiEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: ApiEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /**
   * Lets the service's jobs end and its case cache finish what it writes in the examiner's profile
   * (checkpoints), with nothing scheduled after: for an owner that removes the profile next. Not part
   * of the API (the dispatcher only calls the contract's methods).
   */
  async close(): Promise<void> {
    await this.jobs.settle();
    await this.states.close();
  }

  async createCase(input: ApiParsedInput<"createCase">): Promise<CaseSummary> {
    const key = await this.keyStore.getOrCreate(input.examiner);
    await createCase({ dir: input.dir, title: input.title, key, hashAlgorithms: input.hashAlgorithms });
    return this.openCase({ dir: input.dir });
  }

  /** True when `dir` was opened through this service (`openCase` or `createCase`) since it started. */
  isOpenedCase(dir: string): boolean {
    return this.openedCases.has(path.resolve(dir));
  }

  async openCase({ dir }: ApiParsedInput<"openCase">): Promise<CaseSummary> {
    const absolute = path.resolve(dir);
    const caseFile = await readCaseFile(absolute);
    this.openedCases.add(absolute);
    // A new session opening an unchanged case answers from the checkpoint and replays behind it.
    const facts = await this.states.facts(absolute);
    // What the ledger says, not case.json (a copy that may have been edited); verify compares the two.
    return {
      dir: absolute,
      id: facts.caseId ?? caseFile.id,
      title: facts.caseId !== null ? facts.title : caseFile.title,
      created: caseFile.created,
      hashAlgorithms: facts.caseId !== null ? facts.hashAlgorithms : caseFile.hashAlgorithms,
      examiners: facts.caseId !== null ? facts.examiners : caseFile.examiners,
      itemCount: facts.itemCount,
      head: facts.head,
      lastVerification: facts.lastVerification && {
        seq: facts.lastVerification.seq,
        ts: facts.lastVerification.ts,
        examiner:
          facts.examiners.find((e) => e.keyId === facts.lastVerification!.actor)?.name ?? facts.lastVerification.actor,
        verifiedSeq: facts.lastVerification.verifiedSeq,
        isClean: facts.lastVerification.isClean,
        problemCount: facts.lastVerification.problemCount,
      },
    };
  }

  importFiles = (input: ApiParsedInput<"importFiles">) => this.imports.importFiles(input);
  beginUpload = (input: ApiParsedInput<"beginUpload">) => this.imports.beginUpload(input);
  /** The bytes of one announced file, or of one range of it (the loopback host's `PUT /upload`). */
  receiveUpload = (uploadId: string, index: number, body: Readable, range?: { start: number; length: number } | null) =>
    this.imports.receiveUpload(uploadId, index, body, range);
  abandonUpload = (input: ApiParsedInput<"abandonUpload">) => this.imports.abandonUpload(input);
  /** Files the page holds, imported by the paths its browser gives for them, or a reason the page sends them. */
  importWindowFiles = async (input: ApiParsedInput<"importWindowFiles">) => {
    const resolved = this.windowFiles
      ? await this.windowFiles.resolve(input.intakeId, input.files)
      : { reason: "this workbench has no window of its own to ask for paths" };
    if ("reason" in resolved) return { jobId: null, reason: resolved.reason };
    const { jobId } = await this.imports.importFiles(
      { dir: input.dir, paths: resolved.files.map((f) => f.path), collection: input.collection },
      resolved.files,
    );
    return { jobId, reason: null };
  };

  /** A custody report as a job (services/reports/reportJob.ts). */
  generateReport = (input: ApiParsedInput<"generateReport">) =>
    startReportJob(this.jobs, this.keyStore, input, (event) => this.emit(event), this.makePrinter, this.timestamps);

  /** The case as CASE/UCO JSON-LD, as a job (services/exchange/bundleJob.ts). */
  exportCaseUco = (input: ApiParsedInput<"exportCaseUco">) =>
    startCaseUcoJob(this.jobs, this.keyStore, input, (event) => this.emit(event));

  /** Bundles as jobs (services/exchange/bundleJob.ts). */
  exportBundle = async (input: ApiParsedInput<"exportBundle">) => {
    assertNotFrozen(await this.states.get(path.resolve(input.dir)), ["bundle.exported"]);
    return startExportBundleJob(this.jobs, this.keyStore, input, (event) => this.emit(event));
  };
  openBundle = (input: ApiParsedInput<"openBundle">) =>
    startOpenBundleJob(this.jobs, this.keyStore, input, (event) => this.emit(event));

  async startVerify({ dir: given }: ApiParsedInput<"startVerify">): Promise<{ jobId: string }> {
    const dir = path.resolve(given);
    await readCaseFile(dir);
    const recorder = await verifyRecorder(dir, this.keyStore);
    const emit = (event: ApiEvent) => this.emit(event);
    return {
      jobId: this.jobs.start(dir, (job, signal) => runVerifyJob(dir, job, signal, recorder, emit), "verify").jobId,
    };
  }

  async examinerSettings({ dir }: ApiParsedInput<"examinerSettings">): Promise<ExaminerSettingsInfo> {
    // Asked as a case opens: the facts' checkpoint (or the replay) establishes the trusted keys on
    // the way, so they are not read from the whole ledger a second time (caseStateCache.ts).
    await this.states.facts(path.resolve(dir)).catch(() => undefined);
    const key = await this.keyStore.findFor(await trustedExaminers(path.resolve(dir)));
    return { examiner: { name: key.name, keyId: key.keyId }, ...(await this.settings.get(key.keyId)) };
  }

  async setExaminerSettings({
    dir,
    veilMediaByDefault,
  }: ApiParsedInput<"setExaminerSettings">): Promise<ExaminerSettingsInfo> {
    const key = await this.keyStore.findFor(await trustedExaminers(path.resolve(dir)));
    const saved = await this.settings.set(key.keyId, { veilMediaByDefault });
    return { examiner: { name: key.name, keyId: key.keyId }, ...saved };
  }

  async getJob({ jobId }: ApiParsedInput<"getJob">) {
    return this.jobs.get(jobId);
  }

  listNotImported = (input: ApiParsedInput<"listNotImported">) => this.imports.listNotImported(input);

  async cancelJob({ jobId }: ApiParsedInput<"cancelJob">) {
    return this.jobs.cancel(jobId);
  }

  async listItems({ dir, changedAfterSeq }: ApiParsedInput<"listItems">): Promise<ItemSummary[]> {
    await readCaseFile(dir);
    const state = await this.states.get(path.resolve(dir));
    const after = changedAfterSeq ?? -1;
    return [...state.items.values()].filter((i) => (i.eventSeqs.at(-1) ?? -1) > after).map(summarise);
  }

  async ledgerEvents({ dir, afterSeq, limit }: ApiParsedInput<"ledgerEvents">): Promise<TimelineEntry[]> {
    await readCaseFile(dir);
    // Names come from the cached state; replaying the events again here would only repeat it.
    const state = await this.states.get(path.resolve(dir));
    const events = await readLedgerEvents(dir);
    return events
      .filter((e) => e.seq > (afterSeq ?? -1))
      .slice(0, limit ?? 100_000)
      .map((event) => ({ event, actorName: state.examiners.get(event.actor)?.name ?? event.actor }));
  }

  async getItem({ dir, sha256 }: ApiParsedInput<"getItem">): Promise<ItemDetail> {
    await readCaseFile(dir);
    const item = (await this.states.get(path.resolve(dir))).items.get(sha256);
    if (!item) throw new SightlineError("not-found", `no item ${sha256} in this case`);
    return {
      ...summarise(item),
      ...(item.md5 ? { md5: item.md5 } : {}),
      ...(item.sha1 ? { sha1: item.sha1 } : {}),
      objectPath: item.objectPath,
      acquisitions: item.acquisitions,
      metadata: item.metadata,
      derivatives: item.derivatives,
      notes: item.notes,
      acknowledgements: item.acknowledgements,
      restores: item.restores,
    };
  }

  /** Notes, tags and the status workflow of an item (vault/itemReview.ts). */
  private readonly review: ItemReviewTools = {
    itemOf: (dir, sha256) => this.itemOf(dir, sha256),
    append: (dir, drafts, recheck) => this.append(dir, drafts, recheck),
  };
  addNote = (input: ApiParsedInput<"addNote">) => itemReview.addNote(this.review, input);
  changeTags = (input: ApiParsedInput<"changeTags">) => itemReview.changeTags(this.review, input);
  changeStatus = (input: ApiParsedInput<"changeStatus">) => itemReview.changeStatus(this.review, input);
  acknowledgeWarning = (input: ApiParsedInput<"acknowledgeWarning">) =>
    itemReview.acknowledgeWarning(this.review, input);

  async itemTimeline({ dir, sha256 }: ApiParsedInput<"itemTimeline">): Promise<TimelineEntry[]> {
    await readCaseFile(dir);
    const state = await this.states.get(path.resolve(dir));
    const events = await readLedgerEvents(dir);
    const item = state.items.get(sha256);
    if (!item) throw new SightlineError("not-found", `no item ${sha256} in this case`);
    const wanted = new Set(item.eventSeqs);
    return events
      .filter((e) => wanted.has(e.seq))
      .reverse()
      .map((event) => ({ event, actorName: state.examiners.get(event.actor)?.name ?? event.actor }));
  }

  private async itemOf(dir: string, sha256: string): Promise<ItemState> {
    await readCaseFile(dir);
    const item = (await this.states.get(path.resolve(dir))).items.get(sha256);
    if (!item) throw new SightlineError("not-found", `no item ${sha256} in this case`);
    return item;
  }

  /** Restores a damaged vault copy from a later acquisition of the same bytes (import/restoreOriginal.ts). */
  async restoreOriginal({ dir, sha256, acquisitionSeq }: ApiParsedInput<"restoreOriginal">) {
    const absolute = path.resolve(dir);
    const key = await this.keyStore.findFor(await trustedExaminers(absolute, { allowDamagedObjects: true }));
    const caseFile = await readCaseFile(absolute);
    const writer = await LedgerWriter.open(absolute, { key, isRestoring: true });
    try {
      const state = await this.states.get(absolute);
      const result = await restoreOriginal(writer, caseFile, state, sha256, acquisitionSeq);
      this.emit({ type: "ledger.appended", dir: absolute, head: writer.currentHead });
      return result;
    } finally {
      await writer.close();
    }
  }

  /**
   * Appends events under the case's writer lock and tells every window the ledger moved.
   * `recheck` runs under the lock, on the state as the ledger then stands: a rule such as "once
   * per warning" checked before the lock could pass twice for two requests at once.
   */
  private async append(dir: string, drafts: EventDraft[], recheck?: AppendRecheck) {
    assertNotFrozen(
      await this.states.get(path.resolve(dir)),
      drafts.map((d) => d.type),
    );
    const key = await this.keyStore.findFor(await trustedExaminers(dir));
    const writer = await LedgerWriter.open(dir, { key });
    try {
      await recheck?.(await this.states.get(path.resolve(dir)));
      const events = await writer.append(drafts);
      this.emit({ type: "ledger.appended", dir, head: writer.currentHead });
      return events;
    } finally {
      await writer.close();
    }
  }

  async nearDuplicates({ dir, threshold }: ApiParsedInput<"nearDuplicates">): Promise<NearDuplicateGroup[]> {
    await readCaseFile(dir);
    // Its BK-tree comes from mnemonist, whose index takes a fifth of a second to load: not at start.
    const { findNearDuplicateGroups } = await import("../../shared/media/nearDuplicates.js");
    return findNearDuplicateGroups(await this.states.get(path.resolve(dir)), threshold);
  }

  async verifyCase({ dir }: ApiParsedInput<"verifyCase">) {
    const absolute = path.resolve(dir);
    return verifyResultOf(
      await verifyCase(absolute, { timestampAnchorsPem: await examinerTimestampAnchors(this.keyStore, absolute) }),
    );
  }
}
