/**
 * Import throughput against the standard tools, same files, same disk, same run
 * (the machine is shared and noisy, so only ratios are compared):
 *
 *   1 GiB file:   sightline import  vs  cp FILE DST && sync      target ratio >= 0.9, peak RSS < 200 MB
 *   1,000 files:  sightline import  vs  cp -r DIR DST && sync    target ratio >= 0.5
 *
 * Ratio = baseline time / Sightline time (higher is better). Runs alternate,
 * `sync` runs before each so earlier dirty pages do not land on the next run,
 * and the median of BENCH_ROUNDS (default 3) is taken. BENCH_SIZE_MB shrinks
 * the big file for a quick trial. Figures also go to bench-results/import.json.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeRandomFile } from "../support/randomFile.js";
import { median } from "./benchStats.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const bigBytes = Number(process.env.BENCH_SIZE_MB ?? 1024) * 1024 * 1024;
const MB = 1024 * 1024;

interface Run {
  ms: number;
  maxRssBytes?: number;
}

function timeShell(script: string): Run {
  execFileSync("sync");
  const started = performance.now();
  execFileSync("sh", ["-c", script]);
  return { ms: performance.now() - started };
}

function timeSightline(root: string, paths: string[], expectedFiles: number): Run {
  execFileSync("sync");
  const caseDir = path.join(root, "case");
  const args = JSON.stringify({ profileDir: path.join(root, "profile"), caseDir, paths });
  const child = spawnSync(process.execPath, [path.join(here, "importWorker.js"), args], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`import worker failed: ${child.stderr}`);
  const result = JSON.parse(child.stdout) as Run & { outcomes: Record<string, number> };
  const imported = (result.outcomes.imported ?? 0) + (result.outcomes.duplicate ?? 0);
  if (imported !== expectedFiles)
    throw new Error(`expected ${expectedFiles} files imported, got ${JSON.stringify(result.outcomes)}`);
  return result;
}

async function compare(
  name: string,
  root: string,
  source: string,
  bytes: number,
  files: number,
  baseline: (dst: string) => string,
) {
  const base: Run[] = [];
  const ours: Run[] = [];
  for (let round = 0; round < rounds; round++) {
    const dst = path.join(root, "copy");
    base.push(timeShell(baseline(dst)));
    await rm(dst, { recursive: true, force: true });
    ours.push(timeSightline(root, [source], files));
    await rm(path.join(root, "case"), { recursive: true, force: true });
  }
  const baseMs = median(base.map((r) => r.ms));
  const oursMs = median(ours.map((r) => r.ms));
  const peakRss = Math.max(...ours.map((r) => r.maxRssBytes ?? 0));
  return {
    name,
    files,
    bytes,
    baselineMs: baseMs,
    sightlineMs: oursMs,
    ratio: baseMs / oursMs,
    peakRssMB: peakRss / MB,
  };
}

async function main(): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), "sightline-bench-"));
  try {
    const big = path.join(root, "source", "big.bin");
    await writeRandomFile(big, bigBytes);
    const small = path.join(root, "source", "phone");
    let smallBytes = 0;
    for (let i = 0; i < 1000; i++) {
      const size = 180_000 + ((i * 7919) % 40_000);
      smallBytes += size;
      await writeRandomFile(path.join(small, `IMG_${String(i).padStart(4, "0")}.jpg`), size);
    }
    execFileSync("sync");

    const results = [
      await compare(`import-${bigBytes / MB}MiB`, root, big, bigBytes, 1, (dst) => `cp '${big}' '${dst}' && sync`),
      await compare("import-1000-small", root, small, smallBytes, 1000, (dst) => `cp -r '${small}' '${dst}' && sync`),
    ];
    const targets: Record<string, number> = { [results[0]!.name]: 0.9, [results[1]!.name]: 0.5 };

    console.log(
      `Sightline import benchmark, ${rounds} rounds, medians (${os.cpus().length} cores, ${process.version})`,
    );
    console.log(
      "case                  files   size MB   baseline s   sightline s   MB/s base   MB/s ours   ratio   peak RSS MB",
    );
    for (const r of results) {
      const mb = r.bytes / MB;
      console.log(
        `${r.name.padEnd(20)} ${String(r.files).padStart(6)} ${mb.toFixed(0).padStart(9)} ${(r.baselineMs / 1000).toFixed(2).padStart(12)} ${(r.sightlineMs / 1000).toFixed(2).padStart(13)} ${(mb / (r.baselineMs / 1000)).toFixed(0).padStart(11)} ${(mb / (r.sightlineMs / 1000)).toFixed(0).padStart(11)} ${r.ratio.toFixed(2).padStart(7)} ${r.peakRssMB.toFixed(0).padStart(13)}`,
      );
    }
    for (const r of results) {
      const target = targets[r.name]!;
      console.log(
        `${r.ratio >= target ? "PASS" : "MISS"} ${r.name} ratio ${r.ratio.toFixed(2)} (target >= ${target.toFixed(2)})`,
      );
    }
    const rss = results[0]!.peakRssMB;
    console.log(`${rss < 200 ? "PASS" : "MISS"} ${results[0]!.name} peak RSS ${rss.toFixed(0)} MB (target < 200 MB)`);
    await mkdir("bench-results", { recursive: true });
    await writeFile(
      "bench-results/import.json",
      JSON.stringify({ date: new Date().toISOString(), rounds, results }, null, 2),
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
