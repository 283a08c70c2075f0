/** What the board benchmarks measure in the page: frame intervals while the grid scrolls. */
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.js";
export { stats } from "./benchStats.js";

/** Debian's Chromium with a fresh profile (the caller removes `profile`), at a desktop size. */
export async function launchChromium() {
  const profile = await mkdtemp(path.join(os.tmpdir(), "sightline-bench-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    viewport: { width: 1440, height: 900 },
    args: CHROMIUM_ARGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, profile };
}

/**
 * Frame intervals while the grid scrolls, driven from requestAnimationFrame: `pxPerFrame` pixels a
 * frame (a fast wheel or flick), or, with `wholeCaseMs`, from top to bottom in that time (dragging
 * the scrollbar through the whole case: every frame shows rows never seen before), or up and down
 * at `pxPerFrame` for `pingPongMs`.
 */
export async function scrollFrames(
  page: Page,
  mode: { pxPerFrame: number; frames: number } | { wholeCaseMs: number } | { pxPerFrame: number; pingPongMs: number },
): Promise<number[]> {
  return page.evaluate(async (m) => {
    const grid = document.querySelector('[role="grid"][aria-label="Items"]') as HTMLElement;
    grid.scrollTop = 0;
    await new Promise((r) => setTimeout(r, 300));
    const intervals: number[] = [];
    let last = performance.now();
    const start = last;
    let n = 0;
    let direction = 1;
    await new Promise<void>((resolve) => {
      const tick = (now: number) => {
        intervals.push(now - last);
        last = now;
        n++;
        let isDone: boolean;
        if ("pingPongMs" in m) {
          grid.scrollTop += direction * m.pxPerFrame;
          if (grid.scrollTop <= 0 || grid.scrollTop >= grid.scrollHeight - grid.clientHeight - 1) direction *= -1;
          isDone = now - start >= m.pingPongMs;
        } else if ("wholeCaseMs" in m) {
          const t = Math.min(1, (now - start) / m.wholeCaseMs);
          grid.scrollTop = t * (grid.scrollHeight - grid.clientHeight);
          isDone = t >= 1;
        } else {
          grid.scrollTop += m.pxPerFrame;
          isDone = n >= m.frames;
        }
        if (isDone) resolve();
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    return intervals.slice(1);
  }, mode);
}
