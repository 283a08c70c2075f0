/**
 * A real case for the custody-report tests, made with the real CLI and the LedgerWriter: a JPEG
 * with full EXIF and GPS, a second JPEG with a French name tagged graphic, a short H.264 video, a
 * PNG named .jpg (a warning), a file no parser reads whose name carries markup and a bidi
 * override; notes in Arabic and French (with markup), a status change with its reason, a
 * sensitive geolocation with a map snapshot reviewed by a second examiner, a chronolocation.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { trustedExaminers } from "../../electron/services/ledger/caseTrust.js";
import { LedgerWriter } from "../../electron/services/ledger/ledgerWriter.js";
import type { EventDraft, LedgerEvent } from "../../shared/ledger/events.js";
import { runCli } from "./cli.js";
import { tempDir, writeRandomFile } from "./fixtures.js";
import { chronolocation, proposal, review, snapshotDerivative } from "./geoLedger.js";
import { makeJpeg, makeVideo } from "./mediaCorpus.js";

export const ARABIC_NOTE = "ملاحظة: الصورة التقطت قرب كيدال صباحاً";
export const FRENCH_NOTE = "Vu près de l'Étoile, côté nord; <script>alert('note')</script>";
export const CASE_TITLE = "Affaire « Kidal » <script>alert(1)</script>";
export const FRENCH_NAME = "Café de l'Étoile <b>gras.jpg";
export const HOSTILE_FILE_NAME = "<img src=x onerror=alert(1)>\u202egpj.exe";
/** A name a spreadsheet would run as a formula. */
export const FORMULA_NAME = "=HYPERLINK(1)+2.txt";

export interface ReportCase {
  root: string;
  home: string;
  reviewerHome: string;
  caseDir: string;
  /** SHA-256 by role. */
  items: { photo: string; french: string; video: string; mislabelled: string; hostile: string; formula: string };
}

export async function appendAs(home: string, caseDir: string, drafts: EventDraft[]): Promise<LedgerEvent[]> {
  const key = await new KeyStore(home).findFor(await trustedExaminers(caseDir));
  const writer = await LedgerWriter.open(caseDir, { key });
  try {
    return await writer.append(drafts);
  } finally {
    await writer.close();
  }
}

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

