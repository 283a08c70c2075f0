/**
 * The sample's evidence: ground photos and a short video of the burning compound, drawn by
 * renderView.ts, with the metadata a phone would write (exiftool for the photos, ffmpeg's
 * container tags for the video), and the traps made from them: a stripped re-upload, an edited
 * near-duplicate, a photo whose GPS tag lies, a video whose container date is not the time it shows.
 */
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import sharp from "sharp";
import { POLE_HEIGHT, ROAD_POLE, toLatLon, wireSpans, type Camera, type Solid } from "./landscape.js";
import { finishView, firePuffs, traceView } from "./renderView.js";

const run = promisify(execFile);

export interface PhotoOptions {
  camera: Camera;
  instant: string;
  width: number;
  height: number;
  /** How fiercely the compound burns (0–1) and the seed of its smoke. */
  fire: number;
  smokeSeed: number;
  omit?: (s: Solid) => boolean;
}

/** A JPEG of a view, with no metadata yet. */
export async function renderPhoto(file: string, o: PhotoOptions): Promise<void> {
  const view = traceView({
    camera: o.camera,
    width: o.width,
    height: o.height,
    instant: o.instant,
    burnt: true,
    omit: o.omit,
  });
  const pixels = await finishView(view, firePuffs(o.fire, 0, o.smokeSeed), 5, wireSpans());
  await sharp(pixels, { raw: { width: o.width, height: o.height, channels: 3 } })
    .jpeg({ quality: 86, chromaSubsampling: "4:2:0" })
    .toFile(file);
}

/** What a phone camera writes into a photo. */
export interface PhoneTags {
  make: string;
  model: string;
  software: string;
  /** The local time shown on the phone, "YYYY:MM:DD HH:MM:SS", and its offset "+00:00". */
  localTime: string;
  offset: string;
  gps: { lat: number; lon: number; altitude: number } | null;
  /** True azimuth the camera faced, when the phone recorded it. */
  direction?: number;
}

async function exiftool(args: string[]): Promise<void> {
  await run("exiftool", ["-overwrite_original", "-q", "-q", ...args], { maxBuffer: 16 * 1024 * 1024 });
}

export async function tagPhoto(file: string, t: PhoneTags): Promise<void> {
  const args = [
    `-EXIF:Make=${t.make}`,
    `-EXIF:Model=${t.model}`,
    `-EXIF:Software=${t.software}`,
    `-EXIF:DateTimeOriginal=${t.localTime}`,
    `-EXIF:CreateDate=${t.localTime}`,
    `-EXIF:ModifyDate=${t.localTime}`,
    `-EXIF:OffsetTimeOriginal=${t.offset}`,
    `-EXIF:OffsetTime=${t.offset}`,
    "-EXIF:ExposureTime=1/1250",
    "-EXIF:FNumber=1.8",
    "-EXIF:ISO=50",
    "-EXIF:FocalLength=5.2",
  ];
  if (t.gps) {
    args.push(`-GPSLatitude=${t.gps.lat}`, "-GPSLatitudeRef=N", `-GPSLongitude=${t.gps.lon}`, "-GPSLongitudeRef=E");
    args.push(`-GPSAltitude=${t.gps.altitude}`, "-GPSAltitudeRef#=0");
    if (t.direction !== undefined) args.push(`-GPSImgDirection=${t.direction}`, "-GPSImgDirectionRef=T");
  }
  await exiftool([...args, file]);
}

/** The same picture as a messaging app passes it on: smaller, recompressed, every tag gone. */
export async function strippedReupload(from: string, to: string, width: number): Promise<void> {
  await sharp(from).resize({ width }).jpeg({ quality: 62 }).toFile(to);
}

/**
 * The road photo edited: the pole standing before the smoke taken out (its wires left hanging, as a
 * quick edit leaves them) and the smoke made heavier, saved by an editor that keeps the camera's
 * tags and names itself.
 */
export async function editedCopy(original: string, to: string, o: PhotoOptions): Promise<void> {
  const isEditedOut = (s: Solid) =>
    s.kind === "box" && s.material === "pole" && s.cx === ROAD_POLE.x && s.cy === ROAD_POLE.y;
  await renderPhoto(to, { ...o, fire: 1, smokeSeed: o.smokeSeed + 1, omit: isEditedOut });
  await exiftool(["-tagsFromFile", original, "-EXIF:all", "-GPS:all", to]);
  await exiftool(["-EXIF:Software=Adobe Photoshop 25.4 (Windows)", "-EXIF:ModifyDate=2026:03:15 19:04:51", to]);
}

/** The pole the edit removes, and how tall it stands (for the answer key's explanation). */
export const EDITED_OUT = { pole: ROAD_POLE, heightM: POLE_HEIGHT, where: toLatLon(ROAD_POLE) };

export interface VideoOptions {
  camera: Camera;
  instant: string;
  width: number;
  height: number;
  seconds: number;
  fps: number;
  /** The container's creation_time (UTC, ISO 8601 with Z). */
  creationTime: string;
}

/**
 * An H.264 MP4 of the burning compound: the view traced once, the fire's smoke and flames moving
 * over it frame by frame, encoded by ffmpeg with bit-exact flags so the same frames give the same bytes.
 */
export async function renderVideo(file: string, o: VideoOptions): Promise<void> {
  const view = traceView({ camera: o.camera, width: o.width, height: o.height, instant: o.instant, burnt: true });
  const ffmpeg = spawn(
    "ffmpeg",
    [
      ...[
        "-v",
        "error",
        "-y",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-s",
        `${o.width}x${o.height}`,
        "-r",
        String(o.fps),
      ],
      ...["-i", "-", "-c:v", "libx264", "-preset", "medium", "-crf", "27", "-pix_fmt", "yuv420p", "-threads", "1"],
      ...["-movflags", "+faststart", "-fflags", "+bitexact", "-flags", "+bitexact", "-map_metadata", "-1"],
      ...["-metadata", `creation_time=${o.creationTime}`, file],
    ],
    { stdio: ["pipe", "ignore", "pipe"] },
  );
  let stderr = "";
  ffmpeg.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<void>((resolve, reject) => {
    ffmpeg.on("error", reject);
    ffmpeg.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`ffmpeg failed (${code}): ${stderr.trim()}`)),
    );
  });
  const frames = Math.round(o.seconds * o.fps);
  const wires = wireSpans();
  for (let f = 0; f < frames; f++) {
    const frame = await finishView(view, firePuffs(1, f / o.fps, 11), 4, wires);
    if (!ffmpeg.stdin.write(frame)) await new Promise((r) => ffmpeg.stdin.once("drain", r));
  }
  ffmpeg.stdin.end();
  await done;
}
