/**
 * `sightline report --timestamp` against a real RFC 3161 authority on this machine (openssl ts
 * behind tests/support/localTsa.ts): the head that records the report is timestamped, so the
 * token covers the report's SHA-256; without an authority the report is refused before any work;
 * an authority that is down leaves the report made and the request queued (exit 1); a ledger that
 * moved on after the report still has the report's own head stamped.
 */
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import { cliTimestampService } from "../../electron/cli/commands/timestampCommand.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { testService } from "../support/testService.js";
import { readLedgerEvents } from "../../electron/services/vault/caseStore.js";
import { makeImportedCase, type CaseFixture } from "../support/caseFixture.js";
import { runCli } from "../support/cli.js";
import { tempDir } from "../support/fixtures.js";
import { opensslVerifies, startLocalTsa, type LocalTsa } from "../support/localTsa.js";

let tsa: LocalTsa;
before(async () => {
  tsa = await startLocalTsa();
});
after(async () => {
  await tsa.close();
});

async function caseWithTsa(): Promise<CaseFixture> {
  const fixture = await makeImportedCase([20_000], { analyse: false });
  const pem = path.join(fixture.root, "ca.pem");
  await writeFile(pem, tsa.caPem);
  const added = await runCli(["timestamp", fixture.caseDir, "--add-tsa", tsa.url, "--anchors", pem], fixture.home);
  assert.equal(added.code, 0, added.stderr);
  return fixture;
}

const reportOut = async () => path.join(await tempDir(), "report.json");

test("--timestamp: the head recording the report is timestamped; openssl verifies the token", async () => {
  tsa.setMode({ kind: "grant" });
  const fixture = await caseWithTsa();
  const out = await reportOut();
  const r = await runCli(
    ["report", fixture.caseDir, "--format", "json", "--out", out, "--timestamp", "--json"],
    fixture.home,
  );
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  const events = await readLedgerEvents(fixture.caseDir);
  const [generated, recorded] = events.slice(-2);
  assert.equal(generated!.type, "report.generated");
  assert.equal((generated!.payload as { sha256: string }).sha256, summary.sha256);
  assert.equal(recorded!.type, "timestamp.recorded");
  assert.deepEqual(summary.timestamp.head, { seq: generated!.seq, hash: generated!.hash });
  assert.equal(summary.timestamp.status, "recorded");
  const p = recorded!.payload as unknown as { imprint: string; token: { path: string } };
  const check = opensslVerifies(path.join(fixture.caseDir, p.token.path), p.imprint, tsa.caFile);
  assert.ok(check.ok, check.output);
  const verified = await runCli(["verify", fixture.caseDir, "--json"], fixture.home);
  assert.equal(verified.code, 0, verified.stdout);
});

test("--timestamp without an authority is refused before any work; one that is down queues the request", async () => {
  const bare = await makeImportedCase([20_000], { analyse: false });
  const ledger = await readFile(path.join(bare.caseDir, "ledger.jsonl"));
  const out = await reportOut();
  const refused = await runCli(["report", bare.caseDir, "--format", "json", "--out", out, "--timestamp"], bare.home);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /--timestamp needs a time-stamping authority/);
  await assert.rejects(readFile(out), "no report written");
  assert.deepEqual(await readFile(path.join(bare.caseDir, "ledger.jsonl")), ledger, "nothing appended");

  const fixture = await caseWithTsa();
  tsa.setMode({ kind: "status", status: 503 });
  const queued = await runCli(
    ["report", fixture.caseDir, "--format", "json", "--out", await reportOut(), "--timestamp"],
    fixture.home,
  );
  tsa.setMode({ kind: "grant" });
  assert.equal(queued.code, 1, queued.stderr);
  assert.match(queued.stdout, /QUEUED\s+head \d+ [0-9a-f]{64}/);
  const last = (await readLedgerEvents(fixture.caseDir)).at(-1)!;
  assert.equal(last.type, "timestamp.requested");
});

test("the head that recorded a report is the one timestamped, even when the ledger has moved on since", async () => {
  tsa.setMode({ kind: "grant" });
  const fixture = await caseWithTsa();
  const made = await runCli(["report", fixture.caseDir, "--format", "json", "--out", await reportOut()], fixture.home);
  assert.equal(made.code, 0, made.stderr);
  const generated = (await readLedgerEvents(fixture.caseDir)).at(-1)!;
  assert.equal(generated.type, "report.generated");
  const keyStore = new KeyStore(fixture.home);
  const service = testService(keyStore);
  const sha256 = (await service.listItems({ dir: fixture.caseDir }))[0]!.sha256;
  await service.addNote({ dir: fixture.caseDir, sha256, text: "Written after the report." });
  // The CLI's own stamper, as `sightline report --timestamp` uses it.
  const stamper = cliTimestampService(
    { stdout: process.stdout, stderr: process.stderr, keyStore, isInteractive: false },
    30_000,
  );
  const reportHead = { seq: generated.seq, hash: generated.hash };
  const past = await stamper
    .timestampLedger({ dir: fixture.caseDir }, { seq: generated.seq + 5, hash: generated.hash })
    .catch((e: Error) => e.message);
  assert.equal(past, `event #${generated.seq + 5} is past the ledger's head (#${generated.seq + 1})`);
  const stamped = await stamper.timestampLedger({ dir: fixture.caseDir }, reportHead);
  assert.equal(stamped.status, "recorded");
  assert.deepEqual(stamped.head, reportHead);
  const recorded = (await readLedgerEvents(fixture.caseDir)).at(-1)!;
  const p = recorded.payload as unknown as { head: unknown; imprint: string; token: { path: string } };
  assert.deepEqual(p.head, reportHead);
  const check = opensslVerifies(path.join(fixture.caseDir, p.token.path), p.imprint, tsa.caFile);
  assert.ok(check.ok, check.output);
  const verified = await runCli(["verify", fixture.caseDir, "--json"], fixture.home);
  assert.equal(verified.code, 0, verified.stdout);
});
