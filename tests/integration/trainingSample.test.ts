/**
 * The shipped training sample is what its answer key says, checked by tools that did not make it.
 * The builder (tests/samples/buildTrainingSample.ts) is run as a process with --small into a
 * temporary folder; then exiftool reads the photos' tags (the true GPS, the lying one, the stripped
 * copy with none, the editor's name), Sightline's pHash finds the near-duplicates, ffprobe reads the
 * video's container date, gdalinfo and gdaltransform put every answer inside both scenes, and
 * gdallocationinfo reads the burn at the compound. The sun at the key's time windows (suncalc)
 * agrees with the shadows the pictures were drawn with, and not with the video's container date.
 * Last, the committed package in resources/samples/ opens with Sightline's reader and carries the
 * key the builder gives for its files.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import sharp from "sharp";
import path from "node:path";
import { before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import geodesic from "geographiclib-geodesic";
import { getPosition } from "suncalc";
import { readSamplePackage, parseAnswerKey } from "../../electron/services/training/samplePackage.js";
import { phashOf } from "../../electron/services/media/imagePixels.js";
import { hammingDistance, NEAR_DUPLICATE_THRESHOLD } from "../../shared/media/phash.js";
import type { AnswerKey } from "../../shared/training/sampleFormat.js";
import { tempDir } from "../support/fixtures.js";
import {
  COMPOUND,
  gridAzimuth,
  POLE_HEIGHT,
  ROAD_CAMERA,
  ROAD_POLE,
  TIMES,
  toLatLon,
  VIDEO_CAMERA,
} from "../samples/landscape.js";
import { sunVector } from "../samples/planView.js";
import { cameraFrame } from "../samples/renderView.js";
import { answerKey, EVIDENCE, REFERENCE, SAMPLE_ID, type EvidenceRole } from "../samples/sampleKey.js";

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const builder = path.join(here, "..", "samples", "buildTrainingSample.js");
const committed = path.join(here, "..", "..", "..", "resources", "samples", `${SAMPLE_ID}.sightline-sample`);
const WGS84 = geodesic.Geodesic.WGS84;

interface Built {
  package: string;
  media: string;
  files: { name: string; role: string; sha256: string; size: number }[];
}

const metres = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) =>
  WGS84.Inverse(a.lat, a.lon, b.lat, b.lon).s12!;

async function exif(file: string): Promise<Record<string, unknown>> {
  const { stdout } = await run("exiftool", ["-j", "-n", "-G1", file]);
  return (JSON.parse(stdout) as Record<string, unknown>[])[0]!;
}

/** Band values (B02, B03, B04, B8A, B11, B12) at a WGS 84 point, as GDAL reads them. */
async function bandsAt(file: string, p: { lat: number; lon: number }): Promise<number[]> {
  const { stdout } = await run("gdallocationinfo", ["-valonly", "-wgs84", file, String(p.lon), String(p.lat)]);
  return stdout.trim().split(/\s+/).map(Number);
}

/** The shadow's azimuth (true, degrees) and its length per metre of height, by suncalc. */
function shadowAt(instant: string, p: { lat: number; lon: number }): { azimuth: number; ratio: number } {
  const sun = getPosition(new Date(instant), p.lat, p.lon);
  return { azimuth: (sun.azimuth + 180) % 360, ratio: 1 / Math.tan((sun.altitude * Math.PI) / 180) };
}

