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
 */
import { lstat, readFile, rm } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
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
import { scratchDir, storeDerivativeBytes, storeDerivativeFile, type StoredDerivative } from "./derivativeStore.js";
import { PHASH_PARAMS, THUMBNAIL_PARAMS, phashOf } from "./imagePixels.js";
import { analyseFile } from "./inspectFile.js";
import {
  KEYFRAME_PARAMS,
  KeyframesCancelled,
  PROXY_PARAMS,
  extractKeyframes,
  isBrowserPlayable,
  makeProxy,
} from "./keyframes.js";
import { libraryVersion, sharpVersion } from "./libraryVersions.js";
import { mediaTools, toolVersion, type MediaTools } from "./mediaTools.js";

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
    const sharpTool = { name: "sharp", version: sharpVersion() };

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
      const video = analysis.video;
      const ffprobe = this.tools.ffprobe;
      if (ffprobe) toolsUsed.push({ name: "ffprobe", version: await toolVersion(ffprobe) });
      if (video.hasVideo) {
        const ffmpegTool = {
          name: "ffmpeg",
          version: this.tools.ffmpeg ? await toolVersion(this.tools.ffmpeg) : "missing",
        };
        const scratch = await scratchDir(caseDir, item.sha256);
        try {
          const frames = await extractKeyframes(file, scratch, result.metadata.durationS, this.tools, signal);
          warnings.push(...frames.warnings);
          const args = recordedArgs(frames.args, file, scratch);
          let index = 0;
          for (const frame of frames.frames) {
            index++;
            const bytes = await readFile(frame.file);
            const [meta, hash] = await Promise.all([sharp(bytes).metadata(), phashOf(bytes)]);
            const name = `keyframe-${String(index).padStart(3, "0")}.jpg`;
            const stored = await storeDerivativeFile(caseDir, item.sha256, name, frame.file, fsync);
            derivatives.push(
              derivative(
                item.sha256,
                "keyframe",
                stored,
                "image/jpeg",
                meta.width ?? null,
                meta.height ?? null,
                frame.timestampS,
                hash,
                ffmpegTool,
                { ...KEYFRAME_PARAMS, method: frames.method, index, ffmpegArgs: args },
              ),
            );
          }
          const keyframes = derivatives.filter((d) => d.role === "keyframe");
          if (keyframes.length > 0) {
            // The poster: the keyframe nearest a tenth of the way in (first frames are often black or a logo).
            const target = (result.metadata.durationS ?? 0) / 10;
            const source = keyframes.reduce((a, b) =>
              Math.abs((b.timestampS ?? 0) - target) < Math.abs((a.timestampS ?? 0) - target) ? b : a,
            );
            const { data, info } = await sharp(path.join(caseDir, source.path))
              .resize(THUMBNAIL_PARAMS.size, THUMBNAIL_PARAMS.size, { fit: "inside", withoutEnlargement: true })
              .jpeg({ quality: THUMBNAIL_PARAMS.quality })
              .toBuffer({ resolveWithObject: true });
            const stored = await storeDerivativeBytes(caseDir, item.sha256, "poster-320.jpg", data, fsync);
            derivatives.push(
              derivative(
                item.sha256,
                "poster",
                stored,
                "image/jpeg",
                info.width,
                info.height,
                source.timestampS,
                null,
                sharpTool,
                { ...THUMBNAIL_PARAMS, from: source.path },
              ),
            );
          }
          const stream = (result.metadata.raw.ffprobe as { streams?: { codec_type?: string; pix_fmt?: string }[] })
            ?.streams;
          const pixelFormat = stream?.find((s) => s.codec_type === "video")?.pix_fmt ?? null;
          if (!isBrowserPlayable(video.container, video.videoCodec, video.audioCodec, pixelFormat)) {
            const output = path.join(scratch, "proxy.mp4");
            try {
              const proxyArgs = await makeProxy(file, output, !!video.audioCodec, this.tools, signal);
              const stored = await storeDerivativeFile(caseDir, item.sha256, "proxy-720p.mp4", output, fsync);
              const dims = result.metadata.dimensions;
              const height = dims ? Math.min(PROXY_PARAMS.maxHeight, dims.height) : null;
              const width = dims && height ? Math.round((dims.width * height) / dims.height / 2) * 2 : null;
              derivatives.push(
                derivative(item.sha256, "proxy", stored, "video/mp4", width, height, null, null, ffmpegTool, {
                  ...PROXY_PARAMS,
                  ffmpegArgs: recordedArgs(proxyArgs, file, scratch),
                }),
              );
            } catch (error) {
              if (error instanceof KeyframesCancelled) throw error;
              warnings.push({
                code: "video-unreadable",
                message: `No playable proxy could be made: ${(error as Error).message}.`,
              });
            }
          }
        } finally {
          await rm(scratch, { recursive: true, force: true });
        }
      }
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

function derivative(
  parent: string,
  role: DerivativeCreated["role"],
  stored: StoredDerivative,
  mime: string,
  width: number | null,
  height: number | null,
  timestampS: number | null,
  phash: string | null,
  tool: { name: string; version: string },
  params: Record<string, unknown>,
): DerivativeCreated {
  return {
    parent,
    role,
    path: stored.path,
    sha256: stored.sha256,
    size: stored.size,
    mime,
    width,
    height,
    timestampS,
    phash,
    tool,
    params,
  };
}

/** A command line as the ledger records it: `{original}` and `{output}` in place of local paths. */
function recordedArgs(args: readonly string[], original: string, output: string): string[] {
  return args.map((a) => a.replaceAll(original, "{original}").replaceAll(output, "{output}"));
}
