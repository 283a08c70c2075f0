/**
 * End-to-end tests of the workbench: the real renderer in Debian's Chromium (the
 * browser download does not work on these machines), against the real loopback
 * host and real files. Compiled by tsc with the other tests and run from dist/.
 */
import { defineConfig } from "@playwright/test";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.js";

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
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
});
