/**
 * A search typed into the board key by key, as an examiner types it, each key timed from its press
 * to the frame that showed its result: the board filters on every key, with no pause before it,
 * so each key is a filter of the whole case. `timeFilters` sends a search in one input event, which
 * says how long one filter takes but not how typing feels when each filter holds the page.
 *
 * Each key's time is the browser's Event Timing figure for its interaction (the keydown, keypress
 * and keyup of one key share an id; the longest counts): from the moment the key was sent to the
 * page, queueing behind the last key's work included, to the next frame presented after its
 * handlers ran. React filters in the `input` handler of the key's press, in the same task, so that
 * frame shows the key's result. A key presented within 16 ms has no entry: it counts as 16 ms.
 */
import type { Page } from "playwright-core";

export interface TypingTimes {
  /** Milliseconds per key: the keys the browser reported, in the order typed, then 16 for each key it did not. */
  perKey: number[];
  /** Keys presented within 16 ms (not reported). */
  fastKeys: number;
  text: string;
  delayMs: number;
}

/** Types `text` into the board's empty search box, a key every `delayMs`, then clears the search. */
export async function timeTyping(page: Page, text: string, delayMs: number, total: RegExp): Promise<TypingTimes> {
  const search = page.getByLabel("Search");
  await search.fill("");
  await page.getByLabel("Item count").filter({ hasText: total }).waitFor();
  await search.focus();
  await page.evaluate(() => {
    const w = window as unknown as { __keys: Map<number, number>; __keysObserver?: PerformanceObserver };
    w.__keysObserver?.disconnect();
    const keys = (w.__keys = new Map<number, number>());
    w.__keysObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { interactionId?: number })[]) {
        const id = entry.interactionId ?? 0;
        if (id !== 0 && entry.name.startsWith("key")) keys.set(id, Math.max(keys.get(id) ?? 0, entry.duration));
      }
    });
    w.__keysObserver.observe({ type: "event", durationThreshold: 16 } as PerformanceObserverInit);
  });
  await page.keyboard.type(text, { delay: delayMs });
  await expectValue(page, text);
  // Entries are reported a frame or two after their frame is presented.
  await page.waitForTimeout(500);
  const reported = await page.evaluate(() => {
    const w = window as unknown as { __keys: Map<number, number>; __keysObserver: PerformanceObserver };
    w.__keysObserver.disconnect();
    // Interaction ids rise with each key, so their order is the order typed.
    return [...w.__keys.entries()].sort((a, b) => a[0] - b[0]).map(([, ms]) => ms);
  });
  if (reported.length > text.length) {
    throw new Error(`${reported.length} key interactions were reported for ${text.length} keys typed`);
  }
  // Keys under 16 ms have no entry; which ones is not known, only how many.
  const fastKeys = text.length - reported.length;
  const perKey = [...reported, ...Array.from({ length: fastKeys }, () => 16)];
  await search.fill("");
  await page.getByLabel("Item count").filter({ hasText: total }).waitFor();
  return { perKey, fastKeys, text, delayMs };
}

async function expectValue(page: Page, text: string): Promise<void> {
  const value = await page.getByLabel("Search").inputValue();
  if (value !== text) throw new Error(`the search box holds "${value}" after "${text}" was typed`);
}
