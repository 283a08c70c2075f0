/**
 * Start-up of the `sightline` command: how long a short command takes from exec to exit, against
 * `node -e 0` (node's own start-up, the floor) measured in the same run, rounds interleaved and the
 * order rotated so bursts of load on this shared machine fall on every way alike:
 *
 *   --help                          target <= 1.5x node -e 0
 *   ledger <case>                   a case of one item: parse, print
 *   verify <case>                   the whole verification of that case (its threads included)
 *   import <case> <file> --no-analyse   one new 20 KB file, stored and logged
 *   every command's module loaded   what each command cost at start before they were loaded on use
 *
 * Per way: the median wall time of BENCH_ROUNDS (default 7), its ratio to `node -e 0`, and peak
 * memory where /usr/bin/time is installed. Then one profiled run (--cpu-prof) each of `ledger`,
 * `verify` and `import`, self time of every thread grouped by package: where the rest goes. Missed targets are
 * printed as MISSED, not failed; figures also go to bench-results/cli.json. BENCH_CLI_BEFORE=<main.js
 * of another build> measures that build's --help, ledger, verify and import in the same rounds.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CLI, REPO_ROOT } from "../support/cli.js";
import { median } from "./benchStats.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const HELP_TARGET = 1.5;
const TIME = "/usr/bin/time";

interface Way {
  name: string;
  /** Arguments to node for round `r`. */
  args: (r: number) => string[];
  target?: number;
}

const root = await mkdtemp(path.join(os.tmpdir(), "sightline-cli-bench-"));
const home = path.join(root, "home");
const caseDir = path.join(root, "case");
const env = { ...process.env, CI: "1", SIGHTLINE_HOME: home };

function run(args: string[], options: { withTime?: boolean } = {}) {
  const timed = options.withTime && existsSync(TIME);
  const [cmd, argv] = timed ? [TIME, ["-f", "%M", process.execPath, ...args]] : [process.execPath, args];
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { env, encoding: "utf8", cwd: root });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr.split("\n")[0]}`);
  const kb = timed ? Number(r.stderr.trim().split("\n").at(-1)) : NaN;
  return { ms, kb };
}

/** The modules of every command, loaded at once: what any command loaded before they were split. */
function everyCommandModule(): string {
  const dir = path.join(REPO_ROOT, "dist", "electron", "cli", "commands");
  const files = readdirSync(dir).filter((f) => f.endsWith("Command.js"));
  const urls = files.map((f) => JSON.stringify(new URL(`file://${path.join(dir, f)}`).href));
  return `await Promise.all([${urls.join(",")}].map((u) => import(u)))`;
}

