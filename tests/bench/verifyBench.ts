/**
 * Verification throughput against what the hardware does with the standard tools, same case,
 * same run, warm page cache (the machine is shared and noisy, so ratios are what is compared):
 *
 *   signatures  VerifyPool.checkSignatures over every event   vs  node:crypto verify, cached key,
 *               split evenly over as many threads                  target ratio >= 0.80
 *   objects     VerifyPool.checkFiles, SHA-256 only            vs  xargs -0 -P <threads>
 *                                                                  openssl dgst -sha256   target >= 0.80
 *   verifyCase  the whole verification, end to end               target < 20 s for 100,000 events
 *   verify-ledger.py, the standalone checker, on the 5,000 case for reference
 *
 * Ratio = baseline time / Sightline time (higher is better); each figure is the median of
 * BENCH_ROUNDS (default 3), each round doing the work in segments of a few thousand, every way
 * in turn and the order rotated (see `interleaved`), so bursts of load fall on all alike. The cases (verifyBenchCase.ts)
 * hold 5,000 and 100,000 items; the second is skipped when it is not cached and making it would
 * take over two minutes. VERIFY_BENCH_N=<n> runs that size only. Missed targets are printed as
 * MISSED, not failed: only an error (a wrong answer, a failed tool) exits non-zero. Figures also
 * go to bench-results/verify.json.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { verifyCase } from "../../electron/services/ledger/verifyCase.js";
import { VerifyPool, type SignatureCheck } from "../../electron/services/ledger/verifyPool.js";
import { median } from "./benchStats.js";
import { benchCase, cachedBenchCase, readBenchCase, type BenchCaseContents } from "./verifyBenchCase.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const threads = os.availableParallelism();
const MB = 1024 * 1024;
const SIGNATURE_TARGET = 0.8;
const OBJECT_TARGET = 0.8;
const LARGE_CASE = 100_000;
const LARGE_CASE_TARGET_S = 20;
/** Longest a case may take to make before the default run skips it. */
const GENERATION_BUDGET_MS = 120_000;

interface Row {
  n: number;
  measure: string;
  sightline: string;
  baseline: string;
  ratio: number | null;
  target: string;
  isMissed: boolean;
}

/**
 * Times ways of doing the same work, interleaved: the work is cut into segments and every way does
 * each segment in turn, the order rotated per segment and round, so a burst of load from elsewhere
 * on this shared machine falls on all of them alike. Per way, the median over the rounds of its
 * total time.
 */
async function interleaved(segments: number, ways: ((segment: number) => Promise<unknown>)[]): Promise<number[]> {
  const totals: number[][] = ways.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const sums = ways.map(() => 0);
    for (let segment = 0; segment < segments; segment++) {
      for (let k = 0; k < ways.length; k++) {
        const which = (k + segment + round) % ways.length;
        const started = performance.now();
        await ways[which]!(segment);
        sums[which]! += performance.now() - started;
      }
    }
    sums.forEach((ms, way) => totals[way]!.push(ms));
  }
  return totals.map(median);
}

/** `list` cut into pieces of at most `size`. */
function segmentsOf<T>(list: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));
}

function flatten(checks: readonly SignatureCheck[]): string[] {
  return checks.flatMap((c) => [c.publicKey, c.hash, c.sig]);
}

