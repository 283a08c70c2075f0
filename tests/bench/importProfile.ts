/**
 * Where an import's time goes, measured in the bench's own run: one import under Node's
 * --cpu-prof (self time of every thread, grouped into what the work is) and one under
 * `strace -c -f` (system calls: which take the time, and how many each file costs).
 * Both slow the import down, so they are not timed against anything; they say where it goes.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { hasTool, timeSightline } from "./importLimit.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Node's file system bindings, which the profile shows by name with no source. */
const FS_CALLS = new Set(
  "open openFileHandle close read readBuffers write writeBuffer writeBuffers writeString stat lstat fstat mkdir readdir rename fsync fdatasync unlink rmdir chmod fchmod link symlink copyFile realpath access utimes futimes readFileUtf8".split(
    " ",
  ),
);
/** System calls that wait (threads parked, the event loop idle) rather than do work. */
const WAITS = new Set(["futex", "epoll_pwait", "epoll_wait", "wait4", "clock_nanosleep", "nanosleep", "poll", "ppoll"]);

/** What a sampled function is doing, in words. */
function kindOf({ functionName: name, url }: ProfileNode["callFrame"]): string {
  if (name === "(idle)") return "idle (waiting on the disk, fsync or the thread pool)";
  if (url === "" && FS_CALLS.has(name)) return "file system calls";
  if (url.includes("internal/modules/")) return "start-up (loading code)";
  if (url.includes("child_process")) return "starting child processes";
  if (url.includes("/ledger/")) return "ledger appends";
  if (name === "(garbage collector)") return "garbage collection";
  if (name === "(program)") return "native work outside JavaScript";
  if (url.includes("internal/crypto/hash")) return "SHA-256 hashing";
  if (url.includes("internal/crypto/sig") || /^(sign|verify)/.test(name)) return "Ed25519 signing";
  if (url.includes("canonicalize")) return "canonical JSON";
  if (url.includes("node:internal/fs") || url.includes("node:fs")) return "file system calls";
  if (url.includes("/zod/")) return "schema checks (zod)";
  if (url.includes("/electron/services/") || url.includes("/shared/")) return "Sightline's own code";
  return "other JavaScript (Node internals, libraries)";
}

function summariseProfile(profile: CpuProfile): { totalMs: number; shares: [string, number][] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ms = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const kind = kindOf(byId.get(id)!.callFrame);
    ms.set(kind, (ms.get(kind) ?? 0) + dt);
    total += dt;
  });
  const shares = [...ms.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / total] as [string, number]);
  return { totalMs: total, shares };
}

/** The system calls that do work, by their share of all system-call time, from `strace -c` output; and all calls made. */
function summariseStrace(text: string): { top: { name: string; share: number; calls: number }[]; calls: number } {
  const rows: { name: string; share: number; calls: number }[] = [];
  let calls = 0;
  for (const line of text.split("\n")) {
    const m = /^\s*([\d.]+)\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)\s*$/.exec(line);
    if (!m) continue;
    if (m[3] === "total") {
      calls = Number(m[2]);
      continue;
    }
    if (WAITS.has(m[3]!)) continue;
    rows.push({ name: m[3]!, share: Number(m[1]) / 100, calls: Number(m[2]) });
  }
  const working = rows.reduce((n, r) => n + r.share, 0) || 1;
  return { top: rows.slice(0, 6).map((r) => ({ ...r, share: r.share / working })), calls };
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

/**
 * Profiles one import of `paths` (expected to hold `files` files) in `root` and returns a few
 * printable lines; the case each run makes is removed.
 */
export async function profileImport(root: string, paths: string[], files: number, label: string): Promise<string[]> {
  const lines = [`where the time goes, ${label} (one profiled run each; profiling slows it, so no times compared):`];
  const profDir = await mkdtemp(path.join(root, "cpuprof-"));
  try {
    timeSightline(root, paths, files, { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profDir}`] });
    await rm(path.join(root, "case"), { recursive: true, force: true });
    const names = (await readdir(profDir)).filter((n) => n.endsWith(".cpuprofile")).sort();
    for (const name of names) {
      const profile = JSON.parse(await readFile(path.join(profDir, name), "utf8")) as CpuProfile;
      const { totalMs, shares } = summariseProfile(profile);
      // Node names a thread's profile CPU.<date>.<time>.<pid>.<thread id>.<seq>; thread 0 is the main one.
      const thread = name.split(".")[4] === "0" ? "main thread" : `worker thread ${name.split(".")[4]}`;
      const top = shares
        .slice(0, 5)
        .map(([k, v]) => `${k} ${pct(v)}`)
        .join(", ");
      lines.push(`  ${thread} (${(totalMs / 1000).toFixed(1)} s sampled): ${top}`);
    }
  } finally {
    await rm(profDir, { recursive: true, force: true });
  }
  if (canTrace()) {
    const out = path.join(root, "strace.txt");
    timeSightline(root, paths, files, { wrap: ["strace", "-c", "-f", "-o", out] });
    await rm(path.join(root, "case"), { recursive: true, force: true });
    const { top, calls } = summariseStrace(await readFile(out, "utf8"));
    lines.push(
      `  system calls: ${calls.toLocaleString("en")} in all${files > 1 ? `, ${(calls / files).toFixed(1)} a file` : ""}; besides waits (futex, epoll), by time: ${top
        .map((r) => `${r.name} ${pct(r.share)} (${r.calls.toLocaleString("en")})`)
        .join(", ")}`,
    );
  } else {
    lines.push(
      "  system calls: not counted (strace is missing or may not trace here; tests/bench/setup.sh installs it)",
    );
  }
  return lines;
}

/** Whether `strace` can trace here (a container may forbid ptrace). */
export function canTrace(): boolean {
  return hasTool("strace") && spawnSync("strace", ["-c", "-o", "/dev/null", "true"]).status === 0;
}