try {
  await mkdir(home, { recursive: true });
  run([CLI, "init", caseDir, "--title", "Start-up", "--examiner", "Bench"]);
  const firstFile = path.join(root, "first.bin");
  await writeFile(firstFile, randomBytes(20_000));
  run([CLI, "import", caseDir, firstFile, "--no-analyse"]);
  // One new file per import round (and the warm-up and the profiled run), written before timing.
  const importFiles: string[] = [];
  const beforeFiles: string[] = [];
  for (let r = 0; r < rounds + 2; r++) {
    const file = path.join(root, `new-${r}.bin`);
    await writeFile(file, randomBytes(20_000));
    importFiles.push(file);
    const other = path.join(root, `before-${r}.bin`);
    await writeFile(other, randomBytes(20_000));
    beforeFiles.push(other);
  }

  const ways: Way[] = [
    { name: "node -e 0", args: () => ["-e", "0"] },
    { name: "sightline --help", args: () => [CLI, "--help"], target: HELP_TARGET },
    { name: "sightline ledger", args: () => [CLI, "ledger", caseDir] },
    { name: "sightline verify", args: () => [CLI, "verify", caseDir] },
    { name: "sightline import --no-analyse", args: (r) => [CLI, "import", caseDir, importFiles[r]!, "--no-analyse"] },
    { name: "every command's module loaded", args: () => ["--input-type=module", "-e", everyCommandModule()] },
  ];
  // Another build of the command (its dist/electron/cli/main.js), measured alongside for a before and after.
  const before = process.env.BENCH_CLI_BEFORE;
  if (before) {
    ways.push(
      { name: "before: --help", args: () => [before, "--help"] },
      { name: "before: ledger", args: () => [before, "ledger", caseDir] },
      { name: "before: verify", args: () => [before, "verify", caseDir] },
      {
        name: "before: import --no-analyse",
        args: (r) => [before, "import", caseDir, beforeFiles[r]!, "--no-analyse"],
      },
    );
  }
  // A warm-up of each (page cache, compile cache), not counted.
  ways.forEach((w) => run(w.args(rounds)));
  const times: number[][] = ways.map(() => []);
  const peaks: number[][] = ways.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < ways.length; k++) {
      const i = (k + r) % ways.length;
      const { ms, kb } = run(ways[i]!.args(r), { withTime: true });
      times[i]!.push(ms);
      if (Number.isFinite(kb)) peaks[i]!.push(kb);
    }
  }
  const floor = median(times[0]!);
  const rows = ways.map((w, i) => {
    const ms = median(times[i]!);
    const ratio = ms / floor;
    const peakMiB = peaks[i]!.length > 0 ? median(peaks[i]!) / 1024 : null;
    const isMissed = w.target !== undefined && ratio > w.target;
    return { name: w.name, ms, ratio, peakMiB, target: w.target ?? null, isMissed };
  });
  console.log(`\nCLI start-up, median of ${rounds} rounds (ratio = time / node -e 0 in the same run)`);
  for (const row of rows) {
    const target = row.target === null ? "" : `  target <= ${row.target}x ${row.isMissed ? "MISSED" : "met"}`;
    const peak = row.peakMiB === null ? "" : `  ${row.peakMiB.toFixed(0).padStart(4)} MiB`;
    console.log(
      `  ${row.name.padEnd(32)} ${row.ms.toFixed(0).padStart(6)} ms  ${row.ratio.toFixed(2).padStart(5)}x${peak}${target}`,
    );
  }

  const profiles = {
    ledger: whereTheTimeGoes([CLI, "ledger", caseDir]),
    verify: whereTheTimeGoes([CLI, "verify", caseDir]),
    import: whereTheTimeGoes([CLI, "import", caseDir, importFiles[rounds + 1]!, "--no-analyse"]),
  };
  for (const [name, groups] of Object.entries(profiles)) {
    const parts = groups.slice(0, 6).map((g) => `${g.group} ${g.ms.toFixed(0)} ms`);
    console.log(`  where ${name}'s time goes (one profiled run, every thread): ${parts.join(", ")}`);
  }
  await mkdir("bench-results", { recursive: true });
  await writeFile("bench-results/cli.json", JSON.stringify({ rounds, rows, profiles }, null, 2));
} finally {
  await rm(root, { recursive: true, force: true });
}

/**
 * Self time of one run under --cpu-prof (every thread's profile), grouped: a package by name, our
 * compiled code as "sightline", node's module loader and other internals as "node (loading, start)",
 * and the profile's idle, garbage collection and program entries as they are.
 */
function whereTheTimeGoes(args: string[]): { group: string; ms: number }[] {
  const dir = path.join(root, `prof-${args[1]}`);
  run(["--cpu-prof", `--cpu-prof-dir=${dir}`, ...args]);
  const totals = new Map<string, number>();
  for (const file of readdirSync(dir)) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as {
      nodes: { id: number; callFrame: { url: string; functionName: string } }[];
      samples: number[];
      timeDeltas: number[];
    };
    const groupOf = new Map(profile.nodes.map((n) => [n.id, groupName(n.callFrame)]));
    profile.samples.forEach((id, i) => {
      const group = groupOf.get(id) ?? "other";
      totals.set(group, (totals.get(group) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
  }
  return [...totals].map(([group, ms]) => ({ group, ms })).sort((a, b) => b.ms - a.ms);
}

function groupName(frame: { url: string; functionName: string }): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url);
  if (pkg) return pkg[1]!;
  if (frame.url.includes("/dist/")) return "sightline";
  if (frame.url.startsWith("node:") || frame.url === "") {
    const special = /^\((idle|garbage collector|program)\)$/.exec(frame.functionName);
    return special ? special[1]! : "node (loading, start)";
  }
  return "other";
}
