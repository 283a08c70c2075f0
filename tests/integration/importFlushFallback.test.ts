/**
 * An import on a disk that the file system's flush (`sync -f`, syncfs(2)) fails on, although the
 * probe on /proc said it is available: the real `sightline import` fsyncs each staged copy instead
 * and brings every file in, rather than failing every batch. The failing flush is coreutils'
 * `sync` answering an I/O error for anything but /proc, put first on the command's PATH (an
 * EIO from a real disk's writeback cannot be made on demand here).
 *
 * A flush that failed is not asked again: after a writeback error syncfs(2) fails once and then
 * answers 0 (the error counts as seen), so a second `sync -f` would call unwritten pages durable.
 * That `sync` here fails its first flush of the case and succeeds after, and logs what it is asked.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmod, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { runCli, runCliJson } from "../support/cli.js";
import { tempDir } from "../support/fixtures.js";

/** A `sync` first on PATH: /proc always flushes; other folders fail (the first time only, if `once`). */
async function failingSync(root: string, once: boolean): Promise<{ bin: string; log: string }> {
  const bin = path.join(root, "bin");
  await mkdir(bin);
  const log = path.join(bin, "asked.log");
  const seen = path.join(bin, "seen");
  const failIf = once ? `[ ! -e '${seen}' ] && touch '${seen}' && ` : "";
  await writeFile(
    path.join(bin, "sync"),
    `#!/bin/sh\nfor a in "$@"; do last="$a"; done\n[ "$last" = "/proc" ] && exit 0\n` +
      `printf '%s\\n' "$last" >> '${log}'\n` +
      `${failIf}{ echo "sync: error syncing '$last': Input/output error" >&2; exit 1; }\nexit 0\n`,
  );
  await chmod(path.join(bin, "sync"), 0o755);
  return { bin, log };
}

async function asked(log: string): Promise<string[]> {
  return (await readFile(log, "utf8").catch(() => "")).split("\n").filter(Boolean);
}

test("a flush that failed once is not retried into a success: false, and no later flush is asked", async () => {
  const root = await tempDir();
  const { bin, log } = await failingSync(root, true);
  const module = fileURLToPath(new URL("../../electron/services/vault/durableFs.js", import.meta.url));
  const script =
    `import(${JSON.stringify(module)}).then(async (m) => { const d = ${JSON.stringify(root)};` +
    ` console.log(JSON.stringify([await m.syncFileSystem(d), await m.syncFileSystem(d)])); });`;
  const out = execFileSync(process.execPath, ["-e", script], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` },
  });
  assert.deepEqual(JSON.parse(out), [false, false]);
  assert.deepEqual(await asked(log), [root], "one flush asked, never repeated");
});

test("where the case's file system cannot be flushed after all, each file is fsynced and every one imported", async () => {
  const root = await tempDir();
  const { bin } = await failingSync(root, false);
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
