/**
 * Where and when for a video, in Chromium against the real host: the frame is one of the video's
 * keyframes, picked from the strip; a clue marked on it names that keyframe and its time; the
 * record is revised from "cannot be geolocated" to an area drawn on the map.
 */
import { expect, test } from "@playwright/test";
import path from "node:path";
import { makeVideo } from "../support/mediaCorpus.js";
import { valueOf, type GeoCase } from "../support/geoHost.js";
import { clickAt, expectNamedControls, openWorkspace, startMediaCase, watch } from "./geolocatePage.js";

test.use({ viewport: { width: 1920, height: 1080 } });

let geo: GeoCase;
let sha: Record<string, string>;

test.beforeAll(async () => {
  ({ geo, sha } = await startMediaCase(async (media) => {
    const file = path.join(media, "village.mp4");
    await makeVideo(file, { durationS: 6, scenes: 2, gopFrames: 50 });
    return file;
  }));
});

test.afterAll(async () => geo?.close());

test("a video is geolocated on its keyframes: each point names the keyframe and its time", async ({ page }) => {
  const errors = watch(page);
  await openWorkspace(page, geo.analyst.host.url, geo.analyst.host.token, geo.caseDir, "village.mp4");
  const item = valueOf(await geo.analyst.api.getItem({ dir: geo.caseDir, sha256: sha["village.mp4"]! }));
  const keyframes = item.derivatives
    .filter((d) => d.role === "keyframe")
    .sort((a, b) => (a.timestampS ?? 0) - (b.timestampS ?? 0));
  expect(keyframes.length).toBeGreaterThan(1);
  const last = keyframes.at(-1)!;
  const picker = page.getByRole("region", { name: "Keyframes" }).or(page.getByLabel("Keyframes"));
  const buttons = picker.getByRole("button", { name: /^Keyframe at / });
  await expect(buttons).toHaveCount(keyframes.length);
  await buttons.last().click();
  await expect(buttons.last()).toHaveAttribute("aria-pressed", "true");
  const frame = page.getByRole("application", { name: /^Frame: keyframe at / });
  const image = frame.getByRole("img", { name: /village\.mp4, keyframe at/ });
  await expect(image).toBeVisible({ timeout: 30_000 });
  const form = page.getByLabel("Geolocation form");
  await form.getByRole("button", { name: "Add a clue" }).click();
  await clickAt(page, image, 0.5, 0.5);
  await clickAt(page, page.getByRole("application", { name: "Map", exact: true }), 0.5, 0.5);
  await form.getByLabel("Clue 1: what it is").fill("water tower");
  await form.getByLabel("Outcome").getByText("Cannot be geolocated").click();
  await form
    .getByLabel("Why it cannot be geolocated")
    .fill("Only one landmark; the tower type is common in the region.");
  await form.getByRole("button", { name: "Save geolocation" }).click();
  await expect(form.getByRole("status")).toContainText("Recorded as event", { timeout: 90_000 });
  const saved = valueOf(await geo.analyst.api.listGeolocations({ dir: geo.caseDir, sha256: sha["village.mp4"]! }));
  const proposal = saved.geolocations[0]!.payload;
  expect(proposal).toMatchObject({ outcome: "cannot-geolocate", place: null, confidence: null });
  expect(proposal.clues[0]!.frame).toMatchObject({ image: last.path, timestampS: last.timestampS });
  expect(proposal.clues[0]!.frame.x).toBeCloseTo((last.width ?? 0) / 2, -1);

  // Revised: located after all, as an area drawn on the map, within a stated radius.
  const map = page.getByRole("application", { name: "Map", exact: true });
  await form.getByLabel("Outcome").getByText("Located", { exact: true }).click();
  await form.getByLabel("Place is").getByText("An area").click();
  await form.getByRole("button", { name: "Draw the area on the map" }).click();
  for (const [n, fx, fy] of [
    [1, 0.3, 0.3],
    [2, 0.7, 0.35],
    [3, 0.5, 0.7],
  ] as const) {
    await clickAt(page, map, fx, fy);
    // Each corner counted before the next click (two quick clicks would be a double click).
    await expect(form.getByText(new RegExp(`^${n} corners? · `))).toBeVisible();
  }
  await form.getByRole("button", { name: "Finish the area" }).click();
  await form.getByLabel("Precision").click();
  await page.getByRole("option", { name: "Within a radius I state" }).click();
  await form.getByLabel("Radius in metres").fill("500");
  await form.getByLabel("Confidence").click();
  await page.getByRole("option", { name: "Possible", exact: true }).click();
  await form.getByRole("button", { name: "Save revision" }).click();
  await expect(form.getByRole("status")).toContainText("a revision of", { timeout: 90_000 });
  const revised = valueOf(await geo.analyst.api.listGeolocations({ dir: geo.caseDir, sha256: sha["village.mp4"]! }));
  const area = revised.geolocations.find((g) => g.replacedBy === null)!.payload;
  expect(area).toMatchObject({
    outcome: "located",
    cannotReason: null,
    confidence: "possible",
    precision: { class: "radius", radiusM: 500 },
  });
  expect(area.place?.shape === "area" && area.place.ring.length).toBe(3);

  // History shows the clue on the keyframe it was taken on, whichever keyframe was showing.
  await buttons.first().click();
  await expect(buttons.first()).toHaveAttribute("aria-pressed", "true");
  await page.getByRole("tab", { name: /History and review/ }).click();
  await expect(buttons.last()).toHaveAttribute("aria-pressed", "true");
  await expect(frame.getByText("1", { exact: true })).toBeVisible();
  const clues = page.getByRole("list", { name: /^Clues of proposal #\d+$/ });
  await expect(clues.getByRole("listitem")).toHaveCount(1);
  // Minutes and seconds to a tenth, as the keyframe strip shows them.
  const at = `${Math.floor(last.timestampS! / 60)}:${(last.timestampS! % 60).toFixed(1).padStart(4, "0")}`;
  await expect(clues).toContainText(`water tower — on the keyframe at ${at} at pixel`);
  await expectNamedControls(page);
  expect(errors).toEqual([]);
});
