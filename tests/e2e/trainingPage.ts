/**
 * What the training end-to-end run needs besides the page: a workbench behind a real loopback
 * host with its own profile (where the answer keys of started exercises are kept), a sample
 * package (the shipped one, or one built here with the package writer from media made by the
 * test), the package's answer key read straight from the zip (the test may; the page may not),
 * and geodesic distances computed independently of the scorer.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { access, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type yauzlTypes from "yauzl";
import geodesic from "geographiclib-geodesic";
import { SightlineService } from "../../electron/services/sightlineService.js";
import { startLoopbackHost, type LoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { writeSamplePackage } from "../../electron/services/training/samplePackage.js";
import { createHttpClient } from "../../renderer/api/apiClient.js";
import { AnswerKeySchema, type AnswerKey } from "../../shared/training/sampleFormat.js";
import { REPO_ROOT } from "../support/cli.js";
import { tempDir } from "../support/fixtures.js";
import { makeJpeg } from "../support/mediaCorpus.js";
import { makeBasemap } from "../support/tileServer.js";

const require = createRequire(import.meta.url);
const yauzl = require("yauzl") as typeof yauzlTypes;

/** The sample shipped with the workbench (resources/samples/), when it has been built. */
export const SHIPPED_SAMPLE = path.join(REPO_ROOT, "resources", "samples", "river-compound-burn.sightline-sample");

export interface TrainingSeat {
  root: string;
  home: string;
  service: SightlineService;
  host: LoopbackHost;
  api: ReturnType<typeof createHttpClient>["api"];
  close(): Promise<void>;
}

export async function startTrainingSeat(): Promise<TrainingSeat> {
  const root = await tempDir("sightline-training-");
  const home = path.join(root, "profile");
  const service = new SightlineService(new KeyStore(home));
  const host = await startLoopbackHost({ service });
  return {
    root,
    home,
    service,
    host,
    api: createHttpClient(host.url, host.token).api,
    async close() {
      await service.jobs.settle();
      await host.close();
      await service.close();
    },
  };
}

export async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** Every entry of a zip, by name (small packages only: the test reads the key and the manifest). */
export function readZipEntries(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error("no zip"));
      const out = new Map<string, Buffer>();
      zip.on("entry", (entry: yauzlTypes.Entry) => {
        if (entry.fileName.endsWith("/") || entry.fileName.startsWith("files/")) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error("no stream"));
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
          stream.on("error", reject);
        });
      });
      zip.on("end", () => resolve(out));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

/** The answer key inside a package, parsed, with its SHA-256. */
export async function readAnswerKey(file: string): Promise<{ key: AnswerKey; sha256: string; manifest: unknown }> {
  const entries = await readZipEntries(file);
  const bytes = entries.get("answer-key.json");
  if (!bytes) throw new Error("the package has no answer-key.json");
  return {
    key: AnswerKeySchema.parse(JSON.parse(bytes.toString("utf8"))),
    sha256: createHash("sha256").update(bytes).digest("hex"),
    manifest: JSON.parse(entries.get("sample.json")!.toString("utf8")),
  };
}

/** Metres between two points on the WGS 84 ellipsoid (GeographicLib, Karney 2013). */
export function geodesicMetres(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  return geodesic.Geodesic.WGS84.Inverse(a.lat, a.lon, b.lat, b.lon).s12!;
}

/** The test's own sample's true place and time (a compound near Kidal, burning on 16 Feb 2026). */
export const BUILT_PLACE = { lat: 18.441111, lon: 1.407778 };
export const BUILT_WINDOW = { from: "2026-02-16T08:30:00Z", to: "2026-02-16T09:30:00Z" };

/**
 * A small sample package built with the package writer: a photo of the compound (EXIF), a
 * re-upload of another picture as the trap, and an offline basemap, with a briefing, three hints
 * (one with hostile text) and an answer key.
 */
export async function buildTestSample(root: string): Promise<string> {
  const media = path.join(root, "sample-media");
  await mkdir(media, { recursive: true });
  const photo = path.join(media, "compound-photo.jpg");
  const reupload = path.join(media, "reupload.jpg");
  await makeJpeg(photo, { width: 1200, height: 800, seed: 7, exif: true });
  await makeJpeg(reupload, { width: 640, height: 426, seed: 11 });
  const basemap = path.join(media, "area-basemap.pmtiles");
  await makeBasemap(basemap, { name: "Area offline" });
  const sha = (p: string) => createHash("sha256").update(readFileSync(p)).digest("hex");
  const out = path.join(root, "compound-fire.sightline-sample");
  await writeSamplePackage({
    out,
    manifest: {
      id: "compound-fire",
      title: "Compound fire near the wadi",
      author: "Sightline test trainer",
      createdAt: "2026-02-20T10:00:00Z",
      briefing: {
        task: "Find where and when the photo of the burning compound was taken.\nSay which file is not what it claims to be.",
        claims: ["Posted 16 Feb: “the compound at the wadi burns this morning”", "<b>Taken yesterday</b> in Gao"],
        timeAllowedMinutes: 90,
      },
      hints: [
        { title: "Look at the ridge", text: "The ridge line runs <i>south-west</i> of the compound." },
        { title: "Shadows", text: "The shadows are short: late morning." },
        { title: "The re-upload", text: "Compare the two pictures' metadata." },
      ],
    },
    answerKey: {
      format: "sightline-answer-key/1",
      sampleId: "compound-fire",
      locations: [
        { sha256: sha(photo), place: BUILT_PLACE, toleranceM: 2000, explanation: "The ridge and the wadi bend." },
      ],
      times: [{ sha256: sha(photo), window: BUILT_WINDOW, toleranceMinutes: 30, explanation: "Shadow lengths." }],
      traps: [
        {
          id: "reupload",
          sha256: sha(reupload),
          kind: "stripped-reupload",
          title: "Stripped re-upload",
          explanation: "Its metadata was removed.",
          statuses: ["disputed", "rejected"],
          keywords: ["re-upload", "stripped"],
        },
      ],
      modelAnswer: "The compound lies at the wadi bend north of the ridge.\n\nThe photo was taken about 09:00 UTC.",
    },
    files: [
      { name: "compound-photo.jpg", path: photo, role: "evidence", source: "Posted on a public channel" },
      { name: "reupload.jpg", path: reupload, role: "evidence", source: "Forwarded in a group chat" },
      { name: "area-basemap.pmtiles", path: basemap, role: "basemap", source: "Offline basemap of the area" },
    ],
  });
  return out;
}
