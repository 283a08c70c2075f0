/**
 * Real media files with known metadata, made on the spot for tests and benchmarks: pictures drawn
 * with sharp, tags written by exiftool, HEIC encoded by heif-enc, video by ffmpeg. Nothing is
 * downloaded. Every `expected` value here was checked against `exiftool -j -n` when it was written,
 * and `tests/integration/inspect.test.ts` checks it again on every run. One file per format and the
 * files exifr's first read misses are in formatCorpus.ts; files made to break readers in
 * hostileCorpus.ts.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";

export const run = promisify(execFile);

/** What a correct reader must report for a file. */
export interface ExpectedMetadata {
  /** ISO 8601, with offset when the file has one, e.g. "2026-02-16T09:12:44+01:00". */
  capturedAt: string | null;
  /** Decimal degrees, S and W negative; altitude in metres (below sea level negative). */
  gps: { lat: number; lon: number; altitude: number | null } | null;
  make: string | null;
  model: string | null;
  software: string | null;
  width: number;
  height: number;
}

export type CorpusFormat = "jpeg" | "png" | "tiff" | "webp" | "avif" | "heic" | "mp4" | "mov";

export interface CorpusFile {
  file: string;
  format: CorpusFormat;
  mime: string;
  expected: ExpectedMetadata;
}

export interface VideoOptions {
  durationS: number;
  width?: number;
  height?: number;
  fps?: number;
  codec?: "h264" | "mpeg4";
  /** Keyframe interval in frames (scene-cut keyframes are then off); a huge value gives a single I-frame. */
  gopFrames?: number;
  /** Visibly different scenes (test patterns with shifted hues), of equal length. */
  scenes?: number;
  /** `creation_time` (UTC), e.g. "2026-02-16T08:12:44Z". */
  creationTime?: string;
  /** ISO 6709, e.g. "+18.4411-001.2345+250.000/". MP4 stores it as 16.16 fixed point (`loci`), MOV as text (`©xyz`). */
  location?: string;
  /** Apple's QuickTime keys (`mdta`), as an iPhone writes them. `creationdate` carries an offset, e.g. "2026-02-16T20:12:44+1100". */
  appleKeys?: { make: string; model: string; creationdate: string; location: string; software?: string };
  audio?: boolean;
}

export interface JpegOptions {
  width: number;
  height: number;
  /** Picks the picture; the same seed gives the same pixels. */
  seed?: number;
  /** Full EXIF + GPS + XMP + IPTC, the values of `JPEG_TAGS`. */
  exif?: boolean;
  quality?: number;
}

/** The tags `makeJpeg({ exif: true })` and `makeJpegFolder` write (the corpus JPEG carries them too). */
export const JPEG_TAGS: Omit<ExpectedMetadata, "width" | "height"> = {
  capturedAt: "2026-02-16T09:12:44+01:00",
  gps: { lat: 18.4411, lon: 1.4078, altitude: 452 },
  make: "Canon",
  model: "Canon EOS R6",
  software: "Firmware Version 1.8.1",
};

// ---------------------------------------------------------------------------------------------
// Pictures

/** A small seeded PRNG (mulberry32), so generated pictures are the same on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * RGB pixels of a picture with structure (not flat colour, so perceptual hashes mean something):
 * a two-colour gradient at an angle chosen by `seed`, with discs and bars on it.
 */
