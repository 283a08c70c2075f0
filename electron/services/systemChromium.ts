/**
 * The system Chromium, as `sightline host --open` opens the workbench in it and the report printer
 * prints with it: found on PATH, or where SIGHTLINE_CHROMIUM says.
 */
import { onPath } from "./media/mediaTools.js";

const CHROMIUMS = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/** The first Chromium on PATH (SIGHTLINE_CHROMIUM overrides), or null. */
export function findChromium(): string | null {
  return process.env.SIGHTLINE_CHROMIUM || (CHROMIUMS.map((name) => onPath(name)).find(Boolean) ?? null);
}

/**
 * How Sightline launches it headless (the report printer, and the tests and benchmarks): no GPU, no
 * sandbox (root in CI), and none of the background connections that pile up on a closed network,
 * so a page it prints makes no request of its own.
 */
export const HEADLESS_CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
