/**
 * What the trainee is told and what the trainer knows about the shipped sample: the briefing, the
 * staged hints, and the answer key (true places and time windows, the traps and how each is caught,
 * the model answer). Places and times come from the landscape's description, so the key says what
 * the pictures were really drawn from.
 */
import geodesic from "geographiclib-geodesic";
import { sunPosition } from "../../shared/geo/sunPosition.js";
import type { AnswerKey, SampleManifestDraft } from "../../shared/training/sampleFormat.js";
import { RIDGE_CAMERA, ROAD_CAMERA, TIMES, toLatLon, VIDEO_CAMERA, type Point } from "./landscape.js";
import { terrainHeight } from "./surface.js";

/** A camera's distance from the compound's centre, rounded to 10 m, for the key's explanations. */
const fromCompound = (p: Point) => Math.round(Math.hypot(p.x, p.y) / 10) * 10;

export const SAMPLE_ID = "river-compound-burn";

/** The evidence files by their part in the story (names as the trainee sees them). */
export const EVIDENCE = {
  road: "IMG_20260314_084217.jpg",
  reupload: "photo_2026-03-14_11-07-32.jpg",
  edited: "power-line-down.jpg",
  ridge: "IMG_20260314_085140.jpg",
  video: "VID_20260314_165231.mp4",
} as const;
export type EvidenceRole = keyof typeof EVIDENCE;

export const REFERENCE = {
  before: { name: "scene-2026-03-09.tif", acquiredOn: "2026-03-09" },
  after: { name: "scene-2026-03-16.tif", acquiredOn: "2026-03-16" },
  basemap: { name: "basemap.pmtiles" },
} as const;

/** Where the trainee is told each file came from. */
export const SOURCES: Record<EvidenceRole | keyof typeof REFERENCE, string> = {
  road: "Sent on 14 March 2026 by a relative of the compound's owner, straight from his phone.",
  reupload: "Saved from a public channel's post of 14 March 2026, 11:07 UTC.",
  edited: "Shared on social media on 15 March 2026 with the caption: the power line is down.",
  ridge: "Sent by a neighbour, who says he took it from the hill above the compound that morning.",
  video: "Forwarded on 15 March 2026 by a local journalist, who received it from a resident.",
  before: "Reference satellite scene of the area, acquired 9 March 2026 (synthetic imagery).",
  after: "Reference satellite scene of the area, acquired 16 March 2026 (synthetic imagery).",
  basemap: "Offline basemap of the area (synthetic imagery).",
};

/** The time windows of the key, as ISO 8601 with the place's offset. */
export const WINDOWS = {
  road: { from: "2026-03-14T08:35:00+00:00", to: "2026-03-14T08:50:00+00:00" },
  video: { from: "2026-03-14T08:25:00+00:00", to: "2026-03-14T08:45:00+00:00" },
} as const;

/** Where the ridge photo's GPS tag says it was taken: about 37 km north-east of where it was. */
export const FALSE_GPS = (() => {
  const truth = toLatLon(RIDGE_CAMERA);
  return { lat: Number((truth.lat + 0.2712).toFixed(6)), lon: Number((truth.lon + 0.2087).toFixed(6)) };
})();

/** How far the ridge photo's GPS tag is from where it was taken, in whole km (on the WGS 84 ellipsoid). */
function falseGpsKm(): number {
  const truth = toLatLon(RIDGE_CAMERA);
  return Math.round(geodesic.Geodesic.WGS84.Inverse(truth.lat, truth.lon, FALSE_GPS.lat, FALSE_GPS.lon).s12! / 1000);
}

