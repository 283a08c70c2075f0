/**
 * Reading case files for the Electron window (electron/services/caseFileAccess.ts),
 * against real files, links and FIFOs in a temporary case folder: vault objects and
 * derivatives come back byte for byte; everything else is refused with one line. Last,
 * the IPC gateway's read channel, with a stand-in for Electron's ipcMain (the Electron
 * binary cannot run here) in front of the real service.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import type { IpcMain, IpcMainInvokeEvent } from "electron";
import { IPC_READ_FILE_CHANNEL, registerIpcGateway } from "../../electron/ipcGateway.js";
import { CASE_FILE_PATH, readCaseFile } from "../../electron/services/vault/caseFileAccess.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { SightlineError } from "../../electron/services/sightlineError.js";
import { testService } from "../support/testService.js";
import type { ErrorCode, Result } from "../../shared/api/result.js";
import { hasUnsafeCharacters } from "../../shared/text/inertText.js";
import { tempDir } from "../support/fixtures.js";

const HASH = "ab" + "0123456789abcdef".repeat(4).slice(0, 62);
const OBJECT = `objects/sha256/ab/${HASH.slice(2)}`;
const DERIVED = `derived/${HASH}/thumb-256.jpg`;
const OTHER_HASH = "cd".repeat(32);
const APP = "file:///opt/sightline/dist/app/";

/** Awaits a refusal: a SightlineError with `code`, a message matching `pattern`, on one inert line. */
async function assertRefused(read: Promise<unknown>, code: ErrorCode, pattern: RegExp): Promise<void> {
  await assert.rejects(read, (error: unknown) => {
    assert.ok(error instanceof SightlineError, `expected a SightlineError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    assert.ok(!/[\r\n]/.test(error.message), "one line");
    assert.ok(!hasUnsafeCharacters(error.message), "no control or bidi characters in the message");
    return true;
  });
}

// Made at the top level; tempDir removes it when the test process exits.
const root = await tempDir();
const caseDir = path.join(root, "Kidal case");

describe("readCaseFile", () => {
  const objectBytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(70_000)]);
  const derivedBytes = randomBytes(4096);

  before(async () => {
    await mkdir(path.join(caseDir, "objects", "sha256", "ab"), { recursive: true });
    await mkdir(path.join(caseDir, "derived", HASH), { recursive: true });
    await mkdir(path.join(caseDir, "derived", OTHER_HASH), { recursive: true });
    await writeFile(path.join(caseDir, "case.json"), "{}\n");
    await writeFile(path.join(caseDir, "ledger.jsonl"), "");
    await writeFile(path.join(caseDir, ...OBJECT.split("/")), objectBytes);
    await writeFile(path.join(caseDir, ...DERIVED.split("/")), derivedBytes);
    await writeFile(path.join(root, "secret.txt"), "not evidence");
  });

  test("a vault object and a derivative are read byte for byte", async () => {
    const object = await readCaseFile(caseDir, OBJECT);
    assert.ok(Buffer.from(object.buffer, object.byteOffset, object.byteLength).equals(objectBytes));
    const derived = await readCaseFile(caseDir, DERIVED);
    assert.ok(Buffer.from(derived.buffer, derived.byteOffset, derived.byteLength).equals(derivedBytes));
    // Only the file's bytes would cross IPC: the view is its whole ArrayBuffer.
    assert.equal(derived.byteOffset, 0);
    assert.equal(derived.buffer.byteLength, derivedBytes.length);
  });

  test("the allow-list is the loopback host's: objects, derivatives and exports only", () => {
    assert.ok(CASE_FILE_PATH.test(OBJECT));
    assert.ok(CASE_FILE_PATH.test(DERIVED));
    assert.ok(CASE_FILE_PATH.test("exports/kidal-geolocations-20260216T091200000Z.kml"));
    for (const refused of [
      "case.json",
      "ledger.jsonl",
      `objects/sha256/ab/${HASH}`,
      `derived/${HASH}/.hidden`,
      "exports/.hidden",
      "exports/../ledger.jsonl",
      "exports/sub/file.kml",
      "exports/",
    ]) {
      assert.ok(!CASE_FILE_PATH.test(refused), refused);
    }
  });

  test("paths climbing out with ../ are refused", async () => {
    for (const casePath of ["../secret.txt", `derived/${HASH}/../../case.json`, `derived/${HASH}/..`]) {
      await assertRefused(
        readCaseFile(caseDir, casePath),
        "invalid-input",
        /is not a vault object, derivative or export path/,
      );
    }
  });

  test("absolute case paths are refused", async () => {
    await assertRefused(readCaseFile(caseDir, path.join(root, "secret.txt")), "invalid-input", /not a vault object/);
    await assertRefused(readCaseFile(caseDir, "/etc/passwd"), "invalid-input", /not a vault object/);
  });

  test("case.json, the ledger and keys are refused", async () => {
    for (const casePath of ["case.json", "ledger.jsonl", "keys/examiner.key", "derived/keys/examiner.key"]) {
      await assertRefused(readCaseFile(caseDir, casePath), "invalid-input", /^"[^"]+" is not a vault object/);
    }
  });

  test("a case path with control or bidi characters is refused and shown inert", async () => {
    await assertRefused(
      readCaseFile(caseDir, `derived/${HASH}/thumb\u202egpj.exe`),
      "invalid-input",
      /thumb\\u\{202E\}gpj\.exe/,
    );
    await assertRefused(readCaseFile(caseDir, `${DERIVED}\n`), "invalid-input", /\\u\{000A\}/);
    await assertRefused(readCaseFile(caseDir, `${DERIVED}\u0000`), "invalid-input", /\\u\{0000\}/);
  });

  test("a symbolic link in derived/ that leads outside the case is refused", async () => {
    await symlink(path.join(root, "secret.txt"), path.join(caseDir, "derived", OTHER_HASH, "escape.jpg"));
    await assertRefused(
      readCaseFile(caseDir, `derived/${OTHER_HASH}/escape.jpg`),
      "invalid-input",
      /is a link to a file that is not a vault object, derivative or export of this case/,
    );
  });

  test("a symbolic link to case.json inside the case is refused too", async () => {
    await symlink(path.join(caseDir, "case.json"), path.join(caseDir, "derived", OTHER_HASH, "inside.jpg"));
    await assertRefused(readCaseFile(caseDir, `derived/${OTHER_HASH}/inside.jpg`), "invalid-input", /is a link/);
  });

  test("a derivative folder that is itself a link out of the case is refused", async () => {
    const outside = path.join(root, "elsewhere");
    await mkdir(outside);
    await writeFile(path.join(outside, "thumb.jpg"), "outside");
    const linked = "ef".repeat(32);
    await symlink(outside, path.join(caseDir, "derived", linked));
    await assertRefused(readCaseFile(caseDir, `derived/${linked}/thumb.jpg`), "invalid-input", /is a link/);
  });

  test("a missing file is not found", async () => {
    await assertRefused(
      readCaseFile(caseDir, `derived/${HASH}/keyframe-0001.jpg`),
      "not-found",
      /^derived\/[0-9a-f]{64}\/keyframe-0001\.jpg is not in this case \(no such file\)$/,
    );
  });

  test("a folder without case.json is not a case", async () => {
    const bare = path.join(root, "bare");
    await mkdir(path.join(bare, "derived", HASH), { recursive: true });
    await writeFile(path.join(bare, ...DERIVED.split("/")), derivedBytes);
    await assertRefused(readCaseFile(bare, DERIVED), "not-a-case", /is not a Sightline case \(it has no case\.json\)/);
    await assertRefused(readCaseFile(path.join(root, "missing"), DERIVED), "not-a-case", /has no case\.json/);
  });

  test("the case folder must be an absolute path without ..", async () => {
    await assertRefused(readCaseFile("Kidal case", OBJECT), "invalid-input", /must be an absolute path/);
    await assertRefused(
      readCaseFile(path.join(caseDir, "derived") + "/../", OBJECT),
      "invalid-input",
      /must be an absolute path without "\.\."/,
    );
  });

  test("arguments that are not text are refused", async () => {
    await assertRefused(readCaseFile(caseDir, 42), "invalid-input", /must both be text/);
    await assertRefused(readCaseFile({ toString: () => caseDir }, OBJECT), "invalid-input", /must both be text/);
  });

  test("a file over the size bound is refused with its size and the bound", async () => {
    await assertRefused(
      readCaseFile(caseDir, OBJECT, { maxBytes: 1024 }),
      "invalid-input",
      /^objects\/sha256\/ab\/[0-9a-f]{62} is 70256 bytes; the window is sent case files of up to 1024 bytes$/,
    );
  });

  test("a FIFO planted in derived/ is refused without blocking", async (t) => {
    const fifo = path.join(caseDir, "derived", OTHER_HASH, "pipe.jpg");
    if (spawnSync("mkfifo", [fifo]).status !== 0) return t.skip("mkfifo is not available here");
    await assertRefused(readCaseFile(caseDir, `derived/${OTHER_HASH}/pipe.jpg`), "invalid-input", /not a regular file/);
  });

  test("the IPC read channel answers only our own page's main frame, with a Result", async () => {
    const handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>>();
    const ipcMain = { handle: handlers.set.bind(handlers), removeHandler: (c: string) => handlers.delete(c) };
    const service = testService(new KeyStore(path.join(root, "home")));
    const dispose = registerIpcGateway(
      ipcMain as unknown as IpcMain,
      service,
      (url) => url.startsWith(APP),
      () => [],
    );
    const read = handlers.get(IPC_READ_FILE_CHANNEL)!;
    const from = (url: string, isMainFrame = true) => {
      const mainFrame = { url };
      return { senderFrame: isMainFrame ? mainFrame : { url }, sender: { mainFrame } } as unknown as IpcMainInvokeEvent;
    };

    const answer = (await read(from(`${APP}index.html`), caseDir, DERIVED)) as Result<Uint8Array>;
    assert.ok(answer.ok && Buffer.from(answer.value).equals(derivedBytes));
    assert.deepEqual(await read(from(`${APP}index.html`), caseDir, "case.json"), {
      ok: false,
      error: {
        code: "invalid-input",
        message: '"case.json" is not a vault object, derivative or export path; nothing else is read from a case',
      },
    });
    for (const event of [from("https://evil.example/"), from(`${APP}index.html`, false)]) {
      assert.deepEqual(await read(event, caseDir, DERIVED), {
        ok: false,
        error: { code: "unauthorized", message: "IPC calls are accepted only from Sightline's own page" },
      });
    }
    dispose();
    assert.equal(handlers.size, 0);
  });
});
