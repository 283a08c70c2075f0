/**
 * `sightline exercise` and `sightline sample` with the real CLI: a sample whose title, hints and
 * model answer carry markup and bidi characters, printed inert in the terminal, the HTML and the
 * PDF; hostile packages and answers files refused in one line; a submitted exercise frozen, and a
 * ledger forged past the freeze reported by `sightline verify` and by resources/verify-ledger.py.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { LedgerWriter } from "../../electron/services/ledger/ledgerWriter.js";
import { nodeLedgerCrypto } from "../../electron/services/ledger/nodeLedgerCrypto.js";
import { hexToBytes } from "../../shared/ledger/cryptoProvider.js";
import { eventHash } from "../../shared/ledger/eventHash.js";
import type { LedgerEvent } from "../../shared/ledger/events.js";
import { REPO_ROOT, runCli } from "../support/cli.js";
import { tempDir } from "../support/fixtures.js";
import { hostileZip, zipEntries } from "../support/hostileZip.js";
import { makeSample, SAMPLE_TRUTH, type SampleFixture } from "../support/sampleFixture.js";

const MARKUP_TITLE = "<script>alert(1)</script> \u202efdp.exe";
let root: string;
let home: string;
let fixture: SampleFixture;

before(async () => {
  root = await tempDir("sightline-exercise-cli-");
  home = path.join(root, "home");
  fixture = await makeSample(path.join(root, "sample"), {
    draft: {
      title: MARKUP_TITLE,
      hints: [{ title: "<img src=x onerror=alert(1)>", text: "Look \u202eright\u202c <b>here</b>" }],
    },
  });
});

async function refused(args: string[], reason: RegExp, code = 1): Promise<string> {
  const result = await runCli(args, home);
  assert.equal(result.code, code, `${result.stdout}${result.stderr}`);
  // The refusal is the line naming the command (an import warns about its collection record first).
  const message = result.stderr.split("\n").find((l) => l.startsWith("sightline: ")) ?? result.stderr;
  assert.match(message, reason);
  return message;
}

const python = (dir: string) =>
  spawnSync("python3", [path.join(REPO_ROOT, "resources", "verify-ledger.py"), dir], { encoding: "utf8" });

describe("sightline sample and exercise", () => {
  const dir = () => path.join(root, "trainee");

  test("inspect prints what a trainer needs, inert, and nothing of the key", async () => {
    const result = await runCli(["sample", "inspect", fixture.sample.path], home);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.includes("\\u{202E}fdp.exe"), result.stdout);
    assert.ok(!result.stdout.includes("\u202e"));
    assert.ok(!result.stdout.includes("ridge road"), "no model answer");
  });

  test("hostile packages are refused with one line", async () => {
    const bad = path.join(root, "bad");
    await mkdir(bad);
    const write = async (name: string, bytes: Buffer) => {
      await writeFile(path.join(bad, name), bytes);
      return path.join(bad, name);
    };
    const whole = await readFile(fixture.sample.path);
    await refused(["sample", "inspect", await write("empty.sightline-sample", Buffer.alloc(0))], /the file is empty/);
    await refused(["sample", "inspect", await write("cut.sightline-sample", whole.subarray(0, 4000))], /cut short/);
    const entries = await zipEntries(fixture.sample.path);
    const swapped = entries.map((e) =>
      e.name === "answer-key.json" ? { name: e.name, data: Buffer.from(e.data.toString().replace("500", "900")) } : e,
    );
    const swappedFile = await write("swapped.sightline-sample", hostileZip(swapped));
    await refused(["sample", "inspect", swappedFile], /answer key does not match its SHA-256 in the manifest/);
    await refused(
      ["exercise", "start", swappedFile, path.join(root, "never"), "--trainee", "Tam"],
      /answer key does not match its SHA-256/,
    );
    await refused(["sample", "inspect", path.join(bad, "missing.sightline-sample")], /cannot read/);
  });

  test("an exercise from the terminal: start, hint, submit, score, export; the markup stays text", async () => {
    const started = await runCli(["exercise", "start", fixture.sample.path, dir(), "--trainee", "Tam"], home);
    assert.equal(started.code, 0, started.stderr);
    assert.ok(started.stdout.includes("<script>alert(1)</script> \\u{202E}fdp.exe"));
    await refused(["exercise", "start", fixture.sample.path, dir(), "--trainee", "Tam"], /already exists/);
    await refused(["exercise", "hint", dir(), "0"], /a hint number is 1 to 20/, 2);
    const hint = await runCli(["exercise", "hint", dir(), "1"], home);
    assert.equal(hint.code, 0, hint.stderr);
    assert.ok(hint.stdout.includes("Look \\u{202E}right\\u{202C} <b>here</b>"), hint.stdout);
    await refused(["exercise", "score", dir()], /only after the exercise is submitted/);
    const submitted = await runCli(["exercise", "submit", dir()], home);
    assert.equal(submitted.code, 0, submitted.stderr);
    assert.match(submitted.stdout, /Scorecard .*: 0 of 90 points/);
    assert.equal((await runCli(["exercise", "score", dir()], home)).stdout, submitted.stdout);
    const html = await runCli(["exercise", "export", dir(), "--format", "html", "--json"], home);
    const page = await readFile(path.join(dir(), JSON.parse(html.stdout).path), "utf8");
    assert.ok(page.includes("&lt;script&gt;alert(1)&lt;/script&gt; \\u{202E}fdp.exe"));
    assert.ok(!page.includes("<script>") && !page.includes("\u202e"));
    const pdf = await runCli(["exercise", "export", dir(), "--format", "pdf", "--json"], home);
    assert.equal(pdf.code, 0, pdf.stderr);
    const text = execFileSync("pdftotext", [path.join(dir(), JSON.parse(pdf.stdout).path), "-"], { encoding: "utf8" });
    assert.ok(text.includes("<script>alert(1)</script>"), text);
    // Reading an opened hint again changes nothing; importing would, whatever the door.
    assert.equal((await runCli(["exercise", "hint", dir(), "1"], home)).stdout, hint.stdout);
    // An import reports each file's outcome: the file failed, with the freeze's words, and nothing entered the case.
    const imported = await runCli(["import", dir(), fixture.photos[2]!.path, "--no-analyse"], home);
    assert.equal(imported.code, 1);
    assert.match(imported.stdout, /failed .*ridge\.jpg: This exercise was submitted on .+; its work is frozen\./);
    await refused(["exercise", "export", dir(), "--format", "docx"], /--format pdf, html or json/, 2);
    const checked = python(dir());
    assert.equal(checked.status, 0, checked.stdout + checked.stderr);
  });

  test("a ledger forged past the freeze, with a second start, a hint beyond the count and another key, fails verify", async () => {
    // The writer refuses all three; a forger writes the lines, signed, straight into the file.
    const key = await new KeyStore(home).getOrCreate("Tam");
    const refusal = await LedgerWriter.open(dir(), { key }).then(async (writer) => {
      try {
        return await writer.append([{ type: "note.added", payload: { sha256: fixture.photos[0]!.sha256, text: "x" } }]);
      } catch (error) {
        return (error as Error).message;
      } finally {
        await writer.close();
      }
    });
    assert.match(String(refusal), /its work is frozen/);
    const file = path.join(dir(), "ledger.jsonl");
    const last = JSON.parse((await readFile(file, "utf8")).trim().split("\n").at(-1)!) as LedgerEvent;
    let head = { seq: last.seq, hash: last.hash };
    const forged: string[] = [];
    for (const [type, payload] of [
      ["note.added", { sha256: fixture.photos[0]!.sha256, text: "after the fact" }],
      ["hint.opened", { index: 4, title: "x", text: "y" }],
      [
        "exercise.scored",
        {
          submission: { seq: 1, hash: "0".repeat(64) },
          answerKeySha256: "f".repeat(64),
          scorecard: {},
          points: 90,
          maxPoints: 90,
          scoringVersion: 1,
        },
      ],
    ] as const) {
      const unsigned = {
        seq: head.seq + 1,
        id: randomUUID(),
        ts: new Date().toISOString(),
        actor: key.keyId,
        type,
        payload: payload as Record<string, unknown>,
        prev: head.hash,
      };
      const hash = eventHash(unsigned, nodeLedgerCrypto);
      forged.push(JSON.stringify({ ...unsigned, hash, sig: key.sign(hexToBytes(hash)) }));
      head = { seq: unsigned.seq, hash };
    }
    await appendFile(file, `${forged.join("\n")}\n`);
    const verify = await runCli(["verify", dir(), "--json"], home);
    assert.equal(verify.code, 1);
    const codes = (JSON.parse(verify.stdout).problems as { code: string }[]).map((p) => p.code).sort();
    assert.deepEqual(codes, ["exercise-frozen", "exercise-frozen", "exercise-key-mismatch", "hint-beyond-count"]);
    const checked = python(dir());
    assert.equal(checked.status, 1);
    for (const code of ["exercise-frozen", "exercise-key-mismatch", "hint-beyond-count"]) {
      assert.ok(checked.stdout.includes(`[${code}]`), checked.stdout);
    }
  });

  test("a trainer authors a sample from a case; a trainee runs it", async () => {
    const trainerCase = path.join(root, "trainer");
    const init = await runCli(["init", trainerCase, "--title", "Field work", "--examiner", "Trainer Tess"], home);
    assert.equal(init.code, 0, init.stderr);
    const imported = await runCli(
      ["import", trainerCase, ...fixture.photos.map((p) => p.path), "--source-account", "@field", "--no-analyse"],
      home,
    );
    assert.equal(imported.code, 0, imported.stderr);
    const answers = {
      id: "field-work",
      title: "Field work",
      briefing: { task: "Where?", claims: [], timeAllowedMinutes: null },
      hints: [],
      items: fixture.photos.map((p) => p.sha256),
      locations: [{ sha256: fixture.photos[0]!.sha256, place: SAMPLE_TRUTH.place, toleranceM: 100, explanation: "x" }],
      times: [],
      traps: [],
      modelAnswer: "There.",
    };
    const answersFile = path.join(root, "answers.json");
    await writeFile(answersFile, JSON.stringify(answers));
    const out = path.join(root, "field.sightline-sample");
    const authored = await runCli(["sample", "author", trainerCase, "--answers", answersFile, "--out", out], home);
    assert.equal(authored.code, 0, authored.stderr);
    assert.equal((await runCli(["sample", "inspect", out], home)).code, 0);
    await refused(["sample", "author", trainerCase, "--answers", answersFile, "--out", out], /already exists/);
    await writeFile(answersFile, "{not json");
    await refused(["sample", "author", trainerCase, "--answers", answersFile, "--out", `${out}2`], /is not JSON/);
    await writeFile(answersFile, JSON.stringify({ ...answers, id: "../../evil" }));
    await refused(
      ["sample", "author", trainerCase, "--answers", answersFile, "--out", path.join(root, "x.sightline-sample")],
      /id: a sample id is lower-case letters/,
    );
    await writeFile(answersFile, JSON.stringify(answers));
    await refused(
      ["sample", "author", dir(), "--answers", answersFile, "--out", path.join(root, "y.sightline-sample")],
      /its work is frozen/,
    );
    const trainee = path.join(root, "trainee-field");
    const started = await runCli(["exercise", "start", out, trainee, "--trainee", "Tim"], home);
    assert.equal(started.code, 0, started.stderr);
    assert.equal(python(trainerCase).status, 0);
  });
});
