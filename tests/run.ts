/**
 * Runs the test suites with Node's own test runner on the compiled tests.
 * `node dist/tests/run.js [unit|integration ...]`; no argument runs all.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const suites = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["unit", "integration"];

function findTests(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out = out.concat(findTests(full));
    else if (name.endsWith(".test.js")) out.push(full);
  }
  return out;
}

const files = suites.flatMap((suite) => findTests(path.join(here, suite)));
const result = spawnSync(process.execPath, ["--test", "--test-reporter=spec", "--test-concurrency=2", ...files], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
