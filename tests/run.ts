/**
 * Runs the test suites on the compiled tests: unit and integration with Node's
 * own test runner, e2e with Playwright (the real UI in Debian's Chromium).
 * `node dist/tests/run.js [unit|integration|e2e ...]`; no argument runs all.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const suites = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["unit", "integration", "e2e"];

function findTests(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out = out.concat(findTests(full));
    else if (name.endsWith(".test.js")) out.push(full);
  }
  return out;
}

let status = 0;
const files = suites.filter((s) => s !== "e2e").flatMap((suite) => findTests(path.join(here, suite)));
if (files.length > 0) {
  const result = spawnSync(process.execPath, ["--test", "--test-reporter=spec", "--test-concurrency=2", ...files], {
    stdio: "inherit",
  });
  status = result.status ?? 1;
}
if (suites.includes("e2e")) {
  const cli = createRequire(import.meta.url).resolve("@playwright/test/cli");
  const result = spawnSync(process.execPath, [cli, "test", "-c", path.join(here, "e2e", "playwright.config.js")], {
    stdio: "inherit",
  });
  status ||= result.status ?? 1;
}
process.exit(status);
