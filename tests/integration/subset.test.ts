/**
 * Subsets: `export --bundle --items` writes only the chosen items with a proof that their events
 * belong to the full ledger. The proof checks with `open-bundle` and with the stand-alone
 * `verify-ledger.py --subset-proof`; a forged event, a dropped event hash and an event taken
 * from another case each fail in both.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import { runCli, runCliJson, REPO_ROOT } from "../support/cli.js";
import { hostileZip, withManifestRecomputed, zipEntries } from "../support/hostileZip.js";
import { makeExchangeCase, readLedger } from "../support/exchangeCase.js";

const PROOF = "case/ledger-proof.jsonl";

describe("subsets", () => {
  let c: Awaited<ReturnType<typeof makeExchangeCase>>;
  let other: Awaited<ReturnType<typeof makeExchangeCase>>;
  let entries: { name: string; data: Buffer }[];
  let chosen: string;
  let work: string;

  before(async () => {
    [c, other] = await Promise.all([makeExchangeCase(), makeExchangeCase()]);
    const ledger = await readLedger(c.caseDir);
    // The picture: it has a thumbnail, so its derivative travels too.
    chosen = ledger.find((e) => e.type === "derivative.created")!.payload.parent;
    work = path.join(c.root, "subsets");
    await mkdir(work);
    const bundle = path.join(work, "subset.zip");
    const r = await runCli(["export", c.caseDir, "--bundle", bundle, "--items", chosen], c.home);
    assert.equal(r.code, 0, r.stderr);
    entries = await zipEntries(bundle);
  });

  async function open(zipBytes: Buffer, name: string) {
    const file = path.join(work, `${name}.zip`);
    await writeFile(file, zipBytes);
    return runCli(["open-bundle", file, path.join(work, name)], c.home);
  }

  async function python(text: string) {
    const file = path.join(work, `proof-${Math.random().toString(36).slice(2)}.jsonl`);
    await writeFile(file, text);
    const r = spawnSync("python3", [path.join(REPO_ROOT, "resources", "verify-ledger.py"), "--subset-proof", file], {
      encoding: "utf8",
    });
    return { code: r.status, out: r.stdout + r.stderr };
  }

  const proofText = () => entries.find((e) => e.name === PROOF)!.data.toString("utf8");
  const withProof = (text: string) =>
    hostileZip(withManifestRecomputed(entries.map((e) => (e.name === PROOF ? { ...e, data: Buffer.from(text) } : e))));

  test("only the chosen item travels, and its proof verifies with open-bundle and verify-ledger.py", async () => {
    const names = entries.map((e) => e.name);
    assert.ok(names.includes(`case/objects/sha256/${chosen.slice(0, 2)}/${chosen.slice(2)}`));
    assert.ok(
      names.some((n) => n.startsWith(`case/derived/${chosen}/`)),
      "its thumbnail",
    );
    for (const sha of c.items.filter((s) => s !== chosen)) {
      assert.ok(!names.some((n) => n.includes(sha.slice(2))), "no other original");
      assert.ok(!proofText().includes(sha), "no other item's events");
    }
    assert.ok(!names.includes("case/ledger.jsonl"), "not the full ledger");
    const full = await readLedger(c.caseDir);
    const lines = proofText().trim().split("\n");
    assert.equal(lines.length, full.length - 1, "one line per event up to the head it holds (before bundle.exported)");
    const r = await runCliJson(["open-bundle", path.join(work, "subset.zip"), path.join(work, "opened")], c.home);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.scope, "items");
    assert.deepEqual(r.json.items, [chosen]);
    const py = await python(proofText());
    assert.equal(py.code, 0, py.out);
    assert.match(py.out, new RegExp(`head ${r.json.head.seq} ${r.json.head.hash}`));
  });

  test("a forged event fails in both", async () => {
    const lines = proofText().trim().split("\n");
    const index = lines.findIndex((l) => l.includes('"item.imported"'));
    const event = JSON.parse(lines[index]!);
    event.payload.collection.method = "bought from a broker";
    lines[index] = JSON.stringify(event);
    const text = `${lines.join("\n")}\n`;
    const r = await open(withProof(text), "forged");
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`line ${index + 1} of the proof: its content does not give its hash`));
    const py = await python(text);
    assert.equal(py.code, 1);
    assert.match(py.out, /its content does not give its hash/);
  });

  test("a dropped event hash fails in both", async () => {
    const lines = proofText().trim().split("\n");
    const index = lines.findIndex((l) => l.includes('"excluded":true'));
    assert.ok(index > 0, "the proof withholds some events");
    lines.splice(index, 1);
    const text = `${lines.join("\n")}\n`;
    const r = await open(withProof(text), "dropped");
    assert.equal(r.code, 1);
    assert.match(r.stderr, /an event is missing or out of order/);
    const py = await python(text);
    assert.equal(py.code, 1);
    assert.match(py.out, /an event is missing/);
  });

  test("an event from another case fails in both", async () => {
    const lines = proofText().trim().split("\n");
    const foreign = await readLedger(other.caseDir);
    const index = lines.findIndex((l) => l.includes('"item.imported"'));
    lines[index] = JSON.stringify(foreign[index]);
    const text = `${lines.join("\n")}\n`;
    const r = await open(withProof(text), "foreign");
    assert.equal(r.code, 1);
    assert.match(r.stderr, /chain is broken|not trust/);
    const py = await python(text);
    assert.equal(py.code, 1);
    assert.match(py.out, /chain is broken|do not trust/);
  });
});
