/**
 * The evidence board with 50,000 items, in Debian's Chromium driven by Playwright:
 *
 *   open      from opening the case to the board showing "50000 of 50000 items" (first open builds the projection)
 *   reopen    the same with the projection already in IndexedDB
 *   session   the same in a new session of the app (a new service: the ledger not yet replayed in memory)
 *   host      a new session's host alone, in a fresh process: the page's opening calls (openCase and
 *             examinerSettings together) answered, and how the trusted keys were learnt (from the
 *             case-facts checkpoint, from a replay, or by reading the whole ledger)
 *   filter    from a filter change to the count on screen (median and worst of several changes)   target < 100 ms,
 *             printed with the floor: the wait for the next painted frame when nothing changes
 *   select    Ctrl+A on the grid to "N selected" painted, and Escape to the selection cleared
 *   scroll    frame intervals (median, 95th percentile) at a fast flick, and with the scrollbar dragged
 *             through the whole case in 4 s
 *
 * The case is generated once and cached in $TMPDIR/sightline-bench-data: 50,000 small files (2,000 of
 * them JPEGs with thumbnails, the rest unrecognised bytes), imported and analysed by the real CLI.
 * BENCH_BOARD_ITEMS changes the count; BENCH_APP_DIR serves the UI from a copy of dist/app. Figures also go to bench-results/board.json.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { startLoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { SightlineService } from "../../electron/services/sightlineService.js";
import { CLI, REPO_ROOT } from "../support/cli.js";
import {
  frameFloor,
  launchChromium,
  openBoard,
  scrollFrames,
  stats,
  FILTER_CHANGES,
  handedOverTimes,
  profileWhile,
  timeFilters,
  timeSelectAll,
} from "./boardProbe.js";
import { timeTyping, type TypingTimes } from "./boardTyping.js";

const COUNT = Number(process.env.BENCH_BOARD_ITEMS ?? 50_000);
const IMAGES = Math.min(2_000, Math.floor(COUNT / 25));
const cacheRoot = path.join(os.tmpdir(), "sightline-bench-data", `board-${COUNT}-g2`);
const home = path.join(cacheRoot, "home");
const caseDir = path.join(cacheRoot, "case");

async function makeCase(): Promise<void> {
  if (existsSync(path.join(caseDir, "case.json"))) return;
  const work = `${cacheRoot}.partial-${process.pid}`;
  await rm(work, { recursive: true, force: true });
  const media = path.join(work, "media");
  console.log(`generating ${COUNT} files (${IMAGES} JPEGs) and importing them; cached for later runs…`);
  for (let d = 0; d * 1000 < COUNT; d++) {
    const dir = path.join(media, `batch-${String(d).padStart(3, "0")}`);
    await mkdir(dir, { recursive: true });
    for (let i = d * 1000; i < Math.min(COUNT, (d + 1) * 1000); i++) {
      const name = `item-${String(i).padStart(6, "0")}`;
      if (i < IMAGES) {
        await sharp({
          create: { width: 64, height: 48, channels: 3, background: { r: i % 255, g: (i * 7) % 255, b: 90 } },
        })
          // The name in EXIF makes every file's bytes distinct, so none is a duplicate of another.
          .withExif({ IFD0: { ImageDescription: name, Make: "Bench", Model: `Camera ${i % 7}` } })
          .jpeg()
          .toFile(path.join(dir, `${name}.jpg`));
      } else {
        await writeFile(path.join(dir, `${name}.dat`), randomBytes(48));
      }
    }
  }
  const env = { ...process.env, SIGHTLINE_HOME: path.join(work, "home") };
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: "utf8", maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`sightline ${args[0]} failed: ${r.stderr.slice(0, 500)}`);
  };
  run(["init", path.join(work, "case"), "--title", `Board bench, ${COUNT} items`, "--examiner", "Bench"]);
  run(["import", path.join(work, "case"), media, "--source-account", "bench", "--method", "generated", "--json"]);
  await rm(media, { recursive: true, force: true });
  await rename(work, cacheRoot);
}

await makeCase();
// The first open is the first ever: no checkpoint of the case's facts in the profile from an earlier run.
const checkpoints = path.join(home, "ledger-checkpoints");
await rm(checkpoints, { recursive: true, force: true });
let service = new SightlineService(new KeyStore(home));
// BENCH_APP_DIR serves a UI built elsewhere (a copy of dist/app), so a build in this tree mid-run leaves it alone.
let host = await startLoopbackHost({ service, appDir: process.env.BENCH_APP_DIR || undefined });
const { context, page, profile } = await launchChromium();
const total = `${COUNT} of ${COUNT} items`;

/** Per open: until the rebuilt projection was in IndexedDB (the board is usable before that). */
const saved: number[] = [];
async function openCase(isFirst: boolean): Promise<number> {
  const { usableMs, savedMs } = await openBoard(page, host, caseDir, total, isFirst);
  saved.push(savedMs);
  return usableMs;
}

