/**
 * One measured import in its own process, so its peak RSS is the import's
 * alone. argv[2] is JSON {profileDir, caseDir, paths, marks?}; the case is created
 * first (not timed); prints JSON {ms, cpuMs, maxRssBytes, outcomes, marks}, where each
 * mark is the elapsed time and resident memory when that many files were committed.
 */
import { createCase } from "../../electron/services/vault/caseStore.js";
import { importIntoCase } from "../../electron/services/import/importPipeline.js";
import { startThreadsFor } from "../../electron/services/import/importThreadsStart.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { LedgerWriter } from "../../electron/services/ledger/ledgerWriter.js";

const {
  profileDir,
  caseDir,
  paths,
  marks = [],
} = JSON.parse(process.argv[2]!) as {
  profileDir: string;
  caseDir: string;
  paths: string[];
  marks?: number[];
};
const key = await new KeyStore(profileDir).getOrCreate("Bench Examiner");
const caseFile = await createCase({ dir: caseDir, title: "bench", key, hashAlgorithms: ["sha256"] });

const pending = [...marks].sort((a, b) => a - b);
const reached: { files: number; ms: number; rssBytes: number }[] = [];
let committed = 0;

const started = performance.now();
const cpuBefore = process.cpuUsage();
// As the workbench's import does (importService.ts): the threads start while the lock is taken.
const threads = await startThreadsFor(paths);
const writer = await LedgerWriter.open(caseDir, { key });
const batchFiles = Number(process.env.BENCH_BATCH_FILES ?? 0);
const report = await importIntoCase(writer, caseFile, {
  paths,
  // BENCH_BATCH_FILES: another batch size than the import's own, to compare.
  ...(batchFiles > 0 ? { batchFiles } : {}),
  ...(threads ? { threadsToStop: threads } : {}),
  collection: { sourceAccount: "bench", method: "bench", collectedAt: "2026-01-01T00:00:00Z" },
  onCommitted: (outcomes) => {
    committed += outcomes.length;
    while (pending.length > 0 && committed >= pending[0]!) {
      reached.push({ files: pending.shift()!, ms: performance.now() - started, rssBytes: process.memoryUsage().rss });
    }
  },
});
await threads?.close();
await writer.close();
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);

// Counted over every file (report.outcomes lists a bounded number of them).
const statuses: Record<string, number> = Object.fromEntries(Object.entries(report.counts).filter(([, n]) => n > 0));
process.stdout.write(
  JSON.stringify({
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    outcomes: statuses,
    marks: reached,
  }),
);
