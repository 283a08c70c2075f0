/**
 * Import throughput against the limit of the machine and the standard tools, same files, same
 * disk, same run (the machine is shared and noisy, so only ratios are compared):
 *
 *   1 GiB file    limit = openssl dgst -sha256 FILE  ∥  cp FILE COPY && sync COPY   (started together)
 *   1,000 files   limit = openssl dgst -sha256 FILES ∥  cp -r DIR DST && sync       (about 200 KB each)
 *
 * and, for each, `cp` + `sync` alone, `dc3dd hash=sha256` and `dcfldd hash=sha256` (each followed by a
 * `sync`, so they too leave a durable copy). Ratio = tool time / Sightline time (higher is better);
 * targets: >= 0.8 of the limit, >= 1 against the forensic imagers; cp + sync alone is for reference.
 * Runs alternate (the order turns each round), a `sync` before each, medians of BENCH_ROUNDS (default 5).
 * BENCH_SIZE_MB shrinks the big file; BENCH_ONLY=big or BENCH_ONLY=small runs one of the two; BENCH_IMAGERS=0
 * leaves out dc3dd and dcfldd; BENCH_PROFILE=0 skips the profile. Peak RSS of the big import
 * (target < 200 MB). Figures go to bench-results/import.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { writeRandomFile } from "../support/randomFile.js";
import { median } from "./benchStats.js";
import { hasTool, MB, sh, timeSightline, timeTogether, verdict, type Run } from "./importLimit.js";
import { measureBudget } from "./importBudget.js";
import { profileImport } from "./importProfile.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const only = process.env.BENCH_ONLY ?? "";
const bigBytes = only === "small" ? MB : Number(process.env.BENCH_SIZE_MB ?? 1024) * MB;

interface Baseline {
  name: string;
  /** The least ratio to reach, or null for a figure shown for reference. */
  target: number | null;
  /** Rounds this tool runs (when fewer than the others: too slow to repeat). */
  rounds?: number;
  /** Shell scripts started together; `dst` is a fresh path for the copy. */
  scripts: (dst: string) => string[];
}

function baselines(source: string, isFolder: boolean): Baseline[] {
  const list = isFolder ? `find ${sh(source)} -type f -print0 | xargs -0` : "";
  const copy = (dst: string) =>
    isFolder ? `cp -r ${sh(source)} ${sh(dst)} && sync` : `cp ${sh(source)} ${sh(dst)} && sync ${sh(dst)}`;
  const hash = isFolder ? `${list} openssl dgst -sha256 >/dev/null` : `openssl dgst -sha256 ${sh(source)} >/dev/null`;
  const imager = (tool: string) => (dst: string) =>
    isFolder
      ? `mkdir ${sh(dst)} && for f in ${sh(source)}/*; do ${tool} if="$f" of=${sh(dst)}/"$(basename "$f")" hash=sha256 >/dev/null 2>&1 || exit 1; done && sync`
      : `${tool} if=${sh(source)} of=${sh(dst)} hash=sha256 >/dev/null 2>&1 && sync ${sh(dst)}`;
  const all: Baseline[] = [
    { name: "limit (hash ∥ copy + flush)", target: 0.8, scripts: (dst) => [hash, copy(dst)] },
    // For reference, no target: on a fast disk the hash, not the copy, is what limits an import.
    { name: isFolder ? "cp -r + sync" : "cp + sync", target: null, scripts: (dst) => [copy(dst)] },
  ];
  for (const tool of ["dc3dd", "dcfldd"]) {
    if (!hasTool(tool) || process.env.BENCH_IMAGERS === "0") continue;
    // One process per file (neither takes a list of files): for 1,000 files that is minutes, so once.
    all.push({
      name: `${tool} hash=sha256`,
      target: 1,
      scripts: (dst) => [imager(tool)(dst)],
      ...(isFolder ? { rounds: 1 } : {}),
    });
  }
  return all;
}

