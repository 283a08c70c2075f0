/**
 * Debian's Chromium, as the end-to-end tests and the board benchmark launch it: no GPU, no
 * sandbox (root in CI), and none of the background connections that pile up on a closed network.
 */
export const CHROMIUM_PATH = process.env.SIGHTLINE_CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
