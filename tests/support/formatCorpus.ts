/**
 * One real file per format with the metadata each must read as (checked against `exiftool -j -n`
 * when written, and by tests/integration/inspect.test.ts on every run), and files whose metadata
 * sits where exifr's first read does not reach. Made with the drawing, tagging and video tools of
 * mediaCorpus.ts.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  JPEG_TAGS,
  exiftool,
  makeVideo,
  run,
  tagArgs,
  writePicture,
  type CorpusFile,
  type CorpusFormat,
  type ExpectedMetadata,
} from "./mediaCorpus.js";

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
