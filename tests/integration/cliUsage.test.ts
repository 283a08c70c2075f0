/**
 * The command's own words: help, version, unknown names, and every command reached by its name
 * (each command's module is loaded when it runs, so a command that failed to load would only
 * show here, as an "unexpected error" instead of its own usage line).
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { RAW_UNSAFE, runCli } from "../support/cli.js";
import { tempDir } from "../support/fixtures.js";

test("help goes to stdout with exit 0 when asked, to stderr with exit 2 when nothing is given", async () => {
  const home = path.join(await tempDir(), "home");
  for (const ask of ["--help", "-h", "help"]) {
    const r = await runCli([ask], home);
    assert.equal(r.code, 0, ask);
    assert.match(r.stdout, /^Sightline: verify photos and videos as evidence\.\n\nUsage:\n/);
    assert.match(r.stdout, /sightline verify <case-dir>/);
    assert.equal(r.stderr, "");
  }
  const bare = await runCli([], home);
  assert.equal(bare.code, 2);
  assert.equal(bare.stdout, "");
  assert.match(bare.stderr, /^Sightline: verify photos/);
  const version = await runCli(["--version"], home);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^Sightline \d+\.\d+\.\d+\n$/);
  assert.ok(!existsSync(home), "help and version write nothing in the examiner's profile");
});

test("an unknown command is one inert line and exit 2, names of Object's own properties included", async () => {
  const home = path.join(await tempDir(), "home");
  const names = [
    "frobnicate",
    "toString",
    "__proto__",
    "constructor",
    "hasOwnProperty",
    "\u001b[31mred\u202e",
    "<b>x</b>",
  ];
  const results = await Promise.all(names.map((name) => runCli([name, "case"], home)));
  results.forEach((r, i) => {
    const name = names[i]!;
    assert.equal(r.code, 2, name);
    assert.equal(r.stdout, "", name);
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 2, name);
    assert.match(lines[0]!, /^sightline: unknown command "/, name);
    assert.equal(lines[1], 'Run "sightline --help" for usage.');
    assert.ok(!RAW_UNSAFE.test(r.stderr), `${JSON.stringify(name)} reached the terminal raw`);
  });
  assert.match(results[5]!.stderr, /\\u\{001B\}\[31mred\\u\{202E\}/);
});

test("every command loads and answers missing arguments with its own usage line", async () => {
  const home = path.join(await tempDir(), "home");
  // `host` without arguments would start a server; its module is loaded by the host tests.
  const commands: [string, RegExp][] = [
    ["init", /init takes exactly one case folder/],
    ["import", /import needs a case folder/],
    ["verify", /verify takes exactly one case folder/],
    ["ledger", /ledger takes exactly one case folder/],
    ["inspect", /inspect takes exactly one file/],
    ["analyse", /analyse takes exactly one case folder/],
    ["similar", /similar takes exactly one case folder/],
    ["timestamp", /timestamp takes exactly one case folder/],
    ["examiner", /examiner needs an action/],
    ["export", /export takes exactly one case folder/],
    ["open-bundle", /open-bundle takes a bundle file and a new case folder/],
    ["report", /report takes exactly one case folder/],
    ["exercise", /exercise needs start, hint, submit, score or export/],
    ["sample", /sample needs inspect or author/],
  ];
  const results = await Promise.all(commands.map(([name]) => runCli([name], home)));
  results.forEach((r, i) => {
    const [name, usage] = commands[i]!;
    assert.equal(r.code, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr, usage, name);
    assert.match(r.stderr, /Run "sightline --help" for usage\.\n$/, name);
  });
});