export function picturePixels(width: number, height: number, seed: number): Buffer {
  const rand = mulberry32(seed);
  const colour = () => [rand() * 255, rand() * 255, rand() * 255] as const;
  const [from, to] = [colour(), colour()];
  const angle = rand() * 2 * Math.PI;
  const [dx, dy] = [Math.cos(angle), Math.sin(angle)];
  const shapes = Array.from({ length: 3 + Math.floor(rand() * 4) }, () => ({
    isDisc: rand() < 0.5,
    cx: rand() * width,
    cy: rand() * height,
    rx: (0.05 + rand() * 0.25) * width,
    ry: (0.05 + rand() * 0.25) * height,
    rgb: colour(),
  }));
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0, at = y * width * 3; x < width; x++, at += 3) {
      const t = Math.min(1, Math.max(0, (x / width - 0.5) * dx + (y / height - 0.5) * dy + 0.5));
      for (let c = 0; c < 3; c++) pixels[at + c] = from[c]! + (to[c]! - from[c]!) * t;
    }
  }
  // Shapes in order, each only over its bounding box (a thousand pictures must not take a minute).
  for (const s of shapes) {
    const halfHeight = s.isDisc ? s.ry : 0.3 * s.ry;
    const [y0, y1] = [Math.max(0, Math.floor(s.cy - halfHeight)), Math.min(height - 1, Math.ceil(s.cy + halfHeight))];
    const [x0, x1] = [Math.max(0, Math.floor(s.cx - s.rx)), Math.min(width - 1, Math.ceil(s.cx + s.rx))];
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const [u, v] = [(x - s.cx) / s.rx, (y - s.cy) / s.ry];
        if (s.isDisc ? u * u + v * v <= 1 : Math.abs(u) <= 1 && Math.abs(v) <= 0.3)
          pixels.set(s.rgb, (y * width + x) * 3);
      }
    }
  }
  return pixels;
}

type SharpFormat = "jpeg" | "png" | "tiff" | "webp" | "avif";

export async function writePicture(
  file: string,
  format: SharpFormat,
  width: number,
  height: number,
  seed: number,
  quality = 85,
) {
  await mkdir(path.dirname(file), { recursive: true });
  const image = sharp(picturePixels(width, height, seed), { raw: { width, height, channels: 3 } });
  await image.toFormat(format, format === "png" ? {} : { quality }).toFile(file);
}

// ---------------------------------------------------------------------------------------------
// Tags

export async function exiftool(args: string[]): Promise<void> {
  await run("exiftool", ["-overwrite_original", "-q", "-q", ...args], { maxBuffer: 16 * 1024 * 1024 });
}

/** exiftool arguments for `tags`; XMP gets CreatorTool (same as Software) and a title, IPTC a caption and place. */
export function tagArgs(
  tags: Omit<ExpectedMetadata, "width" | "height">,
  has: { xmp: boolean; iptc: boolean },
): string[] {
  const args: string[] = [];
  if (tags.capturedAt) {
    const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d:\d\d:\d\d)(Z|[+-]\d\d:\d\d)?$/.exec(tags.capturedAt);
    if (!m) throw new Error(`capturedAt must be YYYY-MM-DDTHH:MM:SS[offset]: ${tags.capturedAt}`);
    args.push(`-EXIF:DateTimeOriginal=${m[1]}:${m[2]}:${m[3]} ${m[4]}`);
    if (m[5]) args.push(`-EXIF:OffsetTimeOriginal=${m[5] === "Z" ? "+00:00" : m[5]}`);
  }
  if (tags.gps) {
    const { lat, lon, altitude } = tags.gps;
    args.push(`-GPSLatitude=${Math.abs(lat)}`, `-GPSLatitudeRef=${lat < 0 ? "S" : "N"}`);
    args.push(`-GPSLongitude=${Math.abs(lon)}`, `-GPSLongitudeRef=${lon < 0 ? "W" : "E"}`);
    if (altitude !== null) args.push(`-GPSAltitude=${Math.abs(altitude)}`, `-GPSAltitudeRef#=${altitude < 0 ? 1 : 0}`);
  }
  if (tags.make) args.push(`-EXIF:Make=${tags.make}`);
  if (tags.model) args.push(`-EXIF:Model=${tags.model}`);
  if (tags.software) args.push(`-EXIF:Software=${tags.software}`);
  if (has.xmp) {
    if (tags.software) args.push(`-XMP-xmp:CreatorTool=${tags.software}`);
    args.push("-XMP-dc:Title=Sightline test corpus", "-XMP-dc:Creator=A. Analyst");
  }
  if (has.iptc) {
    args.push("-IPTC:CodedCharacterSet=UTF8", "-IPTC:Caption-Abstract=Generated test picture");
    args.push("-IPTC:City=Kidal", "-IPTC:Country-PrimaryLocationName=Mali", "-IPTC:Keywords=sightline");
  }
  return args;
}

// ---------------------------------------------------------------------------------------------
// JPEG, one or a thousand

