/**
 * The shipped training sample (resources/samples/) as a trainer meets it, through the real
 * loopback host and the renderer's HTTP client: the workbench lists it, and it starts as an
 * exercise whose case holds its eight files, its two scenes and basemap marked as reference
 * imagery with their dates, the three near-duplicate pictures grouped by pHash, the video's
 * misleading container date as its capture time, and nothing of the answer key.
 */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { startLoopbackHost, type LoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import type { SightlineService } from "../../electron/services/sightlineService.js";
import { testService } from "../support/testService.js";
import { parseAnswerKey, readSamplePackage } from "../../electron/services/training/samplePackage.js";
import { createHttpClient } from "../../renderer/api/apiClient.js";
import { tempDir } from "../support/fixtures.js";
import { valueOf } from "../support/geoHost.js";
import { TIMES } from "../samples/landscape.js";
import { EVIDENCE, REFERENCE, SAMPLE_ID } from "../samples/sampleKey.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const shipped = path.join(here, "..", "..", "..", "resources", "samples", `${SAMPLE_ID}.sightline-sample`);

describe("the shipped sample as an exercise", () => {
  let root: string;
  let service: SightlineService;
  let host: LoopbackHost;
  let api: ReturnType<typeof createHttpClient>["api"];

  before(async () => {
    root = await tempDir("sightline-shipped-exercise-");
    service = testService(new KeyStore(path.join(root, "home")));
    host = await startLoopbackHost({ service });
    api = createHttpClient(host.url, host.token).api;
  });

  after(async () => {
    await service.jobs.settle();
    await host.close();
  });

  test("the workbench lists it as shipped, with its title, hints and files", async () => {
    const samples = valueOf(await api.listSamples({}));
    const sample = samples.find((s) => s.id === SAMPLE_ID);
    assert.ok(sample, `listed: ${samples.map((s) => s.id).join(", ")}`);
    assert.equal(path.resolve(sample.path), path.resolve(shipped));
    assert.equal(sample.shipped, true);
    assert.equal(sample.title, "Fire at the river compound");
    assert.equal(sample.hintCount, 4);
    assert.equal(sample.fileCount, 8);
  });

  test("it starts as an exercise: its files, imagery as references, near-duplicates grouped, no key", async () => {
    const dir = path.join(root, "trainee-case");
    const { jobId } = valueOf(await api.startExercise({ sample: shipped, dir, trainee: "Tam Trainee" }));
    await service.jobs.settle();
    const job = valueOf(await api.getJob({ jobId }));
    assert.equal(job.status, "finished", job.error);

    const items = valueOf(await api.listItems({ dir }));
    const names = [...Object.values(EVIDENCE), REFERENCE.before.name, REFERENCE.after.name, REFERENCE.basemap.name];
    assert.deepEqual(items.map((i) => i.name).sort(), [...names].sort());
    const sha = (name: string) => items.find((i) => i.name === name)!.sha256;

    const references = valueOf(await api.listReferences({ dir }));
    const marked = new Map(references.map((r) => [r.name, r.marked]));
    assert.equal(references.length, 3);
    const before = marked.get(REFERENCE.before.name);
    const after = marked.get(REFERENCE.after.name);
    assert.ok(before?.kind === "scene" && before.acquiredOn === REFERENCE.before.acquiredOn);
    assert.ok(after?.kind === "scene" && after.acquiredOn === REFERENCE.after.acquiredOn);
    assert.equal(marked.get(REFERENCE.basemap.name)?.kind, "basemap");

    const groups = valueOf(await api.nearDuplicates({ dir }));
    assert.deepEqual(
      groups.map((g) => g.items.map((i) => i.sha256).sort()),
      [[sha(EVIDENCE.road), sha(EVIDENCE.reupload), sha(EVIDENCE.edited)].sort()],
    );

    const video = valueOf(await api.getItem({ dir, sha256: sha(EVIDENCE.video) }));
    assert.match(JSON.stringify(video), new RegExp(TIMES.videoContainer.slice(0, 16)));

    // Nothing in the trainee's case holds the key's words.
    const read = await readSamplePackage(shipped);
    const key = parseAnswerKey(read.answerKeyBytes, read.manifest);
    const secret = key.modelAnswer.slice(0, 60);
    for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile()) continue;
      const text = await readFile(path.join(entry.parentPath, entry.name), "latin1");
      assert.ok(!text.includes(secret), `${entry.name} holds none of the model answer`);
    }
  });
});
