/**
 * The review workflow over the API: notes, tags and status changes are signed
 * ledger events that name who and why; the workflow's order is enforced; an
 * item's custody timeline lists every event about it, newest first.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { startLoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { testService } from "../support/testService.js";
import { createHttpClient } from "../../renderer/api/apiClient.js";
import { runCliJson } from "../support/cli.js";
import { makeImportedCase } from "../support/caseFixture.js";
import { tempDir } from "../support/fixtures.js";
import { makeJpeg } from "../support/mediaCorpus.js";

test("notes, tags and status changes are ledger events, in workflow order, on the item's timeline", async () => {
  const root = await tempDir();
  const home = path.join(root, "home");
  const service = testService(new KeyStore(home));
  const host = await startLoopbackHost({ service });
  try {
    const { api, onEvent } = createHttpClient(host.url, host.token);
    const dir = path.join(root, "case");
    assert.ok((await api.createCase({ dir, title: "Review", examiner: "C. Reviewer" })).ok);
    await makeJpeg(path.join(root, "media", "roof.jpg"), { width: 640, height: 480, seed: 5 });
    const finished = new Promise<void>((resolve) => {
      const stop = onEvent((e) => {
        if (e.type === "job.finished") {
          stop();
          resolve();
        }
      });
    });
    await new Promise((r) => setTimeout(r, 100));
    assert.ok((await api.importFiles({ dir, paths: [path.join(root, "media")], collection: {} })).ok);
    await finished;
    const items = await api.listItems({ dir });
    assert.ok(items.ok);
    const sha256 = items.value[0]!.sha256;
    assert.equal(items.value[0]!.status, "unverified");

    const hostileNote = "Roof line matches **Sentinel-2** of 16 Feb. <img src=x onerror=alert(1)>";
    assert.ok((await api.addNote({ dir, sha256, text: hostileNote })).ok);
    const badNote = await api.addNote({ dir, sha256, text: "bell\u0007" });
    assert.ok(!badNote.ok);
    assert.match(badNote.error.message, /control characters/);

    const tags = await api.changeTags({ dir, sha256, add: ["kidal", "fire"], remove: [] });
    assert.ok(tags.ok);
    assert.deepEqual(tags.value.tags, ["fire", "kidal"]);
    const same = await api.changeTags({ dir, sha256, add: ["kidal"], remove: [] });
    assert.ok(!same.ok, "a change that changes nothing is not recorded");
    const markupTag = await api.changeTags({ dir, sha256, add: ["<b>"], remove: [] });
    assert.ok(!markupTag.ok);

    const skip = await api.changeStatus({ dir, sha256, to: "verified", reason: "looks right" });
    assert.ok(!skip.ok);
    assert.equal(
      skip.error.message,
      "an item unverified cannot become verified; from unverified it can become in-review",
    );
    const noReason = await api.changeStatus({ dir, sha256, to: "in-review", reason: "  " });
    assert.ok(!noReason.ok);
    assert.ok((await api.changeStatus({ dir, sha256, to: "in-review", reason: "assigned to C." })).ok);
    const verified = await api.changeStatus({ dir, sha256, to: "verified", reason: "shadows match 09:10 local" });
    assert.ok(verified.ok);
    assert.equal(verified.value.status, "verified");

    const timeline = await api.itemTimeline({ dir, sha256 });
    assert.ok(timeline.ok);
    assert.deepEqual(
      timeline.value.map((t) => t.event.type),
      [
        "status.changed",
        "status.changed",
        "tags.changed",
        "note.added",
        "derivative.created",
        "metadata.extracted",
        "item.imported",
      ],
    );
    assert.ok(timeline.value.every((t) => t.actorName === "C. Reviewer"));
    const last = timeline.value[0]!.event.payload as { from: string; to: string; reason: string };
    assert.deepEqual(last, { sha256, from: "in-review", to: "verified", reason: "shadows match 09:10 local" });

    const detail = await api.getItem({ dir, sha256 });
    assert.ok(detail.ok);
    assert.equal(detail.value.notes[0]!.text, hostileNote, "the note is stored exactly; the UI shows it sanitised");
    assert.deepEqual(detail.value.tags, ["fire", "kidal"]);
    assert.equal(detail.value.status, "verified");

    const verify = await runCliJson(["verify", dir], home);
    assert.equal(verify.code, 0, JSON.stringify(verify.json.problems));
  } finally {
    await service.jobs.settle();
    await host.close();
  }
});

test("two acknowledgements of one warning sent at once record one event; the other is refused in one line", async () => {
  const { caseDir: dir, home } = await makeImportedCase([20_000]);
  const service = testService(new KeyStore(home));
  const [item] = await service.listItems({ dir });
  const code = item!.warningCodes[0]!;
  assert.ok(code, "the random file has a warning");
  const ledgerLength = async () => (await readFile(path.join(dir, "ledger.jsonl"), "utf8")).split("\n").length;
  const before = await ledgerLength();
  const sent = ["first", "second", "third"].map((remark) =>
    service.acknowledgeWarning({ dir, sha256: item!.sha256, code, remark }),
  );
  const outcomes = await Promise.allSettled(sent);
  const recorded = outcomes.filter((o) => o.status === "fulfilled");
  const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [String((o.reason as Error).message)] : []));
  assert.equal(recorded.length, 1, JSON.stringify(outcomes));
  const { seq } = (recorded[0] as PromiseFulfilledResult<{ seq: number }>).value;
  assert.deepEqual(refused, [
    `the warning ${code} was already acknowledged (event #${seq})`,
    `the warning ${code} was already acknowledged (event #${seq})`,
  ]);
  assert.equal(await ledgerLength(), before + 1);
  const detail = await service.getItem({ dir, sha256: item!.sha256 });
  assert.deepEqual(
    detail.acknowledgements.map((a) => a.seq),
    [seq],
  );
});
