/**
 * One bundle operation in a process of its own, so its peak memory (maxRSS) is its own:
 * `export <case> <bundle> <home>` or `open <bundle> <target> <home>`. Prints `{ms, maxRssKiB}`.
 */
import { performance } from "node:perf_hooks";
import { KeyStore, defaultProfileDir } from "../../electron/services/examiners/keyStore.js";
import { trustedExaminers } from "../../electron/services/ledger/caseTrust.js";
import { openBundle } from "../../electron/services/exchange/bundleReader.js";
import { exportBundle } from "../../electron/services/exchange/bundleWriter.js";

const [op, from, to, home] = process.argv.slice(2) as [string, string, string, string];
const keys = new KeyStore(defaultProfileDir({ SIGHTLINE_HOME: home }));
const started = performance.now();
if (op === "export") {
  const key = await keys.findFor(await trustedExaminers(from));
  await exportBundle({ caseDir: from, outFile: to, key });
} else {
  await openBundle({ bundle: from, target: to, findKey: (trusted) => keys.findFor(trusted).catch(() => null) });
}
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ ms, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
