/**
 * What the file says that the first reader missed, on files written by this machine's exiftool and
 * checked against exiftool's own reading (`exiftool -j -n -G`):
 *
 * - a PNG whose EXIF DateTimeOriginal sits after a large XMP chunk (past exifr's first read);
 * - GPS written only in XMP (`exif:GPSLatitude` = `16,30.0N`), read as a fallback and said so;
 * - IPTC inside a TIFF, which exifr's IPTC reader cannot parse;
 * - a picture with XMP but no EXIF is not "no metadata at all".
 *
 * Plus what a damaged picture and a video's keyframes say, in words: sharp's note on its own
 * setting never reaches the warning, and only a video too long between keyframes is a warning.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import { promisify } from "node:util";
import sharp from "sharp";
import { extractKeyframes, KEYFRAME_GAP_LIMIT_S, longestKeyframeGap } from "../../electron/services/media/keyframes.js";
import { imageDamageWords } from "../../electron/services/media/imageDamage.js";
import { locateTool, type MediaTools } from "../../electron/services/media/mediaTools.js";
import { pngTimeToIso } from "../../shared/media/captureTime.js";
import type { InspectResult } from "../../shared/media/metadata.js";
import { gpsFromXmp, xmpCoordinate } from "../../shared/media/xmpGps.js";
import { runCliJson } from "../support/cli.js";
import { tempDir } from "../support/fixtures.js";

const run = promisify(execFile);
const root = await tempDir("sightline-gaps-");
const home = path.join(root, "home");

/** A `width`×`height` picture of noise (so it does not compress to nothing), in `format`. */
async function picture(file: string, format: "png" | "jpeg" | "tiff", width = 800, height = 600): Promise<string> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919 + (i >> 9) * 31) % 251;
  await sharp(pixels, { raw: { width, height, channels: 3 } })
    .toFormat(format)
    .toFile(file);
  return file;
}

const exiftool = (args: string[]) => run("exiftool", ["-q", "-q", "-overwrite_original", ...args]);

async function inspect(file: string): Promise<InspectResult> {
  const { code, json, stderr } = await runCliJson<InspectResult>(["inspect", file], home);
  assert.equal(code, 0, stderr);
  return json;
}

async function exiftoolReading(file: string): Promise<Record<string, unknown>> {
  const { stdout } = await run("exiftool", ["-j", "-n", "-G", file]);
  return (JSON.parse(stdout) as Record<string, unknown>[])[0]!;
}

const files: Record<string, string> = {};

