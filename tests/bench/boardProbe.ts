/**
 * What the board benchmarks measure in the page: the time to open a case to a usable board, the
 * time from a filter change to the new count painted, and frame intervals while the grid scrolls.
 */
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.js";
export { stats } from "./benchStats.js";

/**
 * Debian's Chromium at a desktop size, with a fresh profile (the caller removes `profile`) or the
 * one at `keptProfile` (its IndexedDB kept from run to run, so a case opens from its projection).
 */
export async function launchChromium(keptProfile?: string) {
  const profile = keptProfile ?? (await mkdtemp(path.join(os.tmpdir(), "sightline-bench-chromium-")));
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

/**
 * Opens the case at `caseDir` on the start screen (first time: loads the page with the host's token;
 * after: reloads it) and waits for the board to show `total` ("N of N items"). Returns the time to
 * a usable board and the time until the projection was saved in IndexedDB.
 */
export async function openBoard(
  page: Page,
  host: { url: string; token: string },
  caseDir: string,
  total: string,
  isFirst: boolean,
): Promise<{ usableMs: number; savedMs: number }> {
  // The token stays in the tab's session storage, so a reload comes back to the start screen.
  if (isFirst) await page.goto(`${host.url}/#token=${host.token}`);
  else await page.reload();
  const input = page.getByRole("textbox", { name: "Case folder" }).nth(1);
  await input.fill(caseDir);
  const started = Date.now();
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByLabel("Item count").filter({ hasText: total }).waitFor({ timeout: 600_000 });
  const usableMs = Date.now() - started;
  await page.getByText("saving the local index…").waitFor({ state: "hidden", timeout: 600_000 });
  return { usableMs, savedMs: Date.now() - started };
}

/**
 * The main thread's figure for each change `timeFilter` timed since `timeFilters` began: from the
 * input to the task after the frame with the new count was handed over for drawing, before it was
 * rastered and shown. Kept to compare with the figure on screen (the bench prints both).
 */
export const handedOverTimes: number[] = [];

/**
 * What the page keeps to find the frame that presented a change (`watchPresentation`): the change's
 * start and the moment the page changed, which the timing scripts set, and the earliest frame
 * presented since that moment, as the browser's Event Timing API reports it.
 */
interface PresentationWatch {
  start: number | null;
  changedAt: number | null;
  presented: number | null;
  observer: PerformanceObserver;
}

/**
 * Starts a new watch in the page (ending the last one): Event Timing entries whose frame was
 * presented after `changedAt` keep the earliest such presentation. An interaction presented within
 * 16 ms has no entry, and an entry's duration is to 8 ms.
 */
async function watchPresentation(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __presentation?: PresentationWatch };
    w.__presentation?.observer.disconnect();
    const watch: PresentationWatch = {
      start: null,
      changedAt: null,
      presented: null,
      observer: new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          const shown = entry.startTime + entry.duration;
          // The first frame presented after the page changed: the one with the result.
          if (
            watch.changedAt !== null &&
            shown >= watch.changedAt &&
            (watch.presented === null || shown < watch.presented)
          )
            watch.presented = shown;
        }
      }),
    };
    watch.observer.observe({ type: "event", durationThreshold: 16 } as PerformanceObserverInit);
    w.__presentation = watch;
  });
}

/**
 * Milliseconds from the watched change's start to the frame that presented it, or null when no
 * entry covered that frame. The presentation is reported a frame or two after it happens: waited
 * for, up to half a second. Ends the watch.
 */
