/**
 * What `sightline export` prints without --json, for a bundle, a bag and a CASE/UCO file of one
 * real case: each line what the ledger and the file on disk say (the event it recorded, the head,
 * the file's SHA-256), the paths inert, and with --json the event by its number and hash alone.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import { runCli, runCliJson } from "../support/cli.js";
import { makeExchangeCase, readLedger } from "../support/exchangeCase.js";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("sightline export's lines", () => {
  let c: Awaited<ReturnType<typeof makeExchangeCase>>;

  before(async () => {
    c = await makeExchangeCase();
  });

  /** The export's lines, and the ledger's last event and the one before it (the head it names). */
  async function exportLines(args: string[]) {
    const r = await runCli(["export", c.caseDir, ...args], c.home);
    assert.equal(r.code, 0, r.stderr);
    const ledger = await readLedger(c.caseDir);
    return { lines: r.stdout.trimEnd().split("\n"), event: ledger.at(-1), head: ledger.at(-2) };
  }

  test("a bundle: its file, SHA-256 and size, what it holds, the head and the event", async () => {
    const file = path.join(c.root, "whole\u202ecase.zip");
    const { lines, event, head } = await exportLines(["--bundle", file]);
    assert.equal(event.type, "bundle.exported");
    assert.equal(lines.length, 5, lines.join("\n"));
    assert.match(lines[0]!, /^Bundle {4}\S.*whole.*case\.zip$/);
    assert.ok(!lines[0]!.includes("\u202e"), "the path is printed inert");
    assert.match(lines[1]!, new RegExp(`^SHA-256 {3}${sha256(await readFile(file))} \\(\\d+(\\.\\d+)? [KM]?i?B\\)$`));
    assert.match(lines[2]!, /^Holds {5}the whole case: \d+ files, \d+(\.\d+)? [KM]?i?B$/);
    assert.equal(lines[3], `Head      ${head.seq} ${head.hash}`);
    assert.equal(lines[4], `Recorded  ledger event ${event.seq} (bundle.exported)`);
    const one = await exportLines(["--bundle", path.join(c.root, "one.zip"), "--items", c.items[0]!]);
    assert.match(one.lines[2]!, /^Holds {5}1 item\(s\) with their proof: \d+ files/);
  });

  test("a bag: its folder, payload, the head and the event; with --json the event by number and hash", async () => {
    const { lines, event, head } = await exportLines(["--bagit", path.join(c.root, "bag")]);
    assert.equal(event.type, "bag.exported");
    assert.deepEqual(lines.slice(2), [
      `Head      ${head.seq} ${head.hash}`,
      `Recorded  ledger event ${event.seq} (bag.exported)`,
    ]);
    assert.equal(lines[0], `Bag       ${path.join(c.root, "bag")}`);
    const oxum = (await readFile(path.join(c.root, "bag", "bag-info.txt"), "utf8")).match(/Payload-Oxum: (\S+)/)![1];
    assert.equal(lines[1], `Payload   ${oxum} (bytes.files)`);
    const json = await runCliJson(["export", c.caseDir, "--bagit", path.join(c.root, "bag2"), "--json"], c.home);
    const last = (await readLedger(c.caseDir)).at(-1);
    assert.deepEqual(json.json.event, { seq: last.seq, hash: last.hash });
  });

  test("a CASE/UCO file copied out: both places, SHA-256, what it holds, the head and the event", async () => {
    const out = path.join(c.root, "case.jsonld");
    const { lines, event, head } = await exportLines(["--format", "case-uco", "--out", out]);
    assert.equal(event.type, "uco.exported");
    assert.equal(lines.length, 6, lines.join("\n"));
    assert.equal(lines[0], `CASE/UCO  ${out} (CASE 1.4.0, UCO 1.4.0 JSON-LD)`);
    assert.match(lines[1]!, /^Kept as {3}.*exports.*\.jsonld in the case$/);
    assert.match(lines[2]!, new RegExp(`^SHA-256 {3}${sha256(await readFile(out))} \\(`));
    assert.match(lines[3]!, /^Holds {5}\d+ items as observables, \d+ investigative actions$/);
    assert.equal(lines[4], `Head      ${head.seq} ${head.hash}`);
    assert.equal(lines[5], `Recorded  ledger event ${event.seq} (uco.exported)`);
    // Kept in the case only: no "Kept as" line.
    const kept = await exportLines(["--format", "case-uco"]);
    assert.equal(kept.lines.length, 5, kept.lines.join("\n"));
    assert.match(kept.lines[0]!, /^CASE\/UCO {2}.*exports.*\.jsonld \(CASE 1\.4\.0, UCO 1\.4\.0 JSON-LD\)$/);
  });
});
