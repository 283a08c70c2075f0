/**
 * Valid payloads of the where-and-when events, for tests that write them into real ledgers (with
 * the LedgerWriter, or signed by hand to test verify's rules). Each one passes its schema as is;
 * `overrides` change what a test is about. And a burn-scar case behind the real loopback host
 * (two photos, the before and after scenes imported, the chosen scenes marked), which the
 * snapshot and geolocation record tests start from.
 */
import path from "node:path";
import type { DerivativeCreated } from "../../shared/ledger/events.js";
import type {
  ChronolocationRecorded,
  EventRef,
  GeolocationProposed,
  GeolocationReviewed,
  ReferenceMarked,
} from "../../shared/ledger/geoEvents.js";
import { makeBurnPair, type BurnPair } from "./geoFixtures.js";
import { startGeoCase, valueOf, type GeoCase } from "./geoHost.js";
import { makeJpeg } from "./mediaCorpus.js";

/** An online tile layer, as a clue or a snapshot names it. */
const TILES = {
  kind: "tiles",
  sha256: null,
  provider: "World imagery",
  sceneId: null,
  date: null,
  template: "https://tiles.example/{z}/{x}/{y}.png",
} as const;

/** A located proposal near Kidal: a point, vicinity precision, strong possibility, two clues. */
export function proposal(sha256: string, overrides: Partial<GeolocationProposed> = {}): GeolocationProposed {
  return {
    sha256,
    replaces: null,
    claims: [
      {
        source: "caption",
        location: null,
        placeName: "near Kidal",
        time: "2026-02-16T09:00:00Z",
        detail: "the Telegram caption",
      },
    ],
    outcome: "located",
    place: { shape: "point", lat: 18.441234, lon: 1.407654 },
    precision: { class: "vicinity", radiusM: 100 },
    confidence: "strong-possibility",
    cannotReason: null,
    clues: [
      {
        what: "ridge line",
        frame: { image: "original", x: 120, y: 44, timestampS: null },
        map: { lat: 18.4431, lon: 1.4102 },
        layer: TILES,
      },
      {
        what: "wadi bend",
        frame: { image: "original", x: 300, y: 200, timestampS: null },
        map: { lat: 18.4401, lon: 1.4051 },
        layer: TILES,
      },
    ],
    eliminated: [{ place: "Anefis", location: { lat: 17.95, lon: 0.5 }, why: "no ridge to the north" }],
    method: "Matched the ridge line and the wadi bend against the imagery.",
    sensitive: false,
    snapshot: null,
    ...overrides,
  };
}

/** An item that cannot be geolocated, with why. */
export function cannotGeolocate(sha256: string, why = "only sky and sand in frame"): GeolocationProposed {
  return proposal(sha256, {
    outcome: "cannot-geolocate",
    place: null,
    precision: null,
    confidence: null,
    cannotReason: why,
    clues: [],
    eliminated: [],
  });
}

export function review(
  sha256: string,
  geolocation: EventRef,
  verdict: "agree" | "disagree" = "agree",
  reason = "The ridge matches.",
): GeolocationReviewed {
  return { sha256, geolocation, verdict, reason };
}

export function chronolocation(
  sha256: string,
  overrides: Partial<ChronolocationRecorded> = {},
): ChronolocationRecorded {
  return {
    sha256,
    replaces: null,
    place: { lat: 18.441234, lon: 1.407654 },
    date: "2026-02-16",
    claims: [{ source: "post-time", location: null, placeName: null, time: "2026-02-16T11:30:00Z", detail: "posted" }],
    window: { from: "2026-02-16T08:40:00Z", to: "2026-02-16T09:20:00Z" },
    shadows: [
      {
        frame: { image: "original", timestampS: null },
        what: "lamp post",
        object: { base: { x: 10, y: 100 }, top: { x: 10, y: 20 } },
        knownHeightM: null,
        shadow: { base: { x: 10, y: 100 }, tip: { x: 90, y: 120 } },
        ratio: 1.03,
        shadowBearingDeg: 290,
        elevationDeg: 44.1,
        windows: [{ from: "2026-02-16T08:40:00Z", to: "2026-02-16T09:20:00Z" }],
      },
    ],
    sunModel: { name: "suncalc", version: "1.9.0" },
    method: "Shadow of the lamp post against its height.",
    ...overrides,
  };
}

