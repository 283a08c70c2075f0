/**
 * Import at scale: the first 1,000, 10,000 and 100,000 files of a seeded set of files of 4 KB to
 * 200 KB (importScaleData.ts, cached between runs), each count imported in one import, in a process
 * of its own:
 *
 *   time per file at the largest count within 1.2× of the time per file at 1,000
 *   peak RSS under 300 MB whatever the count
 *   the board on the largest case, in Chromium: first open (builds the Dexie projection), reopen,
 *   and filter → count painted, target < 100 ms (boardProbe.ts)
 *
 * The largest import also notes the time and memory as it passes each smaller count, so the
 * curve inside one import is printed too. BENCH_SCALE=1k,10k,100k picks the counts (default
 * 1k,10k: the 100,000-file run takes about ten minutes with its 10 GB of files);
 * BENCH_ROUNDS (default 3) rounds for counts up to 10,000, one for larger; BENCH_SCALE_BOARD=0
 * skips the board. Figures go to bench-results/import-scale.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startLoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { SightlineService } from "../../electron/services/sightlineService.js";
import { median, stats } from "./benchStats.js";
import { launchChromium, openBoard, timeFilters } from "./boardProbe.js";
import { MB, timeSightline, verdict, type WorkerResult } from "./importLimit.js";
import { FILES_PER_FOLDER, scaleSet } from "./importScaleData.js";

const counts = (process.env.BENCH_SCALE ?? "1k,10k")
  .split(",")
  .map((c) => Number(c.trim().replace(/k$/i, "000")))
  .filter((n) => Number.isSafeInteger(n) && n >= FILES_PER_FOLDER)
  .sort((a, b) => a - b);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
if (counts.length === 0) throw new Error("BENCH_SCALE names no count of 1k or more (e.g. 1k,10k,100k)");
const largest = counts.at(-1)!;

const generated = performance.now();
const set = scaleSet(largest);
console.log(
  `${largest.toLocaleString("en")} files (${(set.bytes / 1e9).toFixed(1)} GB) ready in ${((performance.now() - generated) / 1000).toFixed(0)} s, cached in ${set.root}`,
);

const root = await mkdtemp(path.join(os.tmpdir(), "sightline-scale-"));
const rows: { files: number; runs: number; ms: number; perFileMs: number; peakRssMB: number }[] = [];
let marks: WorkerResult["marks"] = [];
try {
  for (const n of counts) {
    const folders = set.folders.slice(0, n / FILES_PER_FOLDER);
    const runs: WorkerResult[] = [];
    for (let r = 0; r < (n <= 10_000 ? rounds : 1); r++) {
      await rm(path.join(root, "case"), { recursive: true, force: true });
      // Mark 1: when the first batch is in the ledger (the walk streams into the stagers).
      const result = timeSightline(root, folders, n, n === largest ? { marks: [1, ...counts] } : {});
      runs.push(result);
      if (n === largest) marks = result.marks;
    }
    const ms = median(runs.map((r) => r.ms));
    const peakRssMB = Math.max(...runs.map((r) => r.maxRssBytes ?? 0)) / MB;
    rows.push({ files: n, runs: runs.length, ms, perFileMs: ms / n, peakRssMB });
    console.log(
      `  ${n.toLocaleString("en").padStart(7)} files: ${(ms / 1000).toFixed(1).padStart(6)} s, ${(ms / n).toFixed(3)} ms a file (${Math.round(n / (ms / 1000)).toLocaleString("en")} files/s), peak RSS ${peakRssMB.toFixed(0)} MB (median of ${runs.length})`,
    );
  }
  console.log(`  inside the ${largest.toLocaleString("en")}-file import:`);
  let previous = { files: 0, ms: 0 };
  const first = marks.find((m) => m.files === 1);
  if (first) {
    console.log(
      `    first batch in the ledger after ${(first.ms / 1000).toFixed(1)} s, RSS ${(first.rssBytes / MB).toFixed(0)} MB`,
    );
  }
  for (const m of marks) {
    if (m.files === 1) continue;
    const stretch = (m.ms - previous.ms) / (m.files - previous.files);
    console.log(
      `    ${m.files.toLocaleString("en").padStart(7)} committed after ${(m.ms / 1000).toFixed(1)} s, ${stretch.toFixed(3)} ms a file since ${previous.files.toLocaleString("en")}, RSS ${(m.rssBytes / MB).toFixed(0)} MB`,
    );
    previous = m;
  }
  const smallest = rows[0]!;
  const last = rows.at(-1)!;
  const growth = last.perFileMs / smallest.perFileMs;
  const peak = Math.max(...rows.map((r) => r.peakRssMB));
  console.log(
    `  ${verdict(growth <= 1.2)} time per file at ${last.files.toLocaleString("en")} is ${growth.toFixed(2)}× that at ${smallest.files.toLocaleString("en")} (target <= 1.2)`,
  );
  console.log(`  ${verdict(peak < 300)} peak RSS ${peak.toFixed(0)} MB at most (target < 300 MB)`);

  let board = null;
  if (process.env.BENCH_SCALE_BOARD !== "0") {
    const service = new SightlineService(new KeyStore(path.join(root, "profile")));
    const host = await startLoopbackHost({ service });
    const { context, page, profile } = await launchChromium();
    const total = `${largest} of ${largest} items`;
    try {
      const first = await openBoard(page, host, path.join(root, "case"), total, true);
      const again = await openBoard(page, host, path.join(root, "case"), total, false);
      const filter = stats(await timeFilters(page, total, (round) => `f0${round}12`, ["Images", "Videos"]));
      board = { firstOpen: first, reopen: again, filterMs: filter };
      console.log(
        `  board with ${largest.toLocaleString("en")} items: first open ${(first.usableMs / 1000).toFixed(1)} s to a usable board (${(first.savedMs / 1000).toFixed(1)} s until the projection is saved), reopen ${(again.usableMs / 1000).toFixed(1)} s`,
      );
      console.log(
        `  ${verdict(filter.max < 100)} filter → count painted: median ${filter.median.toFixed(0)} ms, worst ${filter.max.toFixed(0)} ms over ${filter.n} changes (target < 100 ms)`,
      );
    } finally {
      await context.close();
      await service.jobs.settle();
      await host.close();
      await rm(profile, { recursive: true, force: true });
    }
  }
  await mkdir("bench-results", { recursive: true });
  await writeFile(
    "bench-results/import-scale.json",
    JSON.stringify(
      {
        date: new Date().toISOString(),
        load: os.loadavg(),
        bytes: set.bytes,
        rows,
        marks,
        growth,
        peakRssMB: peak,
        board,
      },
      null,
      2,
    ),
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
