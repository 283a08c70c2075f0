/**
 * Builds the training sample that ships with Sightline (resources/samples/, README there): a case
 * whose answer is known, drawn entirely from the landscape described in tests/samples/landscape.ts.
 *
 *   node dist/tests/samples/buildTrainingSample.js --out resources/samples/ [--small] [--media <dir>]
 *
 * --small   smaller pictures, scenes and basemap (for tests: the same sample, faster)
 * --media   keep the generated media and the answer key there (default: a temporary folder, removed)
 *
 * Writes `<out>/river-compound-burn.sightline-sample` with Sightline's own package writer, and prints
 * one line of JSON: the package, its SHA-256, and each file with its SHA-256.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { writeSamplePackage } from "../../electron/services/training/samplePackage.js";
import { RIDGE_CAMERA, ROAD_CAMERA, TIMES, toLatLon, UTC_OFFSET, VIDEO_CAMERA } from "./landscape.js";
import { writeBasemap, writeScene } from "./mapFiles.js";
import { editedCopy, renderPhoto, renderVideo, strippedReupload, tagPhoto, type PhotoOptions } from "./mediaFiles.js";
import {
  answerKey,
  EVIDENCE,
  FALSE_GPS,
  manifestDraft,
  REFERENCE,
  SAMPLE_ID,
  SOURCES,
  type EvidenceRole,
} from "./sampleKey.js";
import { terrainHeight } from "./surface.js";

/** Sizes of the full sample and of the small one the tests build. */
const SIZES = {
  full: { photo: [1024, 768], reupload: 800, video: [640, 360, 4, 12], scenePixel: 4, maxZoom: 17 },
  small: { photo: [320, 240], reupload: 240, video: [192, 108, 1, 6], scenePixel: 20, maxZoom: 14 },
} as const;

const PHONE = { make: "samsung", model: "SM-A145F", software: "A145FXXS5CXB1" };

async function sha256(file: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(file))
    .digest("hex");
}

/** "2026-03-14T08:42:17Z" as EXIF's local "2026:03:14 08:42:17" (the place keeps UTC). */
function exifLocal(instant: string): string {
  if (UTC_OFFSET !== "+00:00") throw new Error("exifLocal assumes the place keeps UTC");
  return instant.slice(0, 19).replace(/-/g, ":").replace("T", " ");
}

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

export async function buildTrainingSample(o: { out: string; small: boolean; media?: string }) {
  const size = o.small ? SIZES.small : SIZES.full;
  await mkdir(o.out, { recursive: true });
  const media = o.media ?? (await mkdtemp(path.join(os.tmpdir(), "sightline-sample-")));
  await mkdir(media, { recursive: true });
  const at = (name: string) => path.join(media, name);
  try {
    const [width, height] = size.photo;
    const road: PhotoOptions = {
      camera: ROAD_CAMERA,
      instant: TIMES.photoRoad,
      width,
      height,
      fire: 0.8,
      smokeSeed: 5,
    };
    log("road photo");
    await renderPhoto(at(EVIDENCE.road), road);
    const roadHere = toLatLon(ROAD_CAMERA);
    await tagPhoto(at(EVIDENCE.road), {
      ...PHONE,
      localTime: exifLocal(TIMES.photoRoad),
      offset: UTC_OFFSET,
      gps: { lat: Number(roadHere.lat.toFixed(6)), lon: Number(roadHere.lon.toFixed(6)), altitude: 412 },
      direction: ROAD_CAMERA.azimuthDeg,
    });
    await strippedReupload(at(EVIDENCE.road), at(EVIDENCE.reupload), size.reupload);
    log("edited copy");
    await editedCopy(at(EVIDENCE.road), at(EVIDENCE.edited), road);
    log("ridge photo");
    await renderPhoto(at(EVIDENCE.ridge), {
      ...road,
      camera: RIDGE_CAMERA,
      instant: TIMES.photoRidge,
      fire: 0.7,
      smokeSeed: 8,
    });
    await tagPhoto(at(EVIDENCE.ridge), {
      ...PHONE,
      localTime: exifLocal(TIMES.photoRidge),
      offset: UTC_OFFSET,
      gps: { ...FALSE_GPS, altitude: Math.round(412 + terrainHeight(RIDGE_CAMERA.x, RIDGE_CAMERA.y)) },
    });
    log("video");
    const [vw, vh, seconds, fps] = size.video;
    await renderVideo(at(EVIDENCE.video), {
      camera: VIDEO_CAMERA,
      instant: TIMES.video,
      width: vw,
      height: vh,
      seconds,
      fps,
      creationTime: TIMES.videoContainer,
    });
    log("satellite scenes");
    const sceneNote = "Synthetic scene for Sightline training; bands B02 B03 B04 B8A B11 B12, reflectance x 10000";
    await writeScene(at(REFERENCE.before.name), {
      burnt: false,
      instant: TIMES.sceneBefore,
      pixelSize: size.scenePixel,
      description: sceneNote,
    });
    await writeScene(at(REFERENCE.after.name), {
      burnt: true,
      instant: TIMES.sceneAfter,
      pixelSize: size.scenePixel,
      description: sceneNote,
    });
    log("basemap");
    await writeBasemap(at(REFERENCE.basemap.name), { minZoom: 12, maxZoom: size.maxZoom, instant: TIMES.sceneBefore });

    const sha = {} as Record<EvidenceRole, string>;
    for (const role of Object.keys(EVIDENCE) as EvidenceRole[]) sha[role] = await sha256(at(EVIDENCE[role]));
    const key = answerKey(sha);
    await writeFile(at("answer-key.json"), JSON.stringify(key, null, 2) + "\n");
    const out = path.join(o.out, `${SAMPLE_ID}.sightline-sample`);
    await rm(out, { force: true });
    log("package");
    const written = await writeSamplePackage({
      out,
      manifest: manifestDraft(),
      answerKey: key,
      files: [
        ...(Object.keys(EVIDENCE) as EvidenceRole[]).map((role) => ({
          name: EVIDENCE[role],
          path: at(EVIDENCE[role]),
          role: "evidence" as const,
          source: SOURCES[role],
        })),
        {
          name: REFERENCE.before.name,
          path: at(REFERENCE.before.name),
          role: "scene" as const,
          source: SOURCES.before,
          acquiredOn: REFERENCE.before.acquiredOn,
        },
        {
          name: REFERENCE.after.name,
          path: at(REFERENCE.after.name),
          role: "scene" as const,
          source: SOURCES.after,
          acquiredOn: REFERENCE.after.acquiredOn,
        },
        {
          name: REFERENCE.basemap.name,
          path: at(REFERENCE.basemap.name),
          role: "basemap" as const,
          source: SOURCES.basemap,
        },
      ],
    });
    return {
      package: written.path,
      sha256: written.sha256,
      size: (await stat(written.path)).size,
      media,
      files: written.manifest.files.map((f) => ({ name: f.name, role: f.role, sha256: f.sha256, size: f.size })),
    };
  } finally {
    if (!o.media) await rm(media, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { out: { type: "string" }, small: { type: "boolean", default: false }, media: { type: "string" } },
    strict: true,
  });
  if (!values.out) throw new Error("usage: buildTrainingSample --out <folder> [--small] [--media <folder>]");
  const result = await buildTrainingSample({ out: values.out, small: values.small ?? false, media: values.media });
  process.stdout.write(JSON.stringify(result) + "\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  main().catch((e: unknown) => {
    process.stderr.write(`buildTrainingSample: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