export function sceneMarked(sha256: string): ReferenceMarked {
  return {
    sha256,
    kind: "scene",
    provider: "Copernicus Sentinel-2",
    sceneId: "S2B_MSIL2A_20260215",
    acquiredOn: "2026-02-15",
    bands: [
      { band: 1, role: "red", label: "B4" },
      { band: 2, role: "nir-narrow", label: "B8A" },
      { band: 3, role: "swir2", label: "B12" },
    ],
    note: "",
    fileTags: {
      width: 64,
      height: 64,
      bandCount: 3,
      bitsPerSample: 16,
      sampleFormat: "uint",
      epsg: 32631,
      bounds: [500000, 2000000, 506400, 2006400],
      bounds84: [3, 18.08, 3.06, 18.14],
      resolution: [100, 100],
      isTiled: true,
      overviewCount: 0,
      dateTime: null,
      description: null,
      noData: 0,
    },
  };
}

/** An offline basemap (PMTiles) marked as reference imagery. */
export function basemapMarked(sha256: string): ReferenceMarked {
  return {
    sha256,
    kind: "basemap",
    provider: "OpenStreetMap contributors",
    note: "offline basemap of the Kidal region",
    fileTags: {
      tileType: "png",
      minZoom: 0,
      maxZoom: 14,
      bounds84: [0.5, 17.5, 2.5, 19.5],
      tileCount: 1365,
      attribution: "© OpenStreetMap contributors",
      name: "kidal",
    },
  };
}

/** A `derivative.created` payload for a map snapshot of `parent` (the PNG's hash and size given). */
export function snapshotDerivative(
  parent: string,
  sha256: string,
  size: number,
  name = "map-1.png",
): DerivativeCreated {
  return {
    parent,
    role: "map-snapshot",
    path: `derived/${parent}/${name}`,
    sha256,
    size,
    mime: "image/png",
    width: 800,
    height: 600,
    timestampS: null,
    phash: null,
    tool: { name: "sightline-map", version: "1" },
    params: {
      layers: [
        {
          ...TILES,
          view: "as-is",
          opacity: 1,
          visible: true,
          pair: null,
        },
      ],
      zoom: 15,
      centre: { lat: 18.44, lon: 1.41 },
      bounds84: [1.39, 18.43, 1.43, 18.45],
      rotationDeg: 0,
      compare: { mode: "single", position: 0.5 },
      markers: [],
      renderedAt: "2026-02-16T12:00:00Z",
      viewport: { width: 800, height: 600 },
    },
  };
}

export interface BurnCase {
  geo: GeoCase;
  pair: BurnPair;
  /** The photos' SHA-256, in the order they were asked for. */
  photos: string[];
  /** The before (15 Feb) and after (17 Feb) scenes' SHA-256. */
  before: string;
  after: string;
}

/**
 * A case behind the real loopback host holding two 320×240 JPEGs (`photos`: name, picture seed,
 * and with `exif` the corpus's tags) and the burn pair's two scenes, with the scenes in `marked`
 * marked as Sentinel-2 scenes dated as the pair says.
 */
export async function startBurnCase(
  photos: { name: string; seed: number; exif?: boolean }[],
  marked: ("before" | "after")[],
): Promise<BurnCase> {
  const geo = await startGeoCase();
  const pair = await makeBurnPair(path.join(geo.root, "scenes"));
  const media = path.join(geo.root, "media");
  for (const p of photos) {
    await makeJpeg(path.join(media, p.name), { width: 320, height: 240, seed: p.seed, exif: p.exif ?? false });
  }
  const sha = await geo.importFiles([
    ...photos.map((p) => path.join(media, p.name)),
    pair.before.path,
    pair.after.path,
  ]);
  const scenes = {
    before: { sha256: sha[path.basename(pair.before.path)]!, date: pair.beforeDate },
    after: { sha256: sha[path.basename(pair.after.path)]!, date: pair.afterDate },
  };
  for (const which of marked) {
    const { sha256, date } = scenes[which];
    valueOf(
      await geo.analyst.api.markReference({
        dir: geo.caseDir,
        sha256,
        kind: "scene",
        provider: "Copernicus Sentinel-2",
        sceneId: `S2B_${date.replaceAll("-", "")}`,
        acquiredOn: date,
      }),
    );
  }
  return {
    geo,
    pair,
    photos: photos.map((p) => sha[p.name]!),
    before: scenes.before.sha256,
    after: scenes.after.sha256,
  };
}
