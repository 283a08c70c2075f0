/**
 * `sightline inspect <file>` on real files: it agrees with exiftool on every format of the corpus,
 * survives hostile files with the warning an investigator needs, prints file text inert, never
 * writes. Its usage errors are in inspectUsage.test.ts.
 *
 * Everything is generated once, in `before`: both corpora, exiftool's reading, and every CLI run
 * (two at a time), so the tests themselves only compare.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { copyFile, mkdir, readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import { promisify } from "node:util";
import sharp from "sharp";
import { InspectResultSchema, type InspectResult, type WarningCode } from "../../shared/media/metadata.js";
import { RAW_UNSAFE, runCli, type CliResult } from "../support/cli.js";
import { differences, fromExiftool, fromInspect } from "../support/metadataReadings.js";
import { tempDir } from "../support/fixtures.js";
import { makeGapCorpus, makeImageCorpus } from "../support/formatCorpus.js";
import { HOSTILE_NAME, HOSTILE_STRINGS, makeHostileCorpus, type HostileFile } from "../support/hostileCorpus.js";
import { JPEG_TAGS, type CorpusFile, type CorpusFormat } from "../support/mediaCorpus.js";

const run = promisify(execFile);

const FORMATS: CorpusFormat[] = ["jpeg", "png", "tiff", "webp", "avif", "heic", "mp4", "mov"];
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/**
 * What each hostile file must make `inspect` say: every `codes` entry, and nothing outside
 * `codes` + `mayAlso` (so a warning that fires on everything is caught too).
 */
const HOSTILE_EXPECT: Record<
  string,
  { codes: WarningCode[]; mayAlso?: WarningCode[]; mime?: string; kind?: InspectResult["kind"] }
> = {
  "zero-byte": { codes: ["empty-file"], mayAlso: ["unknown-format"], kind: "other" },
  // The scan is cut, the header is whole: the EXIF is still evidence, and the damage must be said.
  "truncated-jpeg": { codes: ["image-undecodable"], mime: "image/jpeg", kind: "image" },
  "corrupt-entropy": { codes: ["image-undecodable"], mime: "image/jpeg", kind: "image" },
  "corrupt-exif": { codes: ["metadata-unreadable"], mime: "image/jpeg", kind: "image" },
  "png-as-jpg": { codes: ["extension-mismatch"], mayAlso: ["no-metadata"], mime: "image/png", kind: "image" },
  "mp4-as-jpg": { codes: ["extension-mismatch"], mime: "video/mp4", kind: "video" },
  "random-as-mp4": {
    codes: ["unknown-format"],
    mayAlso: ["extension-mismatch", "video-unreadable"],
    mime: "application/octet-stream",
    kind: "other",
  },
  "text-as-png": {
    codes: ["unknown-format"],
    mayAlso: ["extension-mismatch", "image-undecodable"],
    mime: "application/octet-stream",
    kind: "other",
  },
  "truncated-mp4": { codes: ["video-unreadable"], mayAlso: ["no-metadata"], mime: "video/mp4", kind: "video" },
  "huge-xmp": { codes: ["metadata-truncated"], mime: "image/png", kind: "image" },
  "markup-metadata": { codes: ["suspicious-text"], mime: "image/jpeg", kind: "image" },
  "xmp-markup": { codes: ["suspicious-text"], mime: "image/jpeg", kind: "image" },
  // The name is not metadata, so suspicious-text is optional; the real extension (.exe) is not the content's.
  "name-attack": { codes: ["extension-mismatch"], mayAlso: ["suspicious-text"], mime: "image/jpeg", kind: "image" },
  "gps-zero": { codes: ["gps-zero"], mime: "image/jpeg", kind: "image" },
  "captured-after-modified": { codes: ["captured-after-modified"], mime: "image/jpeg", kind: "image" },
  photoshop: { codes: ["editing-software"], mime: "image/jpeg", kind: "image" },
  "thumbnail-mismatch": { codes: ["thumbnail-mismatch"], mime: "image/jpeg", kind: "image" },
};

/** The hostile files whose text reaches the terminal in the human output (the others are checked in their JSON). */
const PRINTED = ["markup-metadata", "xmp-markup", "name-attack", "corrupt-exif", "huge-xmp"];

interface Snapshot {
  sha256: string;
  size: number;
  mtimeMs: number;
}

