/**
 * Custody report of a 1,000-item case as a PDF with thumbnails (issue 11's target: under 60 s),
 * through the real CLI: verification at report time, the report built from the ledger, every
 * thumbnail read back and checked, the page printed by the system Chromium, the JSON twin
 * attached, the copy kept and recorded. The case (1,000 JPEGs imported and analysed by the CLI)
 * is made once and cached under bench-results/; each round reports on a fresh copy of it.
 * REPORT_BENCH_N sets the item count. A missed target is printed as MISSED, not failed.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT, runCli } from "../support/cli.js";
import { tempDir } from "../support/fixtures.js";
import { makeJpegFolder } from "../support/mediaCorpus.js";

const n = Number(process.env.REPORT_BENCH_N ?? 1000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const TARGET_S = 60;
const cache = path.join(REPO_ROOT, "bench-results", `report-case-${n}`);

async function cachedCase(): Promise<{ caseDir: string; home: string }> {
  const caseDir = path.join(cache, "case");
  const home = path.join(cache, "home");
  if (existsSync(path.join(cache, "ready"))) return { caseDir, home };
  await rm(cache, { recursive: true, force: true });
  await mkdir(cache, { recursive: true });
  const media = path.join(cache, "media");
  const started = Date.now();
  await makeJpegFolder(media, n, { width: 1024, height: 768, seed: 11, exif: true });
  const init = await runCli(["init", caseDir, "--title", `Report bench, ${n} items`, "--examiner", "B. Bench"], home);
  if (init.code !== 0) throw new Error(init.stderr);
  const imported = await runCli(["import", caseDir, media, "--source-url", "https://t.me/bench/1"], home);
  if (imported.code !== 0) throw new Error(imported.stderr);
  await writeFile(path.join(cache, "ready"), "");
  console.log(`made and cached the ${n}-item case in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { caseDir, home };
}

const { caseDir, home } = await cachedCase();
const times: number[] = [];
let last = "";
for (let round = 0; round < rounds; round++) {
  const copy = path.join(await tempDir("sightline-report-bench-"), "case");
  execFileSync("cp", ["-a", caseDir, copy]);
  const out = path.join(path.dirname(copy), "report.pdf");
  const started = performance.now();
  const r = await runCli(["report", copy, "--format", "pdf", "--out", out, "--json"], home);
  times.push((performance.now() - started) / 1000);
  if (r.code !== 0) throw new Error(`report failed: ${r.stderr}`);
  const summary = JSON.parse(r.stdout);
  const pages = /Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [out]).toString())?.[1];
  last = `${summary.items} items, ${pages} pages, ${(summary.size / 1024 / 1024).toFixed(1)} MB`;
  await rm(path.dirname(copy), { recursive: true, force: true });
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
console.log(
  `report PDF of ${n} items with thumbnails: ${median.toFixed(1)} s (${last}); target < ${TARGET_S} s ${median < TARGET_S ? "met" : "MISSED"}`,
);
