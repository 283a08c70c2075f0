/**
 * The Electron shell: one window, locked down, wired to the service through the
 * IPC gateway. It only wires; the work is in services/.
 *
 * Window: contextIsolation and sandbox on, nodeIntegration off, a strict
 * Content-Security-Policy on every response, no navigation away from the app,
 * no new windows (an http(s) link goes to the system browser once confirmed),
 * no webviews, no permissions granted. The page reaches case
 * files only through app://sightline/files, in byte ranges, from the cases it has opened.
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell, type WebContents } from "electron";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { assetType, DEFAULT_APP_DIR, PAGE_HEADERS, renderAppPage } from "./appPage.js";
import { ElectronPrinter } from "./electronPrinter.js";
import { caseFileResponse } from "./host/caseFileRange.js";
import { registerIpcGateway } from "./ipcGateway.js";
import { KeyStore, defaultProfileDir, type KeyProtector } from "./services/examiners/keyStore.js";
import { SightlineService } from "./services/sightlineService.js";
import { writePendingCheckpoints } from "./services/vault/caseStateCache.js";
import { inertText } from "../shared/text/inertText.js";

const here = path.dirname(fileURLToPath(import.meta.url));
/**
 * The UI is served from `app://sightline/`, a privileged scheme of our own rather than file://,
 * so the page has a real origin ('self' in its policy means exactly dist/app), each load gets its
 * own style nonce, and nothing else on disk is reachable by URL.
 */
const APP_ORIGIN = "app://sightline";
protocol.registerSchemesAsPrivileged([
  { scheme: "app", privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

/** Policy for everything that is not the page (assets, anything else a response may carry). */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

const isAppUrl = (url: string) => url.startsWith(`${APP_ORIGIN}/`);

/** Origins of the configured tile layers, asked afresh for each page load (set once the service exists). */
let tileOrigins: () => Promise<string[]> = async () => [];
/** Whether this window has opened the case at a folder (set once the service exists). */
let isOpenedCase: (dir: string) => boolean = () => false;

async function serveApp(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const headers = { "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store" };
  if (url.host !== "sightline") return new Response("not found", { status: 404, headers });
  // Case files in byte ranges, as the loopback host's /files serves them (a scene is never read
  // whole); same origin as the page, so its policy's 'self' already covers them.
  if (url.pathname === "/files") return caseFileResponse(request, isOpenedCase);
  try {
    if (url.pathname === "/" || url.pathname === "/index.html") {
      const page = await renderAppPage(DEFAULT_APP_DIR, await tileOrigins());
      return new Response(page.html, {
        headers: {
          ...headers,
          ...PAGE_HEADERS,
          "Content-Type": "text/html; charset=utf-8",
          "Content-Security-Policy": page.csp,
        },
      });
    }
    const type = assetType(url.pathname);
    if (type) {
      const body = await readFile(path.join(DEFAULT_APP_DIR, url.pathname));
      return new Response(body, {
        headers: {
          ...headers,
          "Content-Type": type,
          "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        },
      });
    }
  } catch {
    return new Response("the workbench UI is not built (run npm run build)", { status: 404, headers });
  }
  return new Response("not found", { status: 404, headers });
}

/**
 * Electron's safeStorage as the examiner keys' protector, where it really encrypts. On Linux
 * without a keyring it falls back to a fixed, public key ("basic_text"), which would only pretend:
 * then keys stay as they are, readable by the user only, like the CLI's.
 */
function keychainProtector(): KeyProtector | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  if (process.platform === "linux" && safeStorage.getSelectedStorageBackend() === "basic_text") return null;
  return {
    scheme: `electron-safeStorage-${process.platform}`,
    seal: (plain) => safeStorage.encryptString(plain.toString("base64")),
    open: (sealed) => Buffer.from(safeStorage.decryptString(sealed), "base64"),
  };
}

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
  void window.loadURL(`${APP_ORIGIN}/`);
  return window;
}

/**
 * A link the examiner followed (in a note): never opened in the app. An http(s) address goes to
 * the system browser once the examiner has confirmed it in a dialog that shows it whole; any other
 * scheme (file:, a custom protocol handler, javascript:) is refused.
 */
async function offerToSystemBrowser(contents: WebContents, url: string): Promise<void> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return;
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") return;
  const options = {
    type: "question" as const,
    buttons: ["Open in browser", "Cancel"],
    defaultId: 1,
    cancelId: 1,
    message: "Open this address in your web browser?",
    detail: inertText(target.href),
  };
  const window = BrowserWindow.fromWebContents(contents);
  const { response } = await (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options));
  if (response === 0) await shell.openExternal(target.href);
}

app.on("web-contents-created", (_event, contents) => {
  contents.on("will-navigate", (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    void offerToSystemBrowser(contents, url);
  });
  contents.on("will-redirect", (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on("will-attach-webview", (event) => event.preventDefault());
  // Links in notes open with target=_blank: no window is ever made, the address is offered instead.
  contents.setWindowOpenHandler(({ url }) => {
    void offerToSystemBrowser(contents, url);
    return { action: "deny" };
  });
});

void app.whenReady().then(() => {
  session.defaultSession.protocol.handle("app", serveApp);
  // Any other response (there should be none) gets the strictest policy unless it brings its own.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    const headers = details.responseHeaders ?? {};
    const hasPolicy = Object.keys(headers).some((k) => k.toLowerCase() === "content-security-policy");
    callback({
      responseHeaders: hasPolicy ? headers : { ...headers, "Content-Security-Policy": [CONTENT_SECURITY_POLICY] },
    });
  });
  // No permission is granted: requests are refused, and so are the synchronous checks
  // some APIs make first, and access to HID, serial and USB devices.
  // One exception: our own page may write text to the clipboard (the copy buttons beside hashes).
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback) =>
    callback(permission === "clipboard-sanitized-write" && isAppUrl(contents.getURL())),
  );
  session.defaultSession.setPermissionCheckHandler(
    (_contents, permission, origin) => permission === "clipboard-sanitized-write" && origin === APP_ORIGIN,
  );
  session.defaultSession.setDevicePermissionHandler(() => false);
  const service = new SightlineService(
    new KeyStore(defaultProfileDir(), keychainProtector()),
    () => new ElectronPrinter(),
  );
  tileOrigins = () => service.tileOrigins();
  isOpenedCase = (dir) => service.isOpenedCase(dir);
  registerIpcGateway(ipcMain, service, isAppUrl, () => BrowserWindow.getAllWindows().map((w) => w.webContents));
  createWindow();
  app.on("activate", () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

// The checkpoints of cases changed in the last seconds are written before the app ends (at most 2 s).
let checkpointsWritten = false;
app.on("before-quit", (event) => {
  if (checkpointsWritten) return;
  event.preventDefault();
  void writePendingCheckpoints(2000).finally(() => {
    checkpointsWritten = true;
    app.quit();
  });
});

app.on("window-all-closed", () => {
  if (process.platform !== "darwin") app.quit();
});
