/** The `sightline` command as a new user runs it: real files, real case folders, real exit codes. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { chmod, mkdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, test } from "node:test";
import { runCli, runCliJson } from "../support/cli.js";
import { tempDir, writeRandomFile } from "../support/fixtures.js";

async function newCase(extra: string[] = []) {
  const root = await tempDir();
  const home = path.join(root, "home");
  const caseDir = path.join(root, "case");
  const init = await runCli(
    ["init", caseDir, "--title", "Kidal burn scar, Feb 2026", "--examiner", "A. Analyst", ...extra],
    home,
  );
  assert.equal(init.code, 0, init.stderr);
  return { root, home, caseDir };
}

const sha256Of = async (file: string) =>
  createHash("sha256")
    .update(await readFile(file))
    .digest("hex");

describe("sightline init", () => {
  test("creates the case folder, case.json and a signed genesis event", async () => {
    const { caseDir, home } = await newCase(["--hash", "md5,sha1"]);
    const caseFile = JSON.parse(await readFile(path.join(caseDir, "case.json"), "utf8"));
    assert.equal(caseFile.title, "Kidal burn scar, Feb 2026");
    assert.deepEqual(caseFile.hashAlgorithms, ["sha256", "md5", "sha1"]);
    assert.equal(caseFile.examiners[0].name, "A. Analyst");
    const lines = (await readFile(path.join(caseDir, "ledger.jsonl"), "utf8")).trim().split("\n");
    assert.equal(lines.length, 1);
    const genesis = JSON.parse(lines[0]!);
    assert.equal(genesis.type, "case.created");
    assert.equal(genesis.seq, 0);
    assert.equal(genesis.prev, null);
    const verify = await runCliJson(["verify", caseDir], home);
    assert.equal(verify.code, 0);
    assert.equal(verify.json.isClean, true);
  });

  test("refuses a non-empty folder, a missing title and an unknown hash, with exit codes 1 and 2", async () => {
    const { caseDir, home } = await newCase();
    const again = await runCli(["init", caseDir, "--title", "x", "--examiner", "A"], home);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists and is not empty/);
    assert.doesNotMatch(again.stderr, /\n\s+at /, "no stack trace");
    const noTitle = await runCli(["init", path.join(caseDir, "..", "other"), "--examiner", "A"], home);
    assert.equal(noTitle.code, 2);
    assert.match(noTitle.stderr, /needs --title/);
    const badHash = await runCli(
      ["init", path.join(caseDir, "..", "o2"), "--title", "t", "--examiner", "A", "--hash", "crc32"],
      home,
    );
    assert.equal(badHash.code, 2);
    assert.match(badHash.stderr, /unknown algorithm "crc32"/);
    const unknown = await runCli(["frobnicate"], home);
    assert.equal(unknown.code, 2);
    const badFlag = await runCli(["verify", caseDir, "--bogus"], home);
    assert.equal(badFlag.code, 2);
    assert.equal(badFlag.stderr.trim().split("\n").length, 2, "one reason line and one hint line");
  });
});

describe("sightline import", () => {
  test("imports a folder recursively, stores each object once, and leaves the source untouched", async () => {
    const { root, home, caseDir } = await newCase(["--hash", "md5,sha1"]);
    const media = path.join(root, "media");
    await writeRandomFile(path.join(media, "video.mp4"), 3_000_000);
    await writeRandomFile(path.join(media, "nested", "deeper", "photo.jpg"), 250_000);
    await writeFile(path.join(media, "nested", "empty.bin"), "");
    await mkdir(path.join(media, "zz"));
    execFileSync("cp", ["-p", path.join(media, "video.mp4"), path.join(media, "zz", "same-bytes.mp4")]);
    const before = await stat(path.join(media, "video.mp4"));
    const digest = await sha256Of(path.join(media, "video.mp4"));

    const result = await runCliJson(
      [
        "import",
        caseDir,
        media,
        "--source-url",
        "https://t.me/channel/123",
        "--collected-at",
        "2026-02-16T09:12:00+01:00",
        "--method",
        "downloaded with the Telegram desktop client",
      ],
      home,
    );
    assert.equal(result.code, 0, result.stderr);
    const statuses = result.json.outcomes.map((o: any) => `${o.status} ${path.relative(media, o.displayPath)}`).sort();
    assert.deepEqual(
      statuses,
      [
        "duplicate zz/same-bytes.mp4",
        "imported nested/deeper/photo.jpg",
        "imported nested/empty.bin",
        "imported video.mp4",
      ].sort(),
    );
    assert.deepEqual(result.json.warnings, [], "a complete collection record gives no warning");

    const object = path.join(caseDir, "objects", "sha256", digest.slice(0, 2), digest.slice(2));
    assert.equal(await sha256Of(object), digest);
    assert.equal((await stat(object)).mode & 0o777, 0o400, "objects are read-only, for the owner only");
    const after = await stat(path.join(media, "video.mp4"));
    assert.equal(after.mtimeMs, before.mtimeMs, "source modification time unchanged");
    assert.equal(after.mode, before.mode);
    assert.equal(await sha256Of(path.join(media, "video.mp4")), digest, "source bytes unchanged");

    const ledger = await runCliJson(["ledger", caseDir], home);
    const imports = ledger.json.events.filter((e: any) => e.type === "item.imported");
    assert.equal(imports.length, 4, "the duplicate is still an acquisition event");
    const video = imports.find((e: any) => e.payload.source.relativePath === "video.mp4");
    assert.equal(video.payload.sha256, digest);
    assert.match(video.payload.md5, /^[0-9a-f]{32}$/);
    assert.match(video.payload.sha1, /^[0-9a-f]{40}$/);
    assert.equal(video.payload.collection.sourceUrl, "https://t.me/channel/123");
    assert.equal(video.payload.collection.collectedAt, "2026-02-16T09:12:00+01:00");
    assert.equal(video.payload.collection.collectedBy.name, "A. Analyst");
    assert.equal(video.payload.collection.tool.name, "Sightline");
    assert.deepEqual(video.payload.collection.missing, []);
    assert.equal(video.payload.source.fileTimes.modified, before.mtime.toISOString());
    const dup = imports.find((e: any) => e.payload.source.relativePath === "zz/same-bytes.mp4");
    assert.equal(dup.payload.isNewObject, false);

    const verify = await runCliJson(["verify", caseDir], home);
    assert.equal(verify.code, 0);
    assert.equal(verify.json.objectsChecked, 3);
  });

  test("importing the same bytes again records a new acquisition without a second copy", async () => {
    const { root, home, caseDir } = await newCase();
    const file = path.join(root, "photo.jpg");
    await writeRandomFile(file, 100_000);
    assert.equal((await runCli(["import", caseDir, file, "--source-account", "@witness"], home)).code, 0);
    const second = await runCliJson(["import", caseDir, file, "--source-url", "https://example.org/re-upload"], home);
    assert.equal(second.json.outcomes[0].status, "duplicate");
    const events = (await runCliJson(["ledger", caseDir], home)).json.events.filter(
      (e: any) => e.type === "item.imported",
    );
    assert.deepEqual(
      events.map((e: any) => e.payload.collection.sourceUrl ?? e.payload.collection.sourceAccount),
      ["@witness", "https://example.org/re-upload"],
    );
    assert.notEqual(events[0].ts, undefined);
  });

  test("records missing collection fields as missing and warns, inventing nothing", async () => {
    const { root, home, caseDir } = await newCase();
    await writeRandomFile(path.join(root, "a.jpg"), 1000);
    const result = await runCliJson(["import", caseDir, path.join(root, "a.jpg")], home);
    assert.equal(result.code, 0);
    assert.match(
      result.stderr,
      /^warning: the collection record does not say where it came from .*when it was collected .*how it was collected .*recorded as missing$/m,
    );
    const event = (await runCliJson(["ledger", caseDir], home)).json.events[1];
    assert.deepEqual(event.payload.collection.missing, ["source", "collectedAt", "method"]);
    assert.equal(event.payload.collection.sourceUrl, null);
    assert.equal(event.payload.collection.collectedAt, null);
    assert.equal(event.payload.collection.method, null);
  });

  test("refuses special files and symlinks out of the folder, imports what it can, and exits 1", async () => {
    const { root, home, caseDir } = await newCase();
    const media = path.join(root, "media");
    await writeRandomFile(path.join(media, "ok.jpg"), 5000);
    await writeRandomFile(path.join(root, "outside-secret.txt"), 100);
    await symlink(path.join(root, "outside-secret.txt"), path.join(media, "escape.txt"));
    await symlink(path.join(media, "ok.jpg"), path.join(media, "z-link.jpg"));
    await symlink(path.join(media, "nowhere"), path.join(media, "dangling"));
    execFileSync("mkfifo", [path.join(media, "pipe")]);
    const result = await runCliJson(["import", caseDir, media, path.join(root, "does-not-exist.jpg")], home);
    assert.equal(result.code, 1);
    const by = (name: string) => result.json.outcomes.find((o: any) => path.basename(o.displayPath) === name);
    assert.equal(by("ok.jpg").status, "imported");
    assert.equal(by("z-link.jpg").status, "duplicate");
    assert.equal(by("escape.txt").status, "refused");
    assert.match(by("escape.txt").reason, /outside the imported folder/);
    assert.match(by("pipe").reason, /not a regular file \(a FIFO\)/);
    assert.match(by("dangling").reason, /broken symbolic link/);
    assert.match(by("does-not-exist.jpg").reason, /no such file/);
    const verify = await runCliJson(["verify", caseDir], home);
    assert.equal(verify.code, 0, "what was imported is intact");
  });

  test("hostile names are stored exactly and printed inert; paths never come from names", async () => {
    const { root, home, caseDir } = await newCase();
    const media = path.join(root, "media");
    const names = [
      "<img src=x onerror=alert(1)>.jpg",
      "evil\u202egpj.exe",
      "bell\u0007\u001b[31mred.jpg",
      "..",
      "new\nline.jpg",
    ];
    await mkdir(media, { recursive: true });
    for (const [i, name] of names.entries()) {
      if (name === "..") continue;
      await writeRandomFile(path.join(media, name), 1000 + i);
    }
    const human = await runCli(["import", caseDir, media, "--note", "names from a hostile source"], home);
    assert.equal(human.code, 0, human.stderr);
    assert.doesNotMatch(human.stdout, /[\u0007\u001b\u202e]/, "no control or bidi characters reach the terminal");
    assert.match(human.stdout, /evil\\u\{202E\}gpj\.exe/);
    assert.match(human.stdout, /<img src=x onerror=alert\(1\)>\.jpg/, "markup shown as text");
    const json = await runCli(["ledger", caseDir, "--json"], home);
    assert.doesNotMatch(json.stdout, /[\u0007\u001b\u202e]/);
    const events = JSON.parse(json.stdout).events.filter((e: any) => e.type === "item.imported");
    assert.deepEqual(
      events.map((e: any) => e.payload.source.originalName).sort(),
      names.filter((n) => n !== "..").sort(),
      "names kept exactly",
    );
    for (const e of events) assert.match(e.payload.objectPath, /^objects\/sha256\/[0-9a-f]{2}\/[0-9a-f]{62}$/);
    const ledgerHuman = await runCli(["ledger", caseDir], home);
    assert.doesNotMatch(ledgerHuman.stdout, /[\u0007\u001b\u202e]/);
  });

  test("bad input gets one clear line and changes nothing", async () => {
    const { root, home, caseDir } = await newCase();
    await writeRandomFile(path.join(root, "a.jpg"), 1000);
    const ledgerBefore = await readFile(path.join(caseDir, "ledger.jsonl"), "utf8");
    const noZone = await runCli(
      ["import", caseDir, path.join(root, "a.jpg"), "--collected-at", "2026-02-16 09:12"],
      home,
    );
    assert.equal(noZone.code, 2);
    assert.match(noZone.stderr, /Collected at: 16 February 2026, 09:12 has no time zone; say which/);
    const badUrl = await runCli(["import", caseDir, path.join(root, "a.jpg"), "--source-url", "not a url"], home);
    assert.equal(badUrl.code, 2);
    const control = await runCli(["import", caseDir, path.join(root, "a.jpg"), "--method", "saved\u0007"], home);
    assert.equal(control.code, 2);
    assert.match(control.stderr, /control characters/);
    const notCase = await runCli(["import", root, path.join(root, "a.jpg")], home);
    assert.equal(notCase.code, 1);
    assert.match(notCase.stderr, /is not a Sightline case/);
    const otherHome = await runCli(["import", caseDir, path.join(root, "a.jpg")], path.join(root, "stranger"));
    assert.equal(otherHome.code, 1);
    assert.match(otherHome.stderr, /none of this profile's keys/);
    const brokenCaseJson = path.join(root, "broken");
    await mkdir(brokenCaseJson);
    await writeFile(path.join(brokenCaseJson, "case.json"), '{"truncated');
    const broken = await runCli(["verify", brokenCaseJson], home);
    assert.equal(broken.code, 1);
    assert.equal(broken.stderr.trim().split("\n").length, 1);
    assert.equal(await readFile(path.join(caseDir, "ledger.jsonl"), "utf8"), ledgerBefore, "nothing was written");
  });

  test(
    "an unreadable file is reported and the rest still imported",
    { skip: process.getuid?.() === 0 ? "root reads everything" : false },
    async () => {
      const { root, home, caseDir } = await newCase();
      await writeRandomFile(path.join(root, "m", "a.jpg"), 1000);
      await writeRandomFile(path.join(root, "m", "b.jpg"), 1000);
      await chmod(path.join(root, "m", "b.jpg"), 0);
      const result = await runCliJson(["import", caseDir, path.join(root, "m")], home);
      assert.equal(result.code, 1);
      assert.equal(result.json.outcomes.find((o: any) => o.displayPath.endsWith("b.jpg")).status, "failed");
    },
  );
});

describe("sightline verify and ledger output", () => {
  test("human output names the case, head hash and result", async () => {
    const { root, home, caseDir } = await newCase();
    await writeRandomFile(path.join(root, "a.jpg"), 1000);
    await runCli(["import", caseDir, path.join(root, "a.jpg")], home);
    const verify = await runCli(["verify", caseDir], home);
    assert.equal(verify.code, 0);
    assert.match(verify.stdout, /Kidal burn scar, Feb 2026/);
    // case.created, item.imported, metadata.extracted (random bytes: no derivatives).
    assert.match(verify.stdout, /head 2 [0-9a-f]{64}/);
    assert.match(verify.stdout, /CLEAN/);
    const ledger = await runCli(["ledger", caseDir], home);
    assert.match(ledger.stdout, /case\.created/);
    assert.match(ledger.stdout, /item\.imported\s+a\.jpg sha256:/);
  });
});