export function manifestDraft(): SampleManifestDraft {
  return {
    id: SAMPLE_ID,
    title: "Fire at the river compound",
    author: "Sightline sample builder (all content synthetic)",
    createdAt: "2026-03-20T09:00:00Z",
    briefing: {
      task:
        "A walled family compound beside a river is said to have been set on fire on the morning of 14 March 2026. " +
        `Five files reached you. Find where and when the road photo (${EVIDENCE.road}) was taken: record a geolocation ` +
        "with its precision and a chronolocation with its time window, listing the clues you matched. Find where the " +
        `view from the hill (${EVIDENCE.ridge}) was really taken, and when the video (${EVIDENCE.video}) was really ` +
        "filmed. Then check every file: which are copies, which were edited, which carry metadata that is wrong? Flag each file you would " +
        "not rely on (a note saying why, the status Disputed or Rejected, or, where Sightline warns about it, the " +
        "warning acknowledged with a remark), state your confidence, and submit. " +
        "Two satellite scenes (9 and 16 March) and an offline basemap of the area are in the case as reference imagery.",
      claims: [
        // Plain sentences, no quotation marks of their own: the workbench shows each claim quoted.
        `A public channel posted at 11:07 UTC on 14 March 2026 that the family's compound by the river burned that morning, just after eight, with the photo ${EVIDENCE.reupload}.`,
        `A post of 15 March 2026 says the power line is down too, with the photo ${EVIDENCE.edited}.`,
        `The neighbour who sent ${EVIDENCE.ridge} says he took it from the hill above the compound that morning.`,
        `The resident who filmed ${EVIDENCE.video} says the fire was still burning in the late afternoon.`,
      ],
      timeAllowedMinutes: 90,
    },
    hints: [
      {
        title: "Start with what the files say about themselves",
        text:
          "Compare camera, capture time and GPS across the files. One photo has no metadata at all, one was saved by " +
          "an editing program, and one photo's GPS tag points tens of kilometres away from where the others were taken.",
      },
      {
        title: "Match the ridge, the river and the road",
        text:
          "A ridge with a high western summit and a lower eastern one runs west-north-west to east-south-east north of " +
          "the compound. The river bends east round the fields about 200 m west of the compound, and a track with a " +
          "power line passes just south of it. Find all three on the basemap and the scenes, then line up the view.",
      },
      {
        title: "Read the light",
        text:
          "Tree shadows fall towards the west-north-west and the east faces of the walls are lit: the sun is in the " +
          "east-south-east, roughly 35° up. At this place in mid-March that is the morning, not the afternoon. Use the " +
          "sun tool with the place and date, and compare with what each file claims.",
      },
      {
        title: "Put the near-duplicates side by side",
        text:
          "Sightline groups three pictures as near-duplicates. Compare them: one is smaller and carries nothing, one " +
          "differs in a detail along the road. The burn index (dNBR) of the two scenes shows where the ground burned.",
      },
    ],
  };
}

