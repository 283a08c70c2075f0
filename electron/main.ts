/**
 * The Electron shell: one window, locked down, wired to the service through the
 * IPC gateway. It only wires; the work is in services/.
 *
 * Window: contextIsolation and sandbox on, nodeIntegration off, a strict
 * Content-Security-Policy on every response, no navigation away from the app,
 * no new windows, no webviews, no permissions granted. The page reaches case
 * files only through the gateway's allow-listed read channel.
 */
import { app, BrowserWindow, ipcMain, session } from "electron";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { registerIpcGateway } from "./ipcGateway.js";
import { KeyStore, defaultProfileDir } from "./services/keyStore.js";
import { SightlineService } from "./services/sightlineService.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const RENDERER_INDEX = path.join(here, "..", "renderer", "index.html");
const RENDERER_ROOT = pathToFileURL(path.dirname(RENDERER_INDEX)).href + "/";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const isAppUrl = (url: string) => url.startsWith(RENDERER_ROOT);

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    title: "Sightline",
    webPreferences: {
      preload: path.join(here, "preload.cjs"),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  void window.loadFile(RENDERER_INDEX);
  return window;
}

app.on("web-contents-created", (_event, contents) => {
  contents.on("will-navigate", (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on("will-redirect", (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on("will-attach-webview", (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: "deny" }));
});

void app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, "Content-Security-Policy": [CONTENT_SECURITY_POLICY] } });
  });
  // No permission is granted: requests are refused, and so are the synchronous checks
  // some APIs make first, and access to HID, serial and USB devices.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);
  const service = new SightlineService(new KeyStore(defaultProfileDir()));
  registerIpcGateway(ipcMain, service, isAppUrl, () => BrowserWindow.getAllWindows().map((w) => w.webContents));
  createWindow();
  app.on("activate", () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on("window-all-closed", () => {
  if (process.platform !== "darwin") app.quit();
});