async function presentedMs(page: Page): Promise<number | null> {
  return page.evaluate(async () => {
    const watch = (window as unknown as { __presentation: PresentationWatch }).__presentation;
    for (let waited = 0; watch.presented === null && waited < 500; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    watch.observer.disconnect();
    return watch.presented === null || watch.start === null ? null : watch.presented - watch.start;
  });
}

/**
 * Milliseconds from the input event (the click or keystroke reaching the page) to the frame that
 * shows the new count on screen: Playwright's own dispatch and actionability waits are not counted.
 * The end is the presentation of the first frame after the count changed (`watchPresentation`): the
 * task after the frame is handed over (`handedOverTimes`) comes before raster and draw, so work a
 * change leaves to later tasks (pictures decoded, say) would not be counted by it. Where no entry
 * covers the frame with the change, the figure is the handed-over one.
 */
export async function timeFilter(page: Page, change: () => Promise<void>, expected: RegExp): Promise<number> {
  await watchPresentation(page);
  await page.evaluate(() => {
    const w = window as unknown as { __presentation: PresentationWatch; __done: Promise<number> };
    const watch = w.__presentation;
    const count = document.querySelector('[aria-label="Item count"]')!;
    const before = count.textContent;
    // The marks bound the change in a Performance trace of the page (boardTrace.ts).
    const arm = () => {
      if (watch.start === null) watch.start = performance.mark("board-change-start").startTime;
    };
    document.addEventListener("pointerdown", arm, { capture: true, once: true });
    document.addEventListener("input", arm, { capture: true, once: true });
    w.__done = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (count.textContent !== before) {
          observer.disconnect();
          watch.changedAt = performance.now();
          // The next frame's callback, then a task after it: the frame with the new count is handed over.
          requestAnimationFrame(() =>
            setTimeout(() => {
              const end = performance.mark("board-change-end").startTime;
              resolve(end - (watch.start ?? end));
            }),
          );
        }
      });
      observer.observe(count, { childList: true, subtree: true, characterData: true });
      setTimeout(() => resolve(-1), 20_000);
    });
  });
  await change();
  const ms = await page.evaluate(() => (window as unknown as { __done: Promise<number> }).__done);
  if (ms < 0) {
    await page.screenshot({ path: path.join(os.tmpdir(), "board-bench-stuck.png") });
    throw new Error(
      `the item count did not change within 20 s (now "${await page.getByLabel("Item count").textContent()}")`,
    );
  }
  const presented = await presentedMs(page);
  handedOverTimes.push(ms);
  await page.getByLabel("Item count").filter({ hasText: expected }).waitFor();
  return presented === null ? ms : Math.max(ms, presented);
}

/**
 * Milliseconds from Ctrl+A on the grid's current tile to the frame showing "N selected" on screen,
 * then from Escape to the selection bar gone: selecting every item shown, and clearing it. The end
 * is as in `timeFilter`: the frame's presentation where the browser reports one, else the task
 * after the frame is handed over.
 */
export async function timeSelectAll(page: Page): Promise<{ selectMs: number; clearMs: number }> {
  await page.locator('[role="gridcell"][tabindex="0"]').focus();
  const timed = async (key: string, isDone: "shown" | "gone") => {
    // Armed and awaited before the key is sent: the key may reach the page before a script not yet run.
    await watchPresentation(page);
    await page.evaluate((done) => {
      const w = window as unknown as { __presentation: PresentationWatch; __selectDone: Promise<number> };
      const watch = w.__presentation;
      // From the key itself: Ctrl+A sends the Control key down first, which is not timed.
      const onKey = (event: KeyboardEvent) => {
        if (event.key === "Control") return;
        watch.start = performance.now();
        document.removeEventListener("keydown", onKey, { capture: true });
      };
      document.addEventListener("keydown", onKey, { capture: true });
      w.__selectDone = new Promise<number>((resolve) => {
        const check = () => {
          const bar = document.querySelector('[role="region"][aria-label="Selection"]');
          return done === "shown" ? bar !== null : bar === null;
        };
        const observer = new MutationObserver(() => {
          if (watch.start === null || !check()) return;
          observer.disconnect();
          watch.changedAt = performance.now();
          const start = watch.start;
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start)));
        });
        observer.observe(document.body, { childList: true, subtree: true });
        setTimeout(() => {
          observer.disconnect();
          resolve(-1);
        }, 20_000);
      });
    }, isDone);
    await page.keyboard.press(key);
    const handedOver = await page.evaluate(() => (window as unknown as { __selectDone: Promise<number> }).__selectDone);
    const presented = await presentedMs(page);
    if (handedOver < 0) return handedOver;
    return presented === null ? handedOver : Math.max(handedOver, presented);
  };
  const selectMs = await timed("Control+a", "shown");
  if (selectMs < 0) throw new Error("Ctrl+A on the grid did not show the selection bar within 20 s");
  const clearMs = await timed("Escape", "gone");
  if (clearMs < 0) throw new Error("Escape on the grid did not clear the selection within 20 s");
  return { selectMs, clearMs };
}

