/**
 * The sandboxed preload: exposes `window.sightline` (the SightlineBridge of
 * renderer/api/apiClient.ts) and nothing else. It forwards any method name;
 * the main process checks names and arguments against the contract. CommonJS,
 * because sandboxed preloads cannot be ES modules; it may only require
 * "electron", so the channel names are repeated from ipcGateway.ts.
 */
import electron = require("electron");

const INVOKE = "sightline:invoke";
const EVENT = "sightline:event";

electron.contextBridge.exposeInMainWorld("sightline", {
  invoke: (method: string, input: unknown) => electron.ipcRenderer.invoke(INVOKE, String(method), input),
  onEvent: (listener: (event: unknown) => void) => {
    const handler = (_event: unknown, payload: unknown) => listener(payload);
    electron.ipcRenderer.on(EVENT, handler);
    return () => {
      electron.ipcRenderer.removeListener(EVENT, handler);
    };
  },
});