before(async () => {
  const f = (name: string) => path.join(root, name);
  // A PNG whose eXIf chunk follows a 200 kB XMP packet: exifr's first read stops short of it.
  files.pngLate = await picture(f("late-exif.png"), "png");
  await writeFile(f("long.txt"), "Field notes. ".repeat(16_000));
  await exiftool([`-XMP-dc:Description<=${f("long.txt")}`, files.pngLate]);
  await exiftool(["-EXIF:DateTimeOriginal=2026:02:16 09:12:44", "-EXIF:OffsetTimeOriginal=+01:00", files.pngLate]);
  // The plain case: a PNG with only EXIF DateTimeOriginal, no zone.
  files.png = await picture(f("plain.png"), "png", 320, 240);
  await exiftool(["-EXIF:DateTimeOriginal=2026:02:16 09:12:44", files.png]);
  // GPS only in XMP, in the XMP GPSCoordinate form, with an altitude below sea level.
  files.jpegXmpGps = await picture(f("xmp-gps.jpg"), "jpeg");
  await exiftool([
    "-XMP-exif:GPSLatitude=16,30.0N",
    "-XMP-exif:GPSLongitude=1,12.5W",
    "-XMP-exif:GPSAltitude=12.5",
    "-XMP-exif:GPSAltitudeRef#=1",
    files.jpegXmpGps,
  ]);
  files.pngXmpGps = await picture(f("xmp-gps.png"), "png", 320, 240);
  await exiftool(["-XMP-exif:GPSLatitude=33,51,54.5S", "-XMP-exif:GPSLongitude=151,12,34.2E", files.pngXmpGps]);
  // EXIF GPS and a different XMP GPS: EXIF wins, and says so.
  files.both = await picture(f("both.jpg"), "jpeg", 320, 240);
  await exiftool([
    "-EXIF:GPSLatitude=15.6453",
    "-EXIF:GPSLatitudeRef=N",
    "-EXIF:GPSLongitude=5.7431",
    "-EXIF:GPSLongitudeRef=W",
    "-XMP-exif:GPSLatitude=16,30.0N",
    "-XMP-exif:GPSLongitude=1,12.5W",
    files.both,
  ]);
  // IPTC in a TIFF, with a markup caption that must stay text.
  files.tiffIptc = await picture(f("iptc.tif"), "tiff", 320, 240);
  await exiftool([
    "-IPTC:CodedCharacterSet=UTF8",
    "-IPTC:City=Kidal",
    "-IPTC:Caption-Abstract=<b>Convoy</b> near the market",
    "-IPTC:DateCreated=2026:02:16",
    "-IPTC:TimeCreated=09:12:44+01:00",
    files.tiffIptc,
  ]);
  // XMP in WebP and AVIF (exifr reads neither's XMP): a capture time, GPS and an editor.
  for (const format of ["webp", "avif"] as const) {
    const file = f(`xmp.${format}`);
    await sharp({ create: { width: 96, height: 64, channels: 3, background: { r: 20, g: 80, b: 60 } } })
      .toFormat(format)
      .toFile(file);
    await exiftool([
      "-XMP-exif:DateTimeOriginal=2026:02:16 09:12:44+01:00",
      "-XMP-exif:GPSLatitude=16,30.0N",
      "-XMP-exif:GPSLongitude=1,12.5W",
      "-XMP-xmp:CreatorTool=Adobe Photoshop 25.0",
      file,
    ]);
    files[format] = file;
  }
  // The same in WebP, AVIF and HEIF with over 64 KB of XMP (more than one JPEG segment holds).
  const heifSource = await picture(f("large-xmp-source.png"), "png", 160, 120);
  for (const format of ["webp", "avif", "heic"] as const) {
    const file = f(`large-xmp.${format}`);
    if (format === "webp") await sharp(heifSource).webp().toFile(file);
    else await run("heif-enc", [...(format === "avif" ? ["-A"] : []), "-q", "50", "-o", file, heifSource]);
    await exiftool([
      `-XMP-dc:Description<=${f("long.txt")}`,
      "-XMP-exif:DateTimeOriginal=2026:02:16 09:12:44+01:00",
      "-XMP-exif:GPSLatitude=16,30.0N",
      "-XMP-exif:GPSLongitude=1,12.5W",
      file,
    ]);
    files[`large-${format}`] = file;
  }
  // A HEIC that heif-enc made from a PNG carrying EXIF: exifr calls its Exif item malformed.
  const source = await picture(f("heic-source.png"), "png", 320, 240);
  await exiftool(["-EXIF:DateTimeOriginal=2026:02:16 09:12:44", "-EXIF:OffsetTimeOriginal=+01:00", source]);
  files.heic = f("from-png.heic");
  await run("heif-enc", ["-q", "60", "-o", files.heic, source]);
  // A PNG whose only metadata is its `Creation Time` text chunk.
  files.pngText = await picture(f("creation-time.png"), "png", 160, 120);
  await exiftool(["-PNG:CreationTime=2026:02:16 09:12:44", files.pngText]);
  // XMP alone (no EXIF, no IPTC).
  files.xmpOnly = await picture(f("xmp-only.jpg"), "jpeg", 320, 240);
  await exiftool(["-XMP-dc:Title=Market, morning", files.xmpOnly]);
});

