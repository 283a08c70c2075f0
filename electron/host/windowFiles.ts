/**
 * Files dropped or picked in the host's own window (`sightline host --open`), taken by their path
 * instead of being sent through the page: the host asks the browser, over the window's DevTools pipe
 * (cdpPipe.ts), which file on disk each File object the page holds was made from
 * (`DOM.getFileInfo`). Nothing the page says about a path is used: the page names only an intake id
 * under which it keeps its File objects (`HELD_FILES_GLOBAL`), and each path comes from the browser
 * about that very object. A file is taken only when the path is a regular file (not a link) whose
 * size and modification time are the File's, as the browser reports them and as the page announced
 * them; anything else (a file made by a script, a file from a virtual source, a file changed since the
 * drop) answers with a reason, and the page sends the bytes instead.
 */
import { lstat } from "node:fs/promises";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { HELD_FILES_GLOBAL } from "../../shared/api/contract.js";
import type { CdpPipe } from "./cdpPipe.js";

export interface AnnouncedFile {
  name: string;
  size: number;
  lastModified: number;
}

/** Answers which paths a window's page holds files of; null when it holds none under that id. */
export interface WindowFiles {
  resolve(intakeId: string, files: readonly AnnouncedFile[]): Promise<{ paths: string[] } | { reason: string }>;
}

/** How long the browser has to answer for one intake before the page is told to send the bytes. */
const RESOLVE_TIMEOUT_MS = 15_000;
/** C0 and C1 controls and DEL: a path with one is sent by the page instead (it is named there as it is). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const OBJECT_GROUP = "sightline-window-files";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The files of the window whose DevTools pipe is `pipe`, on a page served from `origin`. */
export function windowFilesOver(pipe: CdpPipe, origin: string): WindowFiles {
  return {
    async resolve(intakeId, files) {
      if (!UUID.test(intakeId)) return { reason: "the intake id is not one the page makes" };
      if (!pipe.isOpen) return { reason: "the browser has closed" };
      const timeout = delay(RESOLVE_TIMEOUT_MS, null, { ref: false }).then(() => ({
        reason: "the window did not answer in time",
      }));
      try {
        return await Promise.race([resolveOver(pipe, origin, intakeId, files), timeout]);
      } catch (error) {
        return { reason: error instanceof Error ? error.message.split("\n")[0]! : "the window could not answer" };
      }
    },
  };
}

async function resolveOver(
  pipe: CdpPipe,
  origin: string,
  intakeId: string,
  files: readonly AnnouncedFile[],
): Promise<{ paths: string[] } | { reason: string }> {
  const { targetInfos } = (await pipe.send("Target.getTargets")) as {
    targetInfos?: { targetId: string; type: string; url: string }[];
  };
  const pages = (targetInfos ?? []).filter((t) => t.type === "page" && t.url.startsWith(`${origin}/`));
  for (const page of pages) {
    const { sessionId } = (await pipe.send("Target.attachToTarget", { targetId: page.targetId, flatten: true })) as {
      sessionId: string;
    };
    try {
      const answer = await pathsOnPage(pipe, sessionId, intakeId, files);
      if (answer) return answer;
    } finally {
      await pipe.send("Runtime.releaseObjectGroup", { objectGroup: OBJECT_GROUP }, sessionId).catch(() => undefined);
      await pipe.send("Target.detachFromTarget", { sessionId }).catch(() => undefined);
    }
  }
  return { reason: "no page of the window holds files under that intake id" };
}

/** The paths of the page's files under `intakeId`, a reason they cannot be taken, or null: not this page's. */
async function pathsOnPage(
  pipe: CdpPipe,
  sessionId: string,
  intakeId: string,
  files: readonly AnnouncedFile[],
): Promise<{ paths: string[] } | { reason: string } | null> {
  // The id is a UUID (checked above): it is written into the expression as a JSON string.
  const held = `globalThis[${JSON.stringify(HELD_FILES_GLOBAL)}]?.get?.(${JSON.stringify(intakeId)})`;
  const count = await evaluate(
    pipe,
    sessionId,
    `(() => { const f = ${held}; return Array.isArray(f) ? f.length : -1; })()`,
  );
  if (count.value === -1 || typeof count.value !== "number") return null;
  if (count.value !== files.length) return { reason: "the page holds another number of files than it announced" };
  const paths: string[] = [];
  for (const [index, announced] of files.entries()) {
    const file = await evaluate(pipe, sessionId, `${held}[${index}]`, false);
    if (file.className !== "File" || typeof file.objectId !== "string") {
      return { reason: `file ${index + 1} is not a file the page holds` };
    }
    const { path: filePath } = (await pipe.send("DOM.getFileInfo", { objectId: file.objectId }, sessionId)) as {
      path?: string;
    };
    if (!filePath) return { reason: `${announced.name}: the browser knows no path for it` };
    const reported = (await pipe.send(
      "Runtime.callFunctionOn",
      {
        objectId: file.objectId,
        functionDeclaration: "function () { return [this.size, this.lastModified]; }",
        returnByValue: true,
      },
      sessionId,
    )) as { result?: { value?: unknown } };
    const [size, lastModified] = Array.isArray(reported.result?.value) ? (reported.result.value as unknown[]) : [];
    const refusal = await checkPath(filePath, announced, size, lastModified);
    if (refusal) return { reason: refusal };
    paths.push(filePath);
  }
  return { paths };
}

async function evaluate(
  pipe: CdpPipe,
  sessionId: string,
  expression: string,
  byValue = true,
): Promise<{ value?: unknown; className?: string; objectId?: string }> {
  const answer = (await pipe.send(
    "Runtime.evaluate",
    { expression, returnByValue: byValue, objectGroup: OBJECT_GROUP, silent: true },
    sessionId,
  )) as { result?: { value?: unknown; className?: string; objectId?: string }; exceptionDetails?: unknown };
  if (answer.exceptionDetails) return {};
  return answer.result ?? {};
}

/** Why the file at `filePath` is not the File the page holds, or null when it is. */
async function checkPath(
  filePath: string,
  announced: AnnouncedFile,
  size: unknown,
  lastModified: unknown,
): Promise<string | null> {
  const name = JSON.stringify(announced.name.slice(0, 200));
  if (!path.isAbsolute(filePath) || CONTROL.test(filePath)) return `${name}: its path cannot be named plainly`;
  if (size !== announced.size || lastModified !== announced.lastModified) {
    return `${name}: the page announced another size or time than the browser holds`;
  }
  let info;
  try {
    info = await lstat(filePath);
  } catch {
    return `${name}: it is no longer where it was dropped from`;
  }
  if (!info.isFile()) return `${name}: it is not a regular file on disk`;
  // The browser's time is the file's in whole milliseconds.
  if (info.size !== size || Math.abs(info.mtimeMs - (lastModified as number)) >= 1) {
    return `${name}: it has changed on disk since it was dropped`;
  }
  return null;
}
