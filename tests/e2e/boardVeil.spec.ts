/**
 * The board's veil: each veiled tile shows a small grey copy of its picture made in the page
 * (renderer/src/components/veiledCopy.ts), whatever the picture's shape, and the clear picture is
 * never in the page until the examiner reveals it. A damaged preview in the vault says so on its
 * tile and takes nothing else with it.
 */
import { expect, test, type Locator } from "@playwright/test";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { makeJpeg } from "../support/mediaCorpus.js";
import { expectNoAxeViolations } from "./axeScan.js";
import { openCase, SCREENSHOTS, startCase, type CaseWorkbench } from "./caseSetup.js";

let workbench: CaseWorkbench;

const PICTURES = {
  "street.jpg": { width: 640, height: 480 },
  // Thumbnails keep the shape: this one's is a strip a few pixels high, whose copy still has a row.
  "panorama.jpg": { width: 6000, height: 80 },
  "mast.jpg": { width: 80, height: 2400 },
  "damaged-preview.jpg": { width: 400, height: 300 },
};

test.beforeAll(async () => {
  workbench = await startCase("sightline-e2e-veil-", "Veil");
  const media = path.join(workbench.root, "media");
  for (const [i, [name, size]] of Object.entries(PICTURES).entries()) {
    await makeJpeg(path.join(media, name), { ...size, seed: 40 + i });
  }
  await workbench.importPaths([media]);
  // A preview damaged in the vault after the import (the original is untouched).
  const items = await workbench.service.listItems({ dir: workbench.caseDir });
  const damaged = items.find((item) => item.name === "damaged-preview.jpg");
  expect(damaged?.thumbnailPath).toBeTruthy();
  await writeFile(path.join(workbench.caseDir, damaged!.thumbnailPath!), "not a picture any more");
});

test.afterAll(async () => {
  await workbench.close();
});

/** The image a tile shows, as the page has it: its address's kind, its size, and whether it is grey. */
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
    for (let i = 0; i < data.length; i += 4) {
      colour = Math.max(colour, Math.abs(data[i]! - data[i + 1]!), Math.abs(data[i + 1]! - data[i + 2]!));
    }
    return {
      isCopy: element.src.startsWith("data:image/jpeg;"),
      width: element.naturalWidth,
      height: element.naturalHeight,
      colour,
    };
  });
}

test("veiled tiles show a small grey copy of any shape of picture; the clear picture is not in the page", async ({
  page,
}) => {
  await openCase(page, workbench.host, workbench.caseDir);
  await expect(page.getByLabel("Item count")).toHaveText("4 of 4 items");

  for (const name of ["street.jpg", "panorama.jpg", "mast.jpg"]) {
    const img = page.getByRole("gridcell", { name: new RegExp(`^${name.replace(".", "\\.")} `) }).locator("img");
    await expect(img).toHaveClass(/media-veiled/);
    await expect(img).toHaveAttribute("alt", name);
    const copy = await shown(img);
    expect(copy.isCopy, name).toBe(true);
    // 96 pixels across, grown from a dozen: the copy has no more detail than that.
    expect(copy.width, name).toBe(96);
    expect(copy.height, name).toBeGreaterThanOrEqual(1);
    expect(copy.height, name).toBeLessThanOrEqual(4 * 96);
    // In greys (a JPEG's colour rounding aside): the pictures made here are coloured.
    expect(copy.colour, name).toBeLessThanOrEqual(8);
  }
  const damaged = page.getByRole("gridcell", { name: /^damaged-preview\.jpg / });
  await expect(damaged.getByText("preview unavailable")).toBeVisible();
  await expect(damaged.locator("img")).toHaveCount(0);
  await expect(page.locator("img[src*='/files?']")).toHaveCount(0);
  await expectNoAxeViolations(page, "board, veiled");
  await page.screenshot({ path: path.join(SCREENSHOTS, "board-veil-shapes.png") });

  // Revealed, the tiles show the pictures themselves, in colour; veiled again, the copies.
  await page.getByLabel("Reveal media").check({ force: true });
  const street = page.getByRole("gridcell", { name: /^street\.jpg / }).locator("img");
  await expect(street).not.toHaveClass(/media-veiled/);
  await expect(street).toHaveAttribute("src", /\/files\?/);
  const clear = await shown(street);
  expect(clear.isCopy).toBe(false);
  expect(clear.colour).toBeGreaterThan(8);
  await expect(damaged.getByText("preview unavailable")).toBeVisible();
  await page.getByLabel("Reveal media").uncheck({ force: true });
  await expect(street).toHaveAttribute("src", /^data:image\/jpeg;/);
  await expect(page.locator("img[src*='/files?']")).toHaveCount(0);
});