describe("metadata that exifr's first read misses, against exiftool", () => {
  test("a PNG's EXIF DateTimeOriginal is read, after a large XMP chunk too, as exiftool reads it", async () => {
    for (const [file, expected, source] of [
      [files.pngLate!, "2026-02-16T09:12:44+01:00", "EXIF:DateTimeOriginal+OffsetTimeOriginal"],
      [files.png!, "2026-02-16T09:12:44", "EXIF:DateTimeOriginal"],
    ] as const) {
      const tool = await exiftoolReading(file);
      assert.equal(tool["EXIF:DateTimeOriginal"], "2026:02:16 09:12:44", "exiftool reads what was written");
      const r = await inspect(file);
      assert.equal(r.metadata.capturedAt, expected, path.basename(file));
      assert.equal(r.metadata.capturedAtSource, source);
      assert.ok(!r.warnings.some((w) => w.code === "no-metadata"), JSON.stringify(r.warnings));
    }
  });

  test("GPS written only in XMP is read as a fallback, with its source named, and agrees with exiftool", async () => {
    for (const file of [files.jpegXmpGps!, files.pngXmpGps!]) {
      const tool = await exiftoolReading(file);
      const r = await inspect(file);
      assert.ok(r.metadata.gps, `${path.basename(file)}: no GPS read`);
      assert.ok(Math.abs(r.metadata.gps.lat - Number(tool["XMP:GPSLatitude"])) < 1e-6, "latitude");
      assert.ok(Math.abs(r.metadata.gps.lon - Number(tool["XMP:GPSLongitude"])) < 1e-6, "longitude");
      assert.equal(r.metadata.gpsSource, "XMP:exif:GPSLatitude/GPSLongitude");
    }
    const jpegTool = await exiftoolReading(files.jpegXmpGps!);
    assert.equal(jpegTool["Composite:GPSAltitude"], -12.5, "exiftool reads the altitude as below sea level");
    const jpeg = await inspect(files.jpegXmpGps!);
    assert.deepEqual(jpeg.metadata.gps, { lat: 16.5, lon: -(1 + 12.5 / 60), altitude: -12.5 });
    const png = await inspect(files.pngXmpGps!);
    assert.ok(png.metadata.gps!.lat < 0 && png.metadata.gps!.lon > 0, "south and east keep their signs");
  });

  test("EXIF GPS is preferred to XMP GPS when both are present, and the source says EXIF", async () => {
    const r = await inspect(files.both!);
    assert.ok(Math.abs(r.metadata.gps!.lat - 15.6453) < 1e-6 && Math.abs(r.metadata.gps!.lon + 5.7431) < 1e-6);
    assert.equal(r.metadata.gpsSource, "EXIF:GPSLatitude/GPSLongitude");
  });

  test("IPTC inside a TIFF is read (exifr alone cannot), its time used, its markup kept as text", async () => {
    const tool = await exiftoolReading(files.tiffIptc!);
    assert.equal(tool["IPTC:City"], "Kidal");
    const r = await inspect(files.tiffIptc!);
    const iptc = r.metadata.raw.iptc as Record<string, unknown>;
    assert.equal(iptc.City, tool["IPTC:City"]);
    assert.equal(iptc.Caption, "<b>Convoy</b> near the market");
    assert.equal(r.metadata.capturedAt, "2026-02-16T09:12:44+01:00");
    assert.equal(r.metadata.capturedAtSource, "IPTC:DateCreated+TimeCreated");
    assert.ok(!r.warnings.some((w) => w.code === "metadata-unreadable"), JSON.stringify(r.warnings));
  });

  test("XMP in WebP and AVIF is read: capture time, GPS and editing software, as exiftool reads them", async () => {
    for (const file of [files.webp!, files.avif!]) {
      const tool = await exiftoolReading(file);
      assert.equal(tool["XMP:DateTimeOriginal"], "2026:02:16 09:12:44+01:00");
      const r = await inspect(file);
      const name = path.basename(file);
      assert.equal(r.metadata.capturedAt, "2026-02-16T09:12:44+01:00", name);
      assert.equal(r.metadata.capturedAtSource, "XMP:exif:DateTimeOriginal", name);
      assert.ok(Math.abs(r.metadata.gps!.lat - Number(tool["XMP:GPSLatitude"])) < 1e-6, name);
      assert.equal(r.metadata.gpsSource, "XMP:exif:GPSLatitude/GPSLongitude", name);
      assert.equal(r.metadata.software, tool["XMP:CreatorTool"], name);
      assert.deepEqual(
        r.warnings.map((w) => w.code),
        ["editing-software"],
        name,
      );
    }
  });

  test("XMP over 64 KB in WebP, AVIF and HEIF is read, not kept raw: capture time and GPS as exiftool reads them", async () => {
    for (const format of ["webp", "avif", "heic"]) {
      const file = files[`large-${format}`]!;
      const tool = await exiftoolReading(file);
      assert.equal(tool["XMP:DateTimeOriginal"], "2026:02:16 09:12:44+01:00", "exiftool reads what was written");
      assert.ok(String(tool["XMP:Description"]).length > 64 * 1024, "the packet is larger than a JPEG segment");
      const r = await inspect(file);
      assert.equal(r.metadata.capturedAt, "2026-02-16T09:12:44+01:00", format);
      assert.equal(r.metadata.capturedAtSource, "XMP:exif:DateTimeOriginal", format);
      assert.ok(Math.abs(r.metadata.gps!.lat - Number(tool["XMP:GPSLatitude"])) < 1e-6, format);
      assert.ok(Math.abs(r.metadata.gps!.lon - Number(tool["XMP:GPSLongitude"])) < 1e-6, format);
      assert.equal(r.metadata.gpsSource, "XMP:exif:GPSLatitude/GPSLongitude", format);
    }
  });

  test("a HEIC whose Exif item exifr calls malformed is read through sharp, without a false warning", async () => {
    const tool = await exiftoolReading(files.heic!);
    assert.equal(tool["EXIF:DateTimeOriginal"], "2026:02:16 09:12:44");
    const r = await inspect(files.heic!);
    assert.equal(r.metadata.capturedAt, "2026-02-16T09:12:44+01:00");
    assert.deepEqual(r.warnings, []);
  });

  test("a PNG's Creation Time text is its capture time when nothing else gives one, and is metadata", async () => {
    const tool = await exiftoolReading(files.pngText!);
    assert.equal(tool["PNG:CreationTime"], "2026:02:16 09:12:44");
    const r = await inspect(files.pngText!);
    assert.equal(r.metadata.capturedAt, "2026-02-16T09:12:44");
    assert.equal(r.metadata.capturedAtSource, "PNG:CreationTime");
    assert.deepEqual(r.warnings, []);
    // The PNG specification recommends RFC 1123 for it.
    assert.equal(pngTimeToIso("Mon, 16 Feb 2026 09:12:44 GMT"), "2026-02-16T09:12:44Z");
    assert.equal(pngTimeToIso("16 Feb 2026 09:12 +0100"), "2026-02-16T09:12:00+01:00");
    for (const bad of ["Mon, 31 Feb 2026 09:12:44 GMT", "16 Foo 2026 09:12:44", "<b>today</b>", ""]) {
      assert.equal(pngTimeToIso(bad), null, bad);
    }
  });

  test("a picture with XMP and nothing else is not said to have no metadata", async () => {
    const r = await inspect(files.xmpOnly!);
    assert.ok(!r.warnings.some((w) => w.code === "no-metadata"), JSON.stringify(r.warnings));
  });
});

