/**
 * The veil: each veiled tile shows a small grey copy of its picture made in the page
 * (renderer/src/components/veiledCopy.ts), whatever the picture's shape, with no sharp detail left,
 * and the clear picture is never shown, not for a frame, until the examiner reveals it. A preview
 * damaged in the vault, or swapped for a huge picture, says so on its tile and takes nothing else
 * with it. The item view veils the same way: a picture's original is not even fetched until it is
 * revealed, and a video's keyframes are copies.
 */
import { expect, test, type Locator, type Page } from "@playwright/test";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { makeJpeg, makeVideo } from "../support/mediaCorpus.js";
import { expectNoAxeViolations } from "./axeScan.js";
import { openCase, SCREENSHOTS, startCase, type CaseWorkbench } from "./caseSetup.js";

let workbench: CaseWorkbench;

/**
 * The steepest change of brightness a veiled copy may keep between neighbouring pixels, as a share
 * of its own contrast (its lightest less its darkest): at most a quarter, so going from its darkest
 * to its lightest takes at least four of its 96 pixels. Copies measure 0.08-0.16 (a dozen pixels
 * grown smoothly eightfold), strong test patterns included; a clear checkerboard measures 1.
 */
const STEEPEST = 1 / 4;

const PICTURES = {
  "street.jpg": { width: 640, height: 480 },
  // Thumbnails keep the shape: this one's is a strip a few pixels high, whose copy still has a row.
  "panorama.jpg": { width: 6000, height: 80 },
  "mast.jpg": { width: 80, height: 2400 },
  "damaged-preview.jpg": { width: 400, height: 300 },
  "oversized-preview.jpg": { width: 400, height: 300 },
};

test.beforeAll(async () => {
  workbench = await startCase("sightline-e2e-veil-", "Veil");
  const media = path.join(workbench.root, "media");
  for (const [i, [name, size]] of Object.entries(PICTURES).entries()) {
    await makeJpeg(path.join(media, name), { ...size, seed: 40 + i });
  }
  await checkerboard(path.join(media, "checks.jpg"));
  await makeVideo(path.join(media, "convoy.mp4"), { durationS: 4, scenes: 2, gopFrames: 50 });
  await workbench.importPaths([media]);
  // A preview damaged in the vault after the import (the original is untouched).
  const items = await workbench.service.listItems({ dir: workbench.caseDir });
  const damaged = items.find((item) => item.name === "damaged-preview.jpg");
  expect(damaged?.thumbnailPath).toBeTruthy();
  await writeFile(path.join(workbench.caseDir, damaged!.thumbnailPath!), "not a picture any more");
  // And one replaced by a real picture far larger than any preview Sightline makes: not decoded.
  const oversized = items.find((item) => item.name === "oversized-preview.jpg");
  const noise = Buffer.from(Array.from({ length: 1600 * 1600 * 3 }, () => Math.floor(Math.random() * 256)));
  await sharp(noise, { raw: { width: 1600, height: 1600, channels: 3 } })
    .jpeg({ quality: 95 })
    .toFile(path.join(workbench.caseDir, oversized!.thumbnailPath!));
});

/** Yellow and navy squares 40 pixels a side: sharp edges everywhere, strong colour. */
async function checkerboard(file: string): Promise<void> {
  const [width, height] = [640, 480];
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const isYellow = (Math.floor(x / 40) + Math.floor(y / 40)) % 2 === 0;
      pixels.set(isYellow ? [250, 220, 0] : [0, 0, 110], (y * width + x) * 3);
    }
  }
  await mkdir(path.dirname(file), { recursive: true });
  await sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 95 })
    .toFile(file);
}

test.afterAll(async () => {
  await workbench.close();
});

/** The path in the case of the original of the item named `name`. */
async function objectOf(name: string): Promise<string> {
  const items = await workbench.service.listItems({ dir: workbench.caseDir });
  const { sha256 } = items.find((item) => item.name === name)!;
  return (await workbench.service.getItem({ dir: workbench.caseDir, sha256 })).objectPath;
}

