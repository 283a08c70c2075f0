/**
 * Restoring a damaged original from a file the workbench page sent (browser mode: dropped or
 * picked, so the host never learns a path to read again). Over real HTTP on 127.0.0.1: the page
 * announces and sends the same bytes as a damaged item; the host holds its staged, hashed copy for
 * a restore, and `restoreOriginal` with that acquisition restores from it, with the same signed
 * event, the damaged copy kept aside and verify (and the stand-alone Python checker) explaining it.
 * Hostile: the held copy swapped for other bytes, for a link out of the case, or gone.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmod, lstat, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { startLoopbackHost, type LoopbackHost } from "../../electron/host/loopbackHost.js";
import { defaultProfileDir, KeyStore } from "../../electron/services/examiners/keyStore.js";
import { testService } from "../support/testService.js";
import { createHttpClient, type ApiClient } from "../../renderer/api/apiClient.js";
import type { ImportOutcomeInfo, JobInfo } from "../../shared/api/contract.js";
import { finishedJob } from "../support/apiJobs.js";
import { REPO_ROOT, runCliJson } from "../support/cli.js";
import { readLedger } from "../support/exchangeCase.js";
import { tempDir } from "../support/fixtures.js";
import { put } from "../support/uploadHost.js";

const sha256Of = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

type Acquired = Extract<ImportOutcomeInfo, { seq: number }>;

describe("restoring a damaged original from a file the page sent", () => {
  let host: LoopbackHost;
  let client: ApiClient;
  let root: string;
  let home: string;
  let caseNo = 0;

  before(async () => {
    root = await tempDir();
    home = path.join(root, "home");
    host = await startLoopbackHost({
      service: testService(new KeyStore(defaultProfileDir({ SIGHTLINE_HOME: home }))),
    });
    client = createHttpClient(host.url, host.token);
  });
  after(async () => {
    await host.close();
  });

  async function upload(dir: string, name: string, bytes: Buffer): Promise<JobInfo> {
    const begun = await client.api.beginUpload({
      dir,
      files: [{ name, size: bytes.length, lastModified: Date.parse("2026-02-16T09:12:44Z") }],
      collection: { method: "dropped on the workbench" },
    });
    assert.ok(begun.ok, JSON.stringify(begun));
    const done = finishedJob(client, begun.value.jobId);
    assert.equal((await put(host, `id=${begun.value.uploadId}&index=0`, bytes)).status, 200);
    const job = await done;
    assert.equal(job.status, "finished", job.error);
    return job;
  }

  /** A case holding one uploaded file whose vault copy then had a byte changed and was verified. */
  async function damagedCase() {
    const dir = path.join(root, `case-${++caseNo}`);
    const made = await client.api.createCase({ dir, title: "Dropped", examiner: "D. Ropper" });
    assert.ok(made.ok, JSON.stringify(made));
    const bytes = randomBytes(150_000);
    const sha = sha256Of(bytes);
    await upload(dir, "drop/kidal-roof.jpg", bytes);
    const vault = path.join(dir, "objects/sha256", sha.slice(0, 2), sha.slice(2));
    await chmod(vault, 0o600);
    const damaged = Buffer.from(bytes);
    damaged[1000] = damaged[1000]! ^ 0xff;
    await writeFile(vault, damaged);
    const verify = await client.api.startVerify({ dir });
    assert.ok(verify.ok);
    const run = await finishedJob(client, verify.value.jobId);
    assert.equal(run.verify!.isClean, false);
    return { dir, bytes, sha, vault, damaged };
  }

  async function uploadAgain(dir: string, bytes: Buffer): Promise<Acquired> {
    const job = await upload(dir, "again/<b>roof</b>.jpg", bytes);
    const outcome = job.outcomes[0] as Acquired;
    assert.equal(outcome.status, "duplicate");
    assert.equal(outcome.damaged, "changed", JSON.stringify(outcome));
    assert.match(job.warnings.join("\n"), /restore the vault copy from this file/);
    return outcome;
  }

  test("the same bytes dropped again restore the vault copy: signed event, damaged copy kept, verify explains", async () => {
    const { dir, bytes, sha, vault, damaged } = await damagedCase();
    const outcome = await uploadAgain(dir, bytes);
    assert.deepEqual(await readFile(vault), damaged, "an upload alone never touches the vault copy");
    const tmp = await readdir(path.join(dir, "tmp"));
    assert.deepEqual(tmp, [`restorable-${sha}`], "only the held copy is left in tmp/, under a name of our own");

    const restored = await client.api.restoreOriginal({ dir, sha256: sha, acquisitionSeq: outcome.seq });
    assert.ok(restored.ok, JSON.stringify(restored));
    assert.equal(restored.value.damaged, "changed");
    assert.deepEqual(await readFile(vault), bytes, "the vault copy holds the original bytes again");
    assert.equal((await lstat(vault)).mode & 0o777, 0o400, "read-only");
    assert.deepEqual(await readFile(path.join(dir, restored.value.setAside!)), damaged, "the damaged copy is kept");
    assert.deepEqual(await readdir(path.join(dir, "tmp")), [], "the held copy is gone once used");

    const events = await readLedger(dir);
    const event = events.at(-1);
    assert.equal(event.type, "original.restored");
    assert.equal(event.payload.acquisitionSeq, outcome.seq);
    assert.equal(events[outcome.seq].payload.source.channel, "upload");
    assert.equal(event.payload.damaged.sha256, sha256Of(damaged));

    const verify = await runCliJson(["verify", dir], home);
    assert.equal(verify.code, 0, JSON.stringify(verify.json.problems));
    const notice = verify.json.notices.find((n: { code: string }) => n.code === "original-restored");
    assert.match(notice.message, /found by the verification at line \d+ damaged \(changed\) and restored/);
    // The stand-alone checker exits non-zero (and execFileSync throws) on any problem.
    execFileSync("python3", [path.join(REPO_ROOT, "resources/verify-ledger.py"), dir], { encoding: "utf8" });

    const twice = await client.api.restoreOriginal({ dir, sha256: sha, acquisitionSeq: outcome.seq });
    assert.ok(!twice.ok);
    assert.match(twice.error.message, /looks intact/, "an intact copy is never replaced");
  });

  test("a held copy changed, made a link out of the case, or gone is refused with a reason; nothing moves", async () => {
    const { dir, bytes, sha, vault, damaged } = await damagedCase();
    const outcome = await uploadAgain(dir, bytes);
    const held = path.join(dir, "tmp", `restorable-${sha}`);
    const restore = () => client.api.restoreOriginal({ dir, sha256: sha, acquisitionSeq: outcome.seq });

    await rm(held, { force: true });
    await writeFile(held, randomBytes(bytes.length), { mode: 0o400 });
    const other = await restore();
    assert.ok(!other.ok);
    assert.match(other.error.message, /no longer holds this item's bytes/);

    await rm(held);
    const outside = path.join(root, `outside-${caseNo}.bin`);
    await writeFile(outside, bytes); // the right bytes, but outside the case: never followed
    await symlink(outside, held);
    const linked = await restore();
    assert.ok(!linked.ok);
    assert.match(linked.error.message, /restorable-[0-9a-f]{64} is not a plain file, so it is not read/);

    await rm(held);
    const gone = await restore();
    assert.ok(!gone.ok);
    assert.match(gone.error.message, /no longer held in this case: drop or import the file again/);

    assert.deepEqual(await readFile(vault), damaged, "the vault copy is as it was");
    assert.deepEqual(await readdir(path.join(dir, "recovered")).catch(() => []), [], "nothing set aside");
    assert.deepEqual(await readdir(path.join(dir, "tmp")), [], "no staged copy left");

    // Dropping the file again holds its bytes anew, and the restore goes through.
    const again = await uploadAgain(dir, bytes);
    const restored = await client.api.restoreOriginal({ dir, sha256: sha, acquisitionSeq: again.seq });
    assert.ok(restored.ok, JSON.stringify(restored));
    assert.deepEqual(await readFile(vault), bytes);
  });

  test("an upload of an intact item's bytes holds nothing", async () => {
    const dir = path.join(root, `case-${++caseNo}`);
    assert.ok((await client.api.createCase({ dir, title: "Intact", examiner: "I. Ntact" })).ok);
    const bytes = randomBytes(20_000);
    await upload(dir, "a.bin", bytes);
    const job = await upload(dir, "b.bin", bytes);
    assert.equal(job.outcomes[0]!.status, "duplicate");
    assert.ok(!("damaged" in job.outcomes[0]!) || !job.outcomes[0].damaged);
    assert.deepEqual(await readdir(path.join(dir, "tmp")), []);
  });
});
