/**
 * Custody reports from the workbench's API over the real loopback host: a job (verification with
 * progress, then the report) that names the copy kept in exports/, which the host serves as a
 * download; one item or a selection; refusals in one line for unknown items and bad input.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { before, test } from "node:test";
import { startLoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { testService } from "../support/testService.js";
import { createHttpClient } from "../../renderer/api/apiClient.js";
import type { ApiEvent, JobInfo } from "../../shared/api/contract.js";
import { errorOf, valueOf } from "../support/geoHost.js";
import { makeReportCase, type ReportCase } from "../support/reportCase.js";

let base: ReportCase;
before(async () => {
  base = await makeReportCase();
});

test("generateReport runs as a job with progress; its result is served as a download with the recorded SHA-256", async () => {
  const service = testService(new KeyStore(base.home));
  const host = await startLoopbackHost({ service });
  try {
    const { api } = createHttpClient(host.url, host.token);
    valueOf(await api.openCase({ dir: base.caseDir }));
    const events: ApiEvent[] = [];
    const finished = new Promise<JobInfo>((resolve) =>
      service.onEvent((e) => {
        events.push(e);
        if (e.type === "job.finished" && e.job.kind === "report") resolve(e.job);
      }),
    );
    const { jobId } = valueOf(
      await api.generateReport({
        dir: base.caseDir,
        format: "html",
        items: [base.items.photo],
        sensitive: "rounded",
        graphic: "veiled",
      }),
    );
    const job = await finished;
    assert.equal(job.jobId, jobId);
    assert.equal(job.status, "finished", job.error);
    assert.ok(events.some((e) => e.type === "job.progress" && e.progress.currentFile === "verifying the case"));
    assert.ok(events.some((e) => e.type === "ledger.appended"));
    const report = job.report!;
    assert.equal(report.itemCount, 1);
    assert.equal(report.isClean, true);
    assert.match(report.path, /^exports\/[A-Za-z0-9]{1,8}-report-\d{8}T\d{9}Z\.html$/);

    const download = await fetch(`${host.url}/files?${new URLSearchParams({ dir: base.caseDir, path: report.path })}`, {
      headers: { Authorization: `Bearer ${host.token}` },
    });
    assert.equal(download.status, 200);
    const bytes = new Uint8Array(await download.arrayBuffer());
    assert.equal(createHash("sha256").update(bytes).digest("hex"), report.sha256);
    assert.match(download.headers.get("content-disposition") ?? "", /attachment/, "served as a download, never a page");
    const ledger = (await readFile(path.join(base.caseDir, "ledger.jsonl"), "utf8")).trim().split("\n");
    const event = JSON.parse(ledger.at(-1)!);
    assert.equal(event.type, "report.generated");
    assert.deepEqual(event.payload.scope, { kind: "items", items: [base.items.photo] });
    assert.equal(event.seq, report.seq);

    // The item's custody timeline now shows the report.
    const timeline = valueOf(await api.itemTimeline({ dir: base.caseDir, sha256: base.items.photo }));
    assert.equal(timeline[0]!.event.type, "report.generated");

    // Refusals: one line, before any job starts.
    const unknown = await api.generateReport({ dir: base.caseDir, format: "pdf", items: ["cd".repeat(32)] });
    const job2 = unknown.ok ? await service.jobs.settle().then(() => service.jobs.get(unknown.value.jobId)) : null;
    assert.equal(job2?.status, "failed");
    assert.match(job2!.error!, /not items of this case/);
    errorOf(await api.generateReport({ dir: base.caseDir, format: "docx" as "pdf" }));
    errorOf(await api.generateReport({ dir: base.caseDir, format: "pdf", items: [] }));
    errorOf(await api.generateReport({ dir: path.join(base.root, "nowhere"), format: "pdf" }));
  } finally {
    await service.jobs.settle();
    await host.close();
  }
});
