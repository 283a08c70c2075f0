/**
 * The media stage of an import: for each object that has no `metadata.extracted`
 * event yet, read its metadata, make its derivatives (thumbnail; keyframes,
 * poster and proxy for video), hash them, and append the events. Runs beside
 * the copy of later files, a few items at a time (sharp and ffmpeg work off
 * this thread).
 *
 * Events follow the bytes: derivative files are flushed (syncfs, or an fsync
 * each) before the events naming them are appended, in groups, so a crash
 * leaves at worst derivative files no event names, which `verify` reports as a
 * notice and the next import or `sightline analyse` makes again.
 *
 * Near-duplicates are checked as each picture is hashed, against every picture
 * already in the case and in this import, and announced through `onNearDuplicate`.
 * A video's derivatives are made in videoDerivatives.ts.
 */
import { lstat } from "node:fs/promises";
import path from "node:path";
import { objectPathFor } from "../../../shared/case/caseFile.js";
import type { CaseState } from "../../../shared/ledger/caseState.js";
import type { DerivativeCreated, EventDraft } from "../../../shared/ledger/events.js";
import type { MediaKind, MediaWarning } from "../../../shared/media/metadata.js";
import { PhashIndex, type HashedPicture, type NearDuplicateNotice } from "../../../shared/media/phash.js";

export type { NearDuplicateNotice };
import { hashedPictures } from "../../../shared/media/nearDuplicates.js";
import { syncFileSystem } from "../vault/durableFs.js";
import { SightlineError } from "../sightlineError.js";
import type { LedgerWriter } from "../ledger/ledgerWriter.js";
import { storeDerivativeBytes } from "./derivativeStore.js";
import { PHASH_PARAMS, THUMBNAIL_PARAMS } from "./imagePixels.js";
import { analyseFile } from "./inspectFile.js";
import { KeyframesCancelled } from "./keyframes.js";
import { libraryVersion, sharpVersion } from "./libraryVersions.js";
import { mediaTools, type MediaTools } from "./mediaTools.js";
import { derivative, makeVideoDerivatives } from "./videoDerivatives.js";

export interface MediaStageItem {
  sha256: string;
  /** Case-relative vault path. */
  objectPath: string;
  originalName: string;
  displayPath: string;
  /** The source file's modification time, for the capture-time check. */
  modifiedAt: Date | null;
}

export interface AnalysedItem {
  sha256: string;
  displayPath: string;
  kind: MediaKind;
  warnings: MediaWarning[];
  derivatives: number;
}

export interface MediaStageSummary {
  analysed: AnalysedItem[];
  nearDuplicates: NearDuplicateNotice[];
  /** Items left for a later run (the import was cancelled, or analysis failed). */
  skipped: { sha256: string; displayPath: string; reason: string }[];
}

export interface MediaStageOptions {
  writer: LedgerWriter;
  state: CaseState;
  /** False where the file system cannot be flushed at once: each derivative is fsynced instead. */
  canSyncFileSystem: boolean;
  tools?: MediaTools;
  signal?: AbortSignal;
  concurrency?: number;
  onAnalysed?: (item: AnalysedItem) => void;
  onNearDuplicate?: (notice: NearDuplicateNotice) => void;
}

/** Items analysed per group of appended events. */
const FLUSH_ITEMS = 32;

