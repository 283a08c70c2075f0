/** Runs the real `sightline` command (the compiled CLI) in a child process. */
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const CLI = path.join(REPO_ROOT, "dist", "electron", "cli", "main.js");
/** What a terminal must never receive raw from a file: C0/C1 controls (bar newline), bidi controls, zero-width. */
export const RAW_UNSAFE =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion with `SIGHTLINE_HOME` set to `home`. */
export function runCli(
  args: string[],
  home: string,
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, CI: "1", SIGHTLINE_HOME: home, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the CLI and parses its --json output (the flag is added). */
export async function runCliJson<T = any>(
  args: string[],
  home: string,
): Promise<{ code: number | null; json: T; stderr: string }> {
  const result = await runCli([...args, "--json"], home);
  let json: T;
  try {
    json = JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return { code: result.code, json, stderr: result.stderr };
}

export function runCliSync(args: string[], home: string): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, CI: "1", SIGHTLINE_HOME: home },
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