/** Every case file the page asks for from now on, by its path in the case, in the order asked. */
function casePathsAsked(page: Page): string[] {
  const asked: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname === "/files") asked.push(url.searchParams.get("path") ?? "");
  });
  return asked;
}

/**
 * The image a tile shows, as the page has it: its address's kind, its size, how far it is from grey,
 * its sharpest edge (the largest difference between neighbouring pixels, in brightness), and that
 * edge as a share of its contrast (its steepness).
 */
async function shown(img: Locator) {
  await expect(img).toHaveJSProperty("complete", true);
  return img.evaluate((element: HTMLImageElement) => {
    const canvas = document.createElement("canvas");
    canvas.width = element.naturalWidth;
    canvas.height = element.naturalHeight;
    const context = canvas.getContext("2d")!;
    context.drawImage(element, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let colour = 0;
    let edge = 0;
    let [darkest, lightest] = [255, 0];
    const light = (i: number) => (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
    for (let i = 0; i < data.length; i += 4) {
      colour = Math.max(colour, Math.abs(data[i]! - data[i + 1]!), Math.abs(data[i + 1]! - data[i + 2]!));
      darkest = Math.min(darkest, light(i));
      lightest = Math.max(lightest, light(i));
      if ((i / 4) % canvas.width > 0) edge = Math.max(edge, Math.abs(light(i) - light(i - 4)));
      if (i >= canvas.width * 4) edge = Math.max(edge, Math.abs(light(i) - light(i - canvas.width * 4)));
    }
    return {
      isCopy: element.src.startsWith("data:image/jpeg;"),
      width: element.naturalWidth,
      height: element.naturalHeight,
      colour,
      edge,
      steepness: edge / Math.max(1, lightest - darkest),
    };
  });
}

test("veiled tiles show a small grey copy of any shape of picture; the clear picture is never shown before the reveal", async ({
  page,
}) => {
  // Every picture the page asks for, and every <img> it shows that is not a veiled copy, from its first moment.
  const clearRequests: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "image" && request.url().includes("/files?")) clearRequests.push(request.url());
  });
  await page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { __clearShown: string[] }).__clearShown = []);
    const look = (node: Node) => {
      if (node instanceof HTMLImageElement && node.src && !node.src.startsWith("data:image/jpeg;")) seen.push(node.src);
      if (node instanceof Element) node.querySelectorAll("img").forEach(look);
    };
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === "attributes") look(record.target);
        record.addedNodes.forEach(look);
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["src"] });
  });
  const clearShown = () => page.evaluate(() => (window as unknown as { __clearShown: string[] }).__clearShown);
  await openCase(page, workbench.host, workbench.caseDir);
  await expect(page.getByLabel("Item count")).toHaveText("7 of 7 items");

  for (const name of ["street.jpg", "panorama.jpg", "mast.jpg", "checks.jpg", "convoy.mp4"]) {
    const img = page.getByRole("gridcell", { name: new RegExp(`^${name.replace(".", "\\.")} `) }).locator("img");
    await expect(img).toHaveClass(/media-veiled/);
    await expect(img).toHaveAttribute("alt", name);
    const copy = await shown(img);
    expect(copy.isCopy, name).toBe(true);
    // 96 pixels on its longer side, grown from a dozen: the copy has no more detail than that.
    expect(Math.max(copy.width, copy.height), name).toBe(96);
    expect(Math.min(copy.width, copy.height), name).toBeGreaterThanOrEqual(1);
    // In greys (a JPEG's colour rounding aside): the pictures made here are coloured.
    expect(copy.colour, name).toBeLessThanOrEqual(8);
    // No sharp edge survives, not even the checkerboard's or the video's test pattern's.
    expect(copy.steepness, name).toBeLessThanOrEqual(STEEPEST);
  }
  const damaged = page.getByRole("gridcell", { name: /^damaged-preview\.jpg / });
  await expect(damaged.getByText("preview unavailable")).toBeVisible();
  await expect(damaged.locator("img")).toHaveCount(0);
  const oversized = page.getByRole("gridcell", { name: /^oversized-preview\.jpg / });
  await expect(oversized.getByText("preview unavailable")).toBeVisible();
  await expect(page.locator("img[src*='/files?']")).toHaveCount(0);
  expect(await clearShown()).toEqual([]);
  expect(clearRequests).toEqual([]);
  await expectNoAxeViolations(page, "board, veiled");
  await page.screenshot({ path: path.join(SCREENSHOTS, "board-veil-shapes.png") });

  // Revealed, the tiles show the pictures themselves, in colour; veiled again, the copies.
  await page.getByLabel("Reveal media").check({ force: true });
  const street = page.getByRole("gridcell", { name: /^street\.jpg / }).locator("img");
  await expect(street).not.toHaveClass(/media-veiled/);
  await expect(street).toHaveAttribute("src", /\/files\?/);
  const clear = await shown(street);
  expect(clear.isCopy).toBe(false);
  // The watch above sees clear pictures when there are some.
  expect((await clearShown()).length).toBeGreaterThan(0);
  expect(clear.colour).toBeGreaterThan(8);
  const checks = await shown(page.getByRole("gridcell", { name: /^checks\.jpg / }).locator("img"));
  expect(checks.steepness).toBeGreaterThan(2 * STEEPEST);
  await expect(damaged.getByText("preview unavailable")).toBeVisible();
  await page.getByLabel("Reveal media").uncheck({ force: true });
  await expect(street).toHaveAttribute("src", /^data:image\/jpeg;/);
  await expect(page.locator("img[src*='/files?']")).toHaveCount(0);
  // Veiled again, the pictures revealed earlier are not shown again even for a moment.
  const revealedOnly = (await clearShown()).length;
  await page.getByText("Videos", { exact: true }).click();
  await expect(page.getByLabel("Item count")).toHaveText("1 of 7 items");
  await page.getByText("All", { exact: true }).click();
  await expect(page.getByLabel("Item count")).toHaveText("7 of 7 items");
  await expect(street).toHaveAttribute("src", /^data:image\/jpeg;/);
  expect((await clearShown()).length).toBe(revealedOnly);
});