let home: string;
let clean: CorpusFile[];
let gaps: CorpusFile[];
let hostile: HostileFile[];
let thumbnailMatch: string;
let exiftoolRecords: Map<string, Record<string, unknown>>;
let snapshotsBefore: Map<string, Snapshot>;
let listingsBefore: Map<string, string[]>;
const jsonRuns = new Map<string, CliResult>();
const humanRuns = new Map<string, CliResult>();

const sha256Of = async (file: string) =>
  createHash("sha256")
    .update(await readFile(file))
    .digest("hex");

async function snapshot(file: string): Promise<Snapshot> {
  const info = await stat(file);
  return { sha256: await sha256Of(file), size: info.size, mtimeMs: info.mtimeMs };
}

/** Runs `jobs` two at a time (the suite has two cores). */
async function inPairs(jobs: (() => Promise<void>)[]): Promise<void> {
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      for (let i = next++; i < jobs.length; i = next++) await jobs[i]!();
    }),
  );
}

function parsed(file: string): InspectResult {
  const r = jsonRuns.get(file);
  assert.ok(r, `inspect was not run on ${file}`);
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  let json: unknown;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    assert.fail(`not JSON:\n${r.stdout.slice(0, 2000)}\n${r.stderr}`);
  }
  const checked = InspectResultSchema.safeParse(json);
  assert.ok(checked.success, `not an InspectResult: ${checked.error?.message}`);
  return checked.data;
}

// Made at module level: a tempDir made inside `before` would be removed when that hook ends.
const root = await tempDir("sightline-inspect-");

before(async () => {
  home = path.join(root, "home");
  [clean, hostile, gaps] = await Promise.all([
    makeImageCorpus(path.join(root, "clean")),
    makeHostileCorpus(path.join(root, "hostile")),
    makeGapCorpus(path.join(root, "gaps")),
  ]);
  // Control for the thumbnail check: the corpus JPEG with a thumbnail made from its own pixels.
  const jpeg = clean.find((c) => c.format === "jpeg")!.file;
  thumbnailMatch = path.join(root, "extra", "thumbnail-match.jpg");
  const thumb = path.join(root, "thumb.jpg");
  await sharp(jpeg).resize(160, 120).jpeg().toFile(thumb);
  await mkdir(path.dirname(thumbnailMatch), { recursive: true });
  await copyFile(jpeg, thumbnailMatch);
  await run("exiftool", ["-q", "-overwrite_original", `-ThumbnailImage<=${thumb}`, thumbnailMatch]);

  const { stdout } = await run("exiftool", ["-j", "-n", "-G", ...[...clean, ...gaps].map((c) => c.file)], {
    maxBuffer: 1 << 24,
  });
  exiftoolRecords = new Map((JSON.parse(stdout) as Record<string, unknown>[]).map((r) => [String(r.SourceFile), r]));

  const all = [...clean.map((c) => c.file), ...gaps.map((c) => c.file), ...hostile.map((h) => h.file), thumbnailMatch];
  snapshotsBefore = new Map(await Promise.all(all.map(async (f) => [f, await snapshot(f)] as const)));
  const dirs = [...new Set(all.map((f) => path.dirname(f)))];
  listingsBefore = new Map(await Promise.all(dirs.map(async (d) => [d, (await readdir(d)).sort()] as const)));

  await inPairs([
    ...all.map((file) => async () => void jsonRuns.set(file, await runCli(["inspect", file, "--json"], home))),
    ...hostile
      .filter((h) => PRINTED.includes(h.name))
      .map((h) => async () => void humanRuns.set(h.file, await runCli(["inspect", h.file], home))),
  ]);
});