/**
 * Milliseconds from now to the next frame painted, when nothing changes (the same wait `timeFilter`
 * ends with), `rounds` times: on a loaded machine with software rendering this floor alone can be
 * most of a filter's time, so the bench prints it beside the filter's.
 */
export async function frameFloor(page: Page, rounds = 15): Promise<number[]> {
  return page.evaluate(async (n) => {
    const waits: number[] = [];
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
      waits.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return waits;
  }, rounds);
}

/**
 * The board's filter changes, timed as `timeFilter` does: two kinds (`kinds`, each must change the
 * count), GPS, and a search for `needle(round)`.
 */
/** The changes `timeFilters` makes, in the order of the times it returns (one round). */
export const FILTER_CHANGES = [
  "first kind",
  "All after it",
  "second kind",
  "All after it",
  "Has GPS on",
  "Has GPS off",
  "a search typed",
  "the search cleared",
];

export async function timeFilters(
  page: Page,
  total: string,
  needle: (round: number) => string,
  kinds: [string, string] = ["Images", "Other"],
  rounds = 3,
  /** Times one change; `timeFilter` unless the caller wraps it (in a trace, say). */
  timer: (change: () => Promise<void>, expected: RegExp) => Promise<number> = (change, expected) =>
    timeFilter(page, change, expected),
) {
  const all = new RegExp(total);
  const times: number[] = [];
  handedOverTimes.length = 0;
  const t = timer;
  for (let round = 0; round < rounds; round++) {
    times.push(await t(() => page.getByText(kinds[0], { exact: true }).click(), /^\d+ of /));
    times.push(await t(() => page.getByText("All", { exact: true }).click(), all));
    times.push(await t(() => page.getByText(kinds[1], { exact: true }).click(), /^\d+ of /));
    times.push(await t(() => page.getByText("All", { exact: true }).click(), all));
    times.push(await t(() => page.getByText("Has GPS").click(), /^\d+ of /));
    times.push(await t(() => page.getByText("Has GPS").click(), all));
    times.push(await t(() => page.getByLabel("Search").fill(needle(round)), /^\d+ of /));
    times.push(await t(() => page.getByLabel("Search").fill(""), all));
  }
  return times;
}

/**
 * The page's main-thread CPU profile while `work` runs (the DevTools protocol's sampling profiler),
 * summed by function: the `top` functions by self time, as lines to print. "(program)" is the
 * browser's own work on that thread (style, layout, paint), "(garbage collector)" the heap's.
 */
export async function profileWhile(page: Page, work: () => Promise<unknown>, top = 15): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 250 });
  await cdp.send("Profiler.start");
  await work();
  const { profile } = await cdp.send("Profiler.stop");
  await cdp.detach();
  const byNode = new Map<number, number>();
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (deltas[i + 1] ?? 0)));
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const name = `${functionName || "(anonymous)"}${url ? ` ${url.split("/").pop()}:${lineNumber + 1}:${columnNumber + 1}` : ""}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + (byNode.get(node.id) ?? 0));
  }
  const total = [...byFunction.values()].reduce((a, b) => a + b, 0);
  return [...byFunction.entries()]
    .filter(([name]) => name !== "(idle)")
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([name, us]) =>
        `${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${name}`,
    );
}
