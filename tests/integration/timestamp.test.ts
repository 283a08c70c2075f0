/**
 * Trusted timestamps against a real RFC 3161 authority on this machine (openssl ts -reply behind
 * tests/support/localTsa.ts), through the real CLI: a round trip stored in the case and recorded
 * in the ledger, verify and `openssl ts -verify` agreeing on the stored token, and each way it
 * can go wrong: a token changed, a token for another head, an untrusted CA, an authority that
 * answers garbage, HTTP 500, too slowly or too much, one that is down (queued, then sent), and
 * addresses that are not http(s).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { chmod, readFile, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { trustedExaminers } from "../../electron/services/ledger/caseTrust.js";
import { LedgerWriter } from "../../electron/services/ledger/ledgerWriter.js";
import { verifyCase } from "../../electron/services/ledger/verifyCase.js";
import { imprintOf } from "../../electron/services/timestamps/rfc3161.js";
import { TimestampService } from "../../electron/services/timestamps/timestampService.js";
import { CaseStateCache } from "../../electron/services/vault/caseStateCache.js";
import { readLedgerEvents } from "../../electron/services/vault/caseStore.js";
import type { TimestampRecorded } from "../../shared/ledger/timestampEvents.js";
import { makeImportedCase, type CaseFixture } from "../support/caseFixture.js";
import { runCli } from "../support/cli.js";
import { startLocalTsa, opensslVerifies, type LocalTsa } from "../support/localTsa.js";

let tsa: LocalTsa;

before(async () => {
  tsa = await startLocalTsa();
});
after(async () => {
  await tsa.close();
});

async function caseWithTsa(anchor: "ca" | "other-ca" = "ca"): Promise<CaseFixture> {
  const fixture = await makeImportedCase([40_000], { analyse: false });
  const pem = path.join(fixture.root, `${anchor}.pem`);
  await writeFile(pem, anchor === "ca" ? tsa.caPem : tsa.otherCaPem);
  const added = await runCli(
    ["timestamp", fixture.caseDir, "--add-tsa", tsa.url, "--anchors", pem, "--name", "Local TSA"],
    fixture.home,
  );
  assert.equal(added.code, 0, added.stderr);
  return fixture;
}

async function lastEvent(caseDir: string) {
  return (await readLedgerEvents(caseDir)).at(-1)!;
}

test("a timestamp round-trips: token stored read-only, event recorded, verify and openssl ts -verify agree", async () => {
  tsa.setMode({ kind: "grant" });
  const fixture = await caseWithTsa();
  const head = await lastEvent(fixture.caseDir);
  const run = await runCli(["timestamp", fixture.caseDir], fixture.home);
  assert.equal(run.code, 0, run.stderr + run.stdout);
  assert.match(run.stdout, new RegExp(`Timestamp head ${head.seq} ${head.hash}`));

  const event = await lastEvent(fixture.caseDir);
  assert.equal(event.type, "timestamp.recorded");
  const p = event.payload as unknown as TimestampRecorded;
  assert.deepEqual(p.head, { seq: head.seq, hash: head.hash });
  assert.equal(p.imprint, imprintOf(head.hash));
  assert.equal(p.imprint, createHash("sha256").update(Buffer.from(head.hash, "hex")).digest("hex"));
  assert.equal(p.token.path, `timestamps/${head.seq}-${head.hash}.tsr`);
  assert.equal(p.policy, "1.3.6.1.4.1.99999.1.1");
  assert.match(p.tsaName, /Local Time-Stamping Authority/);
  assert.ok(Date.parse(p.genTime) >= Date.parse(head.ts) - 1000);
  const tokenFile = path.join(fixture.caseDir, p.token.path);
  const token = await readFile(tokenFile);
  assert.equal(createHash("sha256").update(token).digest("hex"), p.token.sha256);
  assert.equal((await stat(tokenFile)).mode & 0o777, 0o400);

  const opensslCheck = opensslVerifies(tokenFile, p.imprint, tsa.caFile);
  assert.ok(opensslCheck.ok, opensslCheck.output);
  const otherHead = opensslVerifies(tokenFile, imprintOf("00".repeat(32)), tsa.caFile);
  assert.equal(otherHead.ok, false, "openssl must refuse the token for another imprint");

  const verified = await runCli(["verify", fixture.caseDir], fixture.home);
  assert.equal(verified.code, 0, verified.stdout);
  assert.match(verified.stdout, /1 RFC 3161 timestamps/);
  assert.doesNotMatch(verified.stdout, /not trusted/);

  // Without the examiner's anchors the signature still verifies, and the authority is said to be untrusted.
  const report = await verifyCase(fixture.caseDir);
  assert.equal(report.isClean, true);
  assert.equal(report.timestampsChecked, 1);
  const untrusted = report.notices.find((n) => n.code === "timestamp-untrusted");
  assert.match(untrusted?.message ?? "", /signature valid, but the authority .* is not trusted by this examiner/);

  const listed = await runCli(["timestamp", fixture.caseDir, "--list"], fixture.home);
  assert.match(listed.stdout, new RegExp(`granted ${p.genTime.replace(/[.]/g, "\\.")}`));

  const python = await import("node:child_process").then((cp) =>
    cp.spawnSync("python3", ["resources/verify-ledger.py", fixture.caseDir], { encoding: "utf8" }),
  );
  assert.equal(python.status, 0, python.stdout + python.stderr);
});

test("verify catches a changed token and a token for another head", async () => {
  tsa.setMode({ kind: "grant" });
  const fixture = await caseWithTsa();
  assert.equal((await runCli(["timestamp", fixture.caseDir], fixture.home)).code, 0);
  const first = (await lastEvent(fixture.caseDir)).payload as unknown as TimestampRecorded;

  // A second examiner's signed event that names the current head but carries the first token's bytes.
  const key = await new KeyStore(fixture.home).findFor(await trustedExaminers(fixture.caseDir));
  // The head it names is a note written two seconds after the token was issued (genTime is
  // compared to the second, so a head written in the token's own second would not be later).
  const later = () => new Date(Date.parse(first.genTime) + 2_000);
  const writer = await LedgerWriter.open(fixture.caseDir, { key, clock: later });
  const item = (await readLedgerEvents(fixture.caseDir)).find((e) => e.type === "item.imported")!;
  const itemSha = (item.payload as { sha256: string }).sha256;
  await writer.append([{ type: "note.added", payload: { sha256: itemSha, text: "written after the first token" } }]);
  const head = writer.currentHead!;
  const copied = `timestamps/${head.seq}-${head.hash}.tsr`;
  const bytes = await readFile(path.join(fixture.caseDir, first.token.path));
  await writeFile(path.join(fixture.caseDir, copied), bytes, { mode: 0o400 });
  await writer.append([
    {
      type: "timestamp.recorded",
      payload: { ...first, head: { ...head }, imprint: imprintOf(head.hash), token: { ...first.token, path: copied } },
    },
  ]);
  await writer.close();
  const wrongHead = await verifyCase(fixture.caseDir, { timestampAnchorsPem: [tsa.caPem] });
  // Its imprint is the old head's, and it was issued before the head it names was written.
  assert.deepEqual(
    wrongHead.problems.map((p) => p.code),
    ["timestamp-imprint-mismatch", "timestamp-time-invalid"],
  );

  // One byte of the first token's signature changed (the file made writable first, as a tamperer would).
  const file = path.join(fixture.caseDir, first.token.path);
  await chmod(file, 0o600);
  const tampered = Buffer.from(bytes);
  tampered[tampered.length - 5]! ^= 0x01;
  await writeFile(file, tampered);
  const changed = await verifyCase(fixture.caseDir, { timestampAnchorsPem: [tsa.caPem] });
  assert.ok(changed.problems.some((p) => p.code === "timestamp-corrupt" && p.file === first.token.path));

  const python = await import("node:child_process").then((cp) =>
    cp.spawnSync("python3", ["resources/verify-ledger.py", fixture.caseDir], { encoding: "utf8" }),
  );
  assert.notEqual(python.status, 0);
  assert.match(python.stdout + python.stderr, /timestamp/);

  // The token replaced by a link to an intact copy outside the case: never followed, by either checker.
  const outside = path.join(fixture.root, "outside.tsr");
  await writeFile(outside, bytes);
  await rm(file);
  await symlink(outside, file);
  const linked = await verifyCase(fixture.caseDir, { timestampAnchorsPem: [tsa.caPem] });
  assert.ok(linked.problems.some((p) => p.code === "timestamp-not-regular" && p.file === first.token.path));
  const pythonLinked = await import("node:child_process").then((cp) =>
    cp.spawnSync("python3", ["resources/verify-ledger.py", fixture.caseDir], { encoding: "utf8" }),
  );
  assert.match(pythonLinked.stdout, /timestamp-not-regular/);
});

test("an authority whose chain ends in a CA the examiner does not trust is refused; nothing is stored", async () => {
  tsa.setMode({ kind: "grant" });
  const fixture = await caseWithTsa("other-ca");
  const before = (await readLedgerEvents(fixture.caseDir)).length;
  const run = await runCli(["timestamp", fixture.caseDir], fixture.home);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /refused: the authority's certificate chain does not end in a configured anchor/);
  assert.equal(run.stderr.trim().split("\n").length, 1);
  assert.equal((await readLedgerEvents(fixture.caseDir)).length, before);
  assert.deepEqual(await readdir(path.join(fixture.caseDir, "timestamps")).catch(() => []), []);
});

test("garbage, a token for another query and a huge body are refused with one line; nothing is recorded", async () => {
  const fixture = await caseWithTsa();
  const before = (await readLedgerEvents(fixture.caseDir)).length;
  const cases = [
    { mode: { kind: "garbage" } as const, says: /answer was refused: the authority's reply is not DER/ },
    { mode: { kind: "other-imprint" } as const, says: /refused: the token imprints/ },
    { mode: { kind: "huge", bytes: 50 * 1024 * 1024 } as const, says: /reply grew past \d+ bytes/ },
  ];
  for (const { mode, says } of cases) {
    tsa.setMode(mode);
    const run = await runCli(["timestamp", fixture.caseDir], fixture.home);
    assert.equal(run.code, 1, `${mode.kind}: ${run.stdout}`);
    assert.match(run.stderr, says, mode.kind);
    assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
  }
  assert.equal((await readLedgerEvents(fixture.caseDir)).length, before);
  tsa.setMode({ kind: "grant" });
});

test("an authority that is down, failing or slow leaves a pending request, sent later; verify says it is pending", async () => {
  const fixture = await caseWithTsa();
  const modes = [{ kind: "status", status: 500 } as const, { kind: "slow", delayMs: 3000 } as const];
  for (const mode of modes) {
    tsa.setMode(mode);
    const run = await runCli(["timestamp", fixture.caseDir, "--timeout", "1"], fixture.home);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /QUEUED/);
    assert.match(run.stdout, mode.kind === "slow" ? /did not answer in time/ : /HTTP 500/);
    const event = await lastEvent(fixture.caseDir);
    assert.equal(event.type, "timestamp.requested");
  }
  const pending = await verifyCase(fixture.caseDir);
  assert.equal(pending.isClean, true);
  assert.equal(pending.notices.filter((n) => n.code === "timestamp-pending").length, 2);
  assert.equal(pending.timestampsChecked, 0, "a request is not a timestamp");

  tsa.setMode({ kind: "grant" });
  const sent = await runCli(["timestamp", fixture.caseDir, "--send-pending", "--json"], fixture.home);
  assert.equal(sent.code, 0, sent.stderr);
  const outcomes = JSON.parse(sent.stdout) as { status: string; head: { seq: number } }[];
  assert.deepEqual(
    outcomes.map((o) => o.status),
    ["recorded", "recorded"],
  );
  const again = await runCli(["timestamp", fixture.caseDir, "--send-pending"], fixture.home);
  assert.match(again.stdout, /No queued timestamp request/);
  const done = await verifyCase(fixture.caseDir, { timestampAnchorsPem: [tsa.caPem] });
  assert.equal(done.isClean, true, JSON.stringify(done.problems));
  assert.equal(done.timestampsChecked, 2);
  assert.equal(done.notices.filter((n) => n.code.startsWith("timestamp-")).length, 0);
});

test("an authority that cannot be reached at all queues the request", async () => {
  const down = await startLocalTsa();
  const url = down.url;
  await down.close();
  const fixture = await makeImportedCase([10_000], { analyse: false });
  const pem = path.join(fixture.root, "ca.pem");
  await writeFile(pem, down.caPem);
  assert.equal(
    (await runCli(["timestamp", fixture.caseDir, "--add-tsa", url, "--anchors", pem], fixture.home)).code,
    0,
  );
  const run = await runCli(["timestamp", fixture.caseDir], fixture.home);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /QUEUED .*cannot be reached \(ECONNREFUSED\)/);
});

test("addresses that are not http(s), carry credentials or markup are refused; a bad anchors file too", async () => {
  const fixture = await makeImportedCase([10_000], { analyse: false });
  const pem = path.join(fixture.root, "ca.pem");
  await writeFile(pem, tsa.caPem);
  for (const url of [
    "file:///etc/passwd",
    "ftp://tsa.example/",
    "javascript:alert(1)",
    "http://user:pw@tsa.example/",
    "http://tsa.example/<script>",
    "http://tsa.example/\u202eevil",
    "",
  ]) {
    const run = await runCli(["timestamp", fixture.caseDir, "--add-tsa", url, "--anchors", pem], fixture.home);
    assert.notEqual(run.code, 0, `${url}: ${run.stdout}`);
    assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
    assert.doesNotMatch(run.stderr, /<script>|\u202e/);
  }
  const notPem = path.join(fixture.root, "not.pem");
  await writeFile(notPem, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
  const bad = await runCli(["timestamp", fixture.caseDir, "--add-tsa", tsa.url, "--anchors", notPem], fixture.home);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /trust anchors cannot be read/);
  const none = await runCli(["timestamp", fixture.caseDir], fixture.home);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no time-stamping authority is configured/);
  assert.equal((await runCli(["timestamp", fixture.caseDir, "--tsa", "file:///x"], fixture.home)).code, 1);
});

test("a token is kept when its event was written and the append failed after it, and taken back when nothing was written", async () => {
  tsa.setMode({ kind: "grant" });
  const fixture = await caseWithTsa();
  const dir = fixture.caseDir;
  const keyStore = new KeyStore(fixture.home);
  const states = new CaseStateCache();
  // The service's own append path (writer lock, recheck under it, append), then a failure after
  // the event is in the ledger, as when the writer cannot be closed.
  const service = (failure: "after-write" | "before-write") =>
    new TimestampService({
      keyStore,
      states,
      append: async (caseDir, drafts, recheck) => {
        const writer = await LedgerWriter.open(caseDir, {
          key: await keyStore.findFor(await trustedExaminers(caseDir)),
        });
        try {
          await recheck?.(await states.get(caseDir));
          if (failure === "before-write") throw new Error("the disk is full");
          await writer.append(drafts);
        } finally {
          await writer.close();
        }
        throw new Error("the case's lock could not be released");
      },
    });

  await assert.rejects(service("after-write").timestampLedger({ dir }), /lock could not be released/);
  const event = await lastEvent(dir);
  assert.equal(event.type, "timestamp.recorded");
  const tokenPath = (event.payload as unknown as TimestampRecorded).token.path;
  assert.ok((await stat(path.join(dir, tokenPath))).isFile(), "the token the ledger names is kept");
  assert.equal((await verifyCase(dir)).isClean, true);

  const tokens = await readdir(path.join(dir, "timestamps"));
  await assert.rejects(service("before-write").timestampLedger({ dir }), /the disk is full/);
  assert.deepEqual(await readdir(path.join(dir, "timestamps")), tokens, "a token nothing names is taken back");
  assert.equal((await lastEvent(dir)).seq, event.seq);
});
