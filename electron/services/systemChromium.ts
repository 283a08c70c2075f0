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
