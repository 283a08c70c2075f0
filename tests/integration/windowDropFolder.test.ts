/**
 * A folder dropped or picked in the host's own window (`sightline host --open`) imported by path:
 * the real window (headless Chromium, tests/support/appWindowPage.ts), the real workbench page, a
 * real drop of the folder through Chromium's drag input (its own entries) or a real folder pick,
 * and the host asking that browser over the window's pipe where each file is. The case must record
 * the same names as the upload of the same folder (the folder's name first), apart from the
 * channel; a page naming a file otherwise than where the browser places it, or a file that cannot
 * be taken, makes the whole intake an upload.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import type { AppWindow } from "../../electron/cli/appWindow.js";
import { HELD_FILES_GLOBAL, type JobInfo } from "../../shared/api/contract.js";
import type { LedgerEvent } from "../../shared/ledger/events.js";
import { openWindowPage, type OpenedWindow, type WindowPage } from "../support/appWindowPage.js";
import { startUploadHost, type UploadHost } from "../support/uploadHost.js";

type Source = { originalName: string; path: string; relativePath: string | null; channel?: string };
const imported = (events: LedgerEvent[]) =>
  events.filter((e) => e.type === "item.imported").map((e) => e.payload as { sha256: string; source: Source });
const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

describe("a folder dropped or picked in the host's own window", () => {
  let up: UploadHost;
  let opened: OpenedWindow | undefined;
  let page: WindowPage;
  /** Runs once, after the window's check of the next intake and before its import (the race a swap wins). */
  let afterCheck: (() => Promise<void>) | null = null;

  before(async () => {
    let window: AppWindow | null = null;
    up = await startUploadHost({
      async resolve(intakeId, files) {
        const answer = await window!.files.resolve(intakeId, files);
        const swap = afterCheck;
        afterCheck = null;
        await swap?.();
        return answer;
      },
    });
    opened = await openWindowPage(up.host.url, up.host.issueLaunchCode());
    ({ window, page } = opened);
  });
  after(async () => {
    await opened?.close();
    await up?.close();
  });

  /** A new case opened on the board; `act` drops or picks there; the import job that follows and the case's items. */
  const onBoard = async (title: string, act: () => Promise<void>) => {
    const dir = await up.newCase(title, "W. Indow");
    await page.reload();
    await page.openCase(dir);
    const finished = new Promise<JobInfo>((resolve) => {
      const stop = up.service.onEvent((event) => {
        if (event.type === "job.finished" && event.job.dir === dir) {
          stop();
          resolve(event.job);
        }
      });
    });
    await act();
    const job = await finished;
    return { job, items: imported((await up.service.ledgerEvents({ dir })).map((e) => e.event)) };
  };

  /**
   * A phone dump: nested folders, names with markup and a bidi override, an empty folder, and two
   * links (to a file outside the folder and to one inside), which Chromium does not list.
   */
  const phoneDump = async (name: string) => {
    const parent = path.join(up.root, `${name} parent`);
    const top = path.join(parent, name);
    const files: Record<string, Buffer> = {
      "DCIM/100APPLE/<img src=x onerror=alert(1)>.jpg": randomBytes(30_000),
      "DCIM/100APPLE/IMG_0001.mov": randomBytes(70_000),
      "Telegram/clip \u202egpj.mp4": randomBytes(20_000),
      "Telegram/deep/er/still/note.txt": Buffer.from("a nested note"),
      "...": Buffer.from("three dots"),
    };
    for (const [under, bytes] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(top, under)), { recursive: true });
      await writeFile(path.join(top, under), bytes);
    }
    await mkdir(path.join(top, "empty", "emptier"), { recursive: true });
    await writeFile(path.join(parent, "outside.bin"), "outside the dropped folder");
    await symlink(path.join(parent, "outside.bin"), path.join(top, "to outside.bin"));
    await symlink("IMG_0001.mov", path.join(top, "DCIM/100APPLE/to inside.mov"));
    const expected = Object.entries(files)
      .map(([under, bytes]) => ({ relativePath: `${name}/${under}`, sha256: sha256(bytes) }))
      .sort((a, b) => a.relativePath.localeCompare(b.relativePath));
    return { parent, top, expected };
  };
  const named = (items: { sha256: string; source: Source }[]) =>
    items
      .map((i) => ({ relativePath: i.source.relativePath!, sha256: i.sha256 }))
      .sort((a, b) => a.relativePath.localeCompare(b.relativePath));

  test("dropped, it goes by path and the case names each file as the upload of the same folder does", async () => {
    const { parent, top, expected } = await phoneDump("phone dump");
    // With a name the window will not take by path (a control character), the whole folder is uploaded.
    const odd = path.join(top, "Telegram", "line\nbreak.txt");
    await writeFile(odd, "odd");
    const uploaded = await onBoard("Dump uploaded", () => page.dropOnWindow([top]));
    assert.equal(uploaded.job.outcomeCounts?.imported, expected.length + 1, JSON.stringify(uploaded.job));
    assert.ok(uploaded.items.every((i) => i.source.channel === "upload"));
    const oddItem = uploaded.items.find((i) => i.source.originalName === "line\nbreak.txt");
    assert.equal(oddItem?.source.relativePath, "phone dump/Telegram/line\nbreak.txt");

    await rm(odd);
    const byPath = await onBoard("Dump by path", () => page.dropOnWindow([top]));
    assert.equal(byPath.job.status, "finished", JSON.stringify(byPath.job));
    assert.deepEqual(byPath.job.outcomeCounts?.imported, expected.length, JSON.stringify(byPath.job));
    assert.deepEqual(named(byPath.items), expected);
    const rest = uploaded.items.filter((i) => i !== oddItem);
    assert.deepEqual(named(rest), expected);
    // Names as the upload recorded them; the path is where the host read the file; the channel says so.
    const names = (items: typeof rest) =>
      items.map((i) => [i.source.relativePath, i.source.originalName]).sort((a, b) => a[0]!.localeCompare(b[0]!));
    assert.deepEqual(names(byPath.items), names(rest));
    for (const { source } of byPath.items) {
      assert.equal(source.channel, "window");
      assert.equal(source.path, path.join(parent, source.relativePath!));
    }
    // Neither way took a link: the file outside the folder is in neither case.
    const outside = sha256(await readFile(path.join(parent, "outside.bin")));
    assert.ok(![...byPath.items, ...uploaded.items].some((i) => i.sha256 === outside));
  });

  test("picked with the folder picker, it goes by path with the same names", async () => {
    const { parent, top, expected } = await phoneDump("picked dump");
    const { job, items } = await onBoard("Dump picked", () => page.pickFolderOnBoard(top));
    assert.equal(job.outcomeCounts?.imported, expected.length, JSON.stringify(job));
    assert.deepEqual(named(items), expected);
    for (const { source } of items) {
      assert.deepEqual([source.channel, source.path], ["window", path.join(parent, source.relativePath!)]);
      assert.equal(source.originalName, path.basename(source.path));
    }
  });

  test("a folder's file replaced by a link after the window's check is refused; the rest come by path", async () => {
    const { parent, top, expected } = await phoneDump("swapped dump");
    const swapped = path.join(top, "DCIM/100APPLE/IMG_0001.mov");
    afterCheck = async () => {
      await rm(swapped);
      await symlink(path.join(parent, "outside.bin"), swapped);
    };
    const { job, items } = await onBoard("Dump swapped", () => page.dropOnWindow([top]));
    assert.equal(job.outcomeCounts?.imported, expected.length - 1, JSON.stringify(job));
    const refused = job.outcomes.filter((o) => o.status === "refused");
    assert.deepEqual(
      refused.map((o) => [o.displayPath, (o as { reason: string }).reason]),
      [[swapped, "it was replaced by a symbolic link after it was dropped"]],
    );
    assert.ok(items.every((i) => i.source.channel === "window"));
    const outside = sha256(await readFile(path.join(parent, "outside.bin")));
    assert.ok(!items.some((i) => i.sha256 === outside));
  });

  test("an empty folder dropped alone imports nothing and says so", async () => {
    const empty = path.join(up.root, "empty drop", "nothing here");
    await mkdir(path.join(empty, "nor here"), { recursive: true });
    const dir = await up.newCase("Empty drop", "W. Indow");
    await page.reload();
    await page.openCase(dir);
    await page.dropOnWindow([empty]);
    for (let tries = 0; ; tries++) {
      const text = (await page.evaluate("document.body.textContent")).value as string;
      if (text.includes("Nothing to import: no files were dropped or picked.")) break;
      assert.ok(tries < 300, "the board never said there was nothing to import");
      await delay(100);
    }
    assert.deepEqual(imported((await up.service.ledgerEvents({ dir })).map((e) => e.event)), []);
  });

  test("a page naming a folder's file otherwise than where it is, or a file replaced by a link before the check, is refused", async () => {
    const { top, expected } = await phoneDump("named dump");
    const dir = await up.newCase("Dump misnamed", "W. Indow");
    // The browser lists a folder's files after DOM.setFileInputFiles has answered (read at once, the
    // input sometimes held none yet): the input's change event says they are in, with how many.
    const input = await page.evaluate(
      `(() => { const i = document.createElement("input"); i.type = "file"; i.webkitdirectory = true; i.id = "test-folder";
        i.listed = new Promise((resolve) => {
          i.addEventListener("change", () => resolve(i.files.length), { once: true });
          setTimeout(() => resolve("no change event in 60 s"), 60_000);
        });
        document.body.append(i); return i; })()`,
      false,
    );
    await page.setFiles(input.objectId!, [top]);
    const listed = await page.evaluate(`document.getElementById("test-folder").listed`);
    assert.equal(listed.value, expected.length, "the files the browser lists in the picked folder");
    /** The picked files held under a new intake id, announced as the page would. */
    const hold = async () => {
      const intakeId = randomUUID();
      const announced = (
        await page.evaluate(`(() => { const files = [...document.getElementById("test-folder").files];
          (globalThis[${JSON.stringify(HELD_FILES_GLOBAL)}] ??= new Map()).set(${JSON.stringify(intakeId)}, files);
          return files.map((f) => ({ name: f.webkitRelativePath, size: f.size, lastModified: f.lastModified })); })()`)
      ).value as { name: string; size: number; lastModified: number }[];
      return { intakeId, announced };
    };
    const ask = async (rename: (name: string) => string) => {
      const { intakeId, announced } = await hold();
      const files = announced.map((f, i) => (i === 0 ? { ...f, name: rename(f.name) } : f));
      const answer = await up.client.api.importWindowFiles({ dir, intakeId, files, collection: {} });
      assert.ok(answer.ok, JSON.stringify(answer));
      return answer.value;
    };
    for (const rename of [
      (name: string) => `named dump/../../${name}`,
      (name: string) => name.replace(/^named dump/, "other dump"),
      (name: string) => `more/${name}`,
      (name: string) => name.replace(/\/([^/]*)$/, "/./$1"),
      // The end of the folder's name, or of the file's: only whole names under the drop match.
      (name: string) => name.replace(/^named /, ""),
      (name: string) => name.replace(/\/[^/]([^/]*)$/, "/$1"),
      (name: string) => name.replace("/", "//"),
    ]) {
      const answer = await ask(rename);
      assert.equal(answer.jobId, null);
      assert.match(answer.reason!, /: the browser places it elsewhere than its name under the drop says$/);
      assert.doesNotMatch(answer.reason!, /\n/);
    }
    const link = path.join(top, "Telegram/deep/er/still/note.txt");
    await rm(link);
    await symlink(path.join(top, "..."), link);
    const linked = await ask((name) => name);
    assert.equal(linked.jobId, null);
    assert.match(linked.reason!, /: it is not a regular file on disk$/);
    await page.evaluate(`document.getElementById("test-folder").remove()`);
    assert.deepEqual(imported((await up.service.ledgerEvents({ dir })).map((e) => e.event)), []);
  });
});