test("the item view veils a picture with its preview's copy, and does not fetch the original until it is revealed", async ({
  page,
}) => {
  const checks = await objectOf("checks.jpg");
  const asked = casePathsAsked(page);
  await openCase(page, workbench.host, workbench.caseDir);
  await page.getByRole("gridcell", { name: /^checks\.jpg / }).click();
  const item = page.getByLabel("Item");
  await expect(item.getByRole("heading", { name: "checks.jpg" })).toBeVisible();
  const picture = item.getByRole("img", { name: "checks.jpg" });
  await expect(picture).toHaveAttribute("src", /^data:image\/jpeg;/);
  const copy = await shown(picture);
  expect(copy.colour).toBeLessThanOrEqual(8);
  expect(copy.steepness).toBeLessThanOrEqual(STEEPEST);
  await expect(item.getByText("Veiled. Press r or “Reveal media” to see the picture.")).toBeVisible();
  expect(asked).not.toContain(checks);
  await expectNoAxeViolations(page, "item, veiled");
  await page.screenshot({ path: path.join(SCREENSHOTS, "item-veiled.png") });

  // Revealed with the keyboard: the original itself, at full size and in colour; veiled again, the copy.
  await page.keyboard.press("r");
  const original = item.getByRole("img", { name: "checks.jpg" });
  await expect(original).toHaveAttribute("src", /\/files\?/);
  await expect.poll(() => asked).toContain(checks);
  const clear = await shown(original);
  expect([clear.width, clear.height]).toEqual([640, 480]);
  expect(clear.steepness).toBeGreaterThan(2 * STEEPEST);
  await expect(item.getByText(/^Veiled\./)).toHaveCount(0);
  await item.getByRole("button", { name: "Veil media" }).click();
  await expect(item.getByRole("img", { name: "checks.jpg" })).toHaveAttribute("src", /^data:image\/jpeg;/);

  // Moving on with the keyboard from veiled pictures to one revealed on the board: each veiled one
  // stays veiled to the end, its original never asked for, and the revealed one shows clear.
  await page.keyboard.press("Escape");
  await page
    .getByRole("gridcell", { name: /^street\.jpg / })
    .getByRole("button", { name: "Reveal" })
    .click();
  // The board is in name order: mast, oversized-preview, panorama (veiled), then street (revealed).
  await page.getByRole("gridcell", { name: /^mast\.jpg / }).click();
  await expect(item.getByRole("heading", { name: "mast.jpg" })).toBeVisible();
  const veiledOnes = await Promise.all(["mast.jpg", "oversized-preview.jpg", "panorama.jpg"].map(objectOf));
  const before = asked.length;
  for (const next of ["oversized-preview.jpg", "panorama.jpg", "street.jpg"]) {
    await page.keyboard.press("j");
    await expect(item.getByRole("heading", { name: next })).toBeVisible();
  }
  await expect(item.getByRole("img", { name: "street.jpg" })).toHaveAttribute("src", /\/files\?/);
  const askedOnTheWay = asked.slice(before);
  for (const veiled of veiledOnes) expect(askedOnTheWay).not.toContain(veiled);

  // A picture whose preview is damaged says so, veiled, and its original still waits for the reveal.
  const damaged = await objectOf("damaged-preview.jpg");
  await page.keyboard.press("Escape");
  await page.getByRole("gridcell", { name: /^damaged-preview\.jpg / }).click();
  await expect(item.getByRole("heading", { name: "damaged-preview.jpg" })).toBeVisible();
  await expect(item.getByText("preview unavailable")).toBeVisible();
  expect(asked).not.toContain(damaged);
  await page.keyboard.press("r");
  await expect(item.getByRole("img", { name: "damaged-preview.jpg" })).toHaveAttribute("src", /\/files\?/);

  // A video, veiled: its keyframes are grey copies, the player under a blur.
  await page.keyboard.press("Escape");
  await page.getByRole("gridcell", { name: /^convoy\.mp4 / }).click();
  await expect(page.getByLabel("Video")).toHaveClass(/media-veiled/);
  const keyframes = page.getByRole("button", { name: /Keyframe at/ });
  await expect(keyframes.first()).toBeVisible();
  for (const keyframe of await keyframes.all()) {
    const frame = keyframe.locator("img");
    await expect(frame).toHaveAttribute("src", /^data:image\/jpeg;/);
    const grey = await shown(frame);
    expect(grey.colour).toBeLessThanOrEqual(8);
    expect(grey.steepness).toBeLessThanOrEqual(STEEPEST);
  }
  // The player's veil is as coarse, for its size on screen, as a picture's copy: no change from dark
  // to light in less than a quarter of a 96th of the picture's longer side (a blur of a fixed number
  // of pixels, 14, left the test pattern's rings of dots plain to see on a player this size).
  const player = page.getByLabel("Video");
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(2);
  const veiledPlayer = await playerDetail(player);
  // The middle of the player has the pattern's light and dark in it, so the measure is not of a flat frame.
  expect(veiledPlayer.range).toBeGreaterThan(100);
  expect(veiledPlayer.steepestOnPicture).toBeLessThanOrEqual(96 * STEEPEST);
  // Veiled, the player offers no way round its blur: no picture-in-picture, no full screen.
  await expect(player).toHaveJSProperty("disablePictureInPicture", true);
  await expect(player).toHaveAttribute("controlslist", "nofullscreen");
  await expectNoAxeViolations(page, "item, veiled video");
  await page.screenshot({ path: path.join(SCREENSHOTS, "item-veiled-video.png") });
  await page.keyboard.press("r");
  await expect(player).not.toHaveClass(/media-veiled/);
  await expect(keyframes.first().locator("img")).toHaveAttribute("src", /\/files\?/);
  // The same measure of the clear player is far over the limit: it tells a veil from none.
  expect((await playerDetail(player)).steepestOnPicture).toBeGreaterThan(4 * 96 * STEEPEST);
  await expect(player).toHaveJSProperty("disablePictureInPicture", false);
});

