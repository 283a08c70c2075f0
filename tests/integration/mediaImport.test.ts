/**
 * Import as an investigator runs it on real media: every item's metadata lands
 * in the ledger, thumbnails, keyframes, posters and proxies appear as
 * verifiable derivatives, near-duplicates are announced, and tampering with a
 * derivative is caught by `sightline verify` and by the standalone checker.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, copyFile, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import sharp from "sharp";
import { startLoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { testService } from "../support/testService.js";
import { createHttpClient } from "../../renderer/api/apiClient.js";
import type { ApiEvent } from "../../shared/api/contract.js";
import { CLI, REPO_ROOT, runCli, runCliJson } from "../support/cli.js";
import { tempDir, writeRandomFile } from "../support/fixtures.js";
import { makeHostileCorpus } from "../support/hostileCorpus.js";
import { JPEG_TAGS, makeJpeg, makeVideo } from "../support/mediaCorpus.js";

const sha256 = async (file: string) =>
  createHash("sha256")
    .update(await readFile(file))
    .digest("hex");

interface Event {
  seq: number;
  type: string;
  payload: any;
}

describe("import with the media stage", () => {
  let root: string;
  let home: string;
  let caseDir: string;
  let media: string;
  let stdout: string;
  let events: Event[];
  const byName = new Map<string, string>();

  // Made here, not in before(): a temporary folder lives as long as the scope that asked for it.
  const made = tempDir();

  before(async () => {
    root = await made;
    home = path.join(root, "home");
    caseDir = path.join(root, "case");
    media = path.join(root, "media");
    await makeJpeg(path.join(media, "kidal-original.jpg"), { width: 1200, height: 900, seed: 7, exif: true });
    // The same scene re-saved small and recompressed, as a messaging app would: no metadata left.
    await sharp(path.join(media, "kidal-original.jpg"))
      .resize(400)
      .jpeg({ quality: 55 })
      .toFile(path.join(media, "kidal-telegram.jpg"));
    await makeJpeg(path.join(media, "unrelated.jpg"), { width: 800, height: 600, seed: 99 });
    // Three scenes, 12 s, keyframes every 2 s: the keyframe path.
    await makeVideo(path.join(media, "village.mp4"), { durationS: 12, scenes: 3, gopFrames: 50, audio: true });
    // One I-frame in 8 s: sampled at even intervals instead, with a warning.
    await makeVideo(path.join(media, "one-iframe.mp4"), { durationS: 8, gopFrames: 100_000 });
    // MPEG-4 Part 2 in AVI: Chromium cannot play it, so a proxy is made.
    await makeVideo(path.join(media, "old-camera.avi"), { durationS: 4, codec: "mpeg4" });
    await writeRandomFile(path.join(media, "unknown.bin"), 5000);

    assert.equal((await runCli(["init", caseDir, "--title", "Media", "--examiner", "A. Analyst"], home)).code, 0);
    const imported = await runCli(["import", caseDir, media, "--source-account", "@channel", "--method", "t"], home);
    assert.equal(imported.code, 0, imported.stderr + imported.stdout);
    stdout = imported.stdout;
    events = (await runCliJson(["ledger", caseDir], home)).json.events as Event[];
    for (const e of events) {
      if (e.type === "item.imported") byName.set(e.payload.source.originalName, e.payload.sha256);
    }
  });

  const metadataOf = (name: string) =>
    events.find((e) => e.type === "metadata.extracted" && e.payload.sha256 === byName.get(name))?.payload;
  const derivativesOf = (name: string) =>
    events
      .filter((e) => e.type === "derivative.created" && e.payload.parent === byName.get(name))
      .map((e) => e.payload);

  test("every item gets one metadata.extracted event, after its item.imported event", () => {
    assert.equal(byName.size, 7);
    for (const [name, sha] of byName) {
      const extracted = events.filter((e) => e.type === "metadata.extracted" && e.payload.sha256 === sha);
      assert.equal(extracted.length, 1, name);
      const importedSeq = events.find((e) => e.type === "item.imported" && e.payload.sha256 === sha)!.seq;
      assert.ok(extracted[0]!.seq > importedSeq, name);
    }
    const original = metadataOf("kidal-original.jpg");
    assert.equal(original.kind, "image");
    assert.equal(original.metadata.capturedAt, JPEG_TAGS.capturedAt);
    assert.equal(original.metadata.gps.lat, JPEG_TAGS.gps!.lat);
    assert.deepEqual(
      original.tools.map((t: any) => t.name),
      ["exifr", "sharp"],
    );
    assert.ok(metadataOf("kidal-telegram.jpg").warnings.some((w: any) => w.code === "no-metadata"));
    const unknown = metadataOf("unknown.bin");
    assert.equal(unknown.kind, "other");
    assert.ok(unknown.warnings.some((w: any) => w.code === "unknown-format"));
    assert.equal(derivativesOf("unknown.bin").length, 0);
  });

  test("each derivative is where its event says, with the bytes its hash says, read-only", async () => {
    const all = events.filter((e) => e.type === "derivative.created").map((e) => e.payload);
    assert.ok(all.length >= 10);
    for (const d of all) {
      assert.match(d.path, new RegExp(`^derived/${d.parent}/[a-z0-9-]+\\.(jpg|mp4)$`));
      const file = path.join(caseDir, d.path);
      assert.equal(await sha256(file), d.sha256, d.path);
      const mode = spawnSync("stat", ["-c", "%a", file], { encoding: "utf8" }).stdout.trim();
      assert.equal(mode, "400", d.path);
      assert.ok(d.tool.name && d.tool.version, "the tool and its version are recorded");
    }
  });

  test("an image gets a 320-pixel thumbnail with a pHash and the parameters that made it", async () => {
    const [thumb] = derivativesOf("kidal-original.jpg");
    assert.equal(thumb.role, "thumbnail");
    assert.equal(thumb.width, 320);
    assert.equal(thumb.height, 240);
    assert.match(thumb.phash, /^[0-9a-f]{16}$/);
    assert.equal(thumb.params.size, 320);
    assert.equal(thumb.params.phash.library, "sharp-phash");
    const meta = await sharp(path.join(caseDir, thumb.path)).metadata();
    assert.equal(meta.format, "jpeg");
  });

  test("a video gets keyframes spread across it with their times, a poster, and no proxy when Chromium plays it", () => {
    const ds = derivativesOf("village.mp4");
    const keyframes = ds.filter((d) => d.role === "keyframe");
    assert.ok(keyframes.length >= 4 && keyframes.length <= 32, `${keyframes.length} keyframes`);
    const times = keyframes.map((k) => k.timestampS);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
    assert.ok(times[0] < 1, "the first frame is kept");
    assert.ok(times.at(-1) > 8, "frames reach the end of the video");
    for (const k of keyframes) assert.match(k.phash, /^[0-9a-f]{16}$/);
    assert.equal(keyframes[0].params.method, "keyframes");
    assert.ok(keyframes[0].params.ffmpegArgs.includes("{original}"), "the recorded command names no local path");
    assert.ok(!JSON.stringify(keyframes[0].params).includes(caseDir));
    assert.equal(ds.filter((d) => d.role === "poster").length, 1);
    assert.equal(ds.filter((d) => d.role === "proxy").length, 0);
    assert.equal(metadataOf("village.mp4").metadata.durationS, 12);
  });

  test("an 8 s clip with a single I-frame is sampled at even intervals, and is not a warning (too short to need more)", () => {
    const keyframes = derivativesOf("one-iframe.mp4").filter((d) => d.role === "keyframe");
    assert.ok(keyframes.length >= 4, `${keyframes.length} frames`);
    assert.equal(keyframes[0].params.method, "even-interval");
    const gaps = keyframes.slice(1).map((k, i) => k.timestampS - keyframes[i].timestampS);
    assert.ok(
      gaps.every((g) => g > 0.3),
      `frames are spread out: ${gaps}`,
    );
    // Longer videos with too few keyframes are warned about: tests/integration/metadataGaps.test.ts.
    assert.ok(!metadataOf("one-iframe.mp4").warnings.some((w: any) => w.code === "no-keyframes"));
  });

  test("a codec Chromium cannot play gets an H.264 proxy", async () => {
    const proxy = derivativesOf("old-camera.avi").find((d) => d.role === "proxy");
    assert.ok(proxy, "a proxy was made");
    assert.equal(proxy.mime, "video/mp4");
    const probe = spawnSync(
      "ffprobe",
      ["-v", "error", "-show_entries", "stream=codec_name,pix_fmt", "-of", "json", path.join(caseDir, proxy.path)],
      { encoding: "utf8" },
    );
    const stream = JSON.parse(probe.stdout).streams[0];
    assert.equal(stream.codec_name, "h264");
    assert.equal(stream.pix_fmt, "yuv420p");
  });

  test("the re-saved copy is announced as a near-duplicate at import, and grouped by sightline similar", async () => {
    assert.match(stdout, /near-duplicate .*kidal-(telegram|original)\.jpg looks like kidal-(original|telegram)\.jpg/);
    assert.doesNotMatch(stdout, /near-duplicate .*unrelated\.jpg/);
    const similar = await runCliJson(["similar", caseDir], home);
    assert.equal(similar.code, 0);
    const groups = similar.json.groups as { items: { name: string }[] }[];
    const names = groups.map((g) => g.items.map((i) => i.name).sort());
    assert.deepEqual(
      names.find((n) => n.includes("kidal-original.jpg")),
      ["kidal-original.jpg", "kidal-telegram.jpg"],
    );
  });

  test("importing the same bytes again adds an acquisition but no second analysis", async () => {
    await copyFile(path.join(media, "kidal-original.jpg"), path.join(root, "again.jpg"));
    const result = await runCliJson(["import", caseDir, path.join(root, "again.jpg")], home);
    assert.equal(result.code, 0);
    assert.equal(result.json.outcomes[0].status, "duplicate");
    assert.equal(result.json.media.analysed.length, 0);
  });

  test("verify re-hashes derivatives; an edited keyframe is caught here and by the standalone checker", async () => {
    const clean = await runCliJson(["verify", caseDir], home);
    assert.equal(clean.code, 0, JSON.stringify(clean.json.problems));
    assert.ok(clean.json.derivativesChecked >= 10);
    const keyframe = derivativesOf("village.mp4").find((d) => d.role === "keyframe");
    const file = path.join(caseDir, keyframe.path);
    await chmod(file, 0o644);
    const bytes = await readFile(file);
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0xff;
    await writeFile(file, bytes);
    const tampered = await runCliJson(["verify", caseDir], home);
    assert.equal(tampered.code, 1);
    assert.deepEqual(
      tampered.json.problems.map((p: any) => `${p.code} ${p.file}`),
      [`derivative-corrupt ${keyframe.path}`],
    );
    const standalone = spawnSync("python3", [path.join(REPO_ROOT, "resources", "verify-ledger.py"), caseDir], {
      encoding: "utf8",
    });
    assert.equal(standalone.status, 1);
    assert.match(standalone.stdout, new RegExp(`PROBLEM ${keyframe.path}: bytes do not match`));
  });
});

describe("import of hostile files", () => {
  const made = tempDir();

  test("every crafted, truncated, mislabelled or empty file is stored, logged and analysed; nothing fails", async () => {
    const root = await made;
    const home = path.join(root, "home");
    const caseDir = path.join(root, "case");
    const hostile = await makeHostileCorpus(path.join(root, "hostile"));
    assert.ok(hostile.length >= 15);
    assert.equal((await runCli(["init", caseDir, "--title", "Hostile", "--examiner", "A. Analyst"], home)).code, 0);
    const human = await runCli(["import", caseDir, path.join(root, "hostile"), "--method", "received"], home);
    assert.equal(human.code, 0, human.stderr + human.stdout);
    assert.doesNotMatch(human.stdout + human.stderr, /[\u0007\u001b\u202e]/, "nothing from a file steers the terminal");
    assert.doesNotMatch(human.stdout, /not analysed/);

    const ledgerText = await readFile(path.join(caseDir, "ledger.jsonl"), "utf8");
    for (const lineText of ledgerText.trim().split("\n")) {
      assert.ok(lineText.length < 512 * 1024, "no ledger line swells with a crafted metadata block");
    }
    const events = (await runCliJson(["ledger", caseDir], home)).json.events as Event[];
    const imported = events.filter((e) => e.type === "item.imported");
    assert.equal(imported.length, hostile.length, "every file has an acquisition");
    const analysed = new Set(events.filter((e) => e.type === "metadata.extracted").map((e) => e.payload.sha256));
    for (const e of imported) assert.ok(analysed.has(e.payload.sha256), `${e.payload.source.originalName} analysed`);
    for (const h of hostile) {
      const e = imported.find((i) => i.payload.source.originalName === path.basename(h.file));
      assert.ok(e, `${h.name} imported`);
      assert.equal(e.payload.sha256, await sha256(h.file), `${h.name} stored byte for byte`);
    }
    const warningsOf = (name: string) =>
      events
        .find((e) => e.type === "metadata.extracted" && e.payload.sha256 === byOriginal(imported, name))
        ?.payload.warnings.map((w: any) => w.code) as string[];
    assert.ok(warningsOf("empty.jpg").includes("empty-file"));
    assert.ok(warningsOf("png-named.jpg").includes("extension-mismatch"));
    assert.ok(warningsOf("huge-xmp.png").includes("metadata-truncated"));
    assert.ok(warningsOf("markup-metadata.jpg").includes("suspicious-text"));
    const verify = await runCliJson(["verify", caseDir], home);
    assert.equal(verify.code, 0, JSON.stringify(verify.json.problems));
  });
});

function byOriginal(imported: Event[], name: string): string | undefined {
  return imported.find((e) => e.payload.source.originalName === name)?.payload.sha256;
}

describe("a process killed during analysis", () => {
  const made = tempDir();

  test("leaves a case that verifies clean, and sightline analyse finishes the work", async () => {
    const root = await made;
    const home = path.join(root, "home");
    const caseDir = path.join(root, "case");
    // MPEG-4 Part 2 needs a proxy: the analysis takes long enough to be killed in the middle.
    await makeVideo(path.join(root, "media", "long.avi"), { durationS: 40, width: 640, height: 360, codec: "mpeg4" });
    assert.equal((await runCli(["init", caseDir, "--title", "Kill", "--examiner", "A. Analyst"], home)).code, 0);
    const child = spawn(process.execPath, [CLI, "import", caseDir, path.join(root, "media")], {
      env: { ...process.env, CI: "1", SIGHTLINE_HOME: home },
      stdio: "ignore",
    });
    // Kill as soon as derivatives are being made (scratch files exist under derived/).
    const derived = path.join(caseDir, "derived");
    const deadline = Date.now() + 60_000;
    let sawWork = false;
    while (Date.now() < deadline && !sawWork) {
      const parents = await readdir(derived).catch(() => [] as string[]);
      for (const p of parents) {
        if ((await readdir(path.join(derived, p)).catch(() => [] as string[])).some((n) => n.startsWith(".work-"))) {
          sawWork = true;
        }
      }
      if (!sawWork) await new Promise((r) => setTimeout(r, 20));
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    assert.ok(sawWork, "the import reached the media stage");

    const afterKill = await runCliJson(["verify", caseDir], home);
    assert.equal(afterKill.code, 0, JSON.stringify(afterKill.json.problems));
    const events = (await runCliJson(["ledger", caseDir], home)).json.events as Event[];
    assert.equal(events.filter((e) => e.type === "item.imported").length, 1, "the original was stored before the kill");
    assert.equal(events.filter((e) => e.type === "metadata.extracted").length, 0);

    const analyse = await runCliJson(["analyse", caseDir], home);
    assert.equal(analyse.code, 0);
    assert.equal(analyse.json.analysed.length, 1);
    const finished = await runCliJson(["verify", caseDir], home);
    assert.equal(finished.code, 0, JSON.stringify(finished.json.problems));
    assert.ok(finished.json.derivativesChecked >= 3, "keyframes, poster and proxy");
    assert.deepEqual(
      finished.json.notices.filter((n: any) => n.code === "derivative-unreferenced"),
      [],
      "the scratch files the kill left were cleared",
    );
  });
});

describe("the media stage over the API", () => {
  const made = tempDir();

  test("the import job reports analysis, pushes a near-duplicate event, and items carry metadata and derivatives", async () => {
    const root = await made;
    const service = testService(new KeyStore(path.join(root, "home")));
    const host = await startLoopbackHost({ service });
    try {
      const client = createHttpClient(host.url, host.token);
      const events: ApiEvent[] = [];
      const finished = new Promise<void>((resolve) => {
        const stop = client.onEvent((event) => {
          events.push(event);
          if (event.type === "job.finished") {
            stop();
            resolve();
          }
        });
      });
      const dir = path.join(root, "case");
      assert.ok((await client.api.createCase({ dir, title: "API", examiner: "B. Verifier" })).ok);
      const media = path.join(root, "media");
      await makeJpeg(path.join(media, "first.jpg"), { width: 900, height: 600, seed: 21, exif: true });
      await sharp(path.join(media, "first.jpg"))
        .resize(300)
        .jpeg({ quality: 50 })
        .toFile(path.join(media, "second.jpg"));
      await new Promise((r) => setTimeout(r, 100)); // let the event stream connect before the job starts
      const job = await client.api.importFiles({
        dir,
        paths: [media],
        collection: { sourceAccount: "@w", method: "m" },
      });
      assert.ok(job.ok, JSON.stringify(job));
      await finished;

      assert.ok(
        events.some((e) => e.type === "job.progress" && e.progress.phase === "analysing"),
        "progress shows the analysis phase",
      );
      const near = events.find((e) => e.type === "item.nearDuplicate");
      assert.ok(near && near.type === "item.nearDuplicate", "a near-duplicate event was pushed");
      assert.equal(near.notice.matches.length, 1);

      const items = await client.api.listItems({ dir });
      assert.ok(items.ok);
      for (const item of items.value) {
        assert.equal(item.kind, "image");
        assert.match(item.thumbnailPath ?? "", new RegExp(`^derived/${item.sha256}/thumbnail-320\\.jpg$`));
      }
      const first = items.value.find((i) => i.name === "first.jpg")!;
      assert.equal(first.hasGps, true);
      assert.equal(first.capturedAt, JPEG_TAGS.capturedAt);
      const detail = await client.api.getItem({ dir, sha256: first.sha256 });
      assert.ok(detail.ok);
      assert.equal(detail.value.metadata?.metadata.camera?.make, JPEG_TAGS.make);
      assert.equal(detail.value.derivatives.length, 1);
      const groups = await client.api.nearDuplicates({ dir });
      assert.ok(groups.ok);
      assert.deepEqual(groups.value[0]?.items.map((i) => i.name).sort(), ["first.jpg", "second.jpg"]);
    } finally {
      await service.jobs.settle();
      await host.close();
    }
  });
});
