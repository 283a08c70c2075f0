/**
 * The custody report says how each acquisition reached the case: a path typed or given on the
 * command line (`file`), a file dropped in the workbench's own window and read from disk
 * (`window`), or bytes sent by the workbench page (`upload`). A file is imported with the real
 * CLI; the two later acquisitions of the same bytes are appended as the importer writes them.
 * The JSON fits docs/report.schema.json and the HTML's "From" row says each in words.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { before, test } from "node:test";
import { Ajv } from "ajv";
import { REPO_ROOT, runCli } from "../support/cli.js";
import { tempDir, writeRandomFile } from "../support/fixtures.js";
import { appendAs } from "../support/reportCase.js";

let root: string;
let home: string;
let caseDir: string;

before(async () => {
  root = await tempDir("sightline-report-channel-");
  home = path.join(root, "home");
  caseDir = path.join(root, "case");
  const file = path.join(root, "media", "drop.bin");
  await writeRandomFile(file, 3000);
  assert.equal((await runCli(["init", caseDir, "--title", "Channels", "--examiner", "A. Analyst"], home)).code, 0);
  const imported = await runCli(["import", caseDir, file], home);
  assert.equal(imported.code, 0, imported.stderr);
  const lines = (await readFile(path.join(caseDir, "ledger.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  const first = lines.find((e) => e.type === "item.imported")!.payload;
  const again = (channel: "window" | "upload", at: string) => ({
    type: "item.imported" as const,
    payload: {
      ...first,
      isNewObject: false,
      source: { ...first.source, channel },
      acquisition: { ...first.acquisition, acquiredAt: at },
    },
  });
  await appendAs(home, caseDir, [
    again("window", "2026-02-16T10:00:00.000Z"),
    again("upload", "2026-02-16T11:00:00.000Z"),
  ]);
});

async function report(format: string): Promise<string> {
  const out = path.join(root, `report.${format}`);
  const r = await runCli(["report", caseDir, "--format", format, "--out", out], home);
  assert.equal(r.code, 0, r.stderr);
  return readFile(out, "utf8");
}

test("the JSON gives each acquisition's channel and fits the published schema", async () => {
  const json = JSON.parse(await report("json")) as any;
  const schema = JSON.parse(await readFile(path.join(REPO_ROOT, "docs", "report.schema.json"), "utf8"));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const fits: boolean = validate(json);
  assert.ok(fits, JSON.stringify(validate.errors?.slice(0, 3)));
  assert.equal(json.verification.isClean, true, "the appended acquisitions are of bytes the case holds");
  const acquisitions = json.items[0].acquisitions;
  assert.deepEqual(
    acquisitions.map((a: { channel: string }) => a.channel),
    ["file", "window", "upload"],
  );
});

test("the HTML's From row tells a window drop from a typed path and from an upload", async () => {
  const html = await report("html");
  const rows = [...html.matchAll(/<th[^>]*>From<\/th>\s*<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]!);
  assert.equal(rows.length, 3, html.slice(0, 300));
  assert.doesNotMatch(rows[0]!, /workbench/);
  assert.match(rows[1]!, /\(dropped in the workbench window, read from disk\)$/);
  assert.match(rows[2]!, /\(sent by the workbench page\)$/);
});
