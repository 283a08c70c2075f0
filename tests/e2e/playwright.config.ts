/**
 * End-to-end tests of the workbench: the real renderer in Debian's Chromium (the
 * browser download does not work on these machines), against the real loopback
 * host and real files. Compiled by tsc with the other tests and run from dist/.
 */
import { defineConfig } from "@playwright/test";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  testDir: here,
  testMatch: /\.spec\.js$/,
  timeout: 180_000,
  workers: 1,
  reporter: [["list"]],
  outputDir: path.join(here, "..", "..", "..", "test-results"),
  use: {
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: process.env.SIGHTLINE_CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