async function compare(name: string, root: string, source: string, bytes: number, files: number, isFolder: boolean) {
  const tools = baselines(source, isFolder);
  const runs = new Map<string, Run[]>(tools.map((t) => [t.name, []]));
  const ours: Run[] = [];
  // Many files' copies are removed only once every round has run: ext4 without a journal skips the
  // inodes freed in the last minute or more when it makes new ones, so a run just after the removal
  // of a thousand files (the run before's copy) pays for that, whichever tool it is.
  const kept: string[] = [];
  const place = async (name: string, round: number) => {
    const at = path.join(root, isFolder ? `${name}-${round}` : name);
    if (isFolder) kept.push(at);
    else await rm(at, { recursive: true, force: true });
    return at;
  };
  for (let round = 0; round < rounds; round++) {
    // Sightline and each tool in turn; the order turns every round so none always runs first.
    const steps = [null, ...tools];
    for (let i = 0; i < steps.length; i++) {
      const step = steps[(i + round) % steps.length]!;
      if (step !== null && round >= (step.rounds ?? rounds)) continue;
      if (step === null) {
        const caseDir = await place("case", round);
        ours.push(timeSightline(root, [source], files, { caseName: path.basename(caseDir) }));
        if (!isFolder) await rm(caseDir, { recursive: true, force: true });
      } else {
        const dst = await place(`copy-${tools.indexOf(step)}`, round);
        runs.get(step.name)!.push(await timeTogether(step.scripts(dst)));
        if (!isFolder) await rm(dst, { recursive: true, force: true });
      }
    }
  }
  for (const at of kept) await rm(at, { recursive: true, force: true });
  const sightlineMs = median(ours.map((r) => r.ms));
  const cpuOf = (list: Run[]) => median(list.map((r) => r.cpuMs ?? 0));
  return {
    name,
    files,
    bytes,
    sightlineMs,
    peakRssMB: Math.max(...ours.map((r) => r.maxRssBytes ?? 0)) / MB,
    sightlineCpuMs: cpuOf(ours),
    against: tools.map((t) => {
      const list = runs.get(t.name)!;
      const ms = median(list.map((r) => r.ms));
      const ratio = ms / sightlineMs;
      return {
        tool: t.name,
        runs: list.length,
        ms,
        cpuMs: cpuOf(list),
        ratio,
        target: t.target,
        isMet: t.target === null || ratio >= t.target,
      };
    }),
  };
}

/**
 * The CPU each side spent, and what that allows: the limit's two commands overlap on the cores,
 * so an import that spends more CPU than they do together cannot match their time however well it
 * overlaps its own work. The best time its CPU allows is that CPU spread over every core.
 */
function cpuBudget(r: Awaited<ReturnType<typeof compare>>): string {
  const limit = r.against[0]!;
  const cores = os.availableParallelism();
  const best = r.sightlineCpuMs / cores;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return `  CPU, ${r.name}: Sightline ${s(r.sightlineCpuMs)} (all threads); the limit's two commands ${s(limit.cpuMs)} together. Spread over ${cores} cores, Sightline's CPU alone takes ${s(best)}: ratio ${(limit.ms / best).toFixed(2)} at best`;
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
    const missing = ["dc3dd", "dcfldd"].filter((t) => !hasTool(t));

    const results = [
      ...(only === "small" ? [] : [await compare(`one ${bigBytes / MB} MiB file`, root, big, bigBytes, 1, false)]),
      ...(only === "big" ? [] : [await compare("1,000 files of ~200 KB", root, small, smallBytes, 1000, true)]),
    ];
    console.log(`Sightline import, ${rounds} rounds, medians (${os.cpus().length} cores, ${process.version}):`);
    for (const r of results) {
      const mb = r.bytes / MB;
      console.log(
        `  ${r.name}: Sightline ${(r.sightlineMs / 1000).toFixed(2)} s (${(mb / (r.sightlineMs / 1000)).toFixed(0)} MB/s), peak RSS ${r.peakRssMB.toFixed(0)} MB`,
      );
      for (const a of r.against) {
        console.log(
          `    ${a.target === null ? "    " : verdict(a.isMet)} against ${a.tool.padEnd(28)} ${(a.ms / 1000).toFixed(2).padStart(7)} s  ratio ${a.ratio.toFixed(2)} (${a.target === null ? "for reference" : `target >= ${a.target.toFixed(1)}`})${a.runs < rounds ? `, ${a.runs} run` : ""}`,
        );
      }
    }
    for (const r of results) {
      console.log(cpuBudget(r));
      if (r.files === 1) continue;
      const fixed = await measureBudget(root, r.files);
      console.log(
        `    of which, each measured alone: starting the staging threads ${(fixed.threadsCpuMs / 1000).toFixed(2)} s (${(fixed.threadsMs / 1000).toFixed(2)} s until both answer), making, signing and appending ${r.files.toLocaleString("en")} ledger events ${(fixed.ledgerCpuMs / 1000).toFixed(2)} s`,
      );
      Object.assign(r, { budget: fixed });
    }
    if (missing.length > 0) console.log(`  not compared: ${missing.join(", ")} (run tests/bench/setup.sh to install)`);
    const bigResult = results.find((r) => r.files === 1);
    const smallResult = results.find((r) => r.files === 1000);
    if (bigResult) {
      const rss = bigResult.peakRssMB;
      console.log(`  ${verdict(rss < 200)} peak RSS of the big import ${rss.toFixed(0)} MB (target < 200 MB)`);
    }

    const profile =
      process.env.BENCH_PROFILE === "0"
        ? []
        : [
            ...(bigResult ? await profileImport(root, [big], 1, bigResult.name) : []),
            ...(smallResult ? await profileImport(root, [small], 1000, smallResult.name) : []),
          ];
    for (const line of profile) console.log(line);

    await mkdir("bench-results", { recursive: true });
    await writeFile(
      "bench-results/import.json",
      JSON.stringify({ date: new Date().toISOString(), rounds, load: os.loadavg(), results, profile }, null, 2),
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