/** A JPEG of `width`×`height`; with `exif`, carrying `JPEG_TAGS` in EXIF, GPS, XMP and IPTC. */
export async function makeJpeg(file: string, options: JpegOptions): Promise<void> {
  await writePicture(file, "jpeg", options.width, options.height, options.seed ?? 1, options.quality);
  if (options.exif) await exiftool([...tagArgs(JPEG_TAGS, { xmp: true, iptc: true }), file]);
}

/**
 * `count` JPEGs named `photo-0001.jpg`… in `dir`, each a different picture (seed = index + `seed`).
 * With `exif`, the tags are written once into a template and copied into all files by a single
 * exiftool process (one process per file would take minutes for a thousand).
 */
export async function makeJpegFolder(dir: string, count: number, options: JpegOptions): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = Array.from({ length: count }, (_, i) => path.join(dir, `photo-${String(i + 1).padStart(4, "0")}.jpg`));
  const lanes = Math.max(1, Math.min(4, os.availableParallelism()));
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let i = next++; i < count; i = next++) {
        await makeJpeg(files[i]!, { ...options, exif: false, seed: (options.seed ?? 1) + i });
      }
    }),
  );
  if (options.exif && count > 0) {
    const work = await mkdtemp(path.join(os.tmpdir(), "sightline-jpeg-template-"));
    try {
      const template = path.join(work, "template.jpg");
      await makeJpeg(template, { width: 16, height: 16, exif: true });
      const argFile = path.join(work, "files.txt");
      await writeFile(argFile, files.join("\n") + "\n");
      await exiftool(["-tagsFromFile", template, "-all:all", "-@", argFile]);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// Video

const SCENE_SOURCES = ["testsrc2", "smptebars", "rgbtestsrc", "mandelbrot", "yuvtestsrc", "pal100bars"];

/** An MP4 or MOV (by `file`'s extension) made by ffmpeg from test patterns; bit-exact, so the same options give the same bytes. */
export async function makeVideo(file: string, options: VideoOptions): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const { durationS, width = 320, height = 240, fps = 25, scenes = 1 } = options;
  const args = ["-v", "error", "-y"];
  for (let i = 0; i < scenes; i++) {
    const source = SCENE_SOURCES[i % SCENE_SOURCES.length];
    // `-t` rather than a `duration=` option: not every source has one (mandelbrot has not).
    args.push("-f", "lavfi", "-t", String(durationS / scenes), "-i", `${source}=size=${width}x${height}:rate=${fps}`);
  }
  if (options.audio) args.push("-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${durationS}`);
  // Each scene gets its own hue as well as its own pattern, so a scene detector sees every cut.
  const chains = Array.from({ length: scenes }, (_, i) => `[${i}:v]setsar=1,format=yuv420p,hue=h=${i * 97}[s${i}]`);
  const inputs = chains.map((_, i) => `[s${i}]`).join("");
  args.push("-filter_complex", `${chains.join(";")};${inputs}concat=n=${scenes}:v=1:a=0[v]`, "-map", "[v]");
  if (options.audio) args.push("-map", `${scenes}:a`, "-c:a", "aac", "-b:a", "64k");
  if (options.codec === "mpeg4") args.push("-c:v", "mpeg4", "-q:v", "5");
  else args.push("-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p");
  if (options.gopFrames !== undefined) {
    const g = String(options.gopFrames);
    args.push("-g", g, "-keyint_min", g, "-sc_threshold", options.codec === "mpeg4" ? "1000000000" : "0");
  }
  args.push("-fflags", "+bitexact", "-flags", "+bitexact", "-map_metadata", "-1");
  if (options.creationTime) args.push("-metadata", `creation_time=${options.creationTime}`);
  if (options.appleKeys) {
    const k = options.appleKeys;
    args.push("-movflags", "use_metadata_tags");
    args.push("-metadata", `com.apple.quicktime.make=${k.make}`, "-metadata", `com.apple.quicktime.model=${k.model}`);
    args.push("-metadata", `com.apple.quicktime.creationdate=${k.creationdate}`);
    args.push("-metadata", `com.apple.quicktime.location.ISO6709=${k.location}`);
    if (k.software) args.push("-metadata", `com.apple.quicktime.software=${k.software}`);
  }
  if (options.location) args.push("-metadata", `location=${options.location}`);
  await run("ffmpeg", [...args, file]);
}
