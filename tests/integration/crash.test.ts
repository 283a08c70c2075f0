/**
 * A process killed (SIGKILL) at any moment of an import leaves a case that
 * opens and verifies clean, or with only its last ledger line cut short (which
 * the next writer moves to recovered/); at worst the items in flight are
 * missing, and importing them again works. Kill points are spread across a measured import of
 * a large file and of a folder of many small files (several commit batches).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmod, copyFile, mkdir, readdir, readFile, appendFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, test } from "node:test";
import { CLI, runCli, runCliJson } from "../support/cli.js";
import { tempDir, writeRandomFile } from "../support/fixtures.js";
import { makeImportedCase } from "../support/caseFixture.js";

async function initCase(root: string, home: string, name: string): Promise<string> {
  const caseDir = path.join(root, name);
  const init = await runCli(["init", caseDir, "--title", name, "--examiner", "A. Analyst"], home);
  assert.equal(init.code, 0, init.stderr);
  return caseDir;
}

/** Starts an import and SIGKILLs it after `delayMs`; resolves when it is gone. */
async function importAndKill(caseDir: string, source: string, home: string, delayMs: number): Promise<void> {
  const child = spawn(process.execPath, [CLI, "import", caseDir, source], {
    env: { ...process.env, SIGHTLINE_HOME: home, CI: "1" },
    stdio: "ignore",
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  await Promise.race([sleep(delayMs), exited]);
  child.kill("SIGKILL");
  await exited;
}

async function timeImport(caseDir: string, source: string, home: string): Promise<number> {
  const started = performance.now();
  const result = await runCli(["import", caseDir, source], home);
  assert.equal(result.code, 0, result.stderr);
  return performance.now() - started;
}

/** Checks the killed case, imports again, checks again; returns how many items the kill had left in. */
async function assertCleanAndReimportable(
  caseDir: string,
  source: string,
  home: string,
  expectedFiles: number,
): Promise<number> {
  const verify = await runCliJson(["verify", caseDir], home);
  // The kill may land inside the ledger append itself: the kernel stops a write to a file between
  // pages for a fatal signal, so the last line can be cut short. That, and only that, may show.
  const problems = verify.json.problems as { code: string; line?: number }[];
  const isTornTail = problems.length === 1 && problems[0]!.code === "ledger-torn-tail";
  assert.ok(verify.code === 0 || isTornTail, `verify after kill: ${JSON.stringify(problems)}`);
  for (const notice of verify.json.notices) assert.equal(notice.code, "import-interrupted");
  const again = await runCliJson(["import", caseDir, source], home);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.json.outcomes.length, expectedFiles);
  const after = await runCliJson(["verify", caseDir], home);
  assert.equal(after.code, 0, JSON.stringify(after.json.problems));
  assert.deepEqual(after.json.notices, [], "the next writer cleaned what the killed one left");
  assert.equal(after.json.itemCount, expectedFiles, "every file is in the case after importing again");
  if (isTornTail) {
    const recovered = await readdir(path.join(caseDir, "recovered"));
    assert.ok(
      recovered.some((name) => name.startsWith("ledger-tail-")),
      "the cut line is kept under recovered/",
    );
  }
  assert.deepEqual(await readdir(path.join(caseDir, "tmp")), [], "no staging leftovers");
  return verify.json.itemCount;
}

describe("killed imports", () => {
  test("a large file, killed at several points, never leaves a case that fails verification", async () => {
    const root = await tempDir();
    const home = path.join(root, "home");
    const big = path.join(root, "big.mov");
    await writeRandomFile(big, 384 * 1024 * 1024);
    const duration = await timeImport(await initCase(root, home, "timing"), big, home);
    const survivors = [];
    for (const fraction of [0.05, 0.35, 0.7, 0.9, 0.99]) {
      const caseDir = await initCase(root, home, `kill-${fraction}`);
      await importAndKill(caseDir, big, home, duration * fraction);
      survivors.push(await assertCleanAndReimportable(caseDir, big, home, 1));
    }
    assert.ok(survivors.includes(0), `at least one kill landed before the commit (items left: ${survivors})`);
  });

  test("a folder of many small files, killed mid-way through its batches, keeps every committed file", async () => {
    const root = await tempDir();
    const home = path.join(root, "home");
    const folder = path.join(root, "phone-dump");
    for (let i = 0; i < 700; i++)
      await writeRandomFile(path.join(folder, `IMG_${String(i).padStart(4, "0")}.jpg`), 40_000 + i);
    const duration = await timeImport(await initCase(root, home, "timing"), folder, home);
    const survivors = [];
    for (const fraction of [0.3, 0.6, 0.85]) {
      const caseDir = await initCase(root, home, `kill-${fraction}`);
      await importAndKill(caseDir, folder, home, duration * fraction);
      survivors.push(await assertCleanAndReimportable(caseDir, folder, home, 700));
    }
    assert.ok(
      survivors.some((n) => n < 700),
      `at least one kill landed mid-import (items left: ${survivors})`,
    );
  });
});

describe("recovery by the next writer", () => {
  test("an object renamed into the vault before its event was written is an interrupted import, then removed", async () => {
    const { caseDir, home, mediaDir, root } = await makeImportedCase([10_000]);
    // Recreate the state between commit steps 3 and 4 with plain file operations.
    const orphan = "objects/sha256/ff/" + "e".repeat(62);
    await mkdir(path.join(caseDir, "objects/sha256/ff"), { recursive: true });
    await copyFile(path.join(mediaDir, "clip-0.mp4"), path.join(caseDir, orphan));
    await chmod(path.join(caseDir, orphan), 0o444);
    await writeFile(path.join(caseDir, "tmp", "0000.intent"), `${orphan}\n`);
    await writeFile(path.join(caseDir, "tmp", "0001.partial"), "half a copy");
    // An intent killed while it was itself being written, still under its temporary name.
    const unfinishedIntent = "0002.intent.4242.1795895225017.tmp";
    await writeFile(path.join(caseDir, "tmp", unfinishedIntent), "objects/sha256/");
    const during = await runCliJson(["verify", caseDir], home);
    assert.equal(during.code, 0);
    assert.deepEqual(during.json.notices.map((n: any) => [n.code, n.file]).sort(), [
      ["import-interrupted", orphan],
      ["import-interrupted", "tmp/0001.partial"],
      ["import-interrupted", `tmp/${unfinishedIntent}`],
    ]);
    await writeRandomFile(path.join(root, "next.jpg"), 5000);
    assert.equal((await runCli(["import", caseDir, path.join(root, "next.jpg")], home)).code, 0);
    const after = await runCliJson(["verify", caseDir], home);
    assert.equal(after.code, 0);
    assert.deepEqual(after.json.notices, []);
    assert.deepEqual(await readdir(path.join(caseDir, "tmp")), [], "staging is empty again");
    // (The new import's own object may share the "ff" folder: only the orphan must be gone.)
    assert.ok(
      !(await readdir(path.join(caseDir, "objects/sha256/ff"))).includes("e".repeat(62)),
      "the orphan was removed",
    );
  });

  test("an unfinished last ledger line is moved aside, recorded, and the case verifies clean", async () => {
    const { caseDir, home, root } = await makeImportedCase([10_000]);
    await appendFile(path.join(caseDir, "ledger.jsonl"), '{"seq":2,"id":"cut-sh');
    const torn = await runCliJson(["verify", caseDir], home);
    assert.equal(torn.code, 1);
    assert.deepEqual(
      torn.json.problems.map((p: any) => p.code),
      ["ledger-torn-tail"],
    );
    await writeRandomFile(path.join(root, "next.jpg"), 5000);
    assert.equal((await runCli(["import", caseDir, path.join(root, "next.jpg")], home)).code, 0);
    const after = await runCliJson(["verify", caseDir], home);
    assert.equal(after.code, 0, JSON.stringify(after.json.problems));
    const events = (await runCliJson(["ledger", caseDir], home)).json.events;
    const recovered = events.find((e: any) => e.type === "ledger.recovered");
    assert.equal(recovered.payload.tornBytes, Buffer.byteLength('{"seq":2,"id":"cut-sh'));
    assert.equal(await readFile(path.join(caseDir, recovered.payload.savedAs), "utf8"), '{"seq":2,"id":"cut-sh');
  });
});