const openMs = await openCase(true);
const reopenMs = await openCase(false);

/**
 * The app started again: a new service and host (on the same port, so the page's IndexedDB is the same
 * origin's) open the case, unchanged, whose projection is current. The service checkpoints the case's
 * facts a moment after its state moved; this waits for that file first.
 */
async function reopenInNewSession(): Promise<number> {
  while (!existsSync(checkpoints) || (await readdir(checkpoints)).length === 0) await sleep(200);
  await service.jobs.settle();
  const { token } = host;
  const port = Number(new URL(host.url).port);
  await host.close();
  service = new SightlineService(new KeyStore(home));
  // The same token too: the page keeps it in the tab's session storage, and a reload goes to the start screen.
  host = await startLoopbackHost({ service, port, token, appDir: process.env.BENCH_APP_DIR || undefined });
  return openCase(false);
}
/**
 * A new session's host alone: a fresh Node process (nothing of the case in memory, module state
 * included) answers the calls the page makes as it opens a case, timed inside it.
 */
function hostNewSession(): { openMs: number; trustSource: string | null } {
  const url = (file: string) => JSON.stringify(new URL(file, import.meta.url).href);
  const script = `
    const { SightlineService } = await import(${url("../../electron/services/sightlineService.js")});
    const { KeyStore } = await import(${url("../../electron/services/examiners/keyStore.js")});
    const { ledgerTrustSource } = await import(${url("../../electron/services/ledger/caseTrust.js")});
    const service = new SightlineService(new KeyStore(${JSON.stringify(home)}));
    const dir = ${JSON.stringify(caseDir)};
    const started = performance.now();
    await Promise.all([service.openCase({ dir }), service.examinerSettings({ dir })]);
    process.stdout.write(JSON.stringify({ openMs: performance.now() - started, trustSource: ledgerTrustSource(dir) }));
    process.exit(0);`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
}

const sessionMs = await reopenInNewSession();
const hostSession = hostNewSession();

if (process.env.BENCH_REVEAL) await page.getByRole("switch", { name: "Reveal media" }).check({ force: true });
const floorTimes = await frameFloor(page);
let filterTimes: number[] = [];
const runFilters = async () => (filterTimes = await timeFilters(page, total, (round) => `item-0${round}1`));
// BENCH_BOARD_PROFILE: the page's CPU profile during the filter changes, by function (slows them a little).
const filterProfile = process.env.BENCH_BOARD_PROFILE
  ? await profileWhile(page, runFilters)
  : (await runFilters(), null);
// Searches typed as a person types them: a key every 120 ms (a quick typist), each key a filter.
// A name, and a camera model (found in the metadata, which the search reaches by group).
const typings: TypingTimes[] = [];
for (const text of ["item-04217", "camera 3", "item-0773"])
  typings.push(await timeTyping(page, text, 120, new RegExp(total)));
// null for a UI built before the board could select (BENCH_APP_DIR of an older build).
const selectAll = await timeSelectAll(page).catch(() => null);

const flick = await scrollFrames(page, { pxPerFrame: 120, frames: 240 });
const dragThrough = await scrollFrames(page, { wholeCaseMs: 4000 });

await context.close();
await service.jobs.settle();
await host.close();
await rm(profile, { recursive: true, force: true });

