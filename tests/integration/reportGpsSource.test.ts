/**
 * The custody report says where each item's position came from: GPS written by exiftool in the EXIF
 * GPS tags, GPS written only in XMP (`exif:GPSLatitude` in the `16,30.0N` form), and none at all,
 * through the real CLI. The PDF's text (pdftotext), the HTML and the JSON (against
 * docs/report.schema.json) each say it, in words first and the tags after.
 */
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { before, test } from "node:test";
import { promisify } from "node:util";
import { Ajv } from "ajv";
import sharp from "sharp";
import { REPO_ROOT, runCli } from "../support/cli.js";
import { tempDir } from "../support/fixtures.js";

const run = promisify(execFile);
const EXIF_WORDS = "the EXIF GPS tags (EXIF:GPSLatitude/GPSLongitude)";
const XMP_WORDS = "the XMP packet, not the EXIF GPS tags (XMP:exif:GPSLatitude/GPSLongitude)";

let root: string;
let home: string;
let caseDir: string;

async function picture(file: string, seed: number): Promise<string> {
  const pixels = Buffer.alloc(320 * 240 * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919 + seed * 131 + (i >> 9) * 31) % 251;
  await sharp(pixels, { raw: { width: 320, height: 240, channels: 3 } })
    .jpeg()
    .toFile(file);
  return file;
}

const exiftool = (args: string[]) => run("exiftool", ["-q", "-q", "-overwrite_original", ...args]);

before(async () => {
  root = await tempDir("sightline-report-gps-");
  home = path.join(root, "home");
  caseDir = path.join(root, "case");
  const media = path.join(root, "media");
  await run("mkdir", ["-p", media]);
  const exifGps = await picture(path.join(media, "exif-gps.jpg"), 1);
  await exiftool(["-GPSLatitude=18.44", "-GPSLatitudeRef=N", "-GPSLongitude=1.41", "-GPSLongitudeRef=E", exifGps]);
  const xmpGps = await picture(path.join(media, "xmp-gps.jpg"), 2);
  await exiftool(["-XMP-exif:GPSLatitude=16,30.0N", "-XMP-exif:GPSLongitude=1,12.5W", xmpGps]);
  await picture(path.join(media, "no-gps.jpg"), 3);
  assert.equal((await runCli(["init", caseDir, "--title", "Positions", "--examiner", "A. Analyst"], home)).code, 0);
  const imported = await runCli(["import", caseDir, media], home);
  assert.equal(imported.code, 0, imported.stderr);
});

async function report(format: string): Promise<string> {
  const out = path.join(root, `report.${format}`);
  const r = await runCli(["report", caseDir, "--format", format, "--out", out], home);
  assert.equal(r.code, 0, r.stderr);
  return out;
}

/** The report's text for one item: from its heading (the last "Item N: name"; the contents come first) to the next. */
function section(text: string, name: string): string {
  const at = [...text.matchAll(new RegExp(`Item \\d+: ${escape(name)}`, "g"))].at(-1)?.index;
  assert.ok(at !== undefined, `the report has no section for ${name}:\n${text.slice(0, 2000)}`);
  const next = text.slice(at + 1).search(/Item \d+: /);
  return text.slice(at, next >= 0 ? at + 1 + next : undefined);
}

test("JSON: gpsSource names the tags, null without a position; the JSON fits its schema", async () => {
  const json = JSON.parse(await readFile(await report("json"), "utf8"));
  const byName = new Map(json.items.map((it: any) => [it.names[0], it.metadata]));
  assert.equal((byName.get("exif-gps.jpg") as any).gpsSource, "EXIF:GPSLatitude/GPSLongitude");
  assert.equal((byName.get("xmp-gps.jpg") as any).gpsSource, "XMP:exif:GPSLatitude/GPSLongitude");
  assert.equal((byName.get("no-gps.jpg") as any).gpsSource, null);
  assert.notEqual((byName.get("xmp-gps.jpg") as any).gps, null, "the XMP position is in the report");
  const schema = JSON.parse(await readFile(path.join(REPO_ROOT, "docs/report.schema.json"), "utf8"));
  const ajv = new Ajv({ allErrors: true, strict: false });
  assert.ok(ajv.validate(schema, json), JSON.stringify(ajv.errors));
});

test("PDF and HTML: each item's GPS says which tags it was read from", async () => {
  const flat = (s: string) => s.replace(/\s+/g, " ");
  const pdf = flat(execFileSync("pdftotext", ["-enc", "UTF-8", await report("pdf"), "-"]).toString("utf8"));
  const html = flat((await readFile(await report("html"), "utf8")).replace(/<[^>]+>/g, "").replace(/&#39;/g, "'"));
  for (const [format, text] of [
    ["pdf", pdf],
    ["html", html],
  ] as const) {
    assert.match(section(text, "exif-gps.jpg"), new RegExp(escape(EXIF_WORDS)), format);
    assert.match(section(text, "xmp-gps.jpg"), new RegExp(escape(XMP_WORDS)), format);
    const none = section(text, "no-gps.jpg");
    assert.doesNotMatch(none, /GPS tags|XMP packet/, format);
    assert.match(none, /GPS in the file ?none/, format);
  }
});

test("CSV: gps_in_file and gps_source say the position and the tags it was read from, empty without one", async () => {
  const rows = JSON.parse(
    execFileSync("python3", [
      "-c",
      "import csv,json,sys; print(json.dumps(list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))))",
      await report("csv"),
    ]).toString(),
  ) as string[][];
  const header = rows[0]!;
  const byName = new Map(rows.slice(1).map((row) => [row[header.indexOf("names")], row]));
  const at = (name: string, column: string) => {
    assert.ok(header.includes(column), `the CSV has a ${column} column`);
    return byName.get(name)![header.indexOf(column)];
  };
  assert.equal(at("exif-gps.jpg", "gps_source"), "EXIF:GPSLatitude/GPSLongitude");
  assert.match(at("exif-gps.jpg", "gps_in_file")!, /^18\.44° N, 1\.41° E/);
  assert.equal(at("xmp-gps.jpg", "gps_source"), "XMP:exif:GPSLatitude/GPSLongitude");
  assert.match(at("xmp-gps.jpg", "gps_in_file")!, /^16\.50?\d*° N, 1\.2\d*° W/);
  assert.equal(at("no-gps.jpg", "gps_source"), "");
  assert.equal(at("no-gps.jpg", "gps_in_file"), "");
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
