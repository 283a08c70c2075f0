/**
 * Keyframes, for reverse-image search and near-duplicate matching, and a
 * browser-playable proxy when Chromium cannot play the original.
 *
 * One ffmpeg pass decodes only the I-frames (`-skip_frame nokey`, as a plain
 * I-frame dump does) and keeps those that are at least `interval` apart, or a
 * scene change (`scene` score above 0.4) at least half an interval after the
 * last one kept: so there are at most `MAX_KEYFRAMES` spread across the whole
 * video, with the cuts encoders put I-frames on. A video whose decoder
 * reports too few I-frames (one at the start, or none) is sampled at even
 * intervals instead, decoding every frame once.
 *
 * Few keyframes are a warning only when they are too few for the length: when
 * the video runs longer than `KEYFRAME_GAP_LIMIT_S` without one (from its start
 * to the first, between two, or from the last to its end). Phones put a
 * keyframe every 1–2 s, streaming platforms every 2–5 s, and x264/x265 at their
 * defaults every 250 frames (10.4 s at 23.976 fps, the slowest common rate), so
 * a longer stretch means an unusual encoder or settings. A clip of a few
 * seconds with a single keyframe at its start is ordinary and not a warning.
 */
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import ffmpeg from "fluent-ffmpeg";
import { missingToolMessage, type MediaTools } from "./mediaTools.js";
import type { MediaWarning } from "../../../shared/media/metadata.js";

/** Keyframes kept per video: regular spacing gives up to half, scene changes the rest. */
export const MAX_KEYFRAMES = 32;
/** The longest stretch without a keyframe that common encoders leave (see above), in seconds. */
export const KEYFRAME_GAP_LIMIT_S = 11;
export const KEYFRAME_PARAMS = { maxFrames: MAX_KEYFRAMES, longEdge: 640, jpegQscale: 3, sceneThreshold: 0.4 } as const;
export const PROXY_PARAMS = {
  videoCodec: "libx264",
  preset: "veryfast",
  crf: 26,
  maxHeight: 720,
  pixelFormat: "yuv420p",
  audioCodec: "aac",
  audioBitrate: "128k",
  faststart: true,
} as const;

export interface Keyframe {
  file: string;
  timestampS: number;
}

export interface KeyframeResult {
  frames: Keyframe[];
  method: "keyframes" | "even-interval";
  /** The ffmpeg arguments, recorded with each derivative so anyone can make it again. */
  args: string[];
  warnings: MediaWarning[];
}

class Cancelled extends Error {}

function run(
  command: ffmpeg.FfmpegCommand,
  signal: AbortSignal | undefined,
  onStderr?: (line: string) => void,
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let args: string[] = [];
    const abort = () => command.kill("SIGKILL");
    signal?.addEventListener("abort", abort, { once: true });
    const tail: string[] = [];
    command
      .on("start", (line: string) => (args = line.split(" ").slice(1)))
      .on("stderr", (line: string) => {
        onStderr?.(line);
        tail.push(line);
        if (tail.length > 20) tail.shift();
      })
      .on("end", () => {
        signal?.removeEventListener("abort", abort);
        resolve(args);
      })
      .on("error", (error: Error) => {
        signal?.removeEventListener("abort", abort);
        if (signal?.aborted) reject(new Cancelled("cancelled"));
        else {
          const reason = tail.filter((l) => /error|invalid|corrupt/i.test(l)).pop() ?? error.message.split("\n")[0]!;
          reject(new Error(reason.trim()));
        }
      })
      .run();
  });
}

const SHOWINFO_TIME = /\bn:\s*\d+.*\bpts_time:\s*(-?[\d.]+)/;
/** The first showinfo of the keyframe pass sees every keyframe decoded, before `select` keeps some. */
const EVERY_KEYFRAME = "Parsed_showinfo_0";

/**
 * The longest stretch of a video without a keyframe: from its start to the first, between two,
 * and from the last to its end. The whole length when there is none.
 */
