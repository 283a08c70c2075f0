/**
 * The IPC gateway's checks, with a minimal stand-in for Electron's ipcMain and
 * event objects (the Electron binary cannot run on CI machines). The service
 * behind it, the dispatcher and the contract are the real ones.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import type { IpcMain, IpcMainInvokeEvent, WebContents } from "electron";
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, registerIpcGateway } from "../../electron/ipcGateway.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { testService } from "../support/testService.js";
import { tempDir } from "../support/fixtures.js";

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;
const APP = "app://sightline/";

function frame(url: string) {
  return { url } as { url: string };
}

function eventFrom(url: string, isMainFrame = true): IpcMainInvokeEvent {
  const main = frame(url);
  return { senderFrame: isMainFrame ? main : frame(url), sender: { mainFrame: main } } as unknown as IpcMainInvokeEvent;
}

test("answers only our own page's main frame, and checks every call against the contract", async () => {
  const root = await tempDir();
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: (channel: string, h: Handler) => handlers.set(channel, h),
    removeHandler: (c: string) => handlers.delete(c),
  };
  const sent: unknown[] = [];
  const contents = {
    isDestroyed: () => false,
    send: (channel: string, payload: unknown) => sent.push([channel, payload]),
  };
  const service = testService(new KeyStore(path.join(root, "home")));
  const dispose = registerIpcGateway(
    ipcMain as unknown as IpcMain,
    service,
    (url) => url.startsWith(APP),
    () => [contents as unknown as WebContents],
  );
  const invoke = handlers.get(IPC_INVOKE_CHANNEL)!;

  const dir = path.join(root, "case");
  const foreign = await invoke(eventFrom("https://evil.example/"), "createCase", { dir, title: "t", examiner: "e" });
  assert.deepEqual(foreign, {
    ok: false,
    error: { code: "unauthorized", message: "IPC calls are accepted only from Sightline's own page" },
  });
  const subframe = await invoke(eventFrom(`${APP}index.html`, false), "openCase", { dir });
  assert.equal((subframe as any).error.code, "unauthorized");
  const notAMethod = await invoke(eventFrom(`${APP}index.html`), "__proto__", {});
  assert.equal((notAMethod as any).error.code, "not-found");
  const badInput = await invoke(eventFrom(`${APP}index.html`), "createCase", { dir, title: "" });
  assert.equal((badInput as any).error.code, "invalid-input");

  const created = (await invoke(eventFrom(`${APP}index.html`), "createCase", {
    dir,
    title: "Kidal",
    examiner: "A. Analyst",
  })) as any;
  assert.equal(created.ok, true);
  assert.equal(created.value.title, "Kidal");

  const job = (await invoke(eventFrom(`${APP}index.html`), "importFiles", {
    dir,
    paths: [path.join(root, "missing.jpg")],
    collection: {},
  })) as any;
  assert.equal(job.ok, true);
  await service.jobs.settle();
  assert.ok(
    sent.some(([channel, e]: any) => channel === IPC_EVENT_CHANNEL && e.type === "job.finished"),
    "events reach the window",
  );

  dispose();
  assert.equal(handlers.size, 0);
});
