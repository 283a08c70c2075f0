/**
 * The workbench page of the host's own window (`openAppWindow`, headless), driven over the window's
 * DevTools pipe: Playwright cannot attach to a browser it did not launch over a pipe, and a
 * Playwright-launched browser has no pipe the host could ask for paths
 * (tests/integration/windowDrop.test.ts, tests/bench/importUploadBench.ts).
 */
import { setTimeout as delay } from "node:timers/promises";
import type { AppWindow } from "../../electron/cli/appWindow.js";

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
  /** Drags files or folders from "the desktop" onto the window (Chromium's own drag input, real entries). */
  dropOnWindow(paths: string[]): Promise<void>;
}

/** Waits for the window's launcher to reach the host at `hostUrl`, and attaches to that page. */
export async function attachWindowPage(window: AppWindow, hostUrl: string): Promise<WindowPage> {
  let sessionId = "";
  for (let tries = 0; !sessionId; tries++) {
    const { targetInfos } = (await window.pipe.send("Target.getTargets")) as {
      targetInfos: { targetId: string; type: string; url: string }[];
    };
    const page = targetInfos.find((t) => t.type === "page" && t.url.startsWith(`${hostUrl}/`));
    if (page) {
      ({ sessionId } = (await window.pipe.send("Target.attachToTarget", {
        targetId: page.targetId,
        flatten: true,
      })) as {
        sessionId: string;
      });
    } else {
      if (tries >= 300) throw new Error("the window never reached the host");
      await delay(100);
    }
  }
  const evaluate = async (expression: string, byValue = true) => {
    const answer = (await window.pipe.send(
      "Runtime.evaluate",
      { expression, returnByValue: byValue, awaitPromise: true },
      sessionId,
    )) as { result: { value?: unknown; objectId?: string }; exceptionDetails?: { text?: string } };
    if (answer.exceptionDetails) throw new Error(`the page threw: ${JSON.stringify(answer.exceptionDetails)}`);
    return answer.result;
  };
  const loaded = async () => {
    for (let tries = 0; (await evaluate("document.readyState").catch(() => null))?.value !== "complete"; tries++) {
      if (tries >= 300) throw new Error("the workbench page never loaded");
      await delay(100);
    }
  };
  await loaded();
  const waitFor = (selector: string) => `(async () => {
    for (let i = 0; i < 600 && !document.querySelector(${JSON.stringify(selector)}); i++) await new Promise((r) => setTimeout(r, 100));
    return !!document.querySelector(${JSON.stringify(selector)});
  })()`;
  const setFiles = async (objectId: string, paths: string[]) => {
    await window.pipe.send("DOM.setFileInputFiles", { objectId, files: paths }, sessionId);
  };
  return {
    evaluate,
    setFiles,
    async reload() {
      // The old document may still answer "complete": wait for a document with another time origin.
      const origin = (await evaluate("performance.timeOrigin")).value;
      await window.pipe.send("Page.reload", {}, sessionId);
      for (let tries = 0; ; tries++) {
        const now = await evaluate("performance.timeOrigin").catch(() => null);
        if (now && now.value !== origin) break;
        if (tries >= 300) throw new Error("the workbench page never reloaded");
        await delay(100);
      }
      await loaded();
    },
    async openCase(dir) {
      if ((await evaluate(waitFor('[aria-label="Open case"]'))).value !== true) throw new Error("no start view");
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
      if ((await evaluate(waitFor('[aria-label="Pick files to import"]'))).value !== true) {
        throw new Error("the board never opened");
      }
    },
    async pickOnBoard(paths) {
      const picker = await evaluate(`document.querySelector('[aria-label="Pick files to import"]')`, false);
      await setFiles(picker.objectId!, paths);
    },
    async dropOnWindow(paths) {
      const data = { items: [], files: paths, dragOperationsMask: 1 };
      for (const type of ["dragEnter", "dragOver", "drop"]) {
        await window.pipe.send("Input.dispatchDragEvent", { type, x: 640, y: 500, data }, sessionId);
      }
    },
  };
}
