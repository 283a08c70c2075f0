/**
 * How the import benchmarks time things: the standard tools started together in shells, and
 * Sightline's import in a process of its own (importWorker.ts), each after a `sync` so the dirty
 * pages of the run before are on disk and not flushed during the next one.
 *
 * The limit of the machine for an import is reading, hashing, writing and flushing the bytes once.
 * Hashing (OpenSSL SHA-256) and copying-and-flushing use different resources and can overlap, so
 * the limit is `openssl dgst -sha256` and `cp` + `sync` started at the same moment, timed until
 * both have finished: an import cannot beat that pair.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const MB = 1024 * 1024;

export interface Run {
  ms: number;
  maxRssBytes?: number;
  /**
   * CPU time spent (user + system): for the tools, every process their shell started (`times`); for
   * Sightline, every thread of its process, not the flush shell's `sync` processes.
   */
  cpuMs?: number;
}

/**
 * A script that prints, once it has run, the CPU time of the processes it started (the shell's
 * `times`: its children's user and system time, in clock ticks) and keeps its exit status.
 */
function withTimes(script: string): string {
  return `${script}\nstatus=$?; times; exit $status`;
}

/** The children's CPU time, in ms, from the second line of `times` ("0m0.010000s 0m0.300000s"). */
function childCpuMs(stdout: string): number {
  const line = stdout.trim().split("\n").at(-1) ?? "";
  const seconds = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return seconds.reduce((a, b) => a + b, 0) * 1000;
}

/** Flushes every dirty page, so a run does not pay for the writes of the one before. */
export function settle(): void {
  execFileSync("sync");
}

/** Runs the shell scripts at the same moment; the time until the last one has finished. */
export async function timeTogether(scripts: string[]): Promise<Run> {
  settle();
  const started = performance.now();
  const cpu = await Promise.all(
    scripts.map(
      (script) =>
        new Promise<number>((resolve, reject) => {
          const child = spawn("sh", ["-c", withTimes(script)], { stdio: ["ignore", "pipe", "pipe"] });
          let stdout = "";
          let stderr = "";
          child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
          child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
          child.on("error", reject);
          child.on("close", (code) =>
            code === 0
              ? resolve(childCpuMs(stdout))
              : reject(new Error(`${script.slice(0, 80)} failed: ${stderr.slice(0, 300)}`)),
          );
        }),
    ),
  );
  return { ms: performance.now() - started, cpuMs: cpu.reduce((a, b) => a + b, 0) };
}

export interface WorkerResult extends Run {
  outcomes: Record<string, number>;
  /** Elapsed time and resident memory when the committed file count first reached each mark. */
  marks: { files: number; ms: number; rssBytes: number }[];
}

/**
 * One Sightline import (hash and store, no media analysis, as `sightline import --no-analyse`) of
 * `paths` into a fresh case under `root`, in its own Node process. `nodeArgs` go before the
 * script (e.g. --cpu-prof), `wrap` before node itself (e.g. strace -c).
 */
export function timeSightline(
  root: string,
  paths: string[],
  expectedFiles: number,
  options: { marks?: number[]; nodeArgs?: string[]; wrap?: string[]; caseName?: string } = {},
): WorkerResult {
  settle();
  const args = JSON.stringify({
    profileDir: path.join(root, "profile"),
    caseDir: path.join(root, options.caseName ?? "case"),
    paths,
    marks: options.marks ?? [],
  });
  const command = [...(options.wrap ?? []), process.execPath, ...(options.nodeArgs ?? [])];
  const child = spawnSync(command[0]!, [...command.slice(1), path.join(here, "importWorker.js"), args], {
    encoding: "utf8",
    maxBuffer: 64 * MB,
  });
  if (child.status !== 0) throw new Error(`import worker failed: ${child.stderr.slice(-2000)}`);
  const result = JSON.parse(child.stdout) as WorkerResult & { stderr?: string };
  result.stderr = child.stderr;
  const imported = (result.outcomes.imported ?? 0) + (result.outcomes.duplicate ?? 0);
  if (imported !== expectedFiles) {
    throw new Error(`expected ${expectedFiles} files imported, got ${JSON.stringify(result.outcomes)}`);
  }
  return result;
}

export function hasTool(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`]).status === 0;
}

export function verdict(isMet: boolean): "PASS" | "MISS" {
  return isMet ? "PASS" : "MISS";
}

/** Single-quotes a path for sh (the bench's own temporary paths, but quoted properly all the same). */
export function sh(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A big file of random 8 MiB blocks repeated: real bytes to read and hash, quick to make. */
export async function writeBlockFile(file: string, bytes: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const block = randomBytes(8 * MB);
  const out = createWriteStream(file);
  for (let written = 0; written < bytes; written += block.length) {
    if (!out.write(block.subarray(0, Math.min(block.length, bytes - written)))) {
      await new Promise<void>((r) => out.once("drain", () => r()));
    }
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}
