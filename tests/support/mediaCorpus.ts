/**
 * Real media files with known metadata, made on the spot for tests and benchmarks: pictures drawn
 * with sharp, tags written by exiftool, HEIC encoded by heif-enc, video by ffmpeg. Nothing is
 * downloaded. Every `expected` value here was checked against `exiftool -j -n` when it was written,
 * and `tests/integration/inspect.test.ts` checks it again on every run.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";

const run = promisify(execFile);

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

export interface HostileFile {
  /** Short stable id, e.g. `zero-byte`. */
  name: string;
  file: string;
  /** What the file does to a reader, in one sentence. */
  why: string;
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

async function writePicture(
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

async function exiftool(args: string[]): Promise<void> {
  await run("exiftool", ["-overwrite_original", "-q", "-q", ...args], { maxBuffer: 16 * 1024 * 1024 });
}

/** exiftool arguments for `tags`; XMP gets CreatorTool (same as Software) and a title, IPTC a caption and place. */
function tagArgs(tags: Omit<ExpectedMetadata, "width" | "height">, has: { xmp: boolean; iptc: boolean }): string[] {
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

// ---------------------------------------------------------------------------------------------
// What exifr's first read misses and exiftool finds

/**
 * Files whose metadata sits where exifr's first read does not reach, each with what exiftool reads:
 * a PNG whose eXIf chunk follows a 300 kB XMP packet (the file is then read from disk, not whole,
 * and the chunk lies past the first read), and a JPEG whose GPS is written only in XMP, in the XMP
 * GPSCoordinate form (`16,30.0N`), with an altitude below sea level.
 */
export async function makeGapCorpus(dir: string): Promise<CorpusFile[]> {
  await mkdir(dir, { recursive: true });
  const png = path.join(dir, "late-exif.png");
  const jpeg = path.join(dir, "xmp-gps.jpg");
  const note = path.join(dir, ".long-note.txt");
  await Promise.all([writePicture(png, "png", 480, 360, 31), writePicture(jpeg, "jpeg", 480, 360, 32)]);
  await writeFile(note, "Field notes from the crossing. ".repeat(10_000));
  await exiftool([`-XMP-dc:Description<=${note}`, png]);
  await rm(note);
  await exiftool([
    "-EXIF:DateTimeOriginal=2026:02:16 09:12:44",
    "-EXIF:OffsetTimeOriginal=+01:00",
    "-EXIF:Make=Google",
    "-EXIF:Model=Pixel 8",
    png,
  ]);
  await exiftool([
    "-EXIF:DateTimeOriginal=2026:02:16 07:30:00",
    "-XMP-exif:GPSLatitude=16,30.0N",
    "-XMP-exif:GPSLongitude=1,12.5W",
    "-XMP-exif:GPSAltitude=12.5",
    "-XMP-exif:GPSAltitudeRef#=1",
    jpeg,
  ]);
  const none = { make: null, model: null, software: null };
  return [
    {
      file: png,
      format: "png",
      mime: "image/png",
      expected: {
        ...none,
        capturedAt: "2026-02-16T09:12:44+01:00",
        gps: null,
        make: "Google",
        model: "Pixel 8",
        width: 480,
        height: 360,
      },
    },
    {
      file: jpeg,
      format: "jpeg",
      mime: "image/jpeg",
      expected: {
        ...none,
        capturedAt: "2026-02-16T07:30:00",
        gps: { lat: 16.5, lon: -(1 + 12.5 / 60), altitude: -12.5 },
        width: 480,
        height: 360,
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// One file per format

interface CorpusEntry {
  name: string;
  format: Exclude<CorpusFormat, "mp4" | "mov">;
  mime: string;
  seed: number;
  expected: ExpectedMetadata;
}

/** Offsets from -05:00 to +05:30 (and +00:00), every quadrant of the globe, one altitude below sea level. */
const IMAGE_CORPUS: CorpusEntry[] = [
  {
    name: "kidal.jpg",
    format: "jpeg",
    mime: "image/jpeg",
    seed: 11,
    expected: { ...JPEG_TAGS, width: 640, height: 480 },
  },
  {
    name: "mbera.png",
    format: "png",
    mime: "image/png",
    seed: 12,
    expected: {
      capturedAt: "2026-02-14T17:40:03+00:00",
      gps: { lat: 15.6453, lon: -5.7431, altitude: null },
      make: "Google",
      model: "Pixel 8",
      software: "HDR+ 1.0.540104767zd",
      width: 480,
      height: 640,
    },
  },
  {
    name: "sao-paulo.tiff",
    format: "tiff",
    mime: "image/tiff",
    seed: 13,
    expected: {
      capturedAt: "2026-01-30T06:05:59-03:00",
      gps: { lat: -23.5505, lon: -46.6333, altitude: 760 },
      make: "NIKON CORPORATION",
      model: "NIKON Z 6",
      software: "Ver.03.00",
      width: 600,
      height: 400,
    },
  },
  {
    name: "delhi.webp",
    format: "webp",
    mime: "image/webp",
    seed: 14,
    expected: {
      capturedAt: "2025-12-31T23:59:30+05:30",
      gps: { lat: 28.6139, lon: 77.209, altitude: 216.5 },
      make: "samsung",
      model: "SM-S918B",
      software: "S918BXXU3BWK5",
      width: 512,
      height: 384,
    },
  },
  {
    name: "dead-sea.avif",
    format: "avif",
    mime: "image/avif",
    seed: 15,
    expected: {
      capturedAt: "2026-02-01T12:00:00+02:00",
      gps: { lat: 31.559, lon: 35.4732, altitude: -430 },
      make: "Xiaomi",
      model: "23049PCD8G",
      software: "MIUI 14.0.6",
      width: 400,
      height: 300,
    },
  },
  {
    name: "new-york.heic",
    format: "heic",
    mime: "image/heic",
    seed: 16,
    expected: {
      capturedAt: "2026-02-10T22:15:01-05:00",
      gps: { lat: 40.7128, lon: -74.006, altitude: 10 },
      make: "Apple",
      model: "iPhone 15 Pro",
      software: "17.2.1",
      width: 640,
      height: 360,
    },
  },
];

/**
 * The MP4's location is stored by ffmpeg as 16.16 fixed point (`loci`), so it is chosen exactly
 * representable (multiples of 1/16 with four decimals): readers then agree to 1e-6, not 1.5e-5.
 */
const MP4_EXPECTED: ExpectedMetadata = {
  capturedAt: "2026-02-16T08:12:44Z",
  gps: { lat: -23.5625, lon: -46.625, altitude: 760 },
  make: null,
  model: null,
  software: null,
  width: 320,
  height: 240,
};

/** The MOV holds both the UTC `creation_time` and Apple's zoned `creationdate`: the zoned one is the answer. */
const MOV_EXPECTED: ExpectedMetadata = {
  capturedAt: "2026-02-16T20:12:44+11:00",
  gps: { lat: -33.8688, lon: 151.2093, altitude: 12 },
  make: "Apple",
  model: "iPhone 15 Pro",
  software: "17.2.1",
  width: 320,
  height: 240,
};

/** Six pictures (JPEG, PNG, TIFF, WebP, AVIF, HEIC), an MP4 and an Apple-tagged MOV, in `dir`. */
export async function makeImageCorpus(dir: string): Promise<CorpusFile[]> {
  await mkdir(dir, { recursive: true });
  const pictures = IMAGE_CORPUS.map(async (entry): Promise<CorpusFile> => {
    const file = path.join(dir, entry.name);
    const { width, height } = entry.expected;
    if (entry.format === "heic") {
      const png = path.join(dir, `.${entry.name}.png`);
      await writePicture(png, "png", width, height, entry.seed);
      await run("heif-enc", ["-q", "80", "-o", file, png]);
      await rm(png);
    } else {
      await writePicture(file, entry.format, width, height, entry.seed);
    }
    // IPTC only where the format defines it (PNG has no standard place; WebP and HEIF none).
    const has = { xmp: true, iptc: entry.format === "jpeg" || entry.format === "tiff" };
    await exiftool([...tagArgs(entry.expected, has), file]);
    return { file, format: entry.format, mime: entry.mime, expected: entry.expected };
  });
  const mp4 = path.join(dir, "convoy.mp4");
  const mov = path.join(dir, "sydney.mov");
  const videos = [
    makeVideo(mp4, { durationS: 2, creationTime: "2026-02-16T08:12:44Z", location: "-23.5625-046.6250+760.000/" }),
    makeVideo(mov, {
      durationS: 2,
      audio: true,
      creationTime: "2026-02-16T09:12:44Z",
      appleKeys: {
        make: "Apple",
        model: "iPhone 15 Pro",
        software: "17.2.1",
        creationdate: "2026-02-16T20:12:44+1100",
        location: "-33.8688+151.2093+012.000/",
      },
    }),
  ];
  const files = await Promise.all(pictures);
  await Promise.all(videos);
  return [
    ...files,
    { file: mp4, format: "mp4", mime: "video/mp4", expected: MP4_EXPECTED },
    { file: mov, format: "mov", mime: "video/quicktime", expected: MOV_EXPECTED },
  ];
}

// ---------------------------------------------------------------------------------------------
// Hostile files

/**
 * Strings a viewer must show inert: markup, terminal escapes, a bell and right-to-left overrides.
 * The XMP ones hold markup and a bidi override only: XML 1.0 cannot carry C0 controls (exiftool
 * writes them as "."), and the EXIF ones stay alone as the file's Make/Model/Software.
 */
export const HOSTILE_STRINGS = {
  make: "<img src=x onerror=alert(1)>",
  model: "<script>alert(1)</script>\u0007",
  software: "\u001b[31mRED\u001b[0m \u202eexe.gpj",
  description: "caption \u202egpj.exe <b>bold</b>",
  xmpTitle: '<script>alert("xmp")</script>\u202e',
  /** Markup alone, which XML stores as `&lt;…&gt;`: a reader must decode it to see it. */
  xmpMarkup: "<script>alert(document.domain)</script>",
  /** Every character XML escapes, in the field `software` falls back to when EXIF has none. */
  creatorTool: `Tom & Jerry's "Editor" <2.0>`,
} as const;

/** The name of the hostile file whose name is the attack (a JPEG whose real extension is `.exe`). */
export const HOSTILE_NAME = "<img src=x onerror=alert(1)>\u202egpj.exe";

/** Index of the first byte of the JPEG segment `marker` whose payload starts with `signature`. */
function jpegSegment(bytes: Buffer, marker: number, signature = ""): { start: number; length: number } {
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const length = bytes.readUInt16BE(at + 2);
    const payload = bytes.subarray(at + 4, at + 4 + signature.length).toString("latin1");
    if (bytes[at + 1] === marker && payload === signature) return { start: at, length: length + 2 };
    if (bytes[at + 1] === 0xda) break;
    at += 2 + length;
  }
  throw new Error(`JPEG segment 0x${marker.toString(16)} "${signature}" not found`);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** `png` with an uncompressed iTXt `XML:com.adobe.xmp` chunk holding `xmp`, placed right after IHDR. */
function withPngXmp(png: Buffer, xmp: string): Buffer {
  const data = Buffer.concat([Buffer.from("XML:com.adobe.xmp\0\0\0\0\0", "latin1"), Buffer.from(xmp, "utf8")]);
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write("iTXt", 4, "latin1");
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  const afterIhdr = 8 + 12 + png.readUInt32BE(8);
  return Buffer.concat([png.subarray(0, afterIhdr), chunk, png.subarray(afterIhdr)]);
}

/** An XMP packet of about `bytes` bytes: a 20,000-item keyword bag and a description that fills the rest. */
function hugeXmp(bytes: number): string {
  const subjects = Array.from({ length: 20_000 }, (_, i) => `<rdf:li>keyword-${i}</rdf:li>`).join("");
  const filler = "smoke over the road north of the market ";
  const description = filler.repeat(Math.max(0, Math.ceil((bytes - subjects.length) / filler.length)));
  return (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">' +
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""' +
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">' +
    "<xmp:CreatorTool>Sightline hostile corpus</xmp:CreatorTool>" +
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${description}</rdf:li></rdf:Alt></dc:description>` +
    `<dc:subject><rdf:Bag>${subjects}</rdf:Bag></dc:subject>` +
    '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
  );
}

function xorRange(bytes: Buffer, start: number, length: number): Buffer {
  const out = Buffer.from(bytes);
  for (let i = start; i < start + length; i++) out[i] = out[i]! ^ 0xff;
  return out;
}

function withBytes(bytes: Buffer, start: number, replacement: Buffer): Buffer {
  const out = Buffer.from(bytes);
  replacement.copy(out, start);
  return out;
}

/**
 * Files that try to break a reader or fool the person reading its output, each with the reason.
 * All are generated; the one made from a name (`name-attack`) falls back to a name without `<>` where
 * the file system refuses them.
 */
export async function makeHostileCorpus(dir: string): Promise<HostileFile[]> {
  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(path.join(os.tmpdir(), "sightline-hostile-"));
  try {
    const base = path.join(work, "base.jpg");
    const other = path.join(work, "other.jpg");
    const png = path.join(work, "picture.png");
    const mp4 = path.join(work, "clip.mp4");
    await Promise.all([
      makeJpeg(base, { width: 320, height: 240, seed: 21, exif: true }),
      makeJpeg(other, { width: 160, height: 120, seed: 99 }),
      writePicture(png, "png", 320, 240, 22),
      makeVideo(mp4, { durationS: 2, creationTime: "2026-02-16T08:12:44Z" }),
    ]);
    const baseBytes = await readFile(base);
    const out: HostileFile[] = [];
    const add = async (name: string, fileName: string, why: string, make: (file: string) => Promise<void>) => {
      const file = path.join(dir, fileName);
      await make(file);
      out.push({ name, file, why });
    };
    const bytes = (data: Buffer | string) => (file: string) => writeFile(file, data);
    const jpegWith = (args: string[]) => async (file: string) => {
      await copyFile(base, file);
      await exiftool([...args, file]);
    };

    const sos = jpegSegment(baseBytes, 0xda);
    const entropyStart = sos.start + sos.length;
    const entropyMiddle = entropyStart + Math.floor((baseBytes.length - 2 - entropyStart) / 2);
    const exif = jpegSegment(baseBytes, 0xe1, "Exif\0\0");
    const mp4Bytes = await readFile(mp4);

    await Promise.all([
      add("zero-byte", "empty.jpg", "zero bytes named .jpg", bytes("")),
      add("truncated-jpeg", "truncated.jpg", "the first half of a JPEG: EXIF intact, scan cut off", (file) =>
        writeFile(file, baseBytes.subarray(0, Math.floor(baseBytes.length / 2))),
      ),
      add(
        "corrupt-entropy",
        "corrupt-entropy.jpg",
        "64 bytes mid-scan flipped to FF 00 pairs: 256 one-bits, for which no JPEG Huffman table has a code",
        (file) => writeFile(file, withBytes(baseBytes, entropyMiddle, Buffer.from("ff00".repeat(32), "hex"))),
      ),
      add("corrupt-exif", "corrupt-exif.jpg", "APP1 EXIF: TIFF header and IFD0 start (16 bytes) inverted", (f) =>
        writeFile(f, xorRange(baseBytes, exif.start + 10, 16)),
      ),
      add("png-as-jpg", "png-named.jpg", "a PNG named .jpg", (file) => copyFile(png, file)),
      add("mp4-as-jpg", "video-named.jpg", "an MP4 named .jpg", (file) => copyFile(mp4, file)),
      add("random-as-mp4", "random.mp4", "64 KB of (seeded) random bytes named .mp4", (file) => {
        const rand = mulberry32(4242);
        return writeFile(file, Buffer.from(Array.from({ length: 65_536 }, () => Math.floor(rand() * 256))));
      }),
      add("text-as-png", "text.png", "plain text named .png", bytes("This is not a picture.\nIt is a note.\n")),
      add("truncated-mp4", "truncated.mp4", "the first 30% of an MP4 whose moov box is at the end", (file) =>
        writeFile(file, mp4Bytes.subarray(0, Math.floor(mp4Bytes.length * 0.3))),
      ),
      add(
        "huge-xmp",
        "huge-xmp.png",
        "a PNG with a ~10 MB XMP packet in one iTXt chunk (a JPEG APP1 segment holds at most 64 KB)",
        async (file) => writeFile(file, withPngXmp(await readFile(png), hugeXmp(10 * 1024 * 1024))),
      ),
      add(
        "markup-metadata",
        "markup-metadata.jpg",
        "markup, terminal escapes, a bell and RLO overrides in Make, Model, Software, ImageDescription and XMP",
        jpegWith([
          "-XMP-xmp:CreatorTool=",
          `-EXIF:Make=${HOSTILE_STRINGS.make}`,
          `-EXIF:Model=${HOSTILE_STRINGS.model}`,
          `-EXIF:Software=${HOSTILE_STRINGS.software}`,
          `-EXIF:ImageDescription=${HOSTILE_STRINGS.description}`,
          `-XMP-dc:Title=${HOSTILE_STRINGS.xmpTitle}`,
          `-XMP-dc:Description=${HOSTILE_STRINGS.description}`,
        ]),
      ),
      add(
        "xmp-markup",
        "xmp-markup.jpg",
        "markup only in XMP dc:title, and & ' \" < > in CreatorTool (no EXIF Software), all stored as XML entities",
        jpegWith([
          "-EXIF:Software=",
          `-XMP-xmp:CreatorTool=${HOSTILE_STRINGS.creatorTool}`,
          `-XMP-dc:Title=${HOSTILE_STRINGS.xmpMarkup}`,
        ]),
      ),
      add(
        "gps-zero",
        "gps-zero.jpg",
        "GPS tags present and exactly 0, 0",
        jpegWith(["-GPSLatitude=0", "-GPSLongitude=0"]),
      ),
      add(
        "photoshop",
        "photoshop.jpg",
        'Software "Adobe Photoshop 25.0 (Windows)"',
        jpegWith(["-XMP-xmp:CreatorTool=", "-EXIF:Software=Adobe Photoshop 25.0 (Windows)"]),
      ),
      add(
        "thumbnail-mismatch",
        "thumbnail-mismatch.jpg",
        "the EXIF thumbnail is a different picture",
        jpegWith([`-ThumbnailImage<=${other}`]),
      ),
    ]);
    // After every exiftool run, which would reset it: modified 2025-06-01, captured 2026-02-16.
    await add(
      "captured-after-modified",
      "future-capture.jpg",
      "DateTimeOriginal 2026-02-16T09:12:44+01:00, modification time 2025-06-01T00:00:00Z",
      async (file) => {
        await copyFile(base, file);
        const mtime = new Date("2025-06-01T00:00:00Z");
        await utimes(file, mtime, mtime);
      },
    );
    // Windows refuses `<>` in names: there the markup becomes `_` and the bidi override stays.
    let named = path.join(dir, HOSTILE_NAME);
    await copyFile(base, named).catch(async () => {
      named = path.join(dir, HOSTILE_NAME.replace(/[<>:"/\\|?*]/g, "_"));
      await copyFile(base, named);
    });
    out.push({
      name: "name-attack",
      file: named,
      why: "markup and an RLO override in the name, which shows as …exe.jpg; a JPEG whose real extension is .exe",
    });
    return out.sort((a, b) => a.name.localeCompare(b.name));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
