/**
 * Sample packages (electron/services/training/samplePackage.ts) written from media the tests make
 * and read back; hostile packages refused with one line, nothing unpacked: corrupt, truncated,
 * empty, a swapped key, names with `../`, links, duplicates, sizes that lie, entries not listed.
 */
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import {
  parseAnswerKey,
  readSamplePackage,
  sha256Of,
  writeSamplePackage,
} from "../../electron/services/training/samplePackage.js";
import { listSamples } from "../../electron/services/training/sampleLibrary.js";
import { tempDir } from "../support/fixtures.js";
import { hostileZip, zipEntries, type HostileEntry } from "../support/hostileZip.js";
import { makeSample, type SampleFixture } from "../support/sampleFixture.js";

let work: string;
let fixture: SampleFixture;
let entries: { name: string; data: Buffer }[];
let counter = 0;

before(async () => {
  work = await tempDir("sightline-sample-");
  fixture = await makeSample(work);
  entries = await zipEntries(fixture.sample.path);
});

async function assertRefused(bytes: Buffer, reason: RegExp): Promise<void> {
  const dir = path.join(work, `hostile-${++counter}`);
  await mkdir(path.join(dir, "out"), { recursive: true });
  const file = path.join(dir, "x.sightline-sample");
  await writeFile(file, bytes);
  await assert.rejects(readSamplePackage(file, { extractTo: path.join(dir, "out") }), (error: Error) => {
    assert.match(error.message, /^this sample package cannot be used: /);
    assert.match(error.message, reason);
    assert.equal(error.message.split("\n").length, 1, error.message);
    return true;
  });
}

const replaced = (name: string, data: Buffer): HostileEntry[] =>
  entries.map((e) => (e.name === name ? { name, data } : { name: e.name, data: e.data }));

