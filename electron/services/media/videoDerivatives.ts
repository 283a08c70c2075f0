/**
 * The derivatives an import makes of a video: keyframes (each with its pHash), a poster taken from
 * the keyframe nearest a tenth of the way in, and, when a browser cannot play the original, a 720p
 * proxy. Each is stored under derived/<sha256>/ and described as the payload of its
 * `derivative.created` event, with the tool, its version and the command line (local paths
 * replaced by `{original}` and `{output}`) that made it.
 */
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import type { DerivativeCreated } from "../../../shared/ledger/events.js";
import type { MediaWarning } from "../../../shared/media/metadata.js";
import { scratchDir, storeDerivativeBytes, storeDerivativeFile, type StoredDerivative } from "./derivativeStore.js";
import { THUMBNAIL_PARAMS, phashOf } from "./imagePixels.js";
import type { Analysis } from "./inspectFile.js";
import {
  KEYFRAME_PARAMS,
  KeyframesCancelled,
  PROXY_PARAMS,
  extractKeyframes,
  isBrowserPlayable,
  makeProxy,
} from "./keyframes.js";
import { sharpVersion } from "./libraryVersions.js";
import { toolVersion, type MediaTools } from "./mediaTools.js";

export interface VideoDerivatives {
  derivatives: DerivativeCreated[];
  /** What could not be made, as warnings on the item. */
  warnings: MediaWarning[];
  /** The tools read or run, with their versions, for `metadata.extracted`. */
  tools: { name: string; version: string }[];
}

/** Makes a video's (or an audio file's) derivatives; `file` is its vault copy. */
export async function makeVideoDerivatives(options: {
  caseDir: string;
  sha256: string;
  file: string;
  result: Analysis["result"];
  video: NonNullable<Analysis["video"]>;
  tools: MediaTools;
  /** fsync each stored file (where the file system cannot be flushed at once). */
  fsync: boolean;
  signal?: AbortSignal;
}): Promise<VideoDerivatives> {
  const { caseDir, sha256, file, result, video, tools, fsync, signal } = options;
  const derivatives: DerivativeCreated[] = [];
  const warnings: MediaWarning[] = [];
  const used: { name: string; version: string }[] = [];
  const sharpTool = { name: "sharp", version: await sharpVersion() };
  const ffprobe = tools.ffprobe;
  if (ffprobe) used.push({ name: "ffprobe", version: await toolVersion(ffprobe) });
  if (video.hasVideo) {
    const ffmpegTool = {
      name: "ffmpeg",
      version: tools.ffmpeg ? await toolVersion(tools.ffmpeg) : "missing",
    };
    const scratch = await scratchDir(caseDir, sha256);
    try {
      const frames = await extractKeyframes(file, scratch, result.metadata.durationS, tools, signal);
      warnings.push(...frames.warnings);
      const args = recordedArgs(frames.args, file, scratch);
      let index = 0;
      for (const frame of frames.frames) {
        index++;
        const bytes = await readFile(frame.file);
        const [meta, hash] = await Promise.all([sharp(bytes).metadata(), phashOf(bytes)]);
        const name = `keyframe-${String(index).padStart(3, "0")}.jpg`;
        const stored = await storeDerivativeFile(caseDir, sha256, name, frame.file, fsync);
        derivatives.push(
          derivative(
            sha256,
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
        const stored = await storeDerivativeBytes(caseDir, sha256, "poster-320.jpg", data, fsync);
        derivatives.push(
          derivative(
            sha256,
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
          const proxyArgs = await makeProxy(file, output, !!video.audioCodec, tools, signal);
          const stored = await storeDerivativeFile(caseDir, sha256, "proxy-720p.mp4", output, fsync);
          const dims = result.metadata.dimensions;
          const height = dims ? Math.min(PROXY_PARAMS.maxHeight, dims.height) : null;
          const width = dims && height ? Math.round((dims.width * height) / dims.height / 2) * 2 : null;
          derivatives.push(
            derivative(sha256, "proxy", stored, "video/mp4", width, height, null, null, ffmpegTool, {
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
  return { derivatives, warnings, tools: used };
}

/** The payload of a `derivative.created` event for a stored derivative. */
export function derivative(
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