describe("XMP GPS text is hostile until read", () => {
  test("the two XMP forms are read; anything else is refused, not guessed", () => {
    assert.equal(xmpCoordinate("16,30.0N", "lat"), 16.5);
    assert.equal(xmpCoordinate("16,30,36S", "lat"), -(16 + 30 / 60 + 36 / 3600));
    assert.equal(xmpCoordinate("1,12.5W", "lon"), -(1 + 12.5 / 60));
    for (const bad of [
      "",
      "16,30.0",
      "16,75.0N",
      "91,0.0N",
      "16,30.0E",
      "<script>N",
      "16.5,30N",
      "1e3,0N",
      "16,30.0N\u202e",
    ]) {
      assert.equal(xmpCoordinate(bad, "lat"), null, JSON.stringify(bad));
    }
    assert.equal(xmpCoordinate("181,0.0E", "lon"), null);
    assert.equal(gpsFromXmp({ GPSLatitude: "16,30.0N" }), null, "a latitude alone is not a place");
    assert.deepEqual(gpsFromXmp({ GPSLatitude: "0,0.0N", GPSLongitude: "0,0.0E", GPSAltitude: "7/0" }), {
      lat: 0,
      lon: 0,
      altitude: null,
    });
  });
});

describe("a damaged picture, in words", () => {
  test("sharp's note on its failOn setting is never shown; the damage is said in words, the decoder's words second", () => {
    const words = imageDamageWords("Warning treated as error due to failOn setting");
    assert.doesNotMatch(words, /failOn|treated as error/i);
    assert.match(words, /fault in the picture's data/);
    assert.match(
      imageDamageWords("VipsJpeg: premature end of JPEG image (Warning treated as error due to failOn setting)"),
      /^the file ends before the picture does.*premature end of JPEG image"\)$/,
    );
    assert.match(
      imageDamageWords("VipsJpeg: Corrupt JPEG data: premature end of data segment"),
      /^part of the picture's data is corrupt/,
    );
  });

  test("a truncated PNG's warning says the picture is damaged, without sharp's setting", async () => {
    const whole = await sharp(await picture(path.join(root, "whole.png"), "png", 400, 300))
      .png()
      .toBuffer();
    const cut = path.join(root, "cut.png");
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const r = await inspect(cut);
    const damage = r.warnings.find((w) => w.code === "image-undecodable");
    assert.ok(damage, JSON.stringify(r.warnings));
    assert.match(damage.message, /^The picture (is damaged|could not be decoded): /);
    assert.doesNotMatch(damage.message, /failOn|treated as error|^Input file/);
  });
});

describe("keyframes: a warning only when too few for the length", () => {
  test("the longest stretch counts the start, the gaps and the end", () => {
    assert.equal(longestKeyframeGap([0], 8), 8);
    assert.equal(longestKeyframeGap([], 5), 5);
    assert.equal(longestKeyframeGap([0, 2, 14, 16], 18), 12);
    assert.equal(longestKeyframeGap([3, 4], 5), 3);
  });

  test("an 8 s clip with one keyframe is ordinary; a 24 s one is a warning; a 30 s one with a keyframe every 2 s is not", async () => {
    const ffmpeg = locateTool("ffmpeg");
    assert.ok(ffmpeg, "ffmpeg is installed");
    const tools: MediaTools = { ffmpeg, ffprobe: null, heifConvert: null };
    const make = async (name: string, seconds: number, gop: number) => {
      const file = path.join(root, name);
      await run(ffmpeg.path, [
        "-v",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x240:rate=25",
        "-t",
        String(seconds),
        "-c:v",
        "libx264",
        "-g",
        String(gop),
        "-keyint_min",
        String(gop),
        "-sc_threshold",
        "0",
        "-pix_fmt",
        "yuv420p",
        file,
      ]);
      return file;
    };
    const cases = [
      { file: await make("short.mp4", 8, 100_000), seconds: 8, warns: false },
      { file: await make("sparse.mp4", 24, 100_000), seconds: 24, warns: true },
      { file: await make("regular.mp4", 30, 50), seconds: 30, warns: false },
    ];
    for (const c of cases) {
      const out = await tempDir("sightline-kf-");
      const r = await extractKeyframes(c.file, out, c.seconds, tools);
      const warning = r.warnings.find((w) => w.code === "no-keyframes");
      assert.equal(!!warning, c.warns, `${path.basename(c.file)}: ${JSON.stringify(r.warnings)}`);
      assert.ok(r.frames.length >= 4, `${path.basename(c.file)}: ${r.frames.length} frames to search with`);
      if (warning)
        assert.match(
          warning.message,
          new RegExp(`runs 24\\.0 s without a keyframe.*every ${KEYFRAME_GAP_LIMIT_S - 1} s`),
        );
    }
  });
});