describe("sample package", () => {
  test("the writer computes every hash, and the reader checks and unpacks every file", async () => {
    const { sample, photos } = fixture;
    assert.equal(sample.manifest.format, "sightline-sample/1");
    assert.equal(sample.sha256, sha256Of(await readFile(sample.path)));
    assert.deepEqual(
      entries.map((e) => e.name),
      ["sample.json", "answer-key.json", ...sample.manifest.files.map((f) => `files/${f.name}`)],
    );
    for (const photo of photos) {
      const listed = sample.manifest.files.find((f) => f.name === photo.name)!;
      assert.equal(listed.sha256, photo.sha256);
      assert.equal(listed.size, (await readFile(photo.path)).length);
    }
    const out = path.join(work, "unpacked");
    await mkdir(out);
    const read = await readSamplePackage(sample.path, { extractTo: out });
    assert.equal(read.manifestSha256, sample.manifestSha256);
    assert.equal(sha256Of(read.answerKeyBytes), sample.answerKeySha256);
    assert.deepEqual(parseAnswerKey(read.answerKeyBytes, read.manifest), fixture.key);
    assert.deepEqual((await readdir(out)).sort(), sample.manifest.files.map((f) => f.name).sort());
    for (const photo of photos)
      assert.deepEqual(await readFile(path.join(out, photo.name)), await readFile(photo.path));
  });

  test("the same inputs make the same package, byte for byte; an existing package is not overwritten", async () => {
    const again = await makeSample(path.join(work, "again"), { name: "kidal" });
    assert.equal(again.sample.manifestSha256, fixture.sample.manifestSha256);
    assert.equal(again.sample.sha256, fixture.sample.sha256);
    await assert.rejects(
      writeSamplePackage({
        out: fixture.sample.path,
        manifest: fixture.draft,
        answerKey: fixture.key,
        files: fixture.photos.map((p) => ({ name: p.name, path: p.path, role: "evidence", source: "x" })),
      }),
      /already exists/,
    );
  });

  test("the writer refuses a key about files not in the sample, for another sample, or a scene without its date", async () => {
    const files = fixture.photos
      .slice(1)
      .map((p) => ({ name: p.name, path: p.path, role: "evidence" as const, source: "x" }));
    const out = path.join(work, "bad.sightline-sample");
    await assert.rejects(
      writeSamplePackage({ out, manifest: fixture.draft, answerKey: fixture.key, files }),
      /speaks of an item .* not among the sample's evidence files/,
    );
    await assert.rejects(
      writeSamplePackage({ out, manifest: fixture.draft, answerKey: { ...fixture.key, sampleId: "other" }, files }),
      /the answer key is for sample "other"/,
    );
    await assert.rejects(
      writeSamplePackage({
        out,
        manifest: fixture.draft,
        answerKey: { ...fixture.key, locations: [], times: [], traps: [] },
        files: [{ name: "s.tif", path: fixture.photos[0]!.path, role: "scene", source: "x" }],
      }),
      /acquiredOn: a scene states its acquisition date/,
    );
    await assert.rejects(
      writeSamplePackage({
        out,
        manifest: fixture.draft,
        answerKey: { ...fixture.key, locations: [], times: [], traps: [] },
        files: [{ name: "s.tif", path: fixture.photos[0]!.path, role: "scene", source: "x", acquiredOn: "2026-02-30" }],
      }),
      /acquiredOn: there is no such day in the calendar/,
    );
    await assert.rejects(
      writeSamplePackage({
        out,
        manifest: fixture.draft,
        answerKey: { ...fixture.key, locations: [], times: [], traps: [] },
        files: [
          { name: "a.jpg", path: fixture.photos[0]!.path, role: "evidence", source: "x" },
          { name: "A.JPG", path: fixture.photos[1]!.path, role: "evidence", source: "x" },
        ],
      }),
      /lists the file "A.JPG" twice/,
    );
    await assert.rejects(
      writeSamplePackage({
        out,
        manifest: fixture.draft,
        answerKey: { ...fixture.key, locations: [], times: [], traps: [] },
        files: [{ name: "../evil.jpg", path: fixture.photos[0]!.path, role: "evidence", source: "x" }],
      }),
      /a sample file name is plain/,
    );
    assert.deepEqual(
      (await readdir(work)).filter((n) => n.startsWith("bad") || n.includes(".writing-")),
      [],
    );
  });

  test("empty, not a zip, truncated", async () => {
    await assertRefused(Buffer.alloc(0), /the file is empty/);
    await assertRefused(Buffer.from("<html>not a zip</html>"), /not a zip file|cannot be read/);
    const whole = await readFile(fixture.sample.path);
    await assertRefused(whole.subarray(0, Math.floor(whole.length * 0.7)), /not a zip file, or it is cut short/);
  });

  test("a swapped or changed answer key is refused", async () => {
    const key = entries.find((e) => e.name === "answer-key.json")!.data;
    const other = Buffer.from(key.toString("utf8").replace('"toleranceM": 500', '"toleranceM": 900'));
    await assertRefused(
      hostileZip(replaced("answer-key.json", other)),
      /does not match its SHA-256 in the manifest \(it was swapped/,
    );
    const longer = Buffer.concat([key, Buffer.from(" ")]);
    await assertRefused(
      hostileZip(replaced("answer-key.json", longer)),
      /the answer key is \d+ bytes but the manifest says/,
    );
    const noKey = entries.filter((e) => e.name !== "answer-key.json");
    await assertRefused(hostileZip(noKey), /it has no answer-key\.json/);
  });

  test("a changed file, an unlisted or missing entry, a manifest that is not one", async () => {
    const name = `files/${fixture.photos[0]!.name}`;
    const photo = Buffer.from(entries.find((e) => e.name === name)!.data);
    photo[photo.length - 10] = photo[photo.length - 10]! ^ 0xff;
    await assertRefused(hostileZip(replaced(name, photo)), /"files\/convoy\.jpg" does not match its SHA-256/);
    await assertRefused(
      hostileZip([...entries, { name: "files/extra.jpg", data: Buffer.from("x") }]),
      /"files\/extra\.jpg" is not in the manifest/,
    );
    await assertRefused(
      hostileZip(entries.filter((e) => e.name !== name)),
      /the manifest lists "files\/convoy\.jpg", which is not in the package/,
    );
    await assertRefused(hostileZip(replaced("sample.json", Buffer.from("{"))), /sample\.json is not JSON/);
    const manifest = JSON.parse(entries[0]!.data.toString("utf8"));
    manifest.files[0].name = "../../escape.jpg";
    await assertRefused(
      hostileZip(replaced("sample.json", Buffer.from(JSON.stringify(manifest)))),
      /not a sample manifest this build reads \(files\.0\.name: a sample file name is plain/,
    );
    await assertRefused(hostileZip(entries.filter((e) => e.name !== "sample.json")), /it has no sample\.json/);
  });

  test("hostile entries: ../, absolute, links, duplicates, folders elsewhere, huge claimed sizes", async () => {
    const plain = entries.map((e) => ({ name: e.name, data: e.data }));
    await assertRefused(
      hostileZip([...plain, { name: "files/../../x", data: Buffer.from("x") }]),
      /climbs out|"files\/\.\.\/\.\.\/x"/,
    );
    await assertRefused(hostileZip([...plain, { name: "/etc/passwd", data: Buffer.from("x") }]), /absolute path/);
    await assertRefused(
      hostileZip([...plain, { name: "files/link.jpg", data: Buffer.from("/etc/passwd"), mode: 0o120777 }]),
      /"files\/link\.jpg" is a symbolic link/,
    );
    await assertRefused(hostileZip([...plain, plain[2]!]), /appears twice/);
    await assertRefused(
      hostileZip([...plain, { name: "other/a.jpg", data: Buffer.from("x") }]),
      /is not a file a sample package holds/,
    );
    await assertRefused(
      hostileZip([
        ...plain,
        { name: "files/huge.bin", data: Buffer.from("x"), claimedSize: 0xfffffff0, claimedCompressedSize: 0xfffffff0 },
      ]),
      /claims 4294967280 bytes, more than the sample package file holds/,
    );
    await assertRefused(
      hostileZip([...plain, { name: "files/\u202egpj.exe", data: Buffer.from("x") }]),
      /"files\/\\u202egpj\.exe" is not a plain file name/,
    );
  });

  test("the shipped list holds the packages that pass every check; a damaged one is left out and its reason logged", async () => {
    const shelf = path.join(work, "shelf");
    await mkdir(shelf);
    await writeFile(path.join(shelf, "good.sightline-sample"), await readFile(fixture.sample.path));
    const whole = await readFile(fixture.sample.path);
    await writeFile(path.join(shelf, "cut.sightline-sample"), whole.subarray(0, whole.length - 100));
    await writeFile(path.join(shelf, "notes.txt"), "not a sample");
    const logged: string[] = [];
    const list = await listSamples([shelf, path.join(work, "absent")], (l) => logged.push(l));
    assert.deepEqual(
      list.map((s) => [path.basename(s.path), s.id, s.shipped, s.hintCount, s.fileCount]),
      [["good.sightline-sample", "kidal-test", true, 2, 5]],
    );
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /"cut\.sightline-sample" is left out: this sample package cannot be used: /);
  });

  test("unpacking never follows a link already in the target folder", async () => {
    const out = path.join(work, "linked");
    await mkdir(out);
    await symlink(path.join(work, "outside.jpg"), path.join(out, fixture.photos[0]!.name));
    await assert.rejects(
      readSamplePackage(fixture.sample.path, { extractTo: out }),
      /cannot unpack "files\/convoy\.jpg"/,
    );
    assert.deepEqual(
      (await readdir(work)).filter((n) => n === "outside.jpg"),
      [],
    );
  });
});
