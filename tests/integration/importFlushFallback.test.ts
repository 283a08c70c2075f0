/**
 * An import on a disk that the file system's flush (`sync -f`, syncfs(2)) fails on, although the
 * probe on /proc said it is available: the real `sightline import` fsyncs each staged copy instead
 * and brings every file in, rather than failing every batch. The failing flush is coreutils'
 * `sync` answering an I/O error for anything but /proc, put first on the command's PATH (an
 * EIO from a real disk's writeback cannot be made on demand here).
 */
import assert from "node:assert/strict";
import { chmod, mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { runCli, runCliJson } from "../support/cli.js";
import { tempDir } from "../support/fixtures.js";

test("where the case's file system cannot be flushed after all, each file is fsynced and every one imported", async () => {
  const root = await tempDir();
  const bin = path.join(root, "bin");
  await mkdir(bin);
  await writeFile(
    path.join(bin, "sync"),
    '#!/bin/sh\n[ "$1" = "-f" ] && [ "$2" = "/proc" ] && exit 0\necho "sync: error syncing \'$2\': Input/output error" >&2\nexit 1\n',
  );
  await chmod(path.join(bin, "sync"), 0o755);
  const media = path.join(root, "media");
  await mkdir(media);
  const FILES = 40;
  for (let i = 0; i < FILES; i++) await writeFile(path.join(media, `f-${i}.bin`), `bytes of file ${i}\n`.repeat(i + 1));
  const home = path.join(root, "home");
  const caseDir = path.join(root, "case");
  assert.equal((await runCli(["init", caseDir, "--title", "EIO", "--examiner", "C. Li"], home)).code, 0);

  const env = { PATH: `${bin}:${process.env.PATH ?? ""}` };
  const run = await runCli(["import", caseDir, media, "--no-analyse", "--json"], home, { env });
  assert.equal(run.code, 0, run.stderr + run.stdout.slice(0, 600));
  const counts = (JSON.parse(run.stdout) as { counts: { imported: number; failed: number } }).counts;
  assert.equal(counts.imported, FILES);
  assert.equal(counts.failed, 0);
  assert.deepEqual(await readdir(path.join(caseDir, "tmp")), [], "no staged copy or intent left");
  const verify = await runCliJson<{ itemCount: number; problems: unknown[] }>(["verify", caseDir], home);
  assert.equal(verify.code, 0, JSON.stringify(verify.json.problems));
  assert.equal(verify.json.itemCount, FILES);
});
