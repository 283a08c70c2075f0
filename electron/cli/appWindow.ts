/**
 * The workbench in a Chromium app window for `sightline host --open`, without the token on
 * Chromium's command line: every local user can read a process's arguments (/proc/<pid>/cmdline),
 * and the token drives the whole API. The command line names only a launcher page, 0600 in a 0700
 * folder of our own, which sends the window on to the host with a one-time launch code; the page
 * trades that code for the token (POST /launch) and the code is void from then on, or a minute
 * later. The folder also holds the window's Chromium profile, whose History keeps the addresses
 * it visited: it is deleted when the window is closed by `close()` or the process exits.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import type { Readable, Writable } from "node:stream";
import { CdpPipe } from "../host/cdpPipe.js";
import { windowFilesOver, type WindowFiles } from "../host/windowFiles.js";

export interface AppWindow {
  /** The temporary folder holding the launcher page and the Chromium profile. */
  folder: string;
  /**
   * The files the window's page holds, by their paths on disk (windowFiles.ts), asked over the
   * browser's DevTools pipe: `--remote-debugging-pipe` opens no port, only this process holds it.
   */
  files: WindowFiles;
  /** Ends the browser (waiting a little for it to go) and deletes the folder. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The files of whichever app window `current` answers, for the service, which is made before its
 * host listens and so before the window on that host's address can open; with none open, the page
 * is told to send the bytes.
 */
export function filesOfWindow(current: () => AppWindow | null): WindowFiles {
  return {
    resolve: (intakeId, files) =>
      current()?.files.resolve(intakeId, files) ?? Promise.resolve({ reason: "the workbench window is not open" }),
  };
}

/** How long the browser gets to exit after SIGTERM before it is killed. */
const EXIT_GRACE_MS = 5_000;

/** Whether any process of the browser's group (the window and its helpers) is still running. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `chromium` in app mode on `hostUrl` with the launch `code`. `onError` gets one line when
 * the browser cannot be started. The tests open their windows here too, naming as `chromium` a
 * script that starts the browser headless with a DevTools port of their own to drive the page
 * (tests/support/appWindowPage.ts): the window has no switch or member that is theirs alone.
 */
export function openAppWindow(
  chromium: string,
  hostUrl: string,
  code: string,
  onError: (message: string) => void,
): AppWindow {
  const folder = mkdtempSync(path.join(os.tmpdir(), "sightline-window-")); // mode 0700
  const launcher = path.join(folder, "launch.html");
  const target = `${hostUrl}/#code=${encodeURIComponent(code)}`;
  writeFileSync(
    launcher,
    `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer">` +
      `<meta http-equiv="refresh" content="0;url=${target}"><title>Sightline</title>\n`,
    { mode: 0o600, flag: "wx" },
  );
  // Chromium's helper processes (zygote, renderers, GPU, network) may still be writing to the profile
  // for a moment after the main one exits: removal retries (ENOTEMPTY) for a while before it gives up.
  const remove = () => rmSync(folder, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  const browser: ChildProcess = spawn(
    chromium,
    [
      `--app=${pathToFileURL(launcher).href}`,
      `--user-data-dir=${path.join(folder, "profile")}`,
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--window-size=1440,900",
      "--remote-debugging-pipe",
    ],
    // Its own process group, so that the window and every helper it forks are ended together. The
    // DevTools pipe is fds 3 (commands to the browser) and 4 (its answers).
    { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"], detached: true },
  );
  const pipe = new CdpPipe(browser.stdio[3] as Writable, browser.stdio[4] as Readable);
  browser.once("exit", () => pipe.close());
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (browser.pid !== undefined) process.kill(-browser.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  // A last resort when the process ends any other way than close().
  process.once("exit", () => {
    signalGroup("SIGKILL");
    remove();
  });
  const exited = new Promise<void>((resolve) => {
    browser.once("exit", () => resolve());
    browser.once("error", (error) => {
      onError(`Could not start ${chromium} (${error.message.split("\n")[0]}): open the Workbench address above.`);
      resolve();
    });
  });
  return {
    folder,
    files: windowFilesOver(pipe, new URL(hostUrl).origin),
    async close() {
      pipe.close();
      if (browser.pid !== undefined) {
        signalGroup("SIGTERM");
        const deadline = Date.now() + EXIT_GRACE_MS;
        while (groupAlive(browser.pid) && Date.now() < deadline) await delay(50);
        signalGroup("SIGKILL");
        while (groupAlive(browser.pid) && Date.now() < deadline + EXIT_GRACE_MS) await delay(50);
      }
      await exited;
      remove();
    },
  };
}
