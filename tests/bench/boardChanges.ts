/**
 * The board's filter changes alone, many rounds, on the case `boardBench` generated (run that first
 * with the same BENCH_BOARD_ITEMS): each change's time from the input to the new count painted, as
 * boardBench times it, without boardBench's opens and scrolls. The page's profile is kept in
 * $TMPDIR/sightline-board-changes-<count> and the host's port fixed (BENCH_BOARD_PORT), so later runs open
 * the case from its IndexedDB projection.
 *
 *   BENCH_BOARD_ROUNDS   rounds of the eight changes (default 6)
 *   BENCH_BOARD_TRACE=1  also a DevTools trace of each change (boardTrace.ts): main-thread CPU by kind
 *                        and the JavaScript by function, which shows where the slow changes' time goes
 *
 * Run: BENCH_BOARD_ITEMS=100000 node dist/tests/bench/boardChanges.js
 */
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startLoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { SightlineService } from "../../electron/services/sightlineService.js";
import {
  FILTER_CHANGES,
  frameFloor,
  handedOverTimes,
  launchChromium,
  openBoard,
  stats,
  timeFilter,
  timeFilters,
} from "./boardProbe.js";
import { traceLines, traceWhile } from "./boardTrace.js";

const COUNT = Number(process.env.BENCH_BOARD_ITEMS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_BOARD_ROUNDS ?? 6);
const isTraced = process.env.BENCH_BOARD_TRACE === "1";
const cacheRoot = path.join(os.tmpdir(), "sightline-bench-data", `board-${COUNT}-g2`);
const caseDir = path.join(cacheRoot, "case");
if (!existsSync(path.join(caseDir, "case.json"))) {
  throw new Error(`no ${COUNT}-item case in ${cacheRoot}: run boardBench with BENCH_BOARD_ITEMS=${COUNT} first`);
}

const service = new SightlineService(new KeyStore(path.join(cacheRoot, "home")));
// A fixed port: the page's origin, and so its IndexedDB, is the same from run to run.
const port = Number(process.env.BENCH_BOARD_PORT ?? 47_391);
const host = await startLoopbackHost({ service, port, appDir: process.env.BENCH_APP_DIR || undefined });
const { context, page } = await launchChromium(path.join(os.tmpdir(), `sightline-board-changes-${COUNT}`));
const total = `${COUNT} of ${COUNT} items`;
const opened = await openBoard(page, host, caseDir, total, true);
console.log(
  `board usable in ${(opened.usableMs / 1000).toFixed(2)} s, projection saved at ${(opened.savedMs / 1000).toFixed(2)} s`,
);

const traces: string[][] = [];
const timer = async (change: () => Promise<void>, expected: RegExp) => {
  if (!isTraced) return timeFilter(page, change, expected);
  let ms = 0;
  const summary = await traceWhile(page, async () => (ms = await timeFilter(page, change, expected)));
  traces.push(traceLines(summary, 8));
  return ms;
};
const floor = stats(await frameFloor(page));
const times = await timeFilters(page, total, (round) => `item-0${round % 10}1`, ["Images", "Other"], ROUNDS, timer);
await context.close();
await service.jobs.settle();
await host.close();

times.forEach((ms, i) => {
  const name = `${FILTER_CHANGES[i % FILTER_CHANGES.length]} (round ${Math.floor(i / FILTER_CHANGES.length) + 1})`;
  console.log(`${ms.toFixed(0).padStart(6)} ms  ${name} (handed over at ${handedOverTimes[i]!.toFixed(0)} ms)`);
  for (const line of traces[i] ?? []) console.log(`           ${line}`);
});
const s = stats(times);
console.log(
  `filter → count on screen, ${times.length} changes: median ${s.median.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms, worst ${s.max.toFixed(0)} ms; frame floor ${floor.median.toFixed(0)} ms; load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
