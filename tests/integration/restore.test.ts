/**
 * Restoring a damaged original from a later acquisition of the same bytes: through the API (as the
 * workbench does it, after a recorded verification) and the command line (`import --restore`).
 * Real cases, real files, the real CLI in child processes, the stand-alone Python checker.
 * Hostile: different bytes, a link or a folder in the vault copy's place, a restore racing a
 * verify, and a process killed between setting the damaged copy aside and recording the restore.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, link, lstat, mkdir, readdir, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, test } from "node:test";
import type { JobInfo } from "../../shared/api/contract.js";
import { defaultProfileDir, KeyStore } from "../../electron/services/examiners/keyStore.js";
import { testService } from "../support/testService.js";
import { CLI, REPO_ROOT, runCli, runCliJson } from "../support/cli.js";
import { makeImportedCase, type CaseFixture } from "../support/caseFixture.js";
import { writeRandomFile } from "../support/fixtures.js";

const sha256Of = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const vaultPathOf = (c: CaseFixture, sha: string) =>
  path.join(c.caseDir, "objects/sha256", sha.slice(0, 2), sha.slice(2));

async function caseWithOneFile(size = 120_000) {
  const c = await makeImportedCase([size], { analyse: false });
  const source = path.join(c.mediaDir, "clip-0.mp4");
  const bytes = await readFile(source);
  return { c, source, sha: sha256Of(bytes), bytes };
}

/** Changes one byte of the vault copy in place (it is read-only: made writable first, as someone would). */
async function flipByte(file: string, at = 1000): Promise<void> {
  await chmod(file, 0o600);
  const bytes = await readFile(file);
  bytes[at] = bytes[at]! ^ 0xff;
  await writeFile(file, bytes);
}

function pythonCheck(caseDir: string): { code: number; out: string } {
  try {
    const out = execFileSync("python3", [path.join(REPO_ROOT, "resources/verify-ledger.py"), caseDir], {
      encoding: "utf8",
    });
    return { code: 0, out };
  } catch (error) {
    const e = error as { status: number; stdout: string };
    return { code: e.status, out: e.stdout };
  }
}

function serviceFor(c: CaseFixture) {
  const service = testService(new KeyStore(defaultProfileDir({ SIGHTLINE_HOME: c.home })));
  const finished = new Map<string, JobInfo>();
  service.onEvent((event) => {
    if (event.type === "job.finished") finished.set(event.job.jobId, event.job);
  });
  const done = async (jobId: string) => {
    await service.jobs.settle();
    return finished.get(jobId)!;
  };
  return { service, done };
}