console.log("filter changes (ms):", filterTimes.map((t) => Math.round(t)).join(" "));
const worstAt = filterTimes.indexOf(Math.max(...filterTimes));
const worstChange = `${FILTER_CHANGES[worstAt % FILTER_CHANGES.length]} (round ${Math.floor(worstAt / FILTER_CHANGES.length) + 1})`;
const filter = stats(filterTimes);
const floor = stats(floorTimes);
const flickStats = stats(flick);
const dragStats = stats(dragThrough);
const results = {
  date: new Date().toISOString(),
  items: COUNT,
  openMs,
  openSavedMs: saved[0],
  reopenMs,
  reopenNewSessionMs: sessionMs,
  hostNewSessionOpenMs: hostSession.openMs,
  hostNewSessionTrust: hostSession.trustSource,
  filterMs: filter,
  filterWorstChange: worstChange,
  frameFloorMs: floor,
  typedSearches: typings,
  typedKeyMs: stats(typings.flatMap((t) => t.perKey)),
  selectAllMs: selectAll?.selectMs ?? null,
  clearSelectionMs: selectAll?.clearMs ?? null,
  load: os.loadavg(),
  scrollFlickFrameMs: flickStats,
  scrollWholeCaseFrameMs: dragStats,
  targets: { filterMs: 100 },
};
console.log(`board, ${COUNT} items in Chromium:`);
console.log(
  `  open (first, builds the projection) ${(openMs / 1000).toFixed(2)} s to a usable board, ${(saved[0]! / 1000).toFixed(2)} s until the projection is saved in IndexedDB; reopen ${(reopenMs / 1000).toFixed(2)} s; reopen in a new session of the app (projection current, ledger unchanged) ${(sessionMs / 1000).toFixed(2)} s`,
);
console.log(
  `  a new session's host alone (fresh process): openCase + examinerSettings answered in ${(hostSession.openMs / 1000).toFixed(2)} s, trusted keys learnt ${hostSession.trustSource === "ledger" ? "by reading the whole ledger" : `from the ${hostSession.trustSource}`}`,
);
console.log(
  `  filter → count on screen: median ${filter.median.toFixed(0)} ms, worst ${filter.max.toFixed(0)} ms over ${filterTimes.length} changes, the worst ${worstChange} (target < 100 ms) ${filter.max < 100 ? "PASS" : "MISS"}`,
);
const handedOver = stats(handedOverTimes);
console.log(
  `  (the frame with the count handed over for drawing, before raster and draw: median ${handedOver.median.toFixed(0)} ms, worst ${handedOver.max.toFixed(0)} ms)`,
);
console.log(
  `  the next frame painted with nothing changed (this machine's floor for the figure above, now): median ${floor.median.toFixed(0)} ms; load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
const typedStats = stats(typings.flatMap((t) => t.perKey));
const slowKeys = (t: TypingTimes) =>
  `"${t.text}": ${t.perKey
    .slice(0, t.text.length - t.fastKeys)
    .map((ms) => Math.round(ms))
    .join(" ")}${t.fastKeys > 0 ? ` and ${t.fastKeys} under 16` : ""}`;
console.log(
  `  searches typed key by key (a key every ${typings[0]!.delayMs} ms, each key filtering all ${COUNT} items), key to its result on screen: median ${typedStats.median.toFixed(0)} ms, worst ${typedStats.max.toFixed(0)} ms over ${typedStats.n} keys (target < 100 ms) ${typedStats.max < 100 ? "PASS" : "MISS"}`,
);
console.log(`    each key, in ms: ${typings.map(slowKeys).join("; ")}`);
if (selectAll) {
  console.log(
    `  Ctrl+A selects all ${COUNT} items: ${selectAll.selectMs.toFixed(0)} ms to the selection bar painted; Escape clears in ${selectAll.clearMs.toFixed(0)} ms`,
  );
}
console.log(
  `  scroll 120 px a frame (a fast flick, 7,200 px/s): frame interval median ${flickStats.median.toFixed(1)} ms, p95 ${flickStats.p95.toFixed(1)} ms over ${flick.length} frames`,
);
console.log(
  `  scrollbar dragged through all ${COUNT} items in 4 s: frame interval median ${dragStats.median.toFixed(1)} ms, p95 ${dragStats.p95.toFixed(1)} ms over ${dragThrough.length} frames`,
);
if (filterProfile)
  console.log(
    `  where the page's main thread spent the filter changes (self time):\n    ${filterProfile.join("\n    ")}`,
  );
await mkdir(path.join(REPO_ROOT, "bench-results"), { recursive: true });
await writeFile(path.join(REPO_ROOT, "bench-results", "board.json"), JSON.stringify(results, null, 2));