/**
 * The middle of a player as shown on screen: its contrast, and its steepness (see `shown`) scaled
 * to the picture's longer side on screen, to compare with a copy's 96 pixels.
 */
async function playerDetail(player: Locator) {
  const box = (await player.boundingBox())!;
  const longerSide = await player.evaluate((v: HTMLVideoElement) => {
    const scale = Math.min(v.clientWidth / v.videoWidth, v.clientHeight / v.videoHeight);
    return scale * Math.max(v.videoWidth, v.videoHeight);
  });
  const [x, y, width, height] = [box.x + box.width * 0.2, box.y + box.height * 0.2, box.width * 0.6, box.height * 0.6];
  const { steepness, range } = await screenSteepness(await player.page().screenshot({ clip: { x, y, width, height } }));
  return { range, steepestOnPicture: steepness * longerSide };
}

/** The contrast and steepness (see `shown`) of a screenshot, in the screen's own pixels. */
async function screenSteepness(png: Buffer): Promise<{ steepness: number; range: number }> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  let [edge, darkest, lightest] = [0, 255, 0];
  for (let i = 0; i < data.length; i++) {
    darkest = Math.min(darkest, data[i]!);
    lightest = Math.max(lightest, data[i]!);
    if (i % info.width > 0) edge = Math.max(edge, Math.abs(data[i]! - data[i - 1]!));
    if (i >= info.width) edge = Math.max(edge, Math.abs(data[i]! - data[i - info.width]!));
  }
  return { steepness: edge / Math.max(1, lightest - darkest), range: lightest - darkest };
}

