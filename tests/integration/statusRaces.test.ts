/**
 * Two requests that change the same thing at once (two windows, a double click) through the real
 * service: a rule checked on the replayed state before the case's writer lock could pass for both,
 * so it is checked again under the lock. Exactly one is written, the other is refused in one line,
 * and the case verifies clean afterwards.
 */
import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { LedgerWriter } from "../../electron/services/ledger/ledgerWriter.js";
import { trustedExaminers } from "../../electron/services/ledger/caseTrust.js";
import type { SightlineService } from "../../electron/services/sightlineService.js";
import { testService } from "../support/testService.js";
import type { EventRef } from "../../shared/ledger/geoEvents.js";
import { makeImportedCase } from "../support/caseFixture.js";
import { runCli } from "../support/cli.js";
import { startLocalTsa } from "../support/localTsa.js";
import { settleRace } from "../support/raceOutcomes.js";
import { startGeoCase } from "../support/geoHost.js";
import { makeJpeg } from "../support/mediaCorpus.js";

const ledgerLines = async (dir: string) => (await readFile(path.join(dir, "ledger.jsonl"), "utf8")).trim().split("\n");

async function assertVerifies(service: SightlineService, dir: string): Promise<void> {
  const verified = await service.verifyCase({ dir });
  assert.equal(verified.isClean, true, JSON.stringify(verified.problems).slice(0, 600));
}

test("two status changes from the same status at once: one is written, the other refused", async () => {
  const { caseDir: dir, home } = await makeImportedCase([20_000], { analyse: false });
  const service = testService(new KeyStore(home));
  const [item] = await service.listItems({ dir });
  const sha256 = item!.sha256;
  await service.changeStatus({ dir, sha256, to: "in-review", reason: "looking" });
  const before = (await ledgerLines(dir)).length;
  const { won, refused } = await settleRace([
    service.changeStatus({ dir, sha256, to: "verified", reason: "shadows match" }),
    service.changeStatus({ dir, sha256, to: "disputed", reason: "the ridge is wrong" }),
  ]);
  assert.equal(won.length, 1, JSON.stringify({ won, refused }));
  assert.deepEqual(refused, [
    `the item became ${won[0]!.status} by another change while this one was on its way; nothing was recorded`,
  ]);
  const lines = await ledgerLines(dir);
  assert.equal(lines.length, before + 1);
  const last = JSON.parse(lines.at(-1)!) as { payload: { from: string; to: string } };
  assert.deepEqual([last.payload.from, last.payload.to], ["in-review", won[0]!.status]);
  assert.equal((await service.getItem({ dir, sha256 })).status, won[0]!.status);
  await assertVerifies(service, dir);
});

test("one tag added from two windows at once is recorded once", async () => {
  const { caseDir: dir, home } = await makeImportedCase([20_000], { analyse: false });
  const service = testService(new KeyStore(home));
  const [item] = await service.listItems({ dir });
  const sha256 = item!.sha256;
  const before = (await ledgerLines(dir)).length;
  const { won, refused } = await settleRace([
    service.changeTags({ dir, sha256, add: ["kidal"], remove: [] }),
    service.changeTags({ dir, sha256, add: ["kidal"], remove: [] }),
  ]);
  assert.equal(won.length, 1);
  assert.deepEqual(refused, [
    "the tag kidal was added by another change meanwhile; nothing was recorded, look again and retry",
  ]);
  assert.equal((await ledgerLines(dir)).length, before + 1);
  assert.deepEqual((await service.getItem({ dir, sha256 })).tags, ["kidal"]);
});