async function measureSignatures(pool: VerifyPool, n: number, checks: SignatureCheck[]): Promise<Row> {
  const workers = Array.from({ length: threads }, () => new Worker(path.join(here, "verifyBenchWorker.js")));
  const baseline = async (list: SignatureCheck[]) => {
    const share = Math.ceil(list.length / threads);
    const counts = await Promise.all(
      workers.map((worker, t) => {
        worker.postMessage(flatten(list.slice(t * share, (t + 1) * share)));
        return once(worker, "message").then(([count]) => count as number);
      }),
    );
    const valid = counts.reduce((a, b) => a + b, 0);
    if (valid !== list.length) throw new Error(`baseline: ${list.length - valid} signatures failed`);
  };
  const ours = async (list: SignatureCheck[]) => {
    const failed = (await pool.checkSignatures(list)).filter((isValid) => !isValid).length;
    if (failed > 0) throw new Error(`VerifyPool: ${failed} valid signatures were refused`);
  };
  try {
    const warm = checks.slice(0, 2000);
    await ours(warm);
    await baseline(warm);
    const segments = segmentsOf(checks, 2500);
    const [oursMs, baseMs] = await interleaved(segments.length, [
      (s) => ours(segments[s]!),
      (s) => baseline(segments[s]!),
    ]);
    const ratio = baseMs! / oursMs!;
    return {
      n,
      measure: "signatures",
      sightline: `${rate(checks.length, oursMs!)} events/s`,
      baseline: `${rate(checks.length, baseMs!)} events/s node:crypto ×${threads}`,
      ratio,
      target: `>= ${SIGNATURE_TARGET.toFixed(2)}`,
      isMissed: ratio < SIGNATURE_TARGET,
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

async function measureObjects(pool: VerifyPool, n: number, contents: BenchCaseContents): Promise<Row[]> {
  const { objects, bytes } = contents;
  const scratch = path.join(os.tmpdir(), `sightline-verify-bench-run-${process.pid}`);
  await mkdir(scratch, { recursive: true });
  const listOf = (part: readonly { path: string }[]) => part.map((o) => `${o.path}\0`).join("");
  const segments = segmentsOf(objects, 4000);
  const lists = segments.map((_, s) => path.join(scratch, `segment-${s}.list`));
  await Promise.all(segments.map((segment, s) => writeFile(lists[s]!, listOf(segment))));
  // Each of `parallel` openssl processes takes an equal share of the segment, so none runs alone at the end.
  const openssl = (parallel: number) => async (s: number) => {
    const share = Math.ceil(segments[s]!.length / parallel);
    execFileSync("sh", ["-c", `xargs -0 -n ${share} -P ${parallel} openssl dgst -sha256 < '${lists[s]}' > /dev/null`]);
  };
  const ours = async (s: number) => {
    const segment = segments[s]!;
    const results = await pool.checkFiles(segment.map((o) => ({ path: o.path, algorithms: ["sha256"] as const })));
    results.forEach((r, i) => {
      if (r.kind !== "file" || r.digests.sha256 !== segment[i]!.sha256)
        throw new Error(`VerifyPool: ${segment[i]!.path} came back as ${JSON.stringify(r)}`);
    });
  };
  try {
    // Untimed passes first: the page cache holds the files, the threads' code is compiled (the first
    // pass over a few thousand files runs half as fast), and openssl's answers are checked (from one
    // process: the lines of parallel ones interleave).
    for (let s = 0; s < segments.length; s++) await ours(s);
    await ours(0);
    const all = path.join(scratch, "objects.list");
    await writeFile(all, listOf(objects));
    const printed = execFileSync("sh", ["-c", `xargs -0 -n 1000 openssl dgst -sha256 < '${all}'`], {
      encoding: "utf8",
      maxBuffer: 1 << 30,
    });
    const digests = new Map(
      printed
        .split("\n")
        .filter(Boolean)
        .map((line) => /^SHA2?-?256\((.*)\)= ([0-9a-f]{64})$/.exec(line)!.slice(1, 3) as [string, string]),
    );
    const wrong = objects.filter((o) => digests.get(o.path) !== o.sha256).length;
    if (wrong > 0) throw new Error(`openssl disagreed on ${wrong} objects`);
    const [oursMs, parallelMs, serialMs] = await interleaved(segments.length, [ours, openssl(threads), openssl(1)]);
    const speed = (ms: number) => `${(bytes / MB / (ms / 1000)).toFixed(0)} MB/s, ${rate(objects.length, ms)} files/s`;
    const ratio = parallelMs! / oursMs!;
    return [
      {
        n,
        measure: "objects",
        sightline: speed(oursMs!),
        baseline: `${speed(parallelMs!)} openssl ×${threads}`,
        ratio,
        target: `>= ${OBJECT_TARGET.toFixed(2)}`,
        isMissed: ratio < OBJECT_TARGET,
      },
      {
        n,
        measure: "  (one openssl)",
        sightline: "",
        baseline: `${speed(serialMs!)} openssl ×1`,
        ratio: serialMs! / oursMs!,
        target: "",
        isMissed: false,
      },
    ];
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function measureVerifyCase(n: number, caseDir: string, events: number): Promise<Row> {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    const report = await verifyCase(caseDir);
    times.push(performance.now() - started);
    if (!report.isClean || report.eventCount !== events) {
      const first = report.problems.slice(0, 3).map((p) => `${p.code}: ${p.message}`);
      throw new Error(`verifyCase found ${report.problems.length} problems, ${report.eventCount} events: ${first}`);
    }
    // A slow verification is measured once: repeating it would not change the picture.
    if (times.at(-1)! > 60_000) break;
  }
  const ms = median(times);
  const isLarge = n >= LARGE_CASE;
  return {
    n,
    measure: "verifyCase",
    sightline: `${(ms / 1000).toFixed(2)} s, ${rate(events, ms)} events/s${times.length < rounds ? " (1 run)" : ""}`,
    baseline: "",
    ratio: null,
    target: isLarge ? `< ${LARGE_CASE_TARGET_S} s` : "",
    isMissed: isLarge && ms / 1000 >= LARGE_CASE_TARGET_S,
  };
}

function measurePython(n: number, caseDir: string, events: number): Row {
  const script = path.resolve(here, "../../../resources/verify-ledger.py");
  const started = performance.now();
  const child = spawnSync("python3", [script, caseDir], { encoding: "utf8", timeout: 180_000 });
  const ms = performance.now() - started;
  if (child.error && (child.error as NodeJS.ErrnoException).code !== "ETIMEDOUT") throw child.error;
  if (!child.error && child.status !== 0) throw new Error(`verify-ledger.py failed: ${child.stdout}${child.stderr}`);
  return {
    n,
    measure: "verify-ledger.py",
    sightline: child.error
      ? "over 180 s, stopped"
      : `${(ms / 1000).toFixed(1)} s, ${rate(events, ms)} events/s (1 run)`,
    baseline: "",
    ratio: null,
    target: "",
    isMissed: false,
  };
}

const rate = (count: number, ms: number) => Math.round(count / (ms / 1000)).toLocaleString("en");

function printTable(rows: Row[]): void {
  const cells = rows.map((r) => [
    String(r.n),
    r.measure,
    r.sightline,
    r.baseline,
    r.ratio === null ? "" : r.ratio.toFixed(2),
    r.target,
    r.isMissed ? "MISSED" : "",
  ]);
  const header = ["N", "measure", "Sightline", "baseline", "ratio", "target", ""];
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  for (const row of [header, ...cells])
    console.log(
      row
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join("  ")
        .trimEnd(),
    );
}

async function main(): Promise<void> {
  const sizes = process.env.VERIFY_BENCH_N ? [Number(process.env.VERIFY_BENCH_N)] : [5000, LARGE_CASE];
  console.log(`Sightline verify benchmark, ${rounds} rounds, medians (${threads} threads, ${process.version})`);
  const rows: Row[] = [];
  const pool = VerifyPool.create({ threads });
  let msPerItem: number | null = null;
  try {
    for (const n of sizes) {
      const isCached = (await cachedBenchCase(n)) !== null;
      if (!process.env.VERIFY_BENCH_N && !isCached && (msPerItem === null || msPerItem * n > GENERATION_BUDGET_MS)) {
        const estimate = msPerItem === null ? "" : ` (about ${Math.round((msPerItem * n) / 1000)} s)`;
        console.log(
          `N=${n}: skipped, making the case would take over two minutes${estimate}; VERIFY_BENCH_N=${n} makes it`,
        );
        continue;
      }
      console.log(`N=${n}: ${isCached ? "reusing the cached case" : "making the case"}`);
      const made = await benchCase(n, console.log);
      msPerItem = made.msPerItem;
      const contents = await readBenchCase(made.caseDir);
      console.log(
        `N=${n}: ${contents.events} events, ${contents.objects.length} objects, ${(contents.bytes / MB).toFixed(0)} MB in ${made.caseDir} (made in ${(made.generatedMs / 1000).toFixed(0)} s)`,
      );
      rows.push(await measureSignatures(pool, n, contents.signatures));
      rows.push(...(await measureObjects(pool, n, contents)));
      rows.push(await measureVerifyCase(n, made.caseDir, contents.events));
      if (n <= 5000) rows.push(measurePython(n, made.caseDir, contents.events));
    }
  } finally {
    await pool.close();
  }
  printTable(rows);
  await mkdir("bench-results", { recursive: true });
  await writeFile(
    "bench-results/verify.json",
    JSON.stringify({ date: new Date().toISOString(), rounds, threads, rows }, null, 2),
  );
}

await main();
