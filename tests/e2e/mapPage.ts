/** What the map end-to-end runs share: moving the map to a place by typing it. */
import type { Page } from "@playwright/test";

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
