/**
 * Bundles from the workbench's API (SightlineService, as both transports call it): export as a
 * job writes beside the case folder and names the file in the job's result; open as a job
 * checks it and records the receipt; a cancelled export leaves no file.
 */
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import type { JobInfo } from "../../shared/api/contract.js";
import { defaultProfileDir, KeyStore } from "../../electron/services/examiners/keyStore.js";
import type { SightlineService } from "../../electron/services/sightlineService.js";
import { testService } from "../support/testService.js";
import { makeExchangeCase, readLedger } from "../support/exchangeCase.js";

describe("bundle jobs", () => {
  let c: Awaited<ReturnType<typeof makeExchangeCase>>;
  let service: SightlineService;
  const finished = new Map<string, JobInfo>();

  before(async () => {
    c = await makeExchangeCase();
    service = testService(new KeyStore(defaultProfileDir({ SIGHTLINE_HOME: c.home })));
    service.onEvent((event) => {
      if (event.type === "job.finished") finished.set(event.job.jobId, event.job);
    });
  });

  async function done(jobId: string): Promise<JobInfo> {
    await service.jobs.settle();
    const job = finished.get(jobId);
    assert.ok(job, "the job announced its end");
    return job;
  }

  test("export and open as jobs, with the results the page shows", async () => {
    const { jobId } = await service.exportBundle({ dir: c.caseDir });
    const job = await done(jobId);
    assert.equal(job.status, "finished", job.error);
    assert.equal(job.kind, "bundle");
    const result = job.exchange!;
    assert.equal(path.dirname(result.bundle), path.dirname(c.caseDir), "beside the case folder");
    assert.match(path.basename(result.bundle), /^case-bundle-\d{8}T\d{6}Z\.zip$/);
    assert.equal((await readLedger(c.caseDir)).at(-1).seq, result.seq);

    const target = path.join(c.root, "opened-by-job");
    const opened = await done((await service.openBundle({ bundle: result.bundle, dir: target })).jobId);
    assert.equal(opened.status, "finished", opened.error);
    assert.equal(opened.exchange!.sha256, result.sha256);
    assert.deepEqual(opened.exchange!.head, result.head);
    assert.equal((await readLedger(target)).at(-1).type, "bundle.opened");
  });

  test("a CASE/UCO job names its copy by the path in the case the event records, however the folder was spelled", async () => {
    const { jobId } = await service.exportCaseUco({ dir: `${c.caseDir}/exports/../.` });
    const job = await done(jobId);
    assert.equal(job.status, "finished", job.error);
    const event = (await readLedger(c.caseDir)).at(-1);
    assert.equal(event.type, "uco.exported");
    assert.match(job.exchange!.casePath!, /^exports\/[A-Za-z0-9]+-case-uco-\d{8}T\d{9}Z\.jsonld$/);
    assert.equal(job.exchange!.casePath, event.payload.path);
    assert.equal(job.exchange!.bundle, path.join(c.caseDir, event.payload.path));
  });

  test("a hostile or missing bundle fails the job with the reason", async () => {
    const job = await done(
      (await service.openBundle({ bundle: path.join(c.root, "no-such.zip"), dir: path.join(c.root, "x") })).jobId,
    );
    assert.equal(job.status, "failed");
    assert.match(job.error!, /cannot read .*no-such\.zip/);
  });

  test("a cancelled export leaves no file behind", async () => {
    const before = await readdir(c.root);
    const { jobId } = await service.exportBundle({ dir: c.caseDir, items: [c.items[0]!] });
    service.jobs.cancel(jobId);
    const job = await done(jobId);
    assert.equal(job.status, "cancelled", job.error);
    assert.deepEqual(await readdir(c.root), before);
  });
});
