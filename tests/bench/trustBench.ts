/**
 * Two writes in a row to a large case, in one process: the first has no keys remembered and reads
 * the whole ledger for them; the second follows a ledger the first changed. Each write is what every
 * command does to write: LedgerWriter.open (layout, keys, head), one note appended, close. Prints the
 * time of each and how the keys were known as each writer opened (caseTrust.ts's ledgerTrustSource).
 *
 * The case is boardBench's cached one ($TMPDIR/sightline-bench-data/board-<BENCH_BOARD_ITEMS, default
 * 100000>-g2; run boardBench first) or BENCH_TRUST_CASE with BENCH_TRUST_HOME; only its case.json and
 * ledger are copied into a temporary case (the vault's objects are not read by a write), so the
 * cached case is left as it was. Each of BENCH_ROUNDS (default 3) rounds runs in a fresh process.
 */
import { execFileSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, open, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { ledgerTrustSource } from "../../electron/services/ledger/caseTrust.js";
import { LedgerWriter } from "../../electron/services/ledger/ledgerWriter.js";
import { median } from "./benchStats.js";

interface Round {
  ms: number[];
  sources: (string | null)[];
}

async function twoWrites(caseDir: string, home: string): Promise<Round> {
  const [key] = await new KeyStore(home).list();
  if (!key) throw new Error(`no examiner key in ${home}`);
  const head = Buffer.alloc(1 << 16);
  const ledger = await open(path.join(caseDir, "ledger.jsonl"), "r");
  await ledger.read(head, 0, head.length, 0);
  await ledger.close();
  const sha256 = /"sha256":"([0-9a-f]{64})"/.exec(head.toString("utf8"))?.[1];
  if (!sha256) throw new Error("no item's sha256 in the ledger's first lines");
  const round: Round = { ms: [], sources: [] };
  for (const text of ["first write", "second write"]) {
    const started = performance.now();
    const writer = await LedgerWriter.open(caseDir, { key });
    round.sources.push(ledgerTrustSource(caseDir));
    await writer.append([{ type: "note.added", payload: { sha256, text } }]);
    await writer.close();
    round.ms.push(performance.now() - started);
  }
  return round;
}

if (process.argv[2] === "--round") {
  process.stdout.write(JSON.stringify(await twoWrites(process.argv[3]!, process.argv[4]!)));
  process.exit(0);
}

const cached = path.join(os.tmpdir(), "sightline-bench-data", `board-${process.env.BENCH_BOARD_ITEMS ?? 100_000}-g2`);
const from = process.env.BENCH_TRUST_CASE ?? path.join(cached, "case");
const home = process.env.BENCH_TRUST_HOME ?? path.join(cached, "home");
const work = await mkdtemp(path.join(os.tmpdir(), "sightline-trust-bench-"));
try {
  const caseDir = path.join(work, "case");
  for (const folder of ["objects/sha256", "derived", "exports", "tmp"]) {
    await mkdir(path.join(caseDir, folder), { recursive: true });
  }
  await copyFile(path.join(from, "case.json"), path.join(caseDir, "case.json"));
  await copyFile(path.join(from, "ledger.jsonl"), path.join(caseDir, "ledger.jsonl"));
  const rounds: Round[] = [];
  for (let i = 0; i < Number(process.env.BENCH_ROUNDS ?? 3); i++) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--round", caseDir, home], {
      encoding: "utf8",
    });
    rounds.push(JSON.parse(out) as Round);
  }
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  for (const [index, name] of ["first write", "second write"].entries()) {
    const times = rounds.map((r) => r.ms[index]!);
    console.log(
      `${name}: median ${seconds(median(times))} (${times.map(seconds).join(", ")}), keys known as it opened: ${rounds.map((r) => r.sources[index]).join(", ")}`,
    );
  }
  console.log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
} finally {
  await rm(work, { recursive: true, force: true });
}