export class MediaStage {
  private readonly queue: MediaStageItem[] = [];
  private readonly seen = new Set<string>();
  private readonly index: PhashIndex;
  private readonly names = new Map<string, string>();
  private readonly summary: MediaStageSummary = { analysed: [], nearDuplicates: [], skipped: [] };
  private readonly tools: MediaTools;
  private running = 0;
  private pending: { drafts: EventDraft[]; item: AnalysedItem }[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private idle: (() => void) | null = null;
  private failure: unknown = null;

  constructor(private readonly options: MediaStageOptions) {
    this.tools = options.tools ?? mediaTools();
    for (const item of options.state.items.values()) {
      this.names.set(item.sha256, item.displayName);
      if (item.metadata) this.seen.add(item.sha256);
    }
    this.index = new PhashIndex(hashedPictures(options.state));
  }

  get queued(): number {
    return this.queue.length + this.running;
  }

  /** Queues an item unless it was analysed before (in the ledger) or is queued already. */
  add(item: MediaStageItem): void {
    if (this.seen.has(item.sha256)) return;
    this.seen.add(item.sha256);
    this.names.set(item.sha256, item.originalName);
    this.queue.push(item);
    this.pump();
  }

  /** Waits for every queued item and appends the last events. */
  async finish(): Promise<MediaStageSummary> {
    if (this.running > 0 || this.queue.length > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    this.flush();
    await this.flushing;
    if (this.failure) throw this.failure;
    return this.summary;
  }

  private pump(): void {
    const limit = this.options.concurrency ?? 2;
    while (this.running < limit && this.queue.length > 0) {
      const item = this.queue.shift()!;
      this.running++;
      void this.process(item).finally(() => {
        this.running--;
        this.pump();
        if (this.running === 0 && this.queue.length === 0) this.idle?.();
      });
    }
  }

  private async process(item: MediaStageItem): Promise<void> {
    if (this.options.signal?.aborted || this.failure) {
      this.summary.skipped.push({ ...pick(item), reason: "not analysed: the import was cancelled" });
      return;
    }
    try {
      const { drafts, analysed } = await this.analyse(item);
      this.pending.push({ drafts, item: analysed });
      if (this.pending.length >= FLUSH_ITEMS) this.flush();
    } catch (error) {
      const reason =
        error instanceof KeyframesCancelled
          ? "not analysed: the import was cancelled"
          : `not analysed: ${(error as Error).message.split("\n")[0]}`;
      this.summary.skipped.push({ ...pick(item), reason });
    }
  }

  private flush(): void {
    const group = this.pending;
    this.pending = [];
    if (group.length === 0) return;
    this.flushing = this.flushing.then(async () => {
      if (this.failure) return;
      try {
        // The derivative bytes are durable before any event names them.
        if (this.options.canSyncFileSystem) await syncFileSystem(this.options.writer.caseDir);
        await this.options.writer.append(group.flatMap((g) => g.drafts));
        for (const g of group) {
          this.summary.analysed.push(g.item);
          this.options.onAnalysed?.(g.item);
        }
      } catch (error) {
        this.failure = error;
      }
    });
  }

  private async analyse(item: MediaStageItem): Promise<{ drafts: EventDraft[]; analysed: AnalysedItem }> {
    const { writer, signal } = this.options;
    const caseDir = writer.caseDir;
    const fsync = !this.options.canSyncFileSystem;
    // The vault path follows from the hash; the path an event states is never trusted to lead anywhere.
    const file = path.join(caseDir, objectPathFor(item.sha256));
    const info = await lstat(file);
    if (!info.isFile()) {
      throw new SightlineError(
        "tampered",
        `the vault copy of ${item.sha256.slice(0, 12)}… is not a regular file; it is not read`,
      );
    }
    const analysis = await analyseFile(file, {
      tools: this.tools,
      sha256: item.sha256,
      originalName: item.originalName,
      ...(item.modifiedAt ? { modifiedAt: item.modifiedAt } : {}),
    });
    const { result } = analysis;
    const warnings = [...result.warnings];
    const derivatives: DerivativeCreated[] = [];
    const toolsUsed: { name: string; version: string }[] = [];
    const sharpTool = { name: "sharp", version: await sharpVersion() };

    if (result.kind === "image") {
      toolsUsed.push({ name: "exifr", version: libraryVersion("exifr") }, sharpTool);
      if (analysis.rendered) {
        const r = analysis.rendered;
        const stored = await storeDerivativeBytes(caseDir, item.sha256, "thumbnail-320.jpg", r.thumbnail, fsync);
        derivatives.push(
          derivative(item.sha256, "thumbnail", stored, "image/jpeg", r.width, r.height, null, r.phash, sharpTool, {
            ...THUMBNAIL_PARAMS,
            phash: PHASH_PARAMS,
          }),
        );
      }
    } else if ((result.kind === "video" || result.kind === "audio") && analysis.video) {
      const made = await makeVideoDerivatives({
        caseDir,
        sha256: item.sha256,
        file,
        result,
        video: analysis.video,
        tools: this.tools,
        fsync,
        ...(signal ? { signal } : {}),
      });
      toolsUsed.push(...made.tools);
      warnings.push(...made.warnings);
      derivatives.push(...made.derivatives);
    }

    this.announce(item, derivatives);
    const drafts: EventDraft[] = [
      {
        type: "metadata.extracted",
        payload: {
          sha256: item.sha256,
          mime: result.mime,
          kind: result.kind,
          metadata: result.metadata,
          warnings,
          tools: toolsUsed,
        },
      },
      ...derivatives.map((payload): EventDraft => ({ type: "derivative.created", payload })),
    ];
    return {
      drafts,
      analysed: {
        sha256: item.sha256,
        displayPath: item.displayPath,
        kind: result.kind,
        warnings,
        derivatives: derivatives.length,
      },
    };
  }

  private announce(item: MediaStageItem, derivatives: DerivativeCreated[]): void {
    const best = new Map<string, NearDuplicateNotice["matches"][number]>();
    const pictures: HashedPicture[] = derivatives
      .filter((d) => d.phash && (d.role === "thumbnail" || d.role === "keyframe"))
      .map((d) => ({ itemSha256: item.sha256, phash: d.phash!, timestampS: d.timestampS, derivativeSha256: d.sha256 }));
    for (const picture of pictures) {
      for (const m of this.index.matches(picture)) {
        const prior = best.get(m.match.itemSha256);
        if (prior && prior.distance <= m.distance) continue;
        best.set(m.match.itemSha256, {
          sha256: m.match.itemSha256,
          displayName: this.names.get(m.match.itemSha256) ?? m.match.itemSha256,
          distance: m.distance,
          atS: picture.timestampS,
          matchAtS: m.match.timestampS,
        });
      }
    }
    for (const picture of pictures) this.index.add(picture);
    if (best.size === 0) return;
    const notice: NearDuplicateNotice = {
      sha256: item.sha256,
      displayPath: item.displayPath,
      matches: [...best.values()].sort((a, b) => a.distance - b.distance),
    };
    this.summary.nearDuplicates.push(notice);
    this.options.onNearDuplicate?.(notice);
  }
}

function pick(item: MediaStageItem) {
  return { sha256: item.sha256, displayPath: item.displayPath };
}