test("the where-and-when workspace keeps the item's veil: the frame is a copy until revealed there", async ({
  page,
}) => {
  const objectPath = await objectOf("street.jpg");
  const asked = casePathsAsked(page);
  await openCase(page, workbench.host, workbench.caseDir);
  await page.getByRole("gridcell", { name: /^street\.jpg / }).click();
  await page.getByRole("button", { name: "Where and when" }).click();
  const workspace = page.getByLabel("Where and when");
  await expect(workspace.getByRole("heading", { name: "Where and when: street.jpg" })).toBeVisible();
  const frame = workspace.getByRole("img", { name: /^street\.jpg, / });
  await expect(frame).toHaveAttribute("src", /^data:image\/jpeg;/);
  expect((await shown(frame)).steepness).toBeLessThanOrEqual(STEEPEST);
  expect(asked).not.toContain(objectPath);
  await expectNoAxeViolations(page, "where and when, veiled");
  await page.screenshot({ path: path.join(SCREENSHOTS, "workspace-veiled.png") });

  // r on the frame reveals it, as in the item view; the button veils it again.
  await workspace.getByRole("application", { name: /^Frame: / }).focus();
  await page.keyboard.press("r");
  await expect(workspace.getByRole("img", { name: /^street\.jpg, / })).toHaveAttribute("src", /\/files\?/);
  await expect.poll(() => asked).toContain(objectPath);
  await workspace.getByRole("button", { name: "Veil media" }).click();
  await expect(workspace.getByRole("img", { name: /^street\.jpg, / })).toHaveAttribute("src", /^data:image\/jpeg;/);
  // With the focus on no control (a click on the frame's dark margin), r still reveals and veils, and
  // the board's keys (j, k, Escape) do not close the workspace.
  await page.getByText("Pixel positions are in the image's own pixels.").click();
  for (const key of ["j", "k", "Escape"]) await page.keyboard.press(key);
  await expect(workspace.getByRole("heading", { name: "Where and when: street.jpg" })).toBeVisible();
  await page.keyboard.press("r");
  await expect(workspace.getByRole("img", { name: /^street\.jpg, / })).toHaveAttribute("src", /\/files\?/);
  await page.getByText("Pixel positions are in the image's own pixels.").click();
  await page.keyboard.press("r");
  await expect(workspace.getByRole("img", { name: /^street\.jpg, / })).toHaveAttribute("src", /^data:image\/jpeg;/);
  // Back in the item view, the choice made in the workspace holds.
  await workspace.getByRole("button", { name: "Reveal media" }).click();
  await page.getByRole("button", { name: "Back to the item" }).click();
  await expect(page.getByLabel("Item").getByRole("img", { name: "street.jpg" })).toHaveAttribute("src", /\/files\?/);
});
