/**
 * A file dropped in the host's own window is checked by its path (host/windowFiles.ts `checkPath`),
 * then imported by that path: what was checked goes with it, and a path swapped between the check
 * and the import (for a symbolic link, a folder, another file, or rewritten) is refused at the
 * import's scan, never followed or walked. A real service behind a real loopback host; the window's
 * answer is the real check of a real file, after which the test swaps the file, as another program
 * writing the folder it was dropped from could.
 */
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { lstat, mkdir, rename, rm, symlink, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { checkPath, type WindowFiles } from "../../electron/host/windowFiles.js";
import type { LedgerEvent } from "../../shared/ledger/events.js";
import { finishedJob } from "../support/apiJobs.js";
import { startUploadHost, type UploadHost } from "../support/uploadHost.js";

const imported = (events: LedgerEvent[]) =>
  events.filter((e) => e.type === "item.imported").map((e) => e.payload as Record<string, any>);

describe("a dropped file swapped between the window's check and the import", () => {
  let up: UploadHost;
  /** How the host's window answers the next drop: the real check of a real file, then the test's swap. */
  let answerNext: WindowFiles["resolve"] = () => Promise.resolve({ reason: "nothing was dropped" });
  before(async () => {
    up = await startUploadHost({ resolve: (intakeId, files) => answerNext(intakeId, files) });
  });
  after(async () => {
    await up?.close();
  });

  /** Drops `source` (checked as the window checks it), runs `swap`, imports; the finished job and the case's items. */
  const dropThenSwap = async (name: string, swap: (source: string) => Promise<void>) => {
    const dir = await up.newCase(`Swap ${name}`, "W. Indow");
    const source = path.join(up.root, `${name}.bin`);
    await writeFile(source, randomBytes(4000));
    const info = await lstat(source);
    const announced = { name: `${name}.bin`, size: info.size, lastModified: Math.trunc(info.mtimeMs) };
    answerNext = async () => {
      const checked = await checkPath(source, announced, announced.size, announced.lastModified);
      assert.equal(typeof checked, "object", String(checked));
      await swap(source);
      return { files: [checked as Exclude<typeof checked, string>] };
    };
    const answer = await up.client.api.importWindowFiles({
      dir,
      intakeId: randomUUID(),
      files: [announced],
      collection: {},
    });
    assert.ok(answer.ok && answer.value.jobId, JSON.stringify(answer));
    const job = await finishedJob(up.client, answer.value.jobId);
    return { job, source, items: imported((await up.service.ledgerEvents({ dir })).map((e) => e.event)) };
  };

  const refusedFor = async (name: string, swap: (source: string) => Promise<void>, reason: RegExp) => {
    const { job, source, items } = await dropThenSwap(name, swap);
    assert.equal(job.status, "finished", JSON.stringify(job));
    assert.deepEqual(items, []);
    assert.equal(job.outcomeCounts?.refused, 1, JSON.stringify(job));
    assert.deepEqual(
      job.outcomes.map((o) => [o.status, o.displayPath]),
      [["refused", source]],
    );
    const outcome = job.outcomes[0] as { reason: string };
    assert.match(outcome.reason, reason);
    assert.doesNotMatch(outcome.reason, /\n/);
  };

  test("left as it was, the checked file is imported by its path", async () => {
    const { job, source, items } = await dropThenSwap("kept", async () => undefined);
    assert.equal(job.outcomeCounts?.imported, 1, JSON.stringify(job));
    assert.deepEqual([items[0]?.source.path, items[0]?.source.channel], [source, "window"]);
  });

  test("swapped for a symbolic link to another file: refused, the link is not followed", async () => {
    const elsewhere = path.join(up.root, "elsewhere.bin");
    await writeFile(elsewhere, randomBytes(4000));
    await refusedFor(
      "linked",
      async (source) => {
        await rm(source);
        await symlink(elsewhere, source);
      },
      /^it was replaced by a symbolic link after it was dropped$/,
    );
  });

  test("swapped for a folder of files: refused, the folder is not walked", async () => {
    await refusedFor(
      "folder",
      async (source) => {
        await rm(source);
        await mkdir(source);
        await writeFile(path.join(source, "inside.bin"), randomBytes(4000));
      },
      /^it was replaced by a folder after it was dropped$/,
    );
  });

  test("swapped for another file of the same size and time: refused as another file", async () => {
    await refusedFor(
      "other",
      async (source) => {
        const before = await lstat(source);
        const other = `${source}.new`;
        await writeFile(other, randomBytes(before.size));
        await utimes(other, before.atime, before.mtime);
        await rename(other, source);
      },
      /^it was replaced by another file after it was dropped$/,
    );
  });

  test("rewritten in place, same size, a new time: refused as changed", async () => {
    await refusedFor(
      "rewritten",
      async (source) => {
        await writeFile(source, randomBytes(4000));
        await utimes(source, new Date(), new Date(Date.now() + 5000));
      },
      /^it has changed on disk since it was dropped$/,
    );
  });
});
