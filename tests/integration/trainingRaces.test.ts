/**
 * An exercise driven from two windows at once through the real service: one hint opened twice,
 * one exercise submitted twice, a hint opened while the submission is on its way, and two
 * samples authored to one package name. The rules
 * (hints once each, one submission that counts every hint opened before it) are checked again
 * under the case's writer lock, so exactly one request is written and the other is refused in one
 * line; the case verifies clean afterwards.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { before, test } from "node:test";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import type { SightlineService } from "../../electron/services/sightlineService.js";
import { testService } from "../support/testService.js";
import { settleRace } from "../support/raceOutcomes.js";
import { tempDir } from "../support/fixtures.js";
import { makeSample, type SampleFixture } from "../support/sampleFixture.js";

let root: string;
let service: SightlineService;
let fixture: SampleFixture;

before(async () => {
  root = await tempDir("sightline-training-races-");
  fixture = await makeSample(path.join(root, "sample"));
  service = testService(new KeyStore(path.join(root, "home")));
});

async function startExercise(name: string): Promise<string> {
  const dir = path.join(root, name);
  await service.startExercise({ sample: fixture.sample.path, dir, trainee: "Tam Trainee" });
  await service.jobs.settle();
  assert.ok(await service.getExercise({ dir }), "the exercise started");
  return dir;
}

const eventsOf = async (dir: string, type: string) =>
  (await readFile(path.join(dir, "ledger.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { seq: number; type: string; payload: Record<string, unknown> })
    .filter((e) => e.type === type);

async function assertVerifies(dir: string): Promise<void> {
  const verified = await service.verifyCase({ dir });
  assert.equal(verified.isClean, true, JSON.stringify(verified.problems).slice(0, 600));
}

test("one hint opened from two windows at once is recorded once", async () => {
  const dir = await startExercise("hint-twice");
  const { won, refused } = await settleRace([service.openHint({ dir, index: 0 }), service.openHint({ dir, index: 0 })]);
  assert.equal(won.length, 1, JSON.stringify({ won, refused }));
  assert.deepEqual(refused, [
    `hint 1 was opened by another request meanwhile (event #${won[0]!.seq}); it is shown once the exercise is reloaded`,
  ]);
  assert.deepEqual(
    (await eventsOf(dir, "hint.opened")).map((e) => e.seq),
    [won[0]!.seq],
  );
  await assertVerifies(dir);
});

test("an exercise submitted from two windows at once is submitted and scored once", async () => {
  const dir = await startExercise("submit-twice");
  const { won, refused } = await settleRace([service.submitExercise({ dir }), service.submitExercise({ dir })]);
  assert.equal(won.length, 1, JSON.stringify({ refused }));
  assert.equal(refused.length, 1);
  assert.match(refused[0]!, /^This exercise was submitted on .+ by another request; it cannot be submitted again\.$/);
  assert.equal((await eventsOf(dir, "exercise.submitted")).length, 1);
  assert.deepEqual(
    (await eventsOf(dir, "exercise.scored")).map((e) => e.seq),
    [won[0]!.scored.seq],
  );
  await assertVerifies(dir);
});

test("a hint opened while the submission is on its way is counted, or the submission is refused", async () => {
  const dir = await startExercise("hint-during-submit");
  const { won, refused } = await settleRace<unknown>([
    service.submitExercise({ dir }),
    service.openHint({ dir, index: 0 }),
  ]);
  const [submitted] = await eventsOf(dir, "exercise.submitted");
  const hints = await eventsOf(dir, "hint.opened");
  if (submitted) {
    // Whatever was written first, the submission counts exactly the hints opened before it.
    assert.equal(submitted.payload.hintsOpened, hints.filter((h) => h.seq < submitted.seq).length);
    assert.equal(won.length + refused.length, 2);
  } else {
    assert.deepEqual(refused.length, 1);
    assert.match(
      refused[0]!,
      /^the case changed while the submission was on its way \(event #\d+\); nothing was submitted: submit again$/,
    );
  }
  await assertVerifies(dir);
});

test("two samples authored to one file name at once: one package is written and recorded, the other refused", async () => {
  const dir = await startExercise("author-twice");
  const out = path.join(root, "race.sightline-sample");
  const items = fixture.photos.map((p) => p.sha256);
  const authored = (modelAnswer: string) =>
    service.authorSample({
      dir,
      out,
      id: "race",
      title: "Race",
      briefing: fixture.draft.briefing,
      hints: [],
      items,
      locations: [],
      times: [],
      traps: [],
      modelAnswer,
    });
  const { won, refused } = await settleRace([authored("the first answer"), authored("the second answer")]);
  assert.equal(won.length, 1, JSON.stringify({ refused }));
  assert.deepEqual(refused, [`${out} already exists; choose another name for the package`]);
  // The file on disk is the package the case recorded, not one written over it.
  const bytes = await readFile(out);
  assert.equal(createHash("sha256").update(bytes).digest("hex"), won[0]!.sha256);
  const recorded = await eventsOf(dir, "sample.authored");
  assert.deepEqual(
    recorded.map((e) => e.payload.sha256),
    [won[0]!.sha256],
  );
  assert.deepEqual(
    (await readdir(root)).filter((n) => n.includes(".writing-")),
    [],
    "no partial package left",
  );
});
