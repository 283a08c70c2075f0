/**
 * A small training sample made by the tests: three photos (one the trap), a scene and an offline
 * basemap of the area near Kidal, and an answer key for them, packed with the workbench's own
 * writer (electron/services/training/samplePackage.ts). Nothing is downloaded; everything is made here.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { writeSamplePackage, type WrittenSample } from "../../electron/services/training/samplePackage.js";
import type { AnswerKey, SampleManifestDraft } from "../../shared/training/sampleFormat.js";
import { KIDAL, makeScene } from "./geoFixtures.js";
import { makeJpeg } from "./mediaCorpus.js";
import { makeBasemap } from "./tileServer.js";

export const SAMPLE_TRUTH = {
  place: { lat: 18.4412, lon: 1.4101 },
  window: { from: "2026-02-16T08:00:00Z", to: "2026-02-16T09:00:00Z" },
} as const;

export interface SampleFixture {
  sample: WrittenSample;
  /** The evidence photos by name, with their SHA-256. */
  photos: { name: string; path: string; sha256: string }[];
  key: AnswerKey;
  draft: SampleManifestDraft;
}

export function sampleDraft(overrides: Partial<SampleManifestDraft> = {}): SampleManifestDraft {
  return {
    id: "kidal-test",
    title: "Where was the convoy?",
    author: "Trainer Tess",
    createdAt: "2026-03-01T10:00:00Z",
    briefing: {
      task: "Find where and when the photos were taken.",
      claims: ["The uploader says: north of Kidal, this morning."],
      timeAllowedMinutes: 90,
    },
    hints: [
      { title: "Look at the ridge", text: "The ridge runs north-east; find it on the scene." },
      { title: "The sun", text: "Shadows point west: it is morning." },
    ],
    ...overrides,
  };
}

async function sha256File(file: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(file))
    .digest("hex");
}

/** Makes the media in `dir` and packs them into `<dir>/<name>.sightline-sample`. */
export async function makeSample(
  dir: string,
  options: { name?: string; draft?: Partial<SampleManifestDraft>; key?: (key: AnswerKey) => AnswerKey } = {},
): Promise<SampleFixture> {
  const photos = [];
  for (const [i, name] of ["convoy.jpg", "convoy-reupload.jpg", "ridge.jpg"].entries()) {
    const file = path.join(dir, "media", name);
    await makeJpeg(file, { width: 320, height: 240, seed: 40 + i, exif: i !== 1 });
    photos.push({ name, path: file, sha256: await sha256File(file) });
  }
  const scene = path.join(dir, "media", "scene.tif");
  await makeScene(scene, { width: 64, height: 64, bandCount: 3, centre: KIDAL, dateTime: "2026:02:10 10:30:00" });
  const basemap = path.join(dir, "media", "basemap.pmtiles");
  await makeBasemap(basemap, { maxZoom: 5 });
  const draft = sampleDraft(options.draft);
  let key: AnswerKey = {
    format: "sightline-answer-key/1",
    sampleId: draft.id,
    locations: [
      {
        sha256: photos[0]!.sha256,
        place: SAMPLE_TRUTH.place,
        toleranceM: 500,
        explanation: "The ridge and the road bend match the scene.",
      },
    ],
    times: [
      {
        sha256: photos[0]!.sha256,
        window: SAMPLE_TRUTH.window,
        toleranceMinutes: 30,
        explanation: "Shadow length gives mid-morning.",
      },
    ],
    traps: [
      {
        id: "stripped",
        sha256: photos[1]!.sha256,
        kind: "stripped-reupload",
        title: "A re-upload with its metadata stripped",
        explanation: "Same picture as convoy.jpg, without EXIF.",
        statuses: ["disputed"],
        keywords: ["stripped", "re-upload"],
      },
    ],
    modelAnswer: "Taken on the ridge road north of Kidal <b>at 08:30</b>.",
  };
  if (options.key) key = options.key(key);
  const sample = await writeSamplePackage({
    out: path.join(dir, `${options.name ?? "kidal"}.sightline-sample`),
    manifest: draft,
    answerKey: key,
    files: [
      ...photos.map((p) => ({ name: p.name, path: p.path, role: "evidence" as const, source: "Telegram channel" })),
      { name: "scene.tif", path: scene, role: "scene", source: "Test satellite", acquiredOn: "2026-02-10" },
      { name: "basemap.pmtiles", path: basemap, role: "basemap", source: "Test tiles" },
    ],
  });
  return { sample, photos, key, draft };
}
