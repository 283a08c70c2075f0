/**
 * An exercise end to end through the real loopback host and the renderer's HTTP client: a sample
 * packed by the tests, started as a job into a fresh case (files imported, imagery marked as
 * references), a hint opened, the work done with the ordinary API, submitted, frozen, scored and
 * exported. The key never enters the case and is not reachable through /files; a key changed in
 * the workbench's store is refused at submission and nothing is scored.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { startLoopbackHost, type LoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import type { SightlineService } from "../../electron/services/sightlineService.js";
import { testService } from "../support/testService.js";
import { createHttpClient } from "../../renderer/api/apiClient.js";
import { REPO_ROOT } from "../support/cli.js";
import { tempDir } from "../support/fixtures.js";
import { errorOf, valueOf } from "../support/geoHost.js";
import { zipEntries } from "../support/hostileZip.js";
import { makeSample, SAMPLE_TRUTH, type SampleFixture } from "../support/sampleFixture.js";

let root: string;
let home: string;
let service: SightlineService;
let host: LoopbackHost;
let api: ReturnType<typeof createHttpClient>["api"];
let fixture: SampleFixture;

before(async () => {
  root = await tempDir("sightline-exercise-");
  home = path.join(root, "home");
  fixture = await makeSample(path.join(root, "sample"));
  service = testService(new KeyStore(home));
  host = await startLoopbackHost({ service });
  api = createHttpClient(host.url, host.token).api;
});

after(async () => {
  await service.jobs.settle();
  await host.close();
});

function get(target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(
        { host: "127.0.0.1", port: host.port, path: target, headers: { Authorization: `Bearer ${host.token}` } },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      )
      .on("error", reject);
  });
}

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.join(entry.parentPath, entry.name));
  }
  return out;
}

async function startExercise(name: string): Promise<string> {
  const dir = path.join(root, name);
  const { jobId } = valueOf(await api.startExercise({ sample: fixture.sample.path, dir, trainee: "Tam Trainee" }));
  await service.jobs.settle();
  const job = valueOf(await api.getJob({ jobId }));
  assert.equal(job.status, "finished", job.error);
  assert.equal(job.kind, "exercise");
  return dir;
}

const ledger = async (dir: string) =>
  (await readFile(path.join(dir, "ledger.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { seq: number; type: string; payload: Record<string, unknown> });

describe("exercise", () => {
  let dir: string;
  const [photo, trap] = [() => fixture.photos[0]!.sha256, () => fixture.photos[1]!.sha256];

  test("a sample starts as a job: a fresh case, exercise.started after case.created, files and references", async () => {
    const summary = valueOf(await api.inspectSample({ path: fixture.sample.path }));
    assert.equal(summary.id, "kidal-test");
    assert.equal(summary.hintCount, 2);
    assert.doesNotMatch(JSON.stringify(summary), /ridge road|toleranceM|Look at the ridge/);
    dir = await startExercise("trainee");
    const events = await ledger(dir);
    assert.deepEqual(
      events.slice(0, 2).map((e) => e.type),
      ["case.created", "exercise.started"],
    );
    assert.equal(events[1]!.payload.answerKeySha256, fixture.sample.answerKeySha256);
    assert.deepEqual(events[1]!.payload.hintTitles, ["Look at the ridge", "The sun"]);
    const items = valueOf(await api.listItems({ dir }));
    assert.equal(items.length, 5);
    const references = valueOf(await api.listReferences({ dir }));
    assert.deepEqual(references.map((r) => r.marked.kind).sort(), ["basemap", "scene"]);
    const detail = valueOf(await api.getItem({ dir, sha256: photo() }));
    assert.equal(detail.acquisitions[0]!.collection.sourceAccount, "Telegram channel");
    const info = valueOf(await api.getExercise({ dir }));
    assert.equal(info?.trainee, "Tam Trainee");
    assert.equal(info?.hints[0]!.opened, null);
    assert.equal(Date.parse(info!.dueAt!) - Date.parse(info!.startedAt), 90 * 60_000);
  });

  test("the key is nowhere in the case, not in the API before submission, and not reachable through /files", async () => {
    for (const file of await allFiles(dir)) {
      const text = (await readFile(file)).toString("latin1");
      assert.ok(!text.includes("ridge road north of Kidal"), `${file} holds the model answer`);
      assert.ok(!text.includes("Shadows point west"), `${file} holds an unopened hint`);
    }
    assert.match(errorOf(await api.getScorecard({ dir })).message, /only after the exercise is submitted/);
    const stored = `training/${fixture.sample.answerKeySha256}.json`;
    assert.ok((await readFile(path.join(home, stored))).length > 0, "the store holds it");
    for (const [d, p] of [
      [home, stored],
      [dir, `../home/${stored}`],
      [dir, path.join(home, stored)],
      [root, `home/${stored}`],
    ]) {
      const status = await get(`/files?${new URLSearchParams({ dir: d!, path: p! })}`);
      assert.ok(status >= 400, `${d} ${p} answered ${status}`);
    }
  });

  test("hints open in order, once each", async () => {
    assert.match(errorOf(await api.openHint({ dir, index: 1 })).message, /open hint 1 first/);
    assert.match(errorOf(await api.openHint({ dir, index: 5 })).message, /has 2 hints/);
    const first = valueOf(await api.openHint({ dir, index: 0 }));
    assert.equal(first.text, "The ridge runs north-east; find it on the scene.");
    const count = (await ledger(dir)).length;
    assert.deepEqual(valueOf(await api.openHint({ dir, index: 0 })), first);
    assert.equal((await ledger(dir)).length, count, "no second event");
  });

  test("a warning of the item is acknowledged once, with a remark; others are refused in one line", async () => {
    const warnings = valueOf(await api.getItem({ dir, sha256: trap() })).metadata!.warnings.map((w) => w.code);
    assert.ok(warnings.includes("no-metadata"), warnings.join());
    const absent = errorOf(await api.acknowledgeWarning({ dir, sha256: trap(), code: "gps-zero", remark: "zero?" }));
    assert.match(absent.message, /^this item has no warning gps-zero to acknowledge$/);
    const empty = errorOf(await api.acknowledgeWarning({ dir, sha256: trap(), code: "no-metadata", remark: "  " }));
    assert.doesNotMatch(empty.message, /\n/);
    assert.match(empty.message, /remark/);
    const hostile = "<b>Stripped</b> \u202efwd";
    const { seq } = valueOf(
      await api.acknowledgeWarning({ dir, sha256: trap(), code: "no-metadata", remark: hostile }),
    );
    const again = errorOf(await api.acknowledgeWarning({ dir, sha256: trap(), code: "no-metadata", remark: "again" }));
    assert.match(again.message, new RegExp(`already acknowledged \\(event #${seq}\\)`));
    const detail = valueOf(await api.getItem({ dir, sha256: trap() }));
    assert.deepEqual(
      detail.acknowledgements.map((a) => [a.seq, a.code, a.remark]),
      [[seq, "no-metadata", hostile]],
    );
    const timeline = valueOf(await api.itemTimeline({ dir, sha256: trap() }));
    assert.equal(timeline[0]!.event.type, "warning.acknowledged");
  });

  test("the work is submitted, frozen and scored against the key", async () => {
    valueOf(
      await api.proposeGeolocation({
        dir,
        sha256: photo(),
        outcome: "located",
        place: { shape: "point", lat: SAMPLE_TRUTH.place.lat + 0.001, lon: SAMPLE_TRUTH.place.lon },
        precision: { class: "vicinity", radiusM: 100 },
        confidence: "strong-possibility",
        method: "ridge and road",
      }),
    );
    valueOf(
      await api.recordChronolocation({
        dir,
        sha256: photo(),
        replaces: null,
        place: SAMPLE_TRUTH.place,
        date: "2026-02-16",
        claims: [],
        window: { from: "2026-02-16T09:10:00+01:00", to: "2026-02-16T09:40:00+01:00" },
        shadows: [],
        method: "shadow lengths",
      }),
    );
    valueOf(await api.addNote({ dir, sha256: trap(), text: "A Stripped copy of convoy.jpg" }));
    const result = valueOf(await api.submitExercise({ dir }));
    const card = result.scorecard;
    assert.equal(card.locations[0]!.withinTolerance, true);
    assert.ok(Math.abs(card.locations[0]!.distanceM! - 110.6) < 1, String(card.locations[0]!.distanceM));
    assert.equal(card.locations[0]!.precisionCovers, false);
    assert.equal(card.locations[0]!.points, 32);
    assert.equal(card.times[0]!.minutesOff, 0);
    assert.equal(card.times[0]!.points, 20);
    assert.equal(card.traps[0]!.caught, true);
    assert.equal(card.traps[0]!.caughtBy?.kind, "warning", "the acknowledgement came before the note");
    assert.equal(card.hintsOpened, 1);
    // Reasoning: a confidence, but no clues listed, so 1 of 3 parts of 20; one hint costs 5.
    assert.equal(card.reasoning.points, 6.67);
    assert.equal(card.points, 32 + 20 + 10 + 6.67 - 5);
    assert.equal(card.maxPoints, 90);
    assert.deepEqual(valueOf(await api.getScorecard({ dir })), result);
    const info = valueOf(await api.getExercise({ dir }));
    assert.equal(info?.scored?.points, card.points);
  });

  test("after submission every change is refused with the freeze's words; a second submission too", async () => {
    const frozen = /^This exercise was submitted on .+; its work is frozen\.$/;
    assert.match(errorOf(await api.addNote({ dir, sha256: trap(), text: "late thought" })).message, frozen);
    assert.match(errorOf(await api.openHint({ dir, index: 1 })).message, frozen);
    const open = [];
    for (const { sha256 } of valueOf(await api.listItems({ dir }))) {
      const item = valueOf(await api.getItem({ dir, sha256 }));
      const done = new Set(item.acknowledgements.map((a) => a.code));
      open.push(...(item.metadata?.warnings ?? []).filter((w) => !done.has(w.code)).map((w) => ({ sha256, ...w })));
    }
    assert.ok(open.length > 0, "a warning left to acknowledge");
    const late = await api.acknowledgeWarning({ dir, sha256: open[0]!.sha256, code: open[0]!.code, remark: "late" });
    assert.match(errorOf(late).message, frozen);
    assert.match(
      errorOf(await api.importFiles({ dir, paths: [fixture.photos[2]!.path], collection: {} })).message,
      frozen,
    );
    assert.match(errorOf(await api.submitExercise({ dir })).message, /submitted on .+ and scored/);
    assert.equal(valueOf(await api.verifyCase({ dir })).isClean, true);
    const script = path.join(REPO_ROOT, "resources", "verify-ledger.py");
    const checked = spawnSync("python3", [script, dir], { encoding: "utf8" });
    assert.equal(checked.status, 0, checked.stdout + checked.stderr);
  });

  test("the scorecard exports as JSON, HTML and PDF with every text inert", async () => {
    const json = valueOf(await api.exportScorecard({ dir, format: "json" }));
    const document = JSON.parse(await readFile(path.join(dir, json.path), "utf8"));
    assert.equal(document.scorecard.points, valueOf(await api.getScorecard({ dir })).scorecard.points);
    const html = valueOf(await api.exportScorecard({ dir, format: "html" }));
    const page = await readFile(path.join(dir, html.path), "utf8");
    assert.ok(page.includes("&lt;b&gt;at 08:30&lt;/b&gt;"));
    assert.ok(!page.includes("<b>at"));
    // The time taken in the words the scorecard on screen uses (the test submits within minutes).
    assert.match(page, /<th scope="row">Time taken<\/th><td>(less than a minute|\d+ minutes?)</);
    const pdf = valueOf(await api.exportScorecard({ dir, format: "pdf" }));
    const text = execFileSync("pdftotext", [path.join(dir, pdf.path), "-"], { encoding: "utf8" });
    assert.match(text, /Scorecard: Where was the convoy\?/);
    assert.match(text, /<b>at 08:30<\/b>/, "the markup is printed as text");
    const events = await ledger(dir);
    assert.deepEqual(
      events.slice(-3).map((e) => e.payload.format),
      ["json", "html", "pdf"],
    );
    assert.equal(valueOf(await api.verifyCase({ dir })).isClean, true);
  });

  test("a key changed in the workbench's store is refused at submission; nothing is submitted or scored", async () => {
    const other = await startExercise("trainee-2");
    const stored = path.join(home, "training", `${fixture.sample.answerKeySha256}.json`);
    const original = await readFile(stored, "utf8");
    const body = JSON.parse(original);
    body.answerKey = body.answerKey.replace('"toleranceM": 500', '"toleranceM": 50000');
    await writeFile(stored, JSON.stringify(body));
    const refusal = errorOf(await api.submitExercise({ dir: other }));
    assert.equal(refusal.code, "tampered");
    assert.match(refusal.message, /answer key kept for this exercise has been changed.*nothing was scored/);
    assert.ok(!(await ledger(other)).some((e) => e.type === "exercise.submitted" || e.type === "exercise.scored"));
    await writeFile(stored, original);
    assert.equal(valueOf(await api.submitExercise({ dir: other })).scorecard.points, 0);
  });

  test("hostile requests: a taken folder, a folder or nothing as the sample, an empty trainee; names packed plain", async () => {
    const taken = path.join(root, "taken");
    await mkdir(taken);
    await writeFile(path.join(taken, "x"), "x");
    const start = (sample: string, dir: string, trainee = "Tam") => api.startExercise({ sample, dir, trainee });
    assert.equal(errorOf(await start(fixture.sample.path, taken)).code, "case-exists");
    assert.match(errorOf(await start(root, path.join(root, "n1"))).message, /is not a sample package file/);
    assert.match(errorOf(await start(path.join(root, "none"), path.join(root, "n2"))).message, /cannot read/);
    assert.match(
      errorOf(await start(fixture.sample.path, path.join(root, "n3"), "  ")).message,
      /say who the trainee is/,
    );
    // A trainer's item whose name carries markup and a bidi override is packed under a plain name.
    const plain = path.join(root, "authoring");
    valueOf(await api.createCase({ dir: plain, title: "Authoring", examiner: "Trainer Tess" }));
    const hostile = path.join(root, "<img src=x onerror=alert(1)>\u202egpj.exe.jpg");
    await writeFile(hostile, await readFile(fixture.photos[0]!.path));
    const { jobId } = valueOf(await api.importFiles({ dir: plain, paths: [hostile], collection: {} }));
    await service.jobs.settle();
    assert.equal(valueOf(await api.getJob({ jobId })).status, "finished");
    const author = (out: string) =>
      api.authorSample({
        dir: plain,
        out,
        id: "plain-names",
        title: "<b>Names</b>",
        briefing: { task: "Where?", claims: [], timeAllowedMinutes: null },
        hints: [],
        items: [fixture.photos[0]!.sha256],
        locations: [],
        times: [],
        traps: [],
        modelAnswer: "x",
      });
    assert.match(errorOf(await author(path.join(root, "names.zip"))).message, /ends in \.sightline-sample/);
    const written = valueOf(await author(path.join(root, "names.sightline-sample")));
    const summary = valueOf(await api.inspectSample({ path: written.path }));
    assert.equal(summary.title, "<b>Names</b>");
    const names = (await zipEntries(written.path)).map((e) => e.name);
    assert.deepEqual(names.slice(2), ["files/img src_x onerror_alert_1___gpj.exe.jpg"]);
  });

  test("an ordinary case is no exercise", async () => {
    const plain = path.join(root, "plain");
    valueOf(await api.createCase({ dir: plain, title: "Plain", examiner: "Tam Trainee" }));
    assert.equal(valueOf(await api.getExercise({ dir: plain })), null);
    assert.match(errorOf(await api.openHint({ dir: plain, index: 0 })).message, /not an exercise/);
  });
});
