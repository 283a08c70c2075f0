/** One writer per case: a second writer waits, then gives up with a clear reason; a crashed writer's lock expires. */
import assert from "node:assert/strict";
import { mkdir, utimes } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { readCaseFile } from "../../electron/services/vault/caseStore.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { LedgerWriter } from "../../electron/services/ledger/ledgerWriter.js";
import { SightlineError } from "../../electron/services/sightlineError.js";
import { makeImportedCase } from "../support/caseFixture.js";

test("a second writer is refused while the first holds the lock, and gets it once released", async () => {
  const { caseDir, home } = await makeImportedCase([1000]);
  const key = await new KeyStore(home).findFor((await readCaseFile(caseDir)).examiners);
  const first = await LedgerWriter.open(caseDir, { key });
  await assert.rejects(LedgerWriter.open(caseDir, { key, lockWaitMs: 0 }), (error: unknown) => {
    assert.ok(error instanceof SightlineError);
    assert.equal(error.code, "locked");
    assert.match(error.message, /being written by another Sightline process/);
    return true;
  });
  await first.close();
  const second = await LedgerWriter.open(caseDir, { key, lockWaitMs: 0 });
  await second.close();
});

test("a lock left by a crashed writer goes stale and is taken over", async () => {
  const { caseDir, home } = await makeImportedCase([1000]);
  const key = await new KeyStore(home).findFor((await readCaseFile(caseDir)).examiners);
  // What a SIGKILLed writer leaves: the lock folder, no longer refreshed.
  const lock = path.join(caseDir, "ledger.jsonl.lock");
  await mkdir(lock);
  const old = new Date(Date.now() - 60_000);
  await utimes(lock, old, old);
  const writer = await LedgerWriter.open(caseDir, { key, lockWaitMs: 0 });
  const [event] = await writer.append([
    { type: "examiner.added", payload: { examiner: { keyId: key.keyId, name: key.name, publicKey: key.publicKey } } },
  ]);
  assert.equal(event!.seq, writer.currentHead.seq);
  await writer.close();
});