describe("sightline inspect: the format corpus, against exiftool and the known values", () => {
  test("the corpus carries what it claims (exiftool's reading equals `expected`)", () => {
    for (const c of clean) {
      const rec = exiftoolRecords.get(c.file);
      assert.ok(rec, `exiftool did not read ${c.file}`);
      assert.deepEqual(differences(fromExiftool(rec), c.expected), [], path.basename(c.file));
      assert.equal(rec["File:MIMEType"], c.mime, path.basename(c.file));
    }
  });

  for (const format of FORMATS) {
    test(`${format}: hash, type, capture time, GPS, camera, software and size agree`, async () => {
      const c = clean.find((x) => x.format === format)!;
      const r = parsed(c.file);
      assert.equal(r.file, c.file);
      assert.equal(r.sha256, await sha256Of(c.file));
      assert.equal(r.size, (await stat(c.file)).size);
      assert.equal(r.mime, c.mime);
      assert.equal(r.kind, format === "mp4" || format === "mov" ? "video" : "image");
      const reading = fromInspect(r);
      assert.deepEqual(differences(reading, fromExiftool(exiftoolRecords.get(c.file)!)), [], "inspect vs exiftool");
      assert.deepEqual(differences(reading, c.expected), [], "inspect vs expected");
      if (r.metadata.capturedAt !== null) assert.ok(r.metadata.capturedAtSource, "a capture time names its tag");
      // exifr cannot parse IPTC inside a TIFF (MikeKovarik/exifr#96): the rest is read, and the gap is reported.
      const allowed =
        c.format === "tiff" ? r.warnings.filter((w) => !/IPTC block could not be parsed/.test(w.message)) : r.warnings;
      assert.deepEqual(
        allowed.map((w) => w.code),
        [],
        `a clean file raises no warning: ${JSON.stringify(r.warnings)}`,
      );
    });
  }

  test("a JPEG whose EXIF thumbnail is its own picture raises no thumbnail-mismatch", () => {
    const r = parsed(thumbnailMatch);
    assert.deepEqual(
      r.warnings.map((w) => w.code),
      [],
    );
  });
});

describe("sightline inspect: what exifr's first read misses, against exiftool", () => {
  test("a PNG's EXIF after a large XMP chunk, and GPS written only in XMP, are read as exiftool reads them", () => {
    for (const c of gaps) {
      const name = path.basename(c.file);
      const rec = exiftoolRecords.get(c.file)!;
      assert.deepEqual(differences(fromExiftool(rec), c.expected), [], `${name}: the file carries what it claims`);
      const r = parsed(c.file);
      assert.deepEqual(differences(fromInspect(r), fromExiftool(rec)), [], `${name}: inspect vs exiftool`);
      assert.deepEqual(differences(fromInspect(r), c.expected), [], `${name}: inspect vs expected`);
    }
    const xmpGps = parsed(gaps.find((c) => c.file.endsWith("xmp-gps.jpg"))!.file);
    assert.equal(
      xmpGps.metadata.gpsSource,
      "XMP:exif:GPSLatitude/GPSLongitude",
      "the fallback says where GPS came from",
    );
  });
});

