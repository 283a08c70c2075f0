/**
 * `sightline host --open` with a real Chromium (headless, through a wrapper that records its
 * arguments): the API token is on no process's command line, the window signs in with its one-time
 * launch code and that code is refused afterwards, and the window's temporary folder (launcher
 * page, Chromium profile with its History) is gone once the host has been stopped.
 */
import { expect, test } from "@playwright/test";
import { spawn } from "node:child_process";
import { readdir, readFile, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.js";
import { CLI } from "../support/cli.js";

/** Every running process's command line, as /proc shows it to any local user. */
async function commandLines(): Promise<string[]> {
  const pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name));
  const lines = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")));
  return lines.map((l) => l.replaceAll("\0", " "));
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`host --open: no token on any command line, a launch code used once, the window's folder deleted on ${signal}`, async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "sightline-open-"));
    const argsFile = path.join(root, "chromium-args");
    const wrapper = path.join(root, "chromium");
    await writeFile(
      wrapper,
      `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\nexec '${CHROMIUM_PATH}' --headless=new ${CHROMIUM_ARGS.join(" ")} "$@"\n`,
      { mode: 0o755 },
    );
    const host = spawn(process.execPath, [CLI, "host", "--open", "--json"], {
      env: { ...process.env, CI: "1", SIGHTLINE_HOME: path.join(root, "home"), SIGHTLINE_CHROMIUM: wrapper },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => host.on("exit", (code) => resolve(code)));
    let stdout = "";
    let stderr = "";
    host.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    host.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    try {
      await expect.poll(() => stdout.includes("\n"), { timeout: 15_000 }).toBe(true);
      const { url, token } = JSON.parse(stdout.split("\n")[0]!) as { url: string; token: string };
      // The page the window opened traded its code for the token.
      await expect
        .poll(() => stderr, { timeout: 60_000 })
        .toContain("The workbench window has signed in; its launch code is now void.");

      const args = (await readFile(argsFile, "utf8")).split("\n");
      expect(args.join(" ")).not.toContain(token);
      const launcherUrl = args.find((a) => a.startsWith("--app="))!.slice("--app=".length);
      expect(launcherUrl).toMatch(/^file:\/\/.*\/launch\.html$/);
      const folder = path.dirname(new URL(launcherUrl).pathname);
      expect(args).toContain(`--user-data-dir=${path.join(folder, "profile")}`);
      expect((await stat(folder)).mode & 0o777).toBe(0o700);
      expect((await stat(path.join(folder, "launch.html"))).mode & 0o777).toBe(0o600);

      const running = await commandLines();
      expect(running.filter((l) => l.includes(folder)).length, "Chromium is running").toBeGreaterThan(0);
      expect(running.filter((l) => l.includes(token))).toEqual([]);

      // The code the launcher page carried is spent.
      const code = /#code=([A-Za-z0-9_-]+)/.exec(await readFile(path.join(folder, "launch.html"), "utf8"))![1]!;
      const again = await fetch(`${url}/launch`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ code }),
      });
      expect(again.status).toBe(401);

      host.kill(signal);
      expect(await exited).toBe(0);
      await expect(stat(folder)).rejects.toMatchObject({ code: "ENOENT" });
      expect((await commandLines()).filter((l) => l.includes(folder))).toEqual([]);
    } finally {
      host.kill("SIGKILL");
      await rm(root, { recursive: true, force: true });
    }
  });
}