export function longestKeyframeGap(keyframeTimes: readonly number[], durationS: number): number {
  const times = [...keyframeTimes].filter((t) => Number.isFinite(t)).sort((a, b) => a - b);
  if (times.length === 0) return durationS;
  let gap = Math.max(times[0]!, durationS - times.at(-1)!);
  for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i]! - times[i - 1]!);
  return gap;
}

async function dump(
  file: string,
  outDir: string,
  ffmpegPath: string,
  options: { skipNonKey: boolean; select: string; signal?: AbortSignal },
): Promise<{ frames: Keyframe[]; args: string[]; keyframeTimes: number[] }> {
  const times: number[] = [];
  const keyframeTimes: number[] = [];
  const scale = `scale='if(gte(iw,ih),min(${KEYFRAME_PARAMS.longEdge},iw),-2)':'if(gte(iw,ih),-2,min(${KEYFRAME_PARAMS.longEdge},ih))'`;
  const command = ffmpeg(file)
    .setFfmpegPath(ffmpegPath)
    .inputOptions(["-nostdin", ...(options.skipNonKey ? ["-skip_frame", "nokey"] : [])])
    .outputOptions([
      "-map",
      "0:v:0",
      "-an",
      "-sn",
      "-dn",
      "-vf",
      `${options.skipNonKey ? "showinfo," : ""}select='${options.select}',${scale},showinfo`,
      "-fps_mode",
      "vfr",
      "-q:v",
      String(KEYFRAME_PARAMS.jpegQscale),
      "-f",
      "image2",
    ])
    .output(path.join(outDir, "frame-%05d.jpg"));
  const args = await run(command, options.signal, (line) => {
    if (!line.includes("Parsed_showinfo")) return;
    const m = SHOWINFO_TIME.exec(line);
    if (!m) return;
    if (options.skipNonKey && line.includes(EVERY_KEYFRAME)) keyframeTimes.push(Math.max(0, Number(m[1])));
    else times.push(Math.max(0, Number(m[1])));
  });
  const files = (await readdir(outDir)).filter((n) => /^frame-\d{5}\.jpg$/.test(n)).sort();
  return {
    frames: files.map((name, i) => ({ file: path.join(outDir, name), timestampS: times[i] ?? 0 })),
    args,
    keyframeTimes,
  };
}

/** Writes keyframes of `file` as JPEGs into `outDir` (a scratch folder) and returns them with their times. */
export async function extractKeyframes(
  file: string,
  outDir: string,
  durationS: number | null,
  tools: MediaTools,
  signal?: AbortSignal,
): Promise<KeyframeResult> {
  if (!tools.ffmpeg) {
    return {
      frames: [],
      method: "keyframes",
      args: [],
      warnings: [{ code: "tool-missing", message: `No keyframes: ${missingToolMessage("ffmpeg")}.` }],
    };
  }
  const duration = durationS && durationS > 0 ? durationS : 60;
  const interval = Math.max(duration / (MAX_KEYFRAMES / 2), 0.5);
  const t = KEYFRAME_PARAMS.sceneThreshold;
  const select =
    `isnan(prev_selected_t)+gte(t-prev_selected_t\\,${interval.toFixed(3)})` +
    `+gt(scene\\,${t})*gte(t-prev_selected_t\\,${(interval / 2).toFixed(3)})`;
  const warnings: MediaWarning[] = [];
  try {
    const first = await dump(file, outDir, tools.ffmpeg.path, { skipNonKey: true, select, signal });
    // Without a known length, the stretch after the last keyframe cannot be measured.
    const end = durationS && durationS > 0 ? durationS : Math.max(0, ...first.keyframeTimes);
    const gap = longestKeyframeGap(first.keyframeTimes, end);
    const isTooSparse = gap > KEYFRAME_GAP_LIMIT_S;
    // Too few keyframes to search with are topped up by even sampling, whether or not that is a warning.
    const wanted = Math.min(4, Math.floor(duration / interval));
    const isEnough = first.frames.length >= wanted || duration < 4;
    if (isTooSparse) {
      const count = first.keyframeTimes.length;
      warnings.push({
        code: "no-keyframes",
        message: `The video runs ${gap.toFixed(1)} s without a keyframe (${count === 0 ? "none" : count === 1 ? "only one" : `${count}`} in ${end.toFixed(1)} s); phones and platforms put one at least every ${KEYFRAME_GAP_LIMIT_S - 1} s or so${isEnough ? "" : `, so frames were sampled every ${interval.toFixed(1)} s instead`}.`,
      });
    }
    if (isEnough) return { frames: first.frames, method: "keyframes", args: first.args, warnings };
    for (const f of first.frames) await rm(f.file, { force: true });
    const even = await dump(file, outDir, tools.ffmpeg.path, {
      skipNonKey: false,
      select: `isnan(prev_selected_t)+gte(t-prev_selected_t\\,${interval.toFixed(3)})`,
      signal,
    });
    return { frames: even.frames, method: "even-interval", args: even.args, warnings };
  } catch (error) {
    if (error instanceof Cancelled) throw error;
    warnings.push({
      code: "video-unreadable",
      message: `No keyframes could be decoded: ${(error as Error).message}.`,
    });
    return { frames: [], method: "keyframes", args: [], warnings };
  }
}

