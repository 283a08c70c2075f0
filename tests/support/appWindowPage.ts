/**
 * The host's own window (`openAppWindow`, as `sightline host --open` opens it), headless, and its
 * workbench page driven by the test. The window is opened by the product's own function; what is
 * the test's is the browser it names as `chromium`: a script that starts Chromium headless with a
 * DevTools port besides the window's pipe, which Playwright connects to (the pipe stays the host's,
 * as in the product). The page is driven over a DevTools session of that connection
 * (tests/integration/windowDrop*.test.ts, tests/bench/importUploadBench.ts).
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { chromium, type Browser, type Page } from "playwright-core";
import { openAppWindow, type AppWindow } from "../../electron/cli/appWindow.js";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.js";

export interface WindowPage {
  /** Runs `expression` in the page (promises awaited); its value, or the object's handle. */
  evaluate(expression: string, byValue?: boolean): Promise<{ value?: unknown; objectId?: string }>;
  /** Reloads the page (it stays signed in: the token is in its session storage) and waits for it. */
  reload(): Promise<void>;
  /** Opens `dir` from the start view, as the examiner does; resolves when the board's import row is there. */
  openCase(dir: string): Promise<void>;
  /** Sets `paths` on the file input whose handle is `objectId` (`DOM.setFileInputFiles`, as Playwright does). */
  setFiles(objectId: string, paths: string[]): Promise<void>;
  /** Sets `paths` on the board's "Pick files to import" input, as a pick or a drop hands them over. */
  pickOnBoard(paths: string[]): Promise<void>;
  /** Sets `folder` on the board's "Pick a folder to import" input, as the folder picker hands it over. */
  pickFolderOnBoard(folder: string): Promise<void>;
  /** Drags files or folders from "the desktop" onto the window (Chromium's own drag input, real entries). */
  dropOnWindow(paths: string[]): Promise<void>;
}

export interface OpenedWindow {
  window: AppWindow;
  page: WindowPage;
  /** Closes the window (safe after `window.close()`) and the test's connection to it. */
  close(): Promise<void>;
}

const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/** Opens the app window on the host at `hostUrl` with its launch `code`; resolves once its page reached the host. */
export async function openWindowPage(hostUrl: string, code: string): Promise<OpenedWindow> {
  const scripts = await mkdtemp(path.join(os.tmpdir(), "sightline-test-browser-"));
  const browserScript = path.join(scripts, "chromium");
  const args = ["--headless=new", ...CHROMIUM_ARGS, "--remote-debugging-port=0"];
  await writeFile(browserScript, `#!/bin/sh\nexec ${[CHROMIUM_PATH, ...args].map(quote).join(" ")} "$@"\n`, {
    mode: 0o700,
  });
  let failure: string | null = null;
  const window = openAppWindow(browserScript, hostUrl, code, (message) => (failure = message));
  let browser: Browser | null = null;
  const close = async () => {
    await window.close();
    await browser?.close().catch(() => undefined);
    await rm(scripts, { recursive: true, force: true });
  };
  try {
    browser = await chromium.connectOverCDP(`http://127.0.0.1:${await devToolsPort(window, () => failure)}`);
    return { window, page: await attachPage(browser, hostUrl), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The port Chromium wrote into the window's profile (DevToolsActivePort, its first line). */
async function devToolsPort(window: AppWindow, failure: () => string | null): Promise<number> {
  for (let tries = 0; ; tries++) {
    const failed = failure();
    if (failed) throw new Error(failed);
    const folders = await readdir(window.folder, { withFileTypes: true }).catch(() => []);
    for (const folder of folders.filter((f) => f.isDirectory())) {
      const text = await readFile(path.join(window.folder, folder.name, "DevToolsActivePort"), "utf8").catch(() => "");
      const port = Number(text.split("\n")[0]);
      if (text.includes("\n") && Number.isInteger(port) && port > 0) return port;
    }
    if (tries >= 300) throw new Error("the window's browser never opened its DevTools port");
    await delay(100);
  }
}

async function attachPage(browser: Browser, hostUrl: string): Promise<WindowPage> {
  let page: Page | undefined;
  for (let tries = 0; !page; tries++) {
    page = browser
      .contexts()
      .flatMap((c) => c.pages())
      .find((p) => p.url().startsWith(`${hostUrl}/`));
    if (tries >= 300) throw new Error("the window never reached the host");
    if (!page) await delay(100);
  }
  await page.waitForLoadState("load");
  const session = await page.context().newCDPSession(page);
  const send = (method: string, params: object) =>
    (session as unknown as { send(m: string, p: object): Promise<Record<string, any>> }).send(method, params);
  const evaluate = async (expression: string, byValue = true) => {
    const answer = await send("Runtime.evaluate", { expression, returnByValue: byValue, awaitPromise: true });
    if (answer.exceptionDetails) throw new Error(`the page threw: ${JSON.stringify(answer.exceptionDetails)}`);
    return answer.result as { value?: unknown; objectId?: string };
  };
  const setFiles = async (objectId: string, paths: string[]) => {
    await send("DOM.setFileInputFiles", { objectId, files: paths });
  };
  const pickOn = async (label: string, paths: string[]) => {
    const picker = await evaluate(`document.querySelector('[aria-label=${JSON.stringify(label)}]')`, false);
    await setFiles(picker.objectId!, paths);
  };
  const shown = async (selector: string) => {
    const found = await page.waitForSelector(selector, { state: "attached", timeout: 60_000 }).catch(() => null);
    return found !== null;
  };
  return {
    evaluate,
    setFiles,
    async reload() {
      await page.reload({ waitUntil: "load" });
    },
    async openCase(dir) {
      if (!(await shown('[aria-label="Open case"]'))) throw new Error("no start view");
      await evaluate(`(async () => {
        const card = document.querySelector('[aria-label="Open case"]');
        const input = card.querySelector("input");
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set.call(input, ${JSON.stringify(dir)});
        input.dispatchEvent(new Event("input", { bubbles: true }));
        // The button is enabled once the page has taken the folder (it is disabled while empty).
        const button = [...card.querySelectorAll("button")].find((b) => b.textContent.trim() === "Open");
        for (let i = 0; i < 600 && button.disabled; i++) await new Promise((r) => setTimeout(r, 10));
        button.click();
      })()`);
      if (!(await shown('[aria-label="Pick files to import"]'))) throw new Error("the board never opened");
    },
    pickOnBoard: (paths) => pickOn("Pick files to import", paths),
    pickFolderOnBoard: (folder) => pickOn("Pick a folder to import", [folder]),
    async dropOnWindow(paths) {
      const data = { items: [], files: paths, dragOperationsMask: 1 };
      for (const type of ["dragEnter", "dragOver", "drop"]) {
        await send("Input.dispatchDragEvent", { type, x: 640, y: 500, data });
      }
    },
  };
}
