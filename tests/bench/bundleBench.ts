/**
 * Bundle speed and memory against the standard tools on the same files, same run, warm cache:
 *
 *   write   sightline export --bundle (in-process: exportBundle)    vs  zip -0 -r of the case's files
 *           (stored entries, every file hashed, the zip fsynced)        target ratio >= 0.80
 *   open    sightline open-bundle (openBundle: every entry hashed       vs  unzip + sha256sum of every
 *           against the manifest, the case verified, renamed)              extracted file   target >= 0.80
 *   memory  peak RSS of each operation, for the case and for one a quarter its size: flat in the size
 *
 * Each operation runs in a process of its own (bundleBenchWorker.ts), so start-up is counted
 * alike for both sides (a Node process against zip's), and its peak memory is its own. Ratio =
 * baseline time / Sightline time (higher is better), the median of BENCH_ROUNDS (default 3), the
 * two alternating. BENCH_BUNDLE_GB (default 2) sets the case size; the issue's target figure is
 * 10 GB. Cases are random bytes in 256 MiB files imported with the real CLI, kept for the next run
 * under BENCH_DATA (default /tmp/sightline-bench-data/bundle-<size>GiB). Each ratio prints PASS
 * or MISS against its target, with the load averages at the start and end; figures go to
 * bench-results/bundle.json.
 *
 * Disk: the cached cases (the size and a quarter of it), and while measuring at most about 3x the
 * case: the bundle and one other output (zip -0's zip, the opened case or unzip's folder), each
 * removed before the next step. For BENCH_BUNDLE_GB=10, about 12.5 GiB kept and 30 GiB at the
 * peak (making the 10 GiB case the first time needs 2x its size while its media are imported).
 * Remove /tmp/sightline-bench-data/bundle-* to reclaim the cached cases.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runCli, REPO_ROOT } from "../support/cli.js";
import { writeRandomFile } from "../support/randomFile.js";
import { median } from "./benchStats.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const gib = Number(process.env.BENCH_BUNDLE_GB ?? 2);
const FILE_BYTES = 256 * 1024 * 1024;
const TARGET = 0.8;

function timed(command: string, args: string[], cwd?: string): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function worker(args: string[]): { ms: number; maxRssKiB: number; wallMs: number } {
  const started = process.hrtime.bigint();
  const out = execFileSync(process.execPath, [path.join(here, "bundleBenchWorker.js"), ...args], { encoding: "utf8" });
  return { ...JSON.parse(out), wallMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

async function makeCase(root: string, bytes: number): Promise<{ caseDir: string; home: string }> {
  const home = path.join(root, "home");
  const caseDir = path.join(root, "case");
  const media = path.join(root, "media");
  await mkdir(media, { recursive: true });
  for (let i = 0, left = bytes; left > 0; i++, left -= FILE_BYTES) {
    await writeRandomFile(path.join(media, `clip-${i}.mp4`), Math.min(FILE_BYTES, left));
  }
  for (const args of [
    ["init", caseDir, "--title", "Bundle bench", "--examiner", "Bench"],
    ["import", caseDir, media, "--no-analyse"],
  ]) {
    const r = await runCli(args, home);
    if (r.code !== 0) throw new Error(r.stderr);
  }
  await rm(media, { recursive: true });
  return { caseDir, home };
}

interface Measured {
  gib: number;
  writeRatio: number;
  openRatio: number;
  sightlineWriteS: number;
  zipS: number;
  sightlineOpenS: number;
  unzipShaS: number;
  exportRssMiB: number;
  openRssMiB: number;
}

/**
 * The case of `size` GiB, made once and kept under BENCH_DATA (default /tmp/sightline-bench-data,
 * as the other benches keep theirs): a 10 GB case takes longer to make than to measure.
 */
async function cachedCase(size: number): Promise<{ root: string; caseDir: string; home: string }> {
  const root = path.join(process.env.BENCH_DATA ?? path.join(os.tmpdir(), "sightline-bench-data"), `bundle-${size}GiB`);
  const ready = path.join(root, "ready");
  if (
    await stat(ready).then(
      () => true,
      () => false,
    )
  ) {
    return { root, caseDir: path.join(root, "case"), home: path.join(root, "home") };
  }
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  const made = await makeCase(root, Math.round(size * 1024 ** 3));
  await writeFile(ready, "");
  return { root, ...made };
}

