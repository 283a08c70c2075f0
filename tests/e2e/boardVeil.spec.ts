/**
 * The board's veil: each veiled tile shows a small grey copy of its picture made in the page
 * (renderer/src/components/veiledCopy.ts), whatever the picture's shape, with no sharp detail left,
 * and the clear picture is never shown, not for a frame, until the examiner reveals it. A preview
 * damaged in the vault, or swapped for a huge picture, says so on its tile and takes nothing else
 * with it.
 */
import { expect, test, type Locator } from "@playwright/test";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { makeJpeg } from "../support/mediaCorpus.js";
import { expectNoAxeViolations } from "./axeScan.js";
import { openCase, SCREENSHOTS, startCase, type CaseWorkbench } from "./caseSetup.js";

let workbench: CaseWorkbench;

/** The sharpest edge a veiled copy may keep, in levels of brightness out of 255. */
const EDGE_LIMIT = 24;

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

/**
 * The image a tile shows, as the page has it: its address's kind, its size, how far it is from grey,
 * and its sharpest edge (the largest difference between neighbouring pixels, in brightness).
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
    const light = (i: number) => (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
    for (let i = 0; i < data.length; i += 4) {
      colour = Math.max(colour, Math.abs(data[i]! - data[i + 1]!), Math.abs(data[i + 1]! - data[i + 2]!));
      if ((i / 4) % canvas.width > 0) edge = Math.max(edge, Math.abs(light(i) - light(i - 4)));
      if (i >= canvas.width * 4) edge = Math.max(edge, Math.abs(light(i) - light(i - canvas.width * 4)));
    }
    return {
      isCopy: element.src.startsWith("data:image/jpeg;"),
      width: element.naturalWidth,
      height: element.naturalHeight,
      colour,
      edge,
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
  await expect(page.getByLabel("Item count")).toHaveText("6 of 6 items");

  for (const name of ["street.jpg", "panorama.jpg", "mast.jpg", "checks.jpg"]) {
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
    // No sharp edge survives, not even the checkerboard's.
    expect(copy.edge, name).toBeLessThanOrEqual(EDGE_LIMIT);
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
  expect(checks.edge).toBeGreaterThan(4 * EDGE_LIMIT);
  await expect(damaged.getByText("preview unavailable")).toBeVisible();
  await page.getByLabel("Reveal media").uncheck({ force: true });
  await expect(street).toHaveAttribute("src", /^data:image\/jpeg;/);
  await expect(page.locator("img[src*='/files?']")).toHaveCount(0);
  // Veiled again, the pictures revealed earlier are not shown again even for a moment.
  const revealedOnly = (await clearShown()).length;
  await page.getByText("Videos", { exact: true }).click();
  await expect(page.getByLabel("Item count")).toHaveText("0 of 6 items");
  await page.getByText("All", { exact: true }).click();
  await expect(page.getByLabel("Item count")).toHaveText("6 of 6 items");
  await expect(street).toHaveAttribute("src", /^data:image\/jpeg;/);
  expect((await clearShown()).length).toBe(revealedOnly);
});
