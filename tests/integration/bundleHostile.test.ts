/**
 * Hostile bundles are refused by `sightline open-bundle` with one line saying why, and nothing
 * is written: the folder holding the bundle and the target is listed before and after, and the
 * target does not exist afterwards. The zips are written byte by byte (tests/support/hostileZip.ts)
 * or made from a real bundle of a real case, changed in one place.
 */
import assert from "node:assert/strict";
import { readdir, writeFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import { makeImportedCase, type CaseFixture } from "../support/caseFixture.js";
import { runCli } from "../support/cli.js";
import { tempDir } from "../support/fixtures.js";
import {
  deflatedZeros,
  hostileZip,
  withManifestRecomputed,
  zipEntries,
  type HostileEntry,
} from "../support/hostileZip.js";

let fixture: CaseFixture;
let good: { name: string; data: Buffer }[];
let goodBytes: Buffer;
let work: string;
let counter = 0;

before(async () => {
  fixture = await makeImportedCase([120_000, 80_000], { analyse: false });
  const bundle = path.join(fixture.root, "good.zip");
  const exported = await runCli(["export", fixture.caseDir, "--bundle", bundle], fixture.home);
  assert.equal(exported.code, 0, exported.stderr);
  goodBytes = await readFile(bundle);
  good = await zipEntries(bundle);
  work = await tempDir("sightline-hostile-");
});

async function listing(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    out.push(path.join(path.relative(dir, entry.parentPath ?? (entry as { path: string }).path), entry.name));
  }
  return out.sort();
}

/** Opens `bytes` as a bundle; asserts it is refused with a message matching `reason` and nothing written. */
async function assertRefused(bytes: Buffer, reason: RegExp): Promise<string> {
  const dir = path.join(work, `case-${++counter}`);
  await mkdir(dir);
  const bundle = path.join(dir, "bundle.zip");
  await writeFile(bundle, bytes);
  const before = await listing(work);
  const result = await runCli(["open-bundle", bundle, path.join(dir, "opened")], fixture.home);
  assert.equal(result.code, 1, `refused with exit 1: ${result.stdout}${result.stderr}`);
  const message = result.stderr.trim();
  assert.equal(message.split("\n").length, 1, `one line: ${message}`);
  assert.match(message, /^sightline: bundle refused: /);
  assert.match(message, reason);
  assert.deepEqual(await listing(work), before, "nothing written anywhere");
  return message;
}

const entry = (name: string, data = "x", extra: Partial<HostileEntry> = {}): HostileEntry => ({
  name,
  data: Buffer.from(data),
  ...extra,
});
const goodEntries = (): HostileEntry[] => good.map((e) => ({ name: e.name, data: e.data }));
const objectEntry = () => good.find((e) => e.name.startsWith("case/objects/"))!;

