/**
 * What a video or audio file says about itself, read by ffprobe through
 * fluent-ffmpeg: container and streams, duration, rotation, creation time and
 * the ISO 6709 location phones write.
 */
import ffmpeg from "fluent-ffmpeg";
import { isoLikeToIso } from "../../../shared/media/captureTime.js";
import { emptyMetadata, type MediaMetadata, type MediaWarning } from "../../../shared/media/metadata.js";
import { parseIso6709 } from "../../../shared/geo/iso6709.js";
import { missingToolMessage, type MediaTools } from "./mediaTools.js";

const VIDEO_EDITORS =
  /premiere|after effects|final cut|imovie|davinci|resolve|capcut|inshot|kinemaster|filmora|vegas|videoleap|splice|vn video|adobe|lightworks|shotcut|openshot|kdenlive|handbrake/i;

export interface VideoMetadataResult {
  metadata: Omit<MediaMetadata, "raw">;
  raw: Record<string, unknown>;
  warnings: MediaWarning[];
  /** The first video stream's codec and the container, for the proxy decision. */
  container: string | null;
  videoCodec: string | null;
  audioCodec: string | null;
  hasVideo: boolean;
}

function probe(file: string, ffprobePath: string): Promise<ffmpeg.FfprobeData> {
  return new Promise((resolve, reject) => {
    ffmpeg(file)
      .setFfprobePath(ffprobePath)
      .ffprobe((error: unknown, data: ffmpeg.FfprobeData) => (error ? reject(error) : resolve(data)));
  });
}

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/** ffprobe's display-matrix rotation is counter-clockwise; EXIF orientation says how to turn it upright. */
function orientationFromRotation(rotation: number | null): number | null {
  if (rotation === null || !Number.isFinite(rotation)) return null;
  const clockwise = (((-Math.round(rotation / 90) * 90) % 360) + 360) % 360;
  return { 0: 1, 90: 6, 180: 3, 270: 8 }[clockwise] ?? null;
}

function firstLine(error: unknown): string {
  const text = (error as Error)?.message ?? String(error);
  const lines = text.split("\n").map((l) => l.trim());
  // fluent-ffmpeg puts ffprobe's stderr after its own first line; the last non-empty line is the reason.
  const reason = lines.filter(Boolean).pop() ?? text;
  return reason.replace(/^.*?:\s(?=[A-Z])/, "");
}

function withoutRaw({ raw: _raw, ...rest }: MediaMetadata): Omit<MediaMetadata, "raw"> {
  return rest;
}

export async function readVideoMetadata(file: string, tools: MediaTools): Promise<VideoMetadataResult> {
  const empty: VideoMetadataResult = {
    metadata: withoutRaw(emptyMetadata()),
    raw: {},
    warnings: [],
    container: null,
    videoCodec: null,
    audioCodec: null,
    hasVideo: false,
  };
  if (!tools.ffprobe) {
    empty.warnings.push({ code: "tool-missing", message: `Not probed: ${missingToolMessage("ffprobe")}.` });
    return empty;
  }
  let data: ffmpeg.FfprobeData;
  try {
    data = await probe(file, tools.ffprobe.path);
  } catch (error) {
    empty.warnings.push({
      code: "video-unreadable",
      message: `ffprobe could not read the file: ${firstLine(error)}.`,
    });
    return empty;
  }

  const tags = (data.format.tags ?? {}) as Record<string, unknown>;
  const video = data.streams.find((s) => s.codec_type === "video" && !s.disposition?.attached_pic);
  const audio = data.streams.find((s) => s.codec_type === "audio");
  const vtags = (video?.tags ?? {}) as Record<string, unknown>;

  let capturedAt: string | null = null;
  let capturedAtSource: string | null = null;
  for (const [key, where, source] of [
    ["com.apple.quicktime.creationdate", tags, "QuickTime:com.apple.quicktime.creationdate"],
    ["creation_time", tags, "QuickTime:creation_time"],
    ["creation_time", vtags, "QuickTime:stream creation_time"],
  ] as const) {
    const at = isoLikeToIso(str(where[key]));
    if (at) {
      capturedAt = at;
      capturedAtSource = source;
      break;
    }
  }
  const locationTag = ["com.apple.quicktime.location.ISO6709", "location", "location-eng"].find((t) => str(tags[t]));
  const locationText = locationTag ? str(tags[locationTag]) : null;
  const gps = parseIso6709(locationText);
  const gpsSource = gps && locationTag ? `QuickTime:${locationTag}` : null;
  const make = str(tags["com.apple.quicktime.make"]) ?? str(tags.make) ?? str(tags["com.android.manufacturer"]);
  const model = str(tags["com.apple.quicktime.model"]) ?? str(tags.model) ?? str(tags["com.android.model"]);
  const software = str(tags["com.apple.quicktime.software"]) ?? str(tags.software) ?? str(tags.encoder);
  const rotation =
    typeof video?.rotation === "number"
      ? video.rotation
      : Number.isFinite(Number(vtags.rotate))
        ? -Number(vtags.rotate)
        : null;
  const duration = Number(data.format.duration);

  const warnings: MediaWarning[] = [];
  if (!capturedAt && !gps && !make && !model) {
    warnings.push({
      code: "no-metadata",
      message: "No creation time, location or device tags: typical of a copy re-encoded by a platform or app.",
    });
  }
  if (locationText && !gps) {
    warnings.push({ code: "metadata-unreadable", message: `The location tag is not an ISO 6709 point.` });
  }
  if (gps && gps.lat === 0 && gps.lon === 0) {
    warnings.push({ code: "gps-zero", message: "The location tag is present but gives 0, 0." });
  }
  if (software && VIDEO_EDITORS.test(software)) {
    warnings.push({ code: "editing-software", message: `The file names editing software: "${software}".` });
  }

  return {
    metadata: {
      capturedAt,
      capturedAtSource,
      gps,
      gpsSource,
      camera: make || model ? { make, model } : null,
      software,
      dimensions: video?.width && video.height ? { width: video.width, height: video.height } : null,
      orientation: video ? orientationFromRotation(rotation) : null,
      durationS: Number.isFinite(duration) ? duration : null,
      codecs: data.streams.map((s) => s.codec_name).filter((c): c is string => typeof c === "string"),
    },
    raw: { ffprobe: { format: data.format, streams: data.streams, chapters: data.chapters } },
    warnings,
    container: str(data.format.format_name),
    videoCodec: str(video?.codec_name),
    audioCodec: str(audio?.codec_name),
    hasVideo: !!video,
  };
}