test("geolocations: two revisions of one proposal at once, and a review of one just replaced", async () => {
  const geo = await startGeoCase();
  try {
    const photo = path.join(geo.root, "media", "fire.jpg");
    await makeJpeg(photo, { width: 160, height: 120, seed: 9 });
    const sha256 = (await geo.importFiles([photo]))["fire.jpg"]!;
    const service = geo.analyst.service;
    const dir = geo.caseDir;
    const clue = (what: string, x: number) => ({
      what,
      frame: { image: "original" as const, x, y: 60, timestampS: null },
      map: { lat: 18.45, lon: 1.4 },
      layer: {
        kind: "tiles" as const,
        sha256: null,
        provider: "OpenStreetMap",
        sceneId: null,
        date: null,
        template: "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
      },
    });
    const proposal = (replaces: EventRef | null, method: string) => ({
      dir,
      sha256,
      claims: [],
      outcome: "located" as const,
      place: { shape: "point" as const, lat: 18.45, lon: 1.4 },
      precision: { class: "locality" as const, radiusM: 1000 },
      confidence: "strong-possibility" as const,
      cannotReason: null,
      clues: [clue("ridge line", 20), clue("wadi bend", 80)],
      eliminated: [],
      method,
      sensitive: false,
      snapshot: null,
      replaces,
    });
    const first = await service.proposeGeolocation(proposal(null, "ridge and wadi against the tiles"));
    const revisions = await settleRace([
      service.proposeGeolocation(proposal(first, "revised: the ridge again")),
      service.proposeGeolocation(proposal(first, "revised: the wadi again")),
    ]);
    assert.equal(revisions.won.length, 1, JSON.stringify(revisions));
    assert.deepEqual(revisions.refused, [
      `that geolocation was already replaced (by event ${revisions.won[0]!.seq}); revise the current one`,
    ]);
    // Two revisions of one record would be a broken chain of revisions: verify says so.
    await assertVerifies(service, dir);

    // A second examiner reviews the current geolocation while the proposer's revision of it is
    // written: the review's first check passes, and by the time it holds the lock the geolocation
    // it names has been replaced. The proposer holds the lock while the review is on its way.
    const current = revisions.won[0]!;
    const reviewer = await geo.reviewer();
    const key = await new KeyStore(geo.analyst.home).findFor(await trustedExaminers(dir));
    const writer = await LedgerWriter.open(dir, { key });
    let review: Promise<unknown>;
    let revision: EventRef;
    // The review asks for the case's writer (and so waits on the lock held here) only once its
    // first check, on the state it read, has passed: that call is what the revision waits for.
    const open = LedgerWriter.open.bind(LedgerWriter);
    let isAtLock = false;
    let reachedLock!: () => void;
    const atLock = new Promise<void>((resolve) => (reachedLock = resolve));
    LedgerWriter.open = (caseDir, options) => {
      if (options.key.keyId !== key.keyId) {
        isAtLock = true;
        reachedLock();
      }
      return open(caseDir, options);
    };
    try {
      review = reviewer.service.reviewGeolocation({
        dir,
        sha256,
        geolocation: current,
        verdict: "agree",
        reason: "the ridge matches",
      });
      review.catch(() => undefined);
      await Promise.race([atLock, review.catch(() => undefined)]);
      assert.ok(isAtLock, "the review passed its first check and waits on the lock");
      const { dir: _dir, ...payload } = proposal(current, "revised while the review was on its way");
      const [written] = await writer.append([{ type: "geolocation.proposed", payload }]);
      revision = { seq: written!.seq, hash: written!.hash };
    } finally {
      LedgerWriter.open = open;
      await writer.close();
    }
    const reviewed = await settleRace([review]);
    assert.deepEqual(reviewed.refused, [
      `this geolocation was replaced by a revision (event ${revision.seq}); review the current one`,
    ]);
    assert.ok(!(await ledgerLines(dir)).some((l) => l.includes('"geolocation.reviewed"')));
    await assertVerifies(service, dir);
  } finally {
    await geo.close();
  }
});

test("a queued timestamp request sent from two windows at once is answered once", async () => {
  const tsa = await startLocalTsa({ kind: "status", status: 500 });
  try {
    const { caseDir: dir, home, root } = await makeImportedCase([10_000], { analyse: false });
    const pem = path.join(root, "ca.pem");
    await writeFile(pem, tsa.caPem);
    const added = await runCli(["timestamp", dir, "--add-tsa", tsa.url, "--anchors", pem], home);
    assert.equal(added.code, 0, added.stderr);
    const service = testService(new KeyStore(home));
    const queued = await service.timestampLedger({ dir });
    assert.equal(queued.status, "queued");
    tsa.setMode({ kind: "grant" });
    const { won, refused } = await settleRace([
      service.sendPendingTimestamps({ dir }),
      service.sendPendingTimestamps({ dir }),
    ]);
    assert.equal(won.length, 1, JSON.stringify({ won, refused }));
    assert.deepEqual(
      won[0]!.map((o) => o.status),
      ["recorded"],
    );
    assert.equal(refused.length, 1);
    assert.match(
      refused[0]!,
      new RegExp(
        `timestamp was refused: request #${queued.ref.seq} was answered by another request meanwhile; nothing was recorded$`,
      ),
    );
    const recorded = (await ledgerLines(dir)).filter((l) => l.includes('"timestamp.recorded"'));
    assert.equal(recorded.length, 1);
    assert.equal((await readdir(path.join(dir, "timestamps"))).length, 1, "the second token was taken back");
    await assertVerifies(service, dir);
  } finally {
    await tsa.close();
  }
});
