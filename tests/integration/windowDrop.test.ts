/**
 * Files picked in the host's own window (`sightline host --open`) imported by their paths: a real
 * loopback host, the real app window (headless Chromium) with its DevTools pipe, files set on a
 * file input of the workbench page through that pipe (`DOM.setFileInputFiles`, as a pick or a drop
 * hands them over), kept by the page under an intake id, and `importWindowFiles` called over HTTP as
 * the page calls it. Files the browser cannot place on disk, changed since, or with lying sizes
 * are refused with one line (the page then sends them).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdir, rm, symlink, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { after, before, describe, test } from "node:test";
import { filesOfWindow, type AppWindow } from "../../electron/cli/appWindow.js";
import { HELD_FILES_GLOBAL } from "../../shared/api/contract.js";
import type { LedgerEvent } from "../../shared/ledger/events.js";
import { finishedJob } from "../support/apiJobs.js";
import { openWindowPage, type OpenedWindow, type WindowPage } from "../support/appWindowPage.js";
import { REPO_ROOT } from "../support/cli.js";
import { startUploadHost, type UploadHost } from "../support/uploadHost.js";

const imported = (events: LedgerEvent[]) =>
  events.filter((e) => e.type === "item.imported").map((e) => e.payload as Record<string, any>);

describe("files picked in the host's own window", () => {
  let up: UploadHost;
  let opened: OpenedWindow | undefined;
  let page: WindowPage;
  const evaluate = (expression: string, byValue = true) => page.evaluate(expression, byValue);

  /** Sets `paths` on a new file input of the page and keeps its Files under a new intake id. */
  const pick = async (paths: string[]) => {
    const input = await evaluate(
      `(() => { const i = document.createElement("input"); i.type = "file"; i.multiple = true; i.id = "test-pick"; document.body.append(i); return i; })()`,
      false,
    );
    await page.setFiles(input.objectId!, paths);
    const intakeId = randomUUID();
    const announced = (
      await evaluate(
        `(() => { const i = document.getElementById("test-pick"); const files = [...i.files]; i.remove();
          (globalThis[${JSON.stringify(HELD_FILES_GLOBAL)}] ??= new Map()).set(${JSON.stringify(intakeId)}, files);
          return files.map((f) => ({ name: f.name, size: f.size, lastModified: f.lastModified })); })()`,
      )
    ).value as { name: string; size: number; lastModified: number }[];
    return { intakeId, announced };
  };

  before(async () => {
    let window: AppWindow | null = null;
    up = await startUploadHost(filesOfWindow(() => window));
    opened = await openWindowPage(up.host.url, up.host.issueLaunchCode());
    ({ window, page } = opened);
  });
  after(async () => {
    await opened?.close();
    await up?.close();
  });

  test("a picked file is imported by its path: the ledger names where it was, its bytes hash right", async () => {
    const dir = await up.newCase("Window", "W. Indow");
    const source = path.join(up.root, "clip \u202egpj.mp4");
    const bytes = randomBytes(300_000);
    await writeFile(source, bytes);
    const { intakeId, announced } = await pick([source]);
    const answer = await up.client.api.importWindowFiles({ dir, intakeId, files: announced, collection: {} });
    assert.ok(answer.ok, JSON.stringify(answer));
    assert.equal(answer.value.reason, null);
    const job = await finishedJob(up.client, answer.value.jobId!);
    assert.equal(job.outcomeCounts?.imported, 1, JSON.stringify(job));
    const [item] = imported((await up.service.ledgerEvents({ dir })).map((e) => e.event));
    assert.equal(item?.source.path, source);
    assert.equal(item?.source.channel, "window");
    assert.equal(item?.sha256, createHash("sha256").update(bytes).digest("hex"));
    // The stand-alone checker knows the channel.
    const checked = execFileSync("python3", [path.join(REPO_ROOT, "resources/verify-ledger.py"), dir], {
      encoding: "utf8",
    });
    assert.doesNotMatch(checked, /unexpected|not one of/i);
  });

  test("two intakes of some hundreds of files asked at once are both taken by path", async () => {
    // More files than the host places at once, so both intakes hold the page's objects together.
    const intakes = [];
    for (const side of ["left", "right"]) {
      const folder = path.join(up.root, `many ${side}`);
      await mkdir(folder);
      const paths = Array.from({ length: 300 }, (_, i) => path.join(folder, `${i}.bin`));
      for (const [i, file] of paths.entries()) await writeFile(file, `${side} ${i}`);
      intakes.push({ dir: await up.newCase(`Many ${side}`, "W. Indow"), paths, ...(await pick(paths)) });
    }
    const answers = await Promise.all(
      intakes.map(({ dir, intakeId, announced }) =>
        up.client.api.importWindowFiles({ dir, intakeId, files: announced, collection: {} }),
      ),
    );
    for (const [n, answer] of answers.entries()) {
      assert.ok(answer.ok && answer.value.jobId, JSON.stringify(answer));
      const job = await finishedJob(up.client, answer.value.jobId);
      assert.equal(job.outcomeCounts?.imported, 300, JSON.stringify(job.outcomeCounts));
      const items = imported((await up.service.ledgerEvents({ dir: intakes[n]!.dir })).map((e) => e.event));
      assert.deepEqual(items.map((i) => i.source.path).sort(), [...intakes[n]!.paths].sort());
      assert.ok(items.every((i) => i.source.channel === "window"));
    }
  });

  test("the workbench page itself takes a picked file by path: its import is the file on disk, not an upload", async () => {
    const dir = await up.newCase("Board", "W. Indow");
    const source = path.join(up.root, "board pick.bin");
    const bytes = randomBytes(200_000);
    await writeFile(source, bytes);
    // The page has signed in with its launch code; the case is opened as the examiner would.
    await page.openCase(dir);
    await page.pickOnBoard([source]);
    let items: Record<string, any>[] = [];
    for (let tries = 0; items.length === 0; tries++) {
      assert.ok(tries < 600, "the picked file was never imported");
      await delay(100);
      items = imported((await up.service.ledgerEvents({ dir })).map((e) => e.event));
    }
    assert.equal(items[0]!.source.path, source);
    assert.equal(items[0]!.source.channel, "window");
    assert.equal(items[0]!.sha256, createHash("sha256").update(bytes).digest("hex"));
  });

  test("dropped on the window: a loose file goes by path", async () => {
    const loose = path.join(up.root, "dropped.bin");
    await writeFile(loose, randomBytes(50_000));
    const itemsOf = async (dir: string, count: number) => {
      for (let tries = 0; ; tries++) {
        const items = imported((await up.service.ledgerEvents({ dir })).map((e) => e.event));
        if (items.length >= count) return items;
        assert.ok(tries < 600, "the dropped files were never imported");
        await delay(100);
      }
    };
    const dir = await up.newCase("Dropped", "W. Indow");
    await page.reload();
    await page.openCase(dir);
    await page.dropOnWindow([loose]);
    const [item] = await itemsOf(dir, 1);
    assert.deepEqual([item!.source.path, item!.source.relativePath, item!.source.channel], [loose, null, "window"]);
  });

  test("a name that is only the end of the file's name, or not exactly its name, is refused; the exact name goes by path", async () => {
    const dir = await up.newCase("Suffix", "W. Indow");
    const source = path.join(up.root, "photo-evidence.jpg");
    await writeFile(source, randomBytes(2000));
    for (const name of [
      "evidence.jpg",
      "-evidence.jpg",
      "photo-evidence.jp",
      "Photo-evidence.jpg",
      "/photo-evidence.jpg",
      "photo-evidence.jpg/",
      `${path.basename(up.root)}//photo-evidence.jpg`,
    ]) {
      const held = await pick([source]);
      const answer = await up.client.api.importWindowFiles({
        dir,
        intakeId: held.intakeId,
        files: [{ ...held.announced[0]!, name }],
        collection: {},
      });
      assert.ok(answer.ok, JSON.stringify(answer));
      assert.equal(answer.value.jobId, null, `${JSON.stringify(name)} was taken by path`);
      assert.equal(
        answer.value.reason,
        `${JSON.stringify(name)}: the browser places it elsewhere than its name under the drop says`,
      );
    }
    assert.equal(imported((await up.service.ledgerEvents({ dir })).map((e) => e.event)).length, 0);
    const exact = await pick([source]);
    assert.equal(exact.announced[0]!.name, "photo-evidence.jpg");
    const answer = await up.client.api.importWindowFiles({ dir, ...exact, files: exact.announced, collection: {} });
    assert.ok(answer.ok && answer.value.jobId !== null, JSON.stringify(answer));
    assert.equal((await finishedJob(up.client, answer.value.jobId)).outcomeCounts?.imported, 1);
    const [item] = imported((await up.service.ledgerEvents({ dir })).map((e) => e.event));
    assert.deepEqual([item?.source.path, item?.source.relativePath], [source, null]);
  });

  test("a file changed on disk since the pick is refused with one line, and nothing is imported", async () => {
    const dir = await up.newCase("Changed", "W. Indow");
    const source = path.join(up.root, "changed.bin");
    await writeFile(source, randomBytes(1000));
    const { intakeId, announced } = await pick([source]);
    await writeFile(source, randomBytes(1200));
    await utimes(source, new Date(), new Date(Date.now() + 5000));
    const answer = await up.client.api.importWindowFiles({ dir, intakeId, files: announced, collection: {} });
    assert.ok(answer.ok, JSON.stringify(answer));
    assert.equal(answer.value.jobId, null);
    assert.match(answer.value.reason!, /^"changed\.bin": it has changed on disk since it was dropped$/);

    // Rewritten in place with as many bytes: only its time tells.
    const same = path.join(up.root, "same size.bin");
    await writeFile(same, randomBytes(1000));
    await utimes(same, new Date(), new Date(Date.now() - 60_000));
    const rewritten = await pick([same]);
    await writeFile(same, randomBytes(1000));
    await utimes(same, new Date(), new Date());
    const again = await up.client.api.importWindowFiles({
      dir,
      intakeId: rewritten.intakeId,
      files: rewritten.announced,
      collection: {},
    });
    assert.ok(again.ok && again.value.jobId === null, JSON.stringify(again));
    assert.match(again.value.reason!, /^"same size\.bin": it has changed on disk since it was dropped$/);
    assert.equal(imported((await up.service.ledgerEvents({ dir })).map((e) => e.event)).length, 0);
  });

  test("a dropped symbolic link is refused with one line, its target is not imported", async () => {
    const dir = await up.newCase("Link", "W. Indow");
    const target = path.join(up.root, "link target.bin");
    const link = path.join(up.root, "dropped link.bin");
    await writeFile(target, randomBytes(1000));
    await symlink(target, link);
    const { intakeId, announced } = await pick([link]);
    const answer = await up.client.api.importWindowFiles({ dir, intakeId, files: announced, collection: {} });
    assert.ok(answer.ok && answer.value.jobId === null, JSON.stringify(answer));
    assert.match(answer.value.reason!, /: it is not a regular file on disk$/);
    assert.equal(imported((await up.service.ledgerEvents({ dir })).map((e) => e.event)).length, 0);
  });

  test("a lying page, a foreign id, a file gone and a file made by a script are refused with a reason", async () => {
    const dir = await up.newCase("Hostile", "W. Indow");
    const source = path.join(up.root, "kept.bin");
    await writeFile(source, randomBytes(1000));
    const call = (intakeId: string, files: { name: string; size: number; lastModified: number }[]) =>
      up.client.api.importWindowFiles({ dir, intakeId, files, collection: {} });
    const reasonOf = async (answer: ReturnType<typeof call>) => {
      const got = await answer;
      assert.ok(got.ok, JSON.stringify(got));
      assert.equal(got.value.jobId, null);
      assert.doesNotMatch(got.value.reason!, /\n/);
      return got.value.reason!;
    };

    const lied = await pick([source]);
    const bigger = [{ ...lied.announced[0]!, size: 999_999 }];
    assert.match(await reasonOf(call(lied.intakeId, bigger)), /announced another size or time/);
    assert.match(await reasonOf(call(randomUUID(), lied.announced)), /no page of the window holds files/);
    assert.match(await reasonOf(call(lied.intakeId, [...lied.announced, ...lied.announced])), /another number/);

    const gone = await pick([source]);
    await rm(source);
    assert.match(await reasonOf(call(gone.intakeId, gone.announced)), /no longer where it was dropped from/);

    const madeId = randomUUID();
    await evaluate(
      `(globalThis[${JSON.stringify(HELD_FILES_GLOBAL)}] ??= new Map()).set(${JSON.stringify(madeId)}, [new File(["x"], "made.txt", { lastModified: 5 })])`,
    );
    assert.match(await reasonOf(call(madeId, [{ name: "made.txt", size: 1, lastModified: 5 }])), /knows no path/);

    const newline = path.join(up.root, "line\nbreak.bin");
    await writeFile(newline, "x");
    const odd = await pick([newline]);
    assert.match(await reasonOf(call(odd.intakeId, odd.announced)), /cannot be named plainly/);
    assert.equal(imported((await up.service.ledgerEvents({ dir })).map((e) => e.event)).length, 0);
  });

  test("a host without a window of its own, a window gone mid-request, and after, answer with a reason", async () => {
    const dir = await up.newCase("Gone", "W. Indow");
    const files = [{ name: "a.bin", size: 1, lastModified: 1 }];
    const windowless = await startUploadHost();
    const none = await windowless.client.api.importWindowFiles({
      dir: await windowless.newCase("No window", "W. Indow"),
      intakeId: randomUUID(),
      files,
      collection: {},
    });
    await windowless.close();
    assert.ok(none.ok && none.value.jobId === null && /no window of its own/.test(none.value.reason!));
    // A page that never answers (its held files' getter spins), then the window closed under the request.
    await evaluate(
      `setTimeout(() => { globalThis[${JSON.stringify(HELD_FILES_GLOBAL)}] = { get() { for (;;); } }; }, 0)`,
    );
    const asked = up.client.api.importWindowFiles({ dir, intakeId: randomUUID(), files, collection: {} });
    await delay(500);
    await opened!.window.close();
    for (const answer of [
      await asked,
      await up.client.api.importWindowFiles({ dir, intakeId: randomUUID(), files, collection: {} }),
    ]) {
      assert.ok(answer.ok && answer.value.jobId === null, JSON.stringify(answer));
      assert.match(answer.value.reason!, /^the browser has closed$/);
    }
  });
});
