/**
 * The file system's flush through the kept shell (fileSystemFlush.ts): flushes asked at once all
 * answer, from one shell, a folder that is not there answers false, a name the shell's line protocol cannot carry
 * (a line break) is refused to the caller instead of sent, and a name with spaces, quotes and `$`
 * reaches `sync` as it is. Then the process ends on its own: idle shells do not keep it running.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { flushFileSystem } from "../../electron/services/vault/fileSystemFlush.js";
import { tempDir } from "../support/fixtures.js";

test("flushes asked at once each answer; odd names are carried or refused, never split", async () => {
  const root = await tempDir();
  const odd = path.join(root, "a b 'c' $(touch x) \\n");
  await mkdir(odd);
  const answers = await Promise.all([root, odd, root, odd, root].map((dir) => flushFileSystem(dir)));
  assert.deepEqual(answers, [true, true, true, true, true]);
  assert.equal(await flushFileSystem(path.join(root, "not-there")), false);
  assert.equal(await flushFileSystem(`${root}\n/proc`), null);
  // Still answering after a refusal and a failure.
  assert.equal(await flushFileSystem(root), true);
  // One shell served them all, the concurrent ones included: each is one fork of this process.
  assert.deepEqual(await childCommands(), ["sh"]);
});

/** The command names of this process's children. */
async function childCommands(): Promise<string[]> {
  const pids = await childPids();
  return Promise.all(pids.map(async (pid) => (await readFile(`/proc/${pid}/comm`, "utf8")).trim()));
}

test("a process that flushed ends by itself (the kept shells hold nothing open)", () => {
  const module = fileURLToPath(new URL("../../electron/services/vault/fileSystemFlush.js", import.meta.url));
  const script = `import(${JSON.stringify(module)}).then(async (m) => { console.log(await m.flushFileSystem("/proc")); });`;
  const out = execFileSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 60_000 });
  assert.equal(out.trim(), "true");
});

test("flushes in flight when the shell dies are answered null, without a warning; the next starts a new shell", async () => {
  const root = await tempDir();
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  process.on("warning", onWarning);
  try {
    assert.equal(await flushFileSystem(root), true);
    const [shell] = await childPids();
    assert.ok(shell);
    const inFlight = Array.from({ length: 20 }, () => flushFileSystem(root));
    process.kill(Number(shell), "SIGKILL");
    const answers = await Promise.all(inFlight);
    // Each is answered: flushed (before the kill) or null (the caller then runs `sync -f` itself).
    assert.ok(
      answers.every((a) => a === true || a === null),
      JSON.stringify(answers),
    );
    assert.ok(answers.includes(null), "some flush was in flight when the shell died");
    assert.equal(await flushFileSystem(root), true);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      warnings.map((w) => w.name),
      [],
    );
  } finally {
    process.off("warning", onWarning);
  }
});

/** The process ids of this process's children (Linux: /proc/PID/task/TID/children). */
async function childPids(): Promise<string[]> {
  const tasks = await readdir(`/proc/${process.pid}/task`);
  const children = await Promise.all(
    tasks.map((tid) => readFile(`/proc/${process.pid}/task/${tid}/children`, "utf8").catch(() => "")),
  );
  return children.join(" ").split(/\s+/).filter(Boolean);
}
