/** What the map end-to-end runs share: moving the map to a place by typing it, and reading what it shows. */
import type { Page } from "@playwright/test";
import sharp from "sharp";
import { DNBR_CLASSES } from "../../renderer/src/views/map/burnIndex.js";
import type { BurnPair } from "../support/geoFixtures.js";

/** Types coordinates into "Go to" and waits for the map to settle there at `zoom`. */
export async function goTo(page: Page, where: string, zoomOuts = 0): Promise<void> {
  await page.getByLabel("Go to").fill(where);
  await page.getByRole("button", { name: "Go", exact: true }).click();
  const map = page.getByRole("application", { name: /map/i }).first();
  await map.focus();
  for (let i = 0; i < zoomOuts; i++) {
    await page.keyboard.press("-");
    await page.waitForTimeout(300);
  }
  // The cross-hair shows while the map has keyboard focus; readings are taken without it.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

export type MapShot = Awaited<ReturnType<typeof mapPixels>>;

/** The rendered map as RGBA pixels (Chromium's own composited output of every layer canvas). */
export async function mapPixels(page: Page, file?: string) {
  const target = page.locator(".map-target");
  const png = await target.screenshot(file ? { path: file } : {});
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => {
    const i = (Math.round(y) * info.width + Math.round(x)) * 4;
    return [data[i]!, data[i + 1]!, data[i + 2]!] as const;
  };
  return { width: info.width, height: info.height, at };
}

export const near = (c: readonly number[], ref: readonly number[], tol = 40) =>
  c.every((v, i) => Math.abs(v - ref[i]!) <= tol);
export const BURNT = DNBR_CLASSES.filter((c) => (c.from ?? -1) >= 0.27).map((c) => c.colour);
export const UNBURNED = DNBR_CLASSES.find((c) => c.label === "Unburned")!.colour;

/** Whether the map's centre shows a burnt class (moderate-low severity or worse). */
export async function centreIsBurnt(page: Page): Promise<boolean> {
  const s = await mapPixels(page);
  return BURNT.some((c) => near(s.at(s.width / 2, s.height / 2), c));
}

/**
 * Every other screen pixel of a dNBR view centred on the planted scar at Web Mercator zoom 14,
 * drawn in the before scene's grid, taken back to the scene's pixels: burnt pixels well inside the
 * planted ellipse, pixels there that are not burnt, and burnt pixels well outside it.
 */
export function scarCounts(shot: MapShot, pair: BurnPair) {
  const groundPerPx = (156_543.034 / 2 ** 14) * Math.cos((pair.scar.lat * Math.PI) / 180);
  const scale = groundPerPx / pair.before.pixelSize;
  const e = pair.scar.ellipse;
  const ellipseRadius = (x: number, y: number) => {
    const t = (e.rotationDeg * Math.PI) / 180;
    const dx = (x - shot.width / 2) * scale;
    const dy = (y - shot.height / 2) * scale;
    const u = dx * Math.cos(t) + dy * Math.sin(t);
    const v = -dx * Math.sin(t) + dy * Math.cos(t);
    return Math.sqrt((u * u) / (e.a * e.a) + (v * v) / (e.b * e.b));
  };
  const counts = { burntInside: 0, unburntInside: 0, burntOutside: 0 };
  for (let y = 0; y < shot.height; y += 2) {
    for (let x = 0; x < shot.width; x += 2) {
      const isBurnt = BURNT.some((c) => near(shot.at(x, y), c, 30));
      const r = ellipseRadius(x, y);
      if (r < 0.85) {
        if (isBurnt) counts.burntInside++;
        else counts.unburntInside++;
      } else if (r > 1.15 && isBurnt) counts.burntOutside++;
    }
  }
  return counts;
}
