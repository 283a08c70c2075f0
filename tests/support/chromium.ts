/**
 * Debian's Chromium, as the end-to-end tests and the board benchmark launch it: no GPU, no
 * sandbox (root in CI), and none of the background connections that pile up on a closed network.
 */
import { HEADLESS_CHROMIUM_ARGS } from "../../electron/services/systemChromium.js";

export const CHROMIUM_PATH = process.env.SIGHTLINE_CHROMIUM ?? "/usr/bin/chromium";

/** The printer's own arguments (electron/services/systemChromium.ts), so tests launch it as Sightline does. */
export const CHROMIUM_ARGS = [...HEADLESS_CHROMIUM_ARGS];