describe("sightline inspect: hostile files", () => {
  test("the hostile corpus is the one these expectations describe", () => {
    assert.deepEqual(hostile.map((h) => h.name).sort(), Object.keys(HOSTILE_EXPECT).sort());
  });

  for (const [name, expect] of Object.entries(HOSTILE_EXPECT)) {
    test(`${name}: exit 0, valid JSON, right hash and size, warns ${expect.codes.join(", ")}`, async () => {
      const h = hostile.find((x) => x.name === name)!;
      const r = parsed(h.file);
      const { size } = await stat(h.file);
      assert.equal(r.size, size);
      assert.equal(r.sha256, size === 0 ? EMPTY_SHA256 : await sha256Of(h.file));
      if (expect.mime) assert.equal(r.mime, expect.mime);
      if (expect.kind) assert.equal(r.kind, expect.kind);
      const codes = r.warnings.map((w) => w.code);
      for (const code of expect.codes)
        assert.ok(codes.includes(code), `${code} missing from ${JSON.stringify(r.warnings)}`);
      const unexpected = codes.filter((c) => !expect.codes.includes(c) && !expect.mayAlso?.includes(c));
      assert.deepEqual(unexpected, [], `unexpected warnings: ${JSON.stringify(r.warnings)}`);
    });
  }

  test("a damaged scan or EXIF block does not cost the rest: the intact metadata is still read", () => {
    for (const name of ["truncated-jpeg", "corrupt-entropy"]) {
      const r = parsed(hostile.find((h) => h.name === name)!.file);
      assert.deepEqual(differences(fromInspect(r), { ...JPEG_TAGS, width: 320, height: 240 }), [], name);
    }
  });

  test("markup, escapes and bidi overrides come through verbatim in JSON and inert in text", () => {
    const h = hostile.find((x) => x.name === "markup-metadata")!;
    const r = parsed(h.file);
    assert.equal(r.metadata.camera?.make, HOSTILE_STRINGS.make);
    assert.equal(r.metadata.camera?.model, HOSTILE_STRINGS.model);
    assert.equal(r.metadata.software, HOSTILE_STRINGS.software);
    const raw = JSON.stringify(r.metadata.raw);
    for (const s of [HOSTILE_STRINGS.description, HOSTILE_STRINGS.xmpTitle]) {
      assert.ok(raw.includes(JSON.stringify(s).slice(1, -1)), `raw record keeps ${JSON.stringify(s)}`);
    }
    const human = humanRuns.get(h.file)!;
    assert.equal(human.code, 0, human.stderr);
    assert.doesNotMatch(human.stdout, RAW_UNSAFE);
    for (const escape of ["\\u{202E}", "\\u{001B}", "\\u{0007}"]) assert.ok(human.stdout.includes(escape), escape);
    assert.ok(human.stdout.includes(HOSTILE_STRINGS.make), "markup is shown as the text it is");
  });

  test("a name with markup and an RLO override is kept verbatim in JSON and printed inert", () => {
    const h = hostile.find((x) => x.name === "name-attack")!;
    assert.equal(path.basename(h.file).includes("\u202e"), true);
    assert.equal(parsed(h.file).file, h.file);
    const human = humanRuns.get(h.file)!;
    assert.equal(human.code, 0, human.stderr);
    assert.doesNotMatch(human.stdout, RAW_UNSAFE);
    assert.ok(human.stdout.includes(HOSTILE_NAME.replace("\u202e", "\\u{202E}")));
  });

  test("no hostile file puts a raw control or bidi character on the terminal, in JSON or in text", () => {
    for (const h of hostile) {
      const json = jsonRuns.get(h.file)!;
      assert.doesNotMatch(json.stdout, RAW_UNSAFE, `${h.name} --json`);
      assert.doesNotMatch(json.stderr, RAW_UNSAFE, `${h.name} --json (stderr)`);
      const human = humanRuns.get(h.file);
      if (!human) continue;
      assert.equal(human.code, 0, `${h.name}: ${human.stderr}`);
      assert.doesNotMatch(human.stdout, RAW_UNSAFE, h.name);
      assert.doesNotMatch(human.stderr, RAW_UNSAFE, h.name);
    }
  });

  test("XMP text is read as text: XML entities become the characters they stand for", () => {
    const r = parsed(hostile.find((x) => x.name === "xmp-markup")!.file);
    assert.equal(r.metadata.software, HOSTILE_STRINGS.creatorTool, "software from XMP CreatorTool");
    const raw = JSON.stringify(r.metadata.raw);
    assert.ok(raw.includes(JSON.stringify(HOSTILE_STRINGS.xmpMarkup)), `dc:title kept as ${HOSTILE_STRINGS.xmpMarkup}`);
    assert.doesNotMatch(raw, /&(lt|gt|amp|quot|apos);/, "no XML entity left encoded");
  });

  test("a 10 MB XMP packet is read, bounded and said to be cut: stdout stays well under 1 MB", () => {
    const h = hostile.find((x) => x.name === "huge-xmp")!;
    const out = jsonRuns.get(h.file)!.stdout;
    assert.ok(out.length < 1_000_000, `${out.length} characters of JSON`);
    assert.equal(parsed(h.file).metadata.software, "Sightline hostile corpus", "the XMP was parsed, not dropped");
  });

  test("the facts behind the warnings are reported too", () => {
    const get = (name: string) => parsed(hostile.find((h) => h.name === name)!.file);
    const zero = get("gps-zero").metadata.gps;
    assert.deepEqual(zero && [zero.lat, zero.lon], [0, 0]);
    assert.equal(get("photoshop").metadata.software, "Adobe Photoshop 25.0 (Windows)");
    assert.equal(get("captured-after-modified").metadata.capturedAt, JPEG_TAGS.capturedAt);
    assert.equal(get("zero-byte").size, 0);
  });
});

describe("sightline inspect never writes", () => {
  test("every inspected file keeps its bytes and mtime, and no file or profile appears", async () => {
    for (const [file, was] of snapshotsBefore) {
      assert.deepEqual(await snapshot(file), was, path.basename(file));
    }
    for (const [dir, was] of listingsBefore) assert.deepEqual((await readdir(dir)).sort(), was, dir);
    await assert.rejects(stat(home), { code: "ENOENT" }, "inspect made no examiner profile");
  });
});
