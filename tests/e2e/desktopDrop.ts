/** Dragging files from "the desktop" onto the workbench window in browser mode. */
import type { Page } from "@playwright/test";

/**
 * Drags files or folders from "the desktop" onto the window: Chromium's own drag input (through
 * the DevTools protocol), so the page receives real file entries and walks real folders.
 */
export async function dropFromDesktop(page: Page, paths: string[]): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const data = { items: [], files: paths, dragOperationsMask: 1 };
  for (const type of ["dragEnter", "dragOver", "drop"] as const) {
    await cdp.send("Input.dispatchDragEvent", { type, x: 640, y: 500, data });
  }
  await cdp.detach();
}