/** The answer key, given the SHA-256 of each evidence file. */
export function answerKey(sha: Record<EvidenceRole, string>): AnswerKey {
  const road = toLatLon(ROAD_CAMERA);
  const ridge = toLatLon(RIDGE_CAMERA);
  const roadSun = sunPosition(road, new Date(TIMES.photoRoad));
  const fmt = (p: { lat: number; lon: number }) => ({ lat: Number(p.lat.toFixed(6)), lon: Number(p.lon.toFixed(6)) });
  const roadPlace =
    `The camera stood on the south edge of the track about ${fromCompound(ROAD_CAMERA)} m south-west of the compound, looking north-east: the ` +
    "compound with the ridge's two summits behind it, the river's tree line on the left, the power line along the track.";
  return {
    format: "sightline-answer-key/1",
    sampleId: SAMPLE_ID,
    locations: [
      { sha256: sha.road, place: fmt(road), toleranceM: 150, explanation: roadPlace },
      {
        sha256: sha.ridge,
        place: fmt(ridge),
        toleranceM: 250,
        explanation:
          `Taken from the south slope of the ridge's western summit, about ${Math.round(terrainHeight(RIDGE_CAMERA.x, RIDGE_CAMERA.y) / 5) * 5} m above the plain and ${fromCompound(RIDGE_CAMERA)} m north-north-west ` +
          "of the compound, looking south: the compound, the river bend to its right and the fields between. Its GPS tag is false.",
      },
    ],
    times: [
      {
        sha256: sha.road,
        window: WINDOWS.road,
        toleranceMinutes: 20,
        explanation: `Taken at ${TIMES.photoRoad.slice(11, 16)} UTC (local time; Mali keeps UTC): the sun stood about ${Math.round(roadSun.azimuth)}° (east-south-east) and ${Math.round(roadSun.elevation)}° high, as the shadows show.`,
      },
      {
        sha256: sha.video,
        window: WINDOWS.video,
        toleranceMinutes: 20,
        explanation: `Filmed at about ${TIMES.video.slice(11, 16)} UTC from the open ground about ${fromCompound(VIDEO_CAMERA)} m south-east of the compound, with the fire at its height: shadows point west-north-west and the east faces of the walls are lit. The container's ${TIMES.videoContainer.slice(11, 16)} UTC is wrong.`,
      },
    ],
    traps: [
      {
        id: "stripped-reupload",
        sha256: sha.reupload,
        kind: "stripped-reupload",
        title: "A re-upload with its metadata stripped",
        explanation: `The channel's photo is ${EVIDENCE.road} made smaller and recompressed, with every tag removed: a copy, not a second witness. Sightline's near-duplicate finder groups it with the original.`,
        statuses: [],
        keywords: ["re-upload", "reupload", "stripped", "duplicate", "same photo", "same picture", "copy of"],
      },
      {
        id: "false-gps",
        sha256: sha.ridge,
        kind: "false-gps",
        title: "A photo whose GPS tag lies",
        explanation: `The GPS tag of ${EVIDENCE.ridge} says ${FALSE_GPS.lat.toFixed(4)}, ${FALSE_GPS.lon.toFixed(4)}, about ${falseGpsKm()} km north-east, far outside the area the view shows. The view itself matches the ridge above the compound.`,
        statuses: ["disputed"],
        keywords: [
          "false gps",
          "wrong gps",
          "gps is wrong",
          "gps wrong",
          "gps lies",
          "gps tag",
          "gps does not match",
          "gps doesn't match",
          "spoofed",
          "wrong location",
        ],
      },
      {
        id: "edited-near-duplicate",
        sha256: sha.edited,
        kind: "edited-near-duplicate",
        title: "A near-duplicate with an edit",
        explanation: `power-line-down.jpg is ${EVIDENCE.road} with the second pole from the camera taken out (its wires still run to where it stood, ending in mid-air) and the smoke made heavier; its tags name Adobe Photoshop and a save on 15 March. The original, with the same capture time, still shows that pole.`,
        statuses: ["rejected", "disputed"],
        keywords: [
          "edited",
          "manipulated",
          "photoshop",
          "altered",
          "doctored",
          "pole removed",
          "pole missing",
          "retouched",
        ],
      },
      {
        id: "container-date-mismatch",
        sha256: sha.video,
        kind: "container-date-mismatch",
        title: "A video whose container date disagrees with its content",
        explanation: `The MP4's creation_time says ${TIMES.videoContainer.replace("T", " ").replace("Z", " UTC")}, when the sun would be low in the west and shadows would point east. In the video the shadows point west-north-west and the east faces are lit: it was filmed in the morning.`,
        statuses: ["disputed"],
        keywords: [
          "creation time",
          "creation_time",
          "container date",
          "wrong date",
          "wrong time",
          "morning",
          "afternoon",
          "shadows",
        ],
      },
    ],
    modelAnswer: [
      `Place: ${EVIDENCE.road} was taken from the track about ${fromCompound(ROAD_CAMERA)} m south-west of a walled compound at about ${road.lat.toFixed(4)} N, ${road.lon.toFixed(4)} E (its own GPS tag agrees). The ridge's high western and lower eastern summits behind the compound, the river's tree line to the west and the power line along the track all match the basemap and both satellite scenes. Precision: within about 100 m.`,
      `Time: the shadows point west-north-west and the sun is about ${Math.round(roadSun.elevation)}° up in the east-south-east; at this place on 14 March 2026 that fits ${WINDOWS.road.from.slice(11, 16)}–${WINDOWS.road.to.slice(11, 16)} UTC (local time, as Mali keeps UTC), which agrees with the photo's own capture time of ${TIMES.photoRoad.slice(11, 16)}. The burn index between the scenes of 9 and 16 March shows a fresh scar over the compound and the fields west of it.`,
      `Traps: ${EVIDENCE.reupload} is the same photo re-uploaded without metadata (a copy, not a second source). power-line-down.jpg is the same photo edited: a pole removed and smoke added, saved by Photoshop on 15 March; the claim that the power line is down is not supported. ${EVIDENCE.ridge} was taken from the ridge above the compound, so its GPS tag, ${falseGpsKm()} km away, is false. ${EVIDENCE.video} shows morning light although its container says ${TIMES.videoContainer.slice(11, 16)} UTC; the container date is wrong, the video is consistent with the fire of that morning.`,
      "Confidence: the place is verified by at least three independent matches (ridge profile, river bend, road and power line); the time window is a strong possibility from the sun, consistent with the original photo's metadata.",
    ].join(" "),
  };
}