const PLAYABLE_VIDEO = new Set(["h264", "vp8", "vp9", "av1", "theora"]);
const PLAYABLE_AUDIO = new Set(["aac", "mp3", "opus", "vorbis", "flac"]);
const PLAYABLE_CONTAINERS = ["mov", "mp4", "webm", "matroska", "ogg"];
const PLAYABLE_PIXELS = new Set(["yuv420p", "yuvj420p", "yuv420p10le", null]);

/** Whether Chromium plays this container/codec combination itself (so no proxy is needed). */
export function isBrowserPlayable(
  container: string | null,
  videoCodec: string | null,
  audioCodec: string | null,
  pixelFormat: string | null,
): boolean {
  const formats = (container ?? "").split(",");
  if (!formats.some((f) => PLAYABLE_CONTAINERS.includes(f))) return false;
  if (videoCodec && !PLAYABLE_VIDEO.has(videoCodec)) return false;
  if (videoCodec === "h264" && !PLAYABLE_PIXELS.has(pixelFormat)) return false;
  if (audioCodec && !PLAYABLE_AUDIO.has(audioCodec)) return false;
  return true;
}

/** Transcodes `file` to an H.264/AAC MP4 at most 720 lines high, for playback in the workbench. */
export async function makeProxy(
  file: string,
  output: string,
  hasAudio: boolean,
  tools: MediaTools,
  signal?: AbortSignal,
): Promise<string[]> {
  if (!tools.ffmpeg) throw new Error(missingToolMessage("ffmpeg"));
  const p = PROXY_PARAMS;
  const command = ffmpeg(file)
    .setFfmpegPath(tools.ffmpeg.path)
    .inputOptions(["-nostdin"])
    .outputOptions([
      "-map",
      "0:v:0",
      ...(hasAudio ? ["-map", "0:a:0"] : ["-an"]),
      "-sn",
      "-dn",
      "-vf",
      `scale=-2:'min(${p.maxHeight},ih)'`,
      "-c:v",
      p.videoCodec,
      "-preset",
      p.preset,
      "-crf",
      String(p.crf),
      "-pix_fmt",
      p.pixelFormat,
      ...(hasAudio ? ["-c:a", p.audioCodec, "-b:a", p.audioBitrate] : []),
      "-movflags",
      "+faststart",
      "-f",
      "mp4",
    ])
    .output(output);
  return run(command, signal);
}

export { Cancelled as KeyframesCancelled };
