/**
 * Every file an import did not bring in keeps its reason, past the thousand the job lists: over
 * real HTTP on 127.0.0.1 the API pages through all of them (hostile names as they are, never cut;
 * the list kept outside the case),
 * and the real `sightline import` prints every one, inert, and writes them all with --json.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { symlinkSync, writeFileSync } from "node:fs";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import { startLoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { notImportedPath } from "../../electron/services/import/notImportedLog.js";
import { testService } from "../support/testService.js";
import { createHttpClient } from "../../renderer/api/apiClient.js";
import type { NotImportedPage } from "../../shared/api/contract.js";
import { finishedJob } from "../support/apiJobs.js";
import { RAW_UNSAFE, runCli, runCliJson } from "../support/cli.js";
import { tempDir } from "../support/fixtures.js";

/** Refused cheaply: a link to nothing. More than the job's own list of a thousand. */
const BROKEN = 1_203;
const HOSTILE = [
  "<img src=x onerror=alert(1)>.jpg",
  "new\nline.jpg",
  "bell\u0007\u001b[31mred.jpg",
  "\u202egpj.exe",
  "..%2f..%2fetc",
];

describe("files not imported, every one with its reason", () => {
  let root: string;
  let media: string;
  let names: Set<string>;

  before(async () => {
    root = await tempDir();
    media = path.join(root, "dump");
    await mkdir(media);
    names = new Set();
    for (let i = 0; i < BROKEN; i++) {
      const name = i < HOSTILE.length ? HOSTILE[i]! : `gone-${String(i).padStart(5, "0")}.jpg`;
      symlinkSync(path.join(root, "nowhere", name), path.join(media, name));
      names.add(path.join(media, name));
    }
    for (let i = 0; i < 3; i++) writeFileSync(path.join(media, `kept-${i}.jpg`), `bytes ${i}`);
  });

  test("the API pages through all of them; a cursor not at a line is refused", async () => {
    const service = testService(new KeyStore(path.join(root, "home-api")));
    const host = await startLoopbackHost({ service });
    const client = createHttpClient(host.url, host.token);
    try {
      const dir = path.join(root, "case-api");
      assert.ok((await client.api.createCase({ dir, title: "Dump", examiner: "R. Efused" })).ok);
      const started = await client.api.importFiles({ dir, paths: [media], collection: {} });
      assert.ok(started.ok);
      const job = await finishedJob(client, started.value.jobId);
      assert.equal(job.status, "finished");
      assert.equal(job.outcomeCounts?.refused, BROKEN);
      assert.equal(job.outcomeCounts?.imported, 3);
      assert.equal(job.hasNotImportedList, true);
      assert.ok(job.outcomes.filter((o) => o.status === "refused").length <= 1000, "the job's own list is bounded");

      const seen: NotImportedPage["outcomes"] = [];
      const cursors: number[] = [];
      for (let cursor: number | null = 0; cursor !== null;) {
        const page = await client.api.listNotImported({ jobId: job.jobId, cursor, limit: 500 });
        assert.ok(page.ok, JSON.stringify(page));
        assert.equal(page.value.total, BROKEN);
        assert.ok(page.value.outcomes.length <= 500);
        seen.push(...page.value.outcomes);
        cursors.push(cursor);
        cursor = page.value.next;
      }
      assert.equal(cursors.length, 3);
      assert.equal(seen.length, BROKEN);
      assert.deepEqual(new Set(seen.map((o) => o.displayPath)), names);
      for (const o of seen) {
        assert.equal(o.status, "refused");
        assert.match(o.reason, /^broken symbolic link: /);
      }

      const wrong = [
        { jobId: job.jobId, cursor: cursors[1]! + 1 },
        { jobId: job.jobId, cursor: 10 ** 12 },
        { jobId: job.jobId, cursor: -1 },
        { jobId: "../../etc/passwd", cursor: 0 },
      ];
      for (const input of wrong) {
        const answer = await client.api.listNotImported(input);
        assert.ok(!answer.ok, JSON.stringify(input));
        assert.equal(answer.error.code, "invalid-input");
        assert.doesNotMatch(answer.error.message, /\n/);
      }
      const unknown = await client.api.listNotImported({ jobId: "00000000-0000-4000-8000-000000000000" });
      assert.ok(!unknown.ok && unknown.error.code === "not-found");
    } finally {
      await host.close();
    }
  });

  test("a damaged list says where, in one line", async () => {
    const service = testService(new KeyStore(path.join(root, "home-damaged")));
    const dir = path.join(root, "case-damaged");
    await service.createCase({ dir, title: "Damaged", examiner: "D. Amaged", hashAlgorithms: ["sha256"] });
    const { jobId } = await service.importFiles({ dir, paths: [media], collection: {} });
    await service.jobs.settle();
    // Kept outside the case, in this process's own temporary folder.
    assert.deepEqual(
      (await readdir(path.join(dir, "tmp"))).filter((n) => n.includes("not-imported")),
      [],
    );
    const list = notImportedPath(jobId);
    assert.ok(list.startsWith(os.tmpdir()));
    await writeFile(list, '{"status":"refused","displayPath":"a","reason":"b"}\n<b>not json</b>\n');
    await assert.rejects(service.listNotImported({ jobId, cursor: 0, limit: 1000 }), /damaged at byte 52$/);
  });

  test("the command line prints every reason, inert, and all of them with --json", async () => {
    const home = path.join(root, "home-cli");
    const dir = path.join(root, "case-cli");
    assert.equal((await runCli(["init", dir, "--title", "Dump", "--examiner", "C. Li"], home)).code, 0);
    const text = await runCli(["import", dir, media, "--no-analyse"], home);
    assert.equal(text.code, 1, text.stderr);
    const refused = text.stdout.split("\n").filter((l) => l.startsWith("refused"));
    assert.equal(refused.length, BROKEN);
    assert.doesNotMatch(text.stdout, RAW_UNSAFE);
    assert.match(text.stdout, /<img src=x onerror=alert\(1\)>\.jpg: broken symbolic link/);
    assert.match(text.stdout, /3 imported, 0 already in the case, 1203 refused, 0 failed/);
    assert.deepEqual(
      (await readdir(path.join(dir, "tmp"))).filter((n) => n.includes("not-imported")),
      [],
      "the command line leaves no list in the case",
    );

    const again = path.join(root, "case-cli-json");
    assert.equal((await runCli(["init", again, "--title", "Dump", "--examiner", "C. Li"], home)).code, 0);
    const json = await runCliJson<{
      notImported: { displayPath: string; reason: string }[];
      counts: { refused: number };
    }>(["import", again, media, "--no-analyse"], home);
    assert.equal(json.json.counts.refused, BROKEN);
    assert.equal(json.json.notImported.length, BROKEN);
    assert.deepEqual(new Set(json.json.notImported.map((o) => o.displayPath)), names);
  });
});

