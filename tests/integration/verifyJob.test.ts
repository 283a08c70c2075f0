/**
 * Verification as a job over real HTTP on 127.0.0.1: progress, the result per problem, a signed
 * verification.run event for each run (clean, then after tampering), and a cancel part-way through
 * re-hashing a large original that records nothing.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, test } from "node:test";
import { startLoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { testService } from "../support/testService.js";
import { createHttpClient } from "../../renderer/api/apiClient.js";
import { finishedJob } from "../support/apiJobs.js";
import { tempDir, writeRandomFile } from "../support/fixtures.js";

describe("verification as a job", () => {
  test("reports progress, returns the result per problem, and records a signed verification.run", async () => {
    const root = await tempDir();
    const service = testService(new KeyStore(path.join(root, "home")));
    const host = await startLoopbackHost({ service });
    const client = createHttpClient(host.url, host.token);
    try {
      const dir = path.join(root, "case");
      assert.ok((await client.api.createCase({ dir, title: "Verify job", examiner: "V. Erifier" })).ok);
      const media = path.join(root, "media");
      await mkdir(media);
      await writeFile(path.join(media, "one.bin"), randomBytes(3_000_000));
      await writeFile(path.join(media, "two.bin"), randomBytes(1000));
      const importJob = await client.api.importFiles({ dir, paths: [media], collection: {} });
      assert.ok(importJob.ok);
      await service.jobs.settle();

      const progress: number[] = [];
      const stop = client.onEvent((e) => {
        if (e.type === "job.progress" && e.progress.phase === "verifying") progress.push(e.progress.bytesDone);
      });
      await new Promise((r) => setTimeout(r, 100));
      const started = await client.api.startVerify({ dir });
      assert.ok(started.ok);
      const job = await finishedJob(client, started.value.jobId);
      stop();
      assert.equal(job.kind, "verify");
      assert.equal(job.status, "finished");
      assert.equal(job.verify?.isClean, true);
      assert.equal(job.verify?.objectsChecked, 2);
      assert.ok(progress.length > 0, "progress was pushed");
      const events = await service.ledgerEvents({ dir });
      const run = events.at(-1)!.event;
      assert.equal(run.type, "verification.run");
      assert.deepEqual((run.payload as { head: unknown }).head, job.verify?.head);
      assert.equal((run.payload as { isClean: boolean }).isClean, true);

      // Tamper with an original: the next run finds it, names the item, and records that too.
      const items = await service.listItems({ dir });
      const victim = (await service.getItem({ dir, sha256: items[0]!.sha256 })).objectPath;
      await chmod(path.join(dir, victim), 0o644);
      await writeFile(path.join(dir, victim), randomBytes(10));
      const second = await client.api.startVerify({ dir });
      assert.ok(second.ok);
      const failed = await finishedJob(client, second.value.jobId);
      assert.equal(failed.verify?.isClean, false);
      assert.ok(failed.verify?.problems.some((p) => p.item === items[0]!.sha256));
      const last = (await service.ledgerEvents({ dir })).at(-1)!.event;
      assert.equal(last.type, "verification.run");
      assert.equal((last.payload as { isClean: boolean }).isClean, false);
      assert.ok((last.payload as { problems: { item?: string }[] }).problems.some((p) => p.item === items[0]!.sha256));

      const noCase = await client.api.startVerify({ dir: path.join(root, "nowhere") });
      assert.equal(noCase.ok, false);

      // Cancelled part-way through re-hashing a large original: said so, and nothing recorded.
      await writeRandomFile(path.join(root, "big", "long.bin"), 400 * 1024 * 1024);
      const bigImport = await client.api.importFiles({ dir, paths: [path.join(root, "big")], collection: {} });
      assert.ok(bigImport.ok);
      await service.jobs.settle();
      const eventsBefore = (await service.ledgerEvents({ dir })).length;
      const third = await client.api.startVerify({ dir });
      assert.ok(third.ok);
      const cancelled = finishedJob(client, third.value.jobId);
      await client.api.cancelJob({ jobId: third.value.jobId });
      const stopped = await cancelled;
      assert.equal(stopped.status, "cancelled");
      assert.equal(stopped.error, "verification was cancelled");
      assert.equal(stopped.verify, undefined);
      assert.equal((await service.ledgerEvents({ dir })).length, eventsBefore);
    } finally {
      await service.jobs.settle();
      await host.close();
    }
  });
});