async function measure(size: number): Promise<Measured> {
  const { root, caseDir, home } = await cachedCase(size);
  const files = ["case.json", "ledger.jsonl", "objects", "derived"];
  const results = { write: [] as number[], zip: [] as number[], open: [] as number[], unzip: [] as number[] };
  let exportRss = 0;
  let openRss = 0;
  for (let round = 0; round < rounds; round++) {
    const bundle = path.join(root, `bundle-${round}.zip`);
    const zipFile = path.join(root, `zip-${round}.zip`);
    const opened = path.join(root, `opened-${round}`);
    const unzipped = path.join(root, `unzipped-${round}`);
    // Each step's output is removed before the next, so the disk holds at most the case, the
    // bundle and one more copy (about 3x the case: 30 GiB for the 10 GiB case).
    const gone = (p: string) => rm(p, { recursive: true, force: true });
    const exported = worker(["export", caseDir, bundle, home]);
    results.write.push(exported.wallMs);
    exportRss = Math.max(exportRss, exported.maxRssKiB);
    results.zip.push(timed("zip", ["-0", "-r", "-q", zipFile, ...files], caseDir));
    await gone(zipFile);
    const open = worker(["open", bundle, opened, home]);
    results.open.push(open.wallMs);
    openRss = Math.max(openRss, open.maxRssKiB);
    await gone(opened);
    results.unzip.push(
      timed("sh", [
        "-c",
        `unzip -q "$1" -d "$2" && find "$2" -type f -print0 | xargs -0 sha256sum > /dev/null`,
        "-",
        bundle,
        unzipped,
      ]),
    );
    await Promise.all([unzipped, bundle].map(gone));
    console.error(
      `${size} GiB round ${round + 1}/${rounds}: write ${(exported.wallMs / 1000).toFixed(1)} s, zip -0 ${(results.zip.at(-1)! / 1000).toFixed(1)} s, open ${(open.wallMs / 1000).toFixed(1)} s, unzip + sha256sum ${(results.unzip.at(-1)! / 1000).toFixed(1)} s; load ${os.loadavg()[0]!.toFixed(1)}`,
    );
  }
  const m = (v: number[]) => median(v) / 1000;
  return {
    gib: size,
    writeRatio: m(results.zip) / m(results.write),
    openRatio: m(results.unzip) / m(results.open),
    sightlineWriteS: m(results.write),
    zipS: m(results.zip),
    sightlineOpenS: m(results.open),
    unzipShaS: m(results.unzip),
    exportRssMiB: exportRss / 1024,
    openRssMiB: openRss / 1024,
  };
}

const loadAtStart = os.loadavg();
const rows: Measured[] = [];
for (const size of [gib / 4, gib]) rows.push(await measure(size));
const loadAtEnd = os.loadavg();
for (const r of rows) {
  const mark = (ratio: number) => (ratio >= TARGET ? "PASS" : "MISS");
  console.log(
    `bundle ${r.gib.toFixed(2)} GiB  write ${r.sightlineWriteS.toFixed(1)} s vs zip -0 ${r.zipS.toFixed(1)} s: ratio ${r.writeRatio.toFixed(2)} (target >= ${TARGET}) ${mark(r.writeRatio)}`,
  );
  console.log(
    `bundle ${r.gib.toFixed(2)} GiB  open+verify ${r.sightlineOpenS.toFixed(1)} s vs unzip + sha256sum ${r.unzipShaS.toFixed(1)} s: ratio ${r.openRatio.toFixed(2)} (target >= ${TARGET}) ${mark(r.openRatio)}`,
  );
  console.log(
    `bundle ${r.gib.toFixed(2)} GiB  peak RSS: export ${r.exportRssMiB.toFixed(0)} MiB, open ${r.openRssMiB.toFixed(0)} MiB`,
  );
}
const [small, large] = rows as [Measured, Measured];
console.log(
  `memory from ${small.gib} to ${large.gib} GiB: export ${small.exportRssMiB.toFixed(0)} -> ${large.exportRssMiB.toFixed(0)} MiB, open ${small.openRssMiB.toFixed(0)} -> ${large.openRssMiB.toFixed(0)} MiB`,
);
const loads = (l: number[]) => l.map((n) => n.toFixed(1)).join(" ");
console.log(`load averages (1, 5, 15 min): ${loads(loadAtStart)} at the start, ${loads(loadAtEnd)} at the end`);
await mkdir(path.join(REPO_ROOT, "bench-results"), { recursive: true });
await writeFile(
  path.join(REPO_ROOT, "bench-results", "bundle.json"),
  `${JSON.stringify({ rounds, rows, loadAtStart, loadAtEnd }, null, 2)}\n`,
);
