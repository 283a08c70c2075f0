/**
 * The collection time through both doors: the CLI (`--collected-at`, `--collected-at-zone`) and the
 * API over real HTTP on 127.0.0.1 accept the same typed forms, record the same ISO 8601 time in the
 * signed ledger, and refuse an impossible or zone-less time with the same plain sentence (no method
 * name, no field path), writing nothing.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import { startLoopbackHost, type LoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import type { SightlineService } from "../../electron/services/sightlineService.js";
import { testService } from "../support/testService.js";
import { createHttpClient, type ApiClient } from "../../renderer/api/apiClient.js";
import { runCli } from "../support/cli.js";
import { tempDir, writeRandomFile } from "../support/fixtures.js";

let root: string;
let home: string;
let caseDir: string;
let host: LoopbackHost;
let service: SightlineService;
let page: ApiClient;

const ledgerLines = async () => (await readFile(path.join(caseDir, "ledger.jsonl"), "utf8")).trim().split("\n");
const lastImport = async () =>
  (await ledgerLines())
    .map((l) => JSON.parse(l))
    .filter((e) => e.type === "item.imported")
    .at(-1);

before(async () => {
  root = await tempDir("sightline-collected-");
  home = path.join(root, "home");
  caseDir = path.join(root, "case");
  const init = await runCli(["init", caseDir, "--title", "Collection times", "--examiner", "A. Analyst"], home);
  assert.equal(init.code, 0, init.stderr);
  for (const name of ["cli.bin", "api.bin", "refused.bin"]) await writeRandomFile(path.join(root, name), 2048);
  service = testService(new KeyStore(home));
  host = await startLoopbackHost({ service });
  page = createHttpClient(host.url, host.token);
});

after(async () => {
  await service.jobs.settle();
  await host.close();
});

test("the CLI reads day/month/year with a zone given apart and records ISO 8601 with its offset", async () => {
  const cli = await runCli(
    [
      "import",
      caseDir,
      path.join(root, "cli.bin"),
      "--collected-at",
      "16/02/2026 09:12",
      "--collected-at-zone",
      "+01:00",
    ],
    home,
  );
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal((await lastImport()).payload.collection.collectedAt, "2026-02-16T09:12:00+01:00");
});

test("the API reads year-month-day with a space and a zone given apart, the same way", async () => {
  const started = await page.api.importFiles({
    dir: caseDir,
    paths: [path.join(root, "api.bin")],
    collection: { collectedAt: "2026-02-16 09:12", collectedAtZone: "UTC-03:00", method: "saved from the channel" },
  });
  assert.ok(started.ok, JSON.stringify(started));
  await service.jobs.settle();
  const event = await lastImport();
  assert.equal(event.payload.source.originalName, "api.bin");
  assert.equal(event.payload.collection.collectedAt, "2026-02-16T09:12:00-03:00");
});

test("an impossible date, a missing zone and hostile text are refused by both with the same sentence, writing nothing", async () => {
  const before = await ledgerLines();
  const cases: { collectedAt: string; collectedAtZone?: string; says: RegExp }[] = [
    { collectedAt: "31/02/2026 09:12", collectedAtZone: "UTC", says: /^Collected at: there is no 31 February 2026/ },
    { collectedAt: "16/02/2026 09:12", says: /^Collected at: 16 February 2026, 09:12 has no time zone; say which/ },
    { collectedAt: "2026-02-16 09:12\u202eZ", says: /control or text-direction characters/ },
    { collectedAt: "9".repeat(20_000), says: /20000 characters is too long for a date and time/ },
  ];
  for (const c of cases) {
    const api = await page.api.importFiles({
      dir: caseDir,
      paths: [path.join(root, "refused.bin")],
      collection: { collectedAt: c.collectedAt, ...(c.collectedAtZone ? { collectedAtZone: c.collectedAtZone } : {}) },
    });
    assert.equal(api.ok, false);
    assert.ok(!api.ok);
    assert.equal(api.error.code, "invalid-input");
    assert.match(api.error.message, c.says);
    assert.doesNotMatch(api.error.message, /importFiles|collection\.collectedAt/, "no method name or field path");
    const zone = c.collectedAtZone ? ["--collected-at-zone", c.collectedAtZone] : [];
    const cli = await runCli(
      ["import", caseDir, path.join(root, "refused.bin"), "--collected-at", c.collectedAt, ...zone],
      home,
    );
    assert.equal(cli.code, 2);
    const said = cli.stderr.split("\n")[0]!.replace(/^sightline: /, "");
    // The CLI prints text from the command line inert; otherwise it is the API's sentence, word for word.
    if (!/[\u202e]/.test(c.collectedAt)) assert.equal(said, api.error.message);
  }
  assert.deepEqual(await ledgerLines(), before, "nothing was recorded");
});