describe("hostile bundles", () => {
  test("an entry that climbs out with ../", async () => {
    await assertRefused(hostileZip([entry("case/../../escape.txt")]), /climbs out of its folder/);
  });

  test("absolute entries, Unix and Windows", async () => {
    await assertRefused(hostileZip([entry("/etc/x")]), /"\/etc\/x" is an absolute path/);
    await assertRefused(hostileZip([entry("C:\\x")]), /backslash|absolute/);
  });

  test("a symbolic link entry", async () => {
    const link = entry("case/exports/link", "/etc/passwd", { mode: 0o120777 });
    await assertRefused(hostileZip([...goodEntries(), link]), /"case\/exports\/link" is a symbolic link/);
  });

  test("FIFO and device entries", async () => {
    await assertRefused(hostileZip([entry("case/exports/fifo", "", { mode: 0o010644 })]), /device, FIFO or socket/);
    await assertRefused(hostileZip([entry("case/exports/tty", "", { mode: 0o020644 })]), /device, FIFO or socket/);
  });

  test("a name given twice", async () => {
    await assertRefused(hostileZip([...goodEntries(), entry("README.txt", "second")]), /"README.txt" appears twice/);
  });

  test("names that differ only in case or Unicode normalisation", async () => {
    await assertRefused(
      hostileZip([entry("case/exports/Report.pdf"), entry("case/exports/report.pdf")]),
      /differ only in letter case or Unicode normalisation/,
    );
    const nfc = "case/exports/caf\u00e9";
    const nfd = "case/exports/cafe\u0301";
    await assertRefused(hostileZip([entry(nfc), entry(nfd)]), /differ only in letter case or Unicode normalisation/);
  });

  test("a zip bomb: a deflated entry that would grow a thousandfold", async () => {
    const raw = deflatedZeros(2);
    await assertRefused(
      hostileZip([{ name: "case/exports/bomb.bin", method: 8, raw, claimedSize: 2 * 1024 ** 3 - 1 }]),
      /would grow from \d+ to 2147483647 bytes \(a zip bomb\)/,
    );
  });

  test("an entry whose header claims 1 KB but which inflates to 4 GB", async () => {
    const raw = deflatedZeros(4);
    const name = "case/exports/small.bin";
    const lying: HostileEntry = { name, method: 8, raw, claimedSize: 1024 };
    // The manifest agrees with the header, so only the data itself can give the lie away.
    const entries = withManifestRecomputed([...good, { name, data: Buffer.alloc(1024) }]).map((e) =>
      e.name === name ? lying : e,
    );
    await assertRefused(hostileZip(entries), /"case\/exports\/small.bin" holds more bytes than its header says/);
  });

  test("an entry whose header claims 4 GB but which holds 1 KB", async () => {
    await assertRefused(
      hostileZip([
        ...goodEntries(),
        { name: "case/exports/big.bin", data: Buffer.alloc(1024), claimedSize: 0xfffffff0 },
      ]),
      /"case\/exports\/big.bin" claims 4294967280 bytes, more than the bundle file holds/,
    );
  });

  test("a truncated zip, a file that is not a zip, an empty file", async () => {
    await assertRefused(goodBytes.subarray(0, Math.floor(goodBytes.length / 2)), /not a zip file, or it is cut short/);
    await assertRefused(Buffer.from("<html>this is not a zip</html>\n"), /not a zip file, or it is cut short/);
    await assertRefused(Buffer.alloc(0), /the file is empty/);
  });

  test("a manifest that disagrees with the files", async () => {
    const sums = good.find((e) => e.name === "SHA256SUMS")!;
    const wrong = sums.data.toString().replace(/^[0-9a-f]/, (c) => (c === "0" ? "1" : "0"));
    await assertRefused(
      hostileZip(goodEntries().map((e) => (e.name === "SHA256SUMS" ? { ...e, data: Buffer.from(wrong) } : e))),
      /SHA256SUMS and bundle.json disagree about "README.txt"/,
    );
    await assertRefused(hostileZip([...goodEntries(), entry("case/exports/extra.txt")]), /is not in the manifest/);
  });

  test("a tampered original: against the manifest, and with the manifest rewritten to match", async () => {
    const object = objectEntry();
    const flipped = Buffer.from(object.data);
    flipped[100] = flipped[100]! ^ 0xff;
    const tampered = good.map((e) => (e.name === object.name ? { name: e.name, data: flipped } : e));
    await assertRefused(hostileZip(tampered), /does not match its SHA-256 in the manifest \(it was changed\)/);
    await assertRefused(hostileZip(withManifestRecomputed(tampered)), /does not verify: object-corrupt/);
  });

  test("a tampered ledger line, with the manifest rewritten to match", async () => {
    const ledger = good.find((e) => e.name === "case/ledger.jsonl")!;
    const edited = Buffer.from(
      ledger.data.toString("utf8").replace('"saved from the channel"', '"found on a website"'),
    );
    assert.notDeepEqual(edited, ledger.data);
    const tampered = good.map((e) => (e.name === ledger.name ? { name: e.name, data: edited } : e));
    await assertRefused(hostileZip(withManifestRecomputed(tampered)), /does not verify: event-hash-mismatch/);
  });

  test("a valid ledger with an original missing", async () => {
    const object = objectEntry();
    const missing = good.filter((e) => e.name !== object.name);
    await assertRefused(hostileZip(withManifestRecomputed(missing)), /does not verify: object-missing/);
  });

  test("an entry no bundle holds, and a case file with a name Sightline never writes", async () => {
    await assertRefused(
      hostileZip([...goodEntries(), entry("autorun.inf")]),
      /"autorun.inf" is not a file a bundle holds/,
    );
    await assertRefused(
      hostileZip([...goodEntries(), entry("case/exports/\u202egpj.exe")]),
      /"case\/exports\/\\u202egpj.exe" has a part that is not a plain name/,
    );
  });
});