test("an import's list folder left by a process that died is removed when the next process makes its own", async () => {
  const root = await tempDir();
  const tmp = path.join(root, "system-tmp");
  await mkdir(tmp);
  // A process that has ended: its id is free (its folder was left, as by a kill or power loss).
  const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
  const left = path.join(tmp, `sightline-not-imported-${dead}-AbC123`);
  await mkdir(left);
  await writeFile(
    path.join(left, "x.not-imported.jsonl"),
    '{"status":"refused","displayPath":"/home/a/b","reason":"c"}\n',
  );
  // Kept: a running process's folder (this one's), a link under a dead process's name, other names.
  const live = path.join(tmp, `sightline-not-imported-${process.pid}-XyZ789`);
  await mkdir(live);
  await mkdir(path.join(root, "elsewhere"));
  await writeFile(path.join(root, "elsewhere", "keep"), "kept");
  symlinkSync(path.join(root, "elsewhere"), path.join(tmp, `sightline-not-imported-${dead}-link00`));
  await mkdir(path.join(tmp, "sightline-not-imported-xyz"));

  const home = path.join(root, "home");
  const dir = path.join(root, "case");
  const media = path.join(root, "media");
  await mkdir(media);
  symlinkSync(path.join(root, "nowhere.jpg"), path.join(media, "gone.jpg"));
  assert.equal((await runCli(["init", dir, "--title", "Left", "--examiner", "C. Li"], home)).code, 0);
  const run = await runCli(["import", dir, media, "--no-analyse"], home, { env: { TMPDIR: tmp } });
  assert.match(run.stdout, /0 imported, 0 already in the case, 1 refused, 0 failed/, run.stderr);
  assert.deepEqual(
    (await readdir(tmp)).sort(),
    [
      `sightline-not-imported-${dead}-link00`,
      `sightline-not-imported-${process.pid}-XyZ789`,
      "sightline-not-imported-xyz",
    ].sort(),
  );
  assert.deepEqual(await readdir(path.join(root, "elsewhere")), ["keep"]);
});
