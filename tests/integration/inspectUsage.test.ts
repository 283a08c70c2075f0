/**
 * `sightline inspect` on bad input: a missing file, a directory, no file or two files each fail
 * with an exit code and one line (file names inert), never a stack trace.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { RAW_UNSAFE, runCli } from "../support/cli.js";
import { tempDir } from "../support/fixtures.js";

// Made at module level: a tempDir made inside a hook would be removed when that hook ends.
const home = path.join(await tempDir("sightline-inspect-usage-"), "home");

describe("sightline inspect: usage errors", () => {
  const reasonLines = (stderr: string) =>
    stderr
      .trim()
      .split("\n")
      .filter((l) => !/--help/.test(l));

  test("a missing file: exit 1 or 2, one line naming it (inert), no stack trace", async () => {
    const root = await tempDir();
    const missing = path.join(root, "gone-\u202egpj.exe");
    const r = await runCli(["inspect", missing], home);
    assert.ok(r.code === 1 || r.code === 2, `exit ${r.code}`);
    assert.equal(r.stdout, "");
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    assert.equal(reasonLines(r.stderr).length, 1, r.stderr);
    assert.ok(r.stderr.includes(path.join(root, "gone-\\u{202E}gpj.exe")), r.stderr);
    assert.doesNotMatch(r.stderr, RAW_UNSAFE);
  });

  test("a directory: exit 1 or 2 and a one-line reason", async () => {
    const dir = await tempDir();
    const r = await runCli(["inspect", dir, "--json"], home);
    assert.ok(r.code === 1 || r.code === 2, `exit ${r.code}`);
    assert.equal(r.stdout, "");
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    assert.equal(reasonLines(r.stderr).length, 1, r.stderr);
    assert.ok(r.stderr.includes(dir), r.stderr);
  });

  test("no file or two files: exit 2", async () => {
    assert.equal((await runCli(["inspect"], home)).code, 2);
    assert.equal((await runCli(["inspect", "a.jpg", "b.jpg"], home)).code, 2);
  });
});