export async function makeReportCase(): Promise<ReportCase> {
  const root = await tempDir("sightline-report-");
  const home = path.join(root, "home");
  const reviewerHome = path.join(root, "reviewer");
  const caseDir = path.join(root, "case");
  const media = path.join(root, "media");
  const files = {
    photo: path.join(media, "photo.jpg"),
    french: path.join(media, FRENCH_NAME),
    video: path.join(media, "clip.mp4"),
    mislabelled: path.join(media, "screenshot.jpg"),
    hostile: path.join(media, HOSTILE_FILE_NAME),
    formula: path.join(media, FORMULA_NAME),
  };
  await makeJpeg(files.photo, { width: 640, height: 480, seed: 3, exif: true });
  await makeJpeg(files.french, { width: 320, height: 240, seed: 9 });
  await makeVideo(files.video, { durationS: 2, width: 320, height: 240, creationTime: "2026-02-16T08:12:44Z" });
  await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .png()
    .toFile(files.mislabelled);
  await writeRandomFile(files.hostile, 5000);
  await writeFile(files.formula, "plain text\n");
  const items = {} as ReportCase["items"];
  for (const [role, file] of Object.entries(files)) items[role as keyof typeof files] = sha(await readFile(file));

  const init = await runCli(
    ["init", caseDir, "--title", CASE_TITLE, "--examiner", "Amélie Durand", "--hash", "md5,sha1"],
    home,
  );
  assert.equal(init.code, 0, init.stderr);
  const imported = await runCli(
    [
      "import",
      caseDir,
      media,
      "--source-url",
      "https://t.me/example/42",
      "--collected-at",
      "2026-02-16T11:40:00+01:00",
    ],
    home,
  );
  assert.equal(imported.code, 0, imported.stderr + imported.stdout);

  // A second examiner, for the review.
  const card = await runCli(["examiner", "key", "--name", "نور الهدى"], reviewerHome);
  assert.equal(card.code, 0, card.stderr);
  await writeFile(path.join(root, "card.json"), card.stdout);
  const added = await runCli(["examiner", "add", caseDir, path.join(root, "card.json")], home);
  assert.equal(added.code, 0, added.stderr);

  // A map snapshot of the photo, as the map saves one: a PNG in its derived folder, then its event.
  const snapshot = await sharp({ create: { width: 80, height: 60, channels: 3, background: { r: 40, g: 120, b: 60 } } })
    .png()
    .toBuffer();
  const snapshotName = "map-1.png";
  await writeFile(path.join(caseDir, "derived", items.photo, snapshotName), snapshot, { mode: 0o400 });
  const [, , , , snapEvent] = await appendAs(home, caseDir, [
    { type: "note.added", payload: { sha256: items.photo, text: ARABIC_NOTE } },
    { type: "note.added", payload: { sha256: items.french, text: FRENCH_NOTE } },
    { type: "tags.changed", payload: { sha256: items.french, added: ["graphic"], removed: [] } },
    {
      type: "status.changed",
      payload: { sha256: items.photo, from: "unverified", to: "in-review", reason: "Geolocation under way <i>now</i>" },
    },
    {
      type: "derivative.created",
      payload: withResampledDnbr(snapshotDerivative(items.photo, sha(snapshot), snapshot.length, snapshotName)),
    },
  ]);
  const [geo] = await appendAs(home, caseDir, [
    {
      type: "geolocation.proposed",
      payload: withSceneClue(
        proposal(items.photo, {
          sensitive: true,
          snapshot: { path: `derived/${items.photo}/${snapshotName}`, sha256: snapEvent!.payload.sha256 as string },
        }),
      ),
    },
    { type: "chronolocation.recorded", payload: chronolocation(items.photo) },
    {
      type: "geolocation.proposed",
      payload: proposal(items.video, { place: { shape: "point", lat: 16.271, lon: -0.044 }, sensitive: false }),
    },
  ]);
  await appendAs(reviewerHome, caseDir, [
    {
      type: "geolocation.reviewed",
      payload: review(items.photo, { seq: geo!.seq, hash: geo!.hash }, "agree", "La crête correspond."),
    },
  ]);
  return { root, home, reviewerHome, caseDir, items };
}

/** The resampling a report case's snapshot records for its dNBR layer (two scenes on different grids). */
export const REPORT_RESAMPLING = {
  resampled: { sha256: "a".repeat(64), date: "2026-02-17" },
  onto: { sha256: "b".repeat(64), date: "2026-02-15" },
  grid: { epsg: 32631, pixelSize: [20, 20], width: 512, height: 512 },
  fromEpsg: 32630,
  method: "bilinear",
} as const;

/** A Sentinel-2 scene id: its `T31QDB` names a 100 km MGRS tile, so a withheld place must not print it. */
export const REPORT_SCENE_ID = "S2B_MSIL2A_20260215T102029_N0511_R065_T31QDB_20260215T125523";

/** The proposal with its second clue matched on online tiles of one Sentinel-2 scene. */
function withSceneClue(payload: ReturnType<typeof proposal>): ReturnType<typeof proposal> {
  const [first, second] = payload.clues;
  const layer = { ...second!.layer, provider: "Copernicus Sentinel-2", sceneId: REPORT_SCENE_ID };
  return { ...payload, clues: [first!, { ...second!, layer }] };
}

/** A snapshot whose map also showed a dNBR of two scenes on different pixel grids. */
function withResampledDnbr(payload: ReturnType<typeof snapshotDerivative>): ReturnType<typeof snapshotDerivative> {
  const layers = payload.params.layers as Record<string, unknown>[];
  const dnbr = {
    ...layers[0],
    kind: "scene",
    sha256: REPORT_RESAMPLING.resampled.sha256,
    provider: "Landsat",
    sceneId: null,
    date: REPORT_RESAMPLING.resampled.date,
    template: null,
    view: "dnbr",
    pair: { before: REPORT_RESAMPLING.onto.sha256, after: REPORT_RESAMPLING.resampled.sha256 },
    resampling: REPORT_RESAMPLING,
  };
  return { ...payload, params: { ...payload.params, layers: [...layers, dnbr] } };
}