describe("restoring a damaged original", () => {
  test("workbench: a verification finds the change, the same file imported again is offered, the restore is recorded and verify explains it", async () => {
    const { c, source, sha, bytes } = await caseWithOneFile();
    const { service, done } = serviceFor(c);
    const vault = vaultPathOf(c, sha);
    await flipByte(vault);
    const damagedBytes = await readFile(vault);

    const run = await done((await service.startVerify({ dir: c.caseDir })).jobId);
    assert.equal(run.verify!.isClean, false);
    const [summary] = await service.listItems({ dir: c.caseDir });
    assert.equal(summary!.integrity!.findings[0]!.code, "object-corrupt", "the item carries the finding");

    const imported = await done((await service.importFiles({ dir: c.caseDir, paths: [source], collection: {} })).jobId);
    const outcome = imported.outcomes[0]!;
    assert.equal(outcome.status, "duplicate");
    assert.ok("damaged" in outcome && outcome.damaged === "changed", JSON.stringify(outcome));
    assert.match(imported.warnings.join("\n"), /vault copy's bytes have changed/);
    assert.deepEqual(await readFile(vault), damagedBytes, "an import alone never touches the vault copy");

    const restored = await service.restoreOriginal({ dir: c.caseDir, sha256: sha, acquisitionSeq: outcome.seq });
    assert.equal(restored.damaged, "changed");
    assert.deepEqual(await readFile(vault), bytes, "the vault copy holds the original bytes again");
    assert.equal((await lstat(vault)).mode & 0o777, 0o400, "read-only");
    assert.deepEqual(
      await readFile(path.join(c.caseDir, restored.setAside!)),
      damagedBytes,
      "the damaged copy is kept",
    );

    const events = (await readFile(path.join(c.caseDir, "ledger.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const event = events.at(-1);
    assert.equal(event.type, "original.restored");
    assert.equal(event.payload.acquisitionSeq, outcome.seq);
    assert.equal(event.payload.damaged.sha256, sha256Of(damagedBytes));
    assert.equal(event.payload.foundBySeq, events.find((e) => e.type === "verification.run").seq);
    const [after] = await service.listItems({ dir: c.caseDir });
    assert.equal(after!.integrity!.restored!.seq, event.seq, "the mark is answered by the restore");

    const verify = await runCliJson(["verify", c.caseDir], c.home);
    assert.equal(verify.code, 0, JSON.stringify(verify.json.problems));
    const notice = verify.json.notices.find((n: { code: string }) => n.code === "original-restored");
    assert.match(notice.message, /found by the verification at line \d+ damaged \(changed\) and restored/);
    const python = pythonCheck(c.caseDir);
    assert.equal(python.code, 0, python.out);

    await assert.rejects(
      service.restoreOriginal({ dir: c.caseDir, sha256: sha, acquisitionSeq: outcome.seq }),
      /looks intact/,
      "an intact copy is never replaced",
    );
  });

  test("different bytes are refused, and an upload or a foreign acquisition is not a source", async () => {
    const { c, source, sha } = await caseWithOneFile();
    const { service, done } = serviceFor(c);
    await flipByte(vaultPathOf(c, sha));
    await done((await service.startVerify({ dir: c.caseDir })).jobId);
    const job = await done((await service.importFiles({ dir: c.caseDir, paths: [source], collection: {} })).jobId);
    const seq = (job.outcomes[0] as { seq: number }).seq;
    await writeRandomFile(source, 120_000); // the file changed since it was acquired
    await assert.rejects(
      service.restoreOriginal({ dir: c.caseDir, sha256: sha, acquisitionSeq: seq }),
      /no longer holds this item's bytes/,
    );
    await assert.rejects(
      service.restoreOriginal({ dir: c.caseDir, sha256: sha, acquisitionSeq: 0 }),
      /not an acquisition of this item/,
    );
    assert.deepEqual(await readdir(path.join(c.caseDir, "recovered")).catch(() => []), [], "nothing set aside");
    assert.deepEqual(await readdir(path.join(c.caseDir, "tmp")), [], "no staged copy left");
    const verify = await runCliJson(["verify", c.caseDir], c.home);
    assert.deepEqual(
      verify.json.problems.map((p: { code: string }) => p.code),
      ["object-corrupt"],
    );
  });

  for (const kind of ["missing", "truncated", "symlink", "folder"] as const) {
    test(`command line: a vault copy ${kind === "symlink" ? "replaced by a link" : kind === "folder" ? "replaced by a folder" : kind} is reported, then restored with --restore`, async () => {
      const { c, source, sha, bytes } = await caseWithOneFile();
      const vault = vaultPathOf(c, sha);
      const outside = path.join(c.root, "elsewhere.bin");
      await writeFile(outside, "not the original");
      await chmod(vault, 0o600);
      await rm(vault);
      if (kind === "truncated") await writeFile(vault, bytes.subarray(0, 5000));
      if (kind === "symlink") await symlink(outside, vault);
      if (kind === "folder") await mkdir(vault);

      const expected = { missing: "missing", truncated: "truncated", symlink: "not-a-file", folder: "not-a-file" }[
        kind
      ];
      if (kind === "symlink" || kind === "folder") {
        // A writer refuses a case with a link or folder where an original belongs; only a restore takes it on.
        const refused = await runCli(["import", c.caseDir, source, "--no-analyse"], c.home);
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /not as Sightline wrote it, so nothing was written/);
      } else {
        const reported = await runCliJson(["import", c.caseDir, source, "--no-analyse"], c.home);
        assert.equal(reported.json.outcomes[0].damaged, expected, JSON.stringify(reported.json));
        assert.match(reported.stderr, /restore the vault copy from this file/);
        assert.equal((await lstat(vault).catch(() => null))?.isFile() ?? false, kind === "truncated", "left as it was");
      }

      const restored = await runCliJson(["import", c.caseDir, source, "--no-analyse", "--restore"], c.home);
      assert.equal(restored.code, 0, JSON.stringify(restored.json));
      assert.equal(restored.json.restores.length, 1);
      assert.equal(restored.json.outcomes[0].damaged, expected);
      assert.deepEqual(await readFile(vault), bytes);
      assert.equal(await readFile(outside, "utf8"), "not the original", "a link is moved aside, never followed");
      const aside = restored.json.restores[0].setAside;
      if (kind === "missing") assert.equal(aside, null);
      else assert.match(aside, /^recovered\/damaged-[0-9a-f]{64}-/);
      if (kind === "symlink") assert.ok((await lstat(path.join(c.caseDir, aside))).isSymbolicLink());
      if (kind === "folder") assert.ok((await lstat(path.join(c.caseDir, aside))).isDirectory());

      const verify = await runCliJson(["verify", c.caseDir], c.home);
      assert.equal(verify.code, 0, JSON.stringify(verify.json.problems));
      assert.equal(pythonCheck(c.caseDir).code, 0, pythonCheck(c.caseDir).out);
    });
  }

  test("a restore racing a verify: the case ends restored and unmarked, whichever runs first", async () => {
    const { c, source, sha, bytes } = await caseWithOneFile(8 * 1024 * 1024);
    const { service, done } = serviceFor(c);
    await flipByte(vaultPathOf(c, sha), 4 * 1024 * 1024);
    await done((await service.startVerify({ dir: c.caseDir })).jobId);
    const job = await done((await service.importFiles({ dir: c.caseDir, paths: [source], collection: {} })).jobId);
    const seq = (job.outcomes[0] as { seq: number }).seq;
    const verifying = service.startVerify({ dir: c.caseDir });
    await service.restoreOriginal({ dir: c.caseDir, sha256: sha, acquisitionSeq: seq });
    const raced = await done((await verifying).jobId);
    assert.equal(raced.status, "finished", raced.error);
    assert.deepEqual(await readFile(vaultPathOf(c, sha)), bytes);
    const [item] = await service.listItems({ dir: c.caseDir });
    const open = item!.integrity && !item!.integrity.restored ? item!.integrity.findings : [];
    assert.deepEqual(open, [], "a run that saw the copy before the restore does not mark it again");
    const verify = await runCliJson(["verify", c.caseDir], c.home);
    assert.equal(verify.code, 0, JSON.stringify(verify.json.problems));
  });

  test("a restore cut short between setting the copy aside and its event is rolled back by the next writer", async () => {
    const { c, source, sha, bytes } = await caseWithOneFile();
    const vault = vaultPathOf(c, sha);
    await flipByte(vault);
    const damaged = await readFile(vault);
    const objectPath = path.relative(c.caseDir, vault);
    const headSeq = (await readFile(path.join(c.caseDir, "ledger.jsonl"), "utf8")).trim().split("\n").length - 1;
    // What a process killed after step 4 leaves: the intent, the damaged copy aside, the good copy in place.
    const setAside = `recovered/damaged-${sha}-2026-02-16T09-12-44-123Z`;
    await mkdir(path.join(c.caseDir, "recovered"), { recursive: true });
    await writeFile(
      path.join(c.caseDir, "tmp", "cut.restore"),
      JSON.stringify({ objectPath, setAside, sha256: sha, headSeq }),
    );
    await link(vault, path.join(c.caseDir, setAside));
    await writeFile(path.join(c.caseDir, "tmp", "good.partial"), bytes, { mode: 0o400 });
    await rename(path.join(c.caseDir, "tmp", "good.partial"), vault);
    // A hostile intent beside it: a path out of the case is never acted on.
    await writeFile(
      path.join(c.caseDir, "tmp", "evil.restore"),
      JSON.stringify({ objectPath: "../../etc/passwd", setAside: "recovered/../../x", sha256: sha, headSeq }),
    );

    const next = await runCliJson(["import", c.caseDir, path.join(c.root, "nothing-here"), "--no-analyse"], c.home);
    assert.equal(next.code, 1, "the import itself refuses a missing path, after recovery ran");
    assert.deepEqual(await readFile(vault), damaged, "the case is as it was before the restore began");
    assert.deepEqual(await readdir(path.join(c.caseDir, "recovered")), []);
    assert.deepEqual(await readdir(path.join(c.caseDir, "tmp")), []);
    const verify = await runCliJson(["verify", c.caseDir], c.home);
    assert.deepEqual(
      verify.json.problems.map((p: { code: string }) => p.code),
      ["object-corrupt"],
    );

    const again = await runCliJson(["import", c.caseDir, source, "--no-analyse", "--restore"], c.home);
    assert.equal(again.code, 0, JSON.stringify(again.json));
    assert.equal((await runCliJson(["verify", c.caseDir], c.home)).code, 0);
  });

  test("killed at several points of an import --restore, a case is either as before or restored, never worse", async () => {
    const { c, source, sha, bytes } = await caseWithOneFile(64 * 1024 * 1024);
    const vault = vaultPathOf(c, sha);
    await flipByte(vault, 32 * 1024 * 1024);
    const outcomes = new Set<string>();
    for (const delayMs of [150, 600, 1200, 2500]) {
      const child = spawn(process.execPath, [CLI, "import", c.caseDir, source, "--no-analyse", "--restore"], {
        env: { ...process.env, SIGHTLINE_HOME: c.home, CI: "1" },
        stdio: "ignore",
      });
      const exited = new Promise((resolve) => child.on("exit", resolve));
      await Promise.race([sleep(delayMs), exited]);
      child.kill("SIGKILL");
      await exited;
      // The next writer (a harmless import of a missing path) finishes or rolls back what the kill left.
      await runCliJson(["import", c.caseDir, path.join(c.root, "nothing-here"), "--no-analyse"], c.home);
      const verify = await runCliJson(["verify", c.caseDir], c.home);
      const codes = verify.json.problems.map((p: { code: string }) => p.code);
      const isRestored = (await readFile(vault)).equals(bytes);
      assert.deepEqual(codes, isRestored ? [] : ["object-corrupt"], `after a kill at ${delayMs} ms`);
      assert.deepEqual(await readdir(path.join(c.caseDir, "tmp")), []);
      outcomes.add(isRestored ? "restored" : "as before");
      if (isRestored) break;
    }
    const final = await runCliJson(["import", c.caseDir, source, "--no-analyse", "--restore"], c.home);
    assert.equal(final.code, 0, JSON.stringify(final.json));
    assert.equal((await runCliJson(["verify", c.caseDir], c.home)).code, 0);
    assert.ok(outcomes.size > 0);
  });
});
