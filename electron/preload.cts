/**
 * The sandboxed preload: exposes `window.sightline` (the SightlineBridge of
 * renderer/api/apiClient.ts, plus `readFile` and `pathForFile` of
 * renderer/src/connection.ts) and nothing else. It forwards any method name;
 * the main process checks names and arguments against the contract, and case
 * paths against its allow-list. CommonJS, because sandboxed preloads cannot be
 * ES modules; it may only require "electron", so the channel names are repeated
 * from ipcGateway.ts.
 */
import electron = require("electron");

const INVOKE = "sightline:invoke";
const EVENT = "sightline:event";
const READ_FILE = "sightline:read-case-file";

/** The read channel's answer: a Result of shared/api/result.ts carrying the bytes. */
type ReadFileResult = { ok: true; value: Uint8Array } | { ok: false; error: { code: string; message: string } };

electron.contextBridge.exposeInMainWorld("sightline", {
  invoke: (method: string, input: unknown) => electron.ipcRenderer.invoke(INVOKE, String(method), input),
  onEvent: (listener: (event: unknown) => void) => {
    const handler = (_event: unknown, payload: unknown) => listener(payload);
    electron.ipcRenderer.on(EVENT, handler);
    return () => {
      electron.ipcRenderer.removeListener(EVENT, handler);
    };
  },
  /** A vault object's or derivative's bytes; rejects with the main process's one-line reason. */
  readFile: async (dir: string, casePath: string): Promise<Uint8Array> => {
    const result = (await electron.ipcRenderer.invoke(READ_FILE, String(dir), String(casePath))) as ReadFileResult;
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  },
  /** The real path of a file dropped on the window or picked in an <input type=file>; "" for made-up files. */
  pathForFile: (file: File): string => electron.webUtils.getPathForFile(file),
});