describe("the shipped training sample", () => {
  let built: Built;
  let key: AnswerKey;
  const file = (role: EvidenceRole) => path.join(built.media, EVIDENCE[role]);
  const shaOf = (role: EvidenceRole) => built.files.find((f) => f.name === EVIDENCE[role])!.sha256;

  before(async () => {
    const root = await tempDir("sightline-sample-build-");
    const { stdout } = await run(
      process.execPath,
      [builder, "--out", root, "--small", "--media", path.join(root, "media")],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    built = JSON.parse(stdout) as Built;
    const read = await readSamplePackage(built.package);
    key = parseAnswerKey(read.answerKeyBytes, read.manifest);
  });

  test("the builder refuses bad arguments with a one-line reason and writes nothing", async () => {
    const root = await tempDir("sightline-sample-args-");
    const blocker = path.join(root, "a-file");
    await writeFile(blocker, "not a folder");
    for (const args of [[], ["--out"], ["--out", root, "--evil"], ["--out", root, "stray"], ["--out", blocker]]) {
      const result = await run(process.execPath, [builder, ...args]).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
      assert.ok(result, `${args.join(" ")} is refused`);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^buildTrainingSample: [^\n]+\n$/, `one line: ${result.stderr}`);
    }
    assert.deepEqual(await readdir(root), ["a-file"]);
  });

  test("the built package opens with Sightline's reader; its key names the evidence files and the places of the story", async () => {
    const read = await readSamplePackage(built.package);
    assert.equal(read.manifest.id, SAMPLE_ID);
    assert.deepEqual(
      read.manifest.files.map((f) => [f.name, f.role, f.sha256]),
      built.files.map((f) => [f.name, f.role, f.sha256]),
    );
    assert.equal(read.manifest.hints.length, 4);
    assert.equal(key.traps.length, 4);
    assert.deepEqual(
      new Set(key.traps.map((t) => t.kind)),
      new Set(["stripped-reupload", "false-gps", "edited-near-duplicate", "container-date-mismatch"]),
    );
    for (const f of read.manifest.files.filter((f) => f.role === "scene"))
      assert.ok(
        [REFERENCE.before.acquiredOn as string, REFERENCE.after.acquiredOn].includes(
          (f as { acquiredOn?: string }).acquiredOn ?? "",
        ),
      );
  });

  test("exiftool reads the road photo's true GPS and capture time, inside the key's place and window", async () => {
    const tags = await exif(file("road"));
    const place = key.locations.find((l) => l.sha256 === shaOf("road"))!;
    const gps = { lat: Number(tags["Composite:GPSLatitude"]), lon: Number(tags["Composite:GPSLongitude"]) };
    assert.ok(metres(gps, place.place) < 5, `GPS ${JSON.stringify(gps)} at the key's place`);
    assert.equal(tags["IFD0:Make"], "samsung");
    const taken = `${String(tags["ExifIFD:DateTimeOriginal"]).replace(/^(\d+):(\d+):(\d+) /, "$1-$2-$3T")}${String(tags["ExifIFD:OffsetTimeOriginal"])}`;
    const window = key.times.find((t) => t.sha256 === shaOf("road"))!.window;
    assert.ok(
      Date.parse(taken) >= Date.parse(window.from) && Date.parse(taken) <= Date.parse(window.to),
      `${taken} in the window`,
    );
  });

  test("the stripped re-upload has no tags at all, and Sightline's pHash finds it and the edit as near-duplicates", async () => {
    const tags = await exif(file("reupload"));
    for (const name of Object.keys(tags)) assert.doesNotMatch(name, /^(IFD0|ExifIFD|GPS|XMP-|IPTC):/, `no ${name}`);
    const original = await phashOf(await readFile(file("road")));
    const copy = await phashOf(await readFile(file("reupload")));
    const edited = await phashOf(await readFile(file("edited")));
    const ridge = await phashOf(await readFile(file("ridge")));
    assert.ok(hammingDistance(original, copy) <= NEAR_DUPLICATE_THRESHOLD, "the re-upload is a near-duplicate");
    assert.ok(hammingDistance(original, edited) <= NEAR_DUPLICATE_THRESHOLD, "the edit is a near-duplicate");
    assert.ok(hammingDistance(original, ridge) > NEAR_DUPLICATE_THRESHOLD, "the ridge photo is another picture");
    const editTags = await exif(file("edited"));
    assert.match(String(editTags["IFD0:Software"]), /Photoshop/);
    assert.notDeepEqual(await readFile(file("edited")), await readFile(file("road")));
  });

  test("the ridge photo's GPS tag lies: tens of kilometres from where the key says it was taken", async () => {
    const tags = await exif(file("ridge"));
    const gps = { lat: Number(tags["Composite:GPSLatitude"]), lon: Number(tags["Composite:GPSLongitude"]) };
    const truth = key.locations.find((l) => l.sha256 === shaOf("ridge"))!;
    const off = metres(gps, truth.place);
    assert.ok(off > 20_000 && off < 60_000, `GPS ${off.toFixed(0)} m away`);
    assert.ok(truth.toleranceM < off / 10);
  });

  test("ffprobe reads the video's container date, and the sun then would cast shadows the other way", async () => {
    const { stdout } = await run("ffprobe", [
      "-v",
      "error",
      "-show_entries",
      "format_tags=creation_time",
      "-of",
      "json",
      file("video"),
    ]);
    const created = (JSON.parse(stdout) as { format: { tags: { creation_time: string } } }).format.tags.creation_time;
    assert.equal(Date.parse(created), Date.parse(TIMES.videoContainer));
    const answer = key.times.find((t) => t.sha256 === shaOf("video"))!;
    assert.ok(Date.parse(created) - Date.parse(answer.window.to) > 6 * 3600_000, "hours after the key's window");
    const place = toLatLon(VIDEO_CAMERA);
    const then = shadowAt(created, place);
    assert.ok(
      then.azimuth > 45 && then.azimuth < 135,
      `the container's time casts shadows east (${then.azimuth.toFixed(0)}°)`,
    );
    for (const at of [answer.window.from, answer.window.to]) {
      const s = shadowAt(at, place);
      assert.ok(
        s.azimuth > 270 && s.azimuth < 300,
        `the key's window casts shadows west-north-west (${s.azimuth.toFixed(0)}°)`,
      );
    }
  });

  test("the shadows the pictures were drawn with fit the sun at the key's time windows (suncalc)", () => {
    for (const role of ["road", "video"] as const) {
      const instant = { road: TIMES.photoRoad, video: TIMES.video }[role];
      const answer = key.times.find((t) => t.sha256 === shaOf(role))!;
      const place = toLatLon({ road: ROAD_CAMERA, video: VIDEO_CAMERA }[role]);
      // The sun the renderer lit the view with, back from grid to true azimuth and elevation.
      const v = sunVector(instant);
      const gridAz = (Math.atan2(v[0], v[1]) * 180) / Math.PI;
      const trueAz = (gridAz - gridAzimuth(0) + 720) % 360;
      const drawn = { azimuth: (trueAz + 180) % 360, ratio: Math.hypot(v[0], v[1]) / v[2] };
      const early = shadowAt(answer.window.from, place);
      const late = shadowAt(answer.window.to, place);
      // In the morning the shadow swings north (azimuth grows) and shortens as the window goes on.
      assert.ok(
        drawn.azimuth >= early.azimuth - 0.5 && drawn.azimuth <= late.azimuth + 0.5,
        `${role}: ${drawn.azimuth}° between ${early.azimuth}° and ${late.azimuth}°`,
      );
      assert.ok(
        drawn.ratio <= early.ratio && drawn.ratio >= late.ratio,
        `${role}: ratio ${drawn.ratio} between ${late.ratio} and ${early.ratio}`,
      );
      const pole = POLE_HEIGHT * drawn.ratio;
      assert.ok(
        pole > POLE_HEIGHT * late.ratio - 0.01 && pole < POLE_HEIGHT * early.ratio + 0.01,
        `${role}: a 9 m pole casts ${pole.toFixed(1)} m`,
      );
    }
  });

  test("gdalinfo: both scenes are UTM 31N, and every place in the key lies inside both", async () => {
    for (const name of [REFERENCE.before.name, REFERENCE.after.name]) {
      const { stdout } = await run("gdalinfo", ["-json", path.join(built.media, name)]);
      const info = JSON.parse(stdout) as {
        size: number[];
        geoTransform: number[];
        coordinateSystem: { wkt: string };
        bands: { description: string }[];
      };
      assert.match(info.coordinateSystem.wkt, /ID\["EPSG",32631\]\]$/);
      assert.deepEqual(
        info.bands.map((b) => b.description),
        ["B02", "B03", "B04", "B8A", "B11", "B12"],
      );
      const [x0, dx, , y0, , dy] = info.geoTransform as [number, number, number, number, number, number];
      const [x1, y1] = [x0 + dx * info.size[0]!, y0 + dy * info.size[1]!];
      const points = key.locations.map((l) => `${l.place.lon} ${l.place.lat}`).join("\n");
      const child = execFile("gdaltransform", ["-s_srs", "EPSG:4326", "-t_srs", "EPSG:32631", "-output_xy"]);
      const out = new Promise<string>((resolve, reject) => {
        let text = "";
        child.stdout!.on("data", (d: Buffer) => (text += d.toString()));
        child.on("close", (code) => (code === 0 ? resolve(text) : reject(new Error(`gdaltransform exited ${code}`))));
      });
      child.stdin!.end(`${points}\n`);
      for (const line of (await out).trim().split("\n")) {
        const [x, y] = line.trim().split(/\s+/).map(Number) as [number, number];
        assert.ok(x > x0 && x < x1 && y < y0 && y > y1, `${name}: ${x}, ${y} inside ${x0}..${x1}, ${y1}..${y0}`);
      }
    }
  });

  test("gdallocationinfo: the compound's NIR drops and its burn index rises between the scenes; the road photo's place does not burn", async () => {
    const before = path.join(built.media, REFERENCE.before.name);
    const after = path.join(built.media, REFERENCE.after.name);
    const nbr = (v: number[]) => (v[3]! - v[5]!) / (v[3]! + v[5]!);
    const compound = toLatLon({ x: COMPOUND.cx, y: COMPOUND.cy });
    const [b, a] = [await bandsAt(before, compound), await bandsAt(after, compound)];
    assert.ok(a[3]! < b[3]! * 0.6, `NIR ${b[3]} before, ${a[3]} after`);
    assert.ok(nbr(b) - nbr(a) > 0.27, `dNBR ${nbr(b) - nbr(a)} at the compound`);
    const road = key.locations.find((l) => l.sha256 === shaOf("road"))!.place;
    const [rb, ra] = [await bandsAt(before, road), await bandsAt(after, road)];
    assert.ok(Math.abs(nbr(rb) - nbr(ra)) < 0.1, "no burn where the road photo was taken");
  });

  test("in the committed road photo, a pole's shadow is dark as far as suncalc's sun at the key's window casts it, and lit beyond", async () => {
    const root = await tempDir("sightline-sample-open-");
    const read = await readSamplePackage(committed, { extractTo: root });
    const answer = parseAnswerKey(read.answerKeyBytes, read.manifest);
    const photo = read.manifest.files.find((f) => f.name === EVIDENCE.road)!;
    const window = answer.times.find((t) => t.sha256 === photo.sha256)!.window;
    const { data, info } = await sharp(path.join(root, EVIDENCE.road))
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    // Where a point on the ground appears in the photo: the camera of the scene description.
    const cam = cameraFrame(ROAD_CAMERA, info.width);
    const dot = (a: number[], b: number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
    const pixel = (x: number, y: number) => {
      const r = [x - cam.origin[0], y - cam.origin[1], -cam.origin[2]];
      const depth = dot(r, cam.forward);
      return {
        x: info.width / 2 + (cam.focal * dot(r, cam.right)) / depth,
        y: info.height / 2 - (cam.focal * dot(r, cam.up)) / depth,
      };
    };
    // The darkest of five pixels down the column (the shadow is a thin line across the picture).
    const darkest = (p: { x: number; y: number }) => {
      const x = Math.round(p.x);
      assert.ok(x >= 0 && x < info.width, `${x} inside the photo`);
      return Math.min(...[-2, -1, 0, 1, 2].map((dy) => data[(Math.round(p.y) + dy) * info.width + x]!));
    };
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    const place = toLatLon(ROAD_POLE);
    const along = (instant: string, from: number, to: number) => {
      const s = shadowAt(instant, place);
      const length = POLE_HEIGHT * s.ratio;
      const az = (gridAzimuth(s.azimuth, ROAD_POLE) * Math.PI) / 180;
      return Array.from({ length: 13 }, (_, i) => {
        const k = (from + ((to - from) * i) / 12) * length;
        return darkest(pixel(ROAD_POLE.x + Math.sin(az) * k, ROAD_POLE.y + Math.cos(az) * k));
      });
    };
    // Inside the shortest shadow of the window (its end), and past the tip of the longest (its start).
    const shade = median(along(window.to, 0.3, 0.9));
    const beyond = median(along(window.from, 1.1, 1.5));
    assert.ok(shade < beyond * 0.75, `shadow ${shade}, lit ground beyond its tip ${beyond}`);
  });

  test("the committed package opens with Sightline's reader, stays small, and carries the key its files give", async () => {
    const read = await readSamplePackage(committed);
    assert.equal(read.manifest.id, SAMPLE_ID);
    assert.ok((await stat(committed)).size < 12 * 1024 * 1024, "under 12 MB");
    const roles = read.manifest.files.map((f) => f.role).sort();
    assert.deepEqual(roles, ["basemap", "evidence", "evidence", "evidence", "evidence", "evidence", "scene", "scene"]);
    const sha = Object.fromEntries(
      (Object.keys(EVIDENCE) as EvidenceRole[]).map((role) => [
        role,
        read.manifest.files.find((f) => f.name === EVIDENCE[role])!.sha256,
      ]),
    ) as Record<EvidenceRole, string>;
    assert.deepEqual(parseAnswerKey(read.answerKeyBytes, read.manifest), answerKey(sha));
  });
});
