/**
 * Files dropped or picked in the host's own window (`sightline host --open`), taken by their path
 * instead of being sent through the page: the host asks the browser, over the window's DevTools pipe
 * (cdpPipe.ts), which file on disk each File object the page holds was made from
 * (`DOM.getFileInfo`). Nothing the page says about a path is used: the page names only an intake id
 * under which it keeps its File objects (`HELD_FILES_GLOBAL`), and each path comes from the browser
 * about that very object. A file is taken only when the path is a regular file (not a link) whose
 * size and modification time are the File's, as the browser reports them and as the page announced
 * them, and whose path's last components are exactly the name the page announced (whole
 * components, never the end of one): a dropped or picked folder's file with its name under that
 * folder (`top/sub/clip.mp4`), which the import records as an upload of the same folder records it.
 * Anything else (a file made by a script, a file from a virtual source, a file changed since the
 * drop, a name that is not the path's last components) answers with a reason, and the page sends
 * the bytes of the whole intake instead. What was checked (device, inode, size, time) goes with
 * each path into the import, which takes the path only while it is still that same regular file
 * (importScan.ts `scanCheckedFiles`): a link or folder swapped in since the check is refused, never
 * followed or walked.
 */
import { randomUUID } from "node:crypto";
import { lstat } from "node:fs/promises";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { HELD_FILES_GLOBAL } from "../../shared/api/contract.js";
import type { CheckedFile } from "../services/import/importScan.js";
import type { CdpPipe } from "./cdpPipe.js";

export interface AnnouncedFile {
  name: string;
  size: number;
  lastModified: number;
}

/** Answers which paths a window's page holds files of; null when it holds none under that id. */
export interface WindowFiles {
  resolve(intakeId: string, files: readonly AnnouncedFile[]): Promise<{ files: CheckedFile[] } | { reason: string }>;
}

/**
 * How long the browser has to answer for one intake before the page is told to send the bytes: 15 s,
 * and 2 ms more for each file (about 3.5 minutes for the 100,000 files an intake may hold).
 */
const RESOLVE_TIMEOUT_MS = 15_000;
const RESOLVE_MS_PER_FILE = 2;
/** Files placed on disk at once (their requests in flight together on the pipe). */
const CHUNK = 256;
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
      const timeout = delay(RESOLVE_TIMEOUT_MS + RESOLVE_MS_PER_FILE * files.length, null, { ref: false }).then(() => ({
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
): Promise<{ files: CheckedFile[] } | { reason: string }> {
  const { targetInfos } = (await pipe.send("Target.getTargets")) as {
    targetInfos?: { targetId: string; type: string; url: string }[];
  };
  const pages = (targetInfos ?? []).filter((t) => t.type === "page" && t.url.startsWith(`${origin}/`));
  // Object groups belong to a DevTools session and each resolve attaches its own; a group per call as
  // well, so releasing it could not take another intake's objects even on a shared session.
  const group = `${OBJECT_GROUP}-${randomUUID()}`;
  for (const page of pages) {
    const { sessionId } = (await pipe.send("Target.attachToTarget", { targetId: page.targetId, flatten: true })) as {
      sessionId: string;
    };
    try {
      const answer = await pathsOnPage(pipe, sessionId, group, intakeId, files);
      if (answer) return answer;
    } finally {
      await pipe.send("Runtime.releaseObjectGroup", { objectGroup: group }, sessionId).catch(() => undefined);
      await pipe.send("Target.detachFromTarget", { sessionId }).catch(() => undefined);
    }
  }
  return { reason: "no page of the window holds files under that intake id" };
}

/**
 * The files on disk of the page's files under `intakeId`, a reason they cannot be taken, or null: not
 * this page's. The sizes and times of all come in one call; the files are then placed on disk a
 * chunk at a time, the chunk's requests sent together (100,000 loose files are not 300,000 round trips).
 */
async function pathsOnPage(
  pipe: CdpPipe,
  sessionId: string,
  group: string,
  intakeId: string,
  files: readonly AnnouncedFile[],
): Promise<{ files: CheckedFile[] } | { reason: string } | null> {
  // The id is a UUID (checked above): it is written into the expression as a JSON string.
  const held = `globalThis[${JSON.stringify(HELD_FILES_GLOBAL)}]?.get?.(${JSON.stringify(intakeId)})`;
  const reported = await evaluate(
    pipe,
    sessionId,
    group,
    `(() => { const f = ${held}; return Array.isArray(f) ? f.map((x) => (x instanceof File ? [x.size, x.lastModified] : null)) : -1; })()`,
  );
  if (!Array.isArray(reported.value)) return null;
  const times = reported.value as unknown[];
  if (times.length !== files.length) return { reason: "the page holds another number of files than it announced" };
  const checked: CheckedFile[] = [];
  for (let first = 0; first < files.length; first += CHUNK) {
    const chunk = files.slice(first, first + CHUNK);
    const answers = await Promise.all(
      chunk.map((announced, i) =>
        fileOnDisk(pipe, sessionId, group, `${held}[${first + i}]`, announced, times[first + i]),
      ),
    );
    for (const [i, answer] of answers.entries()) {
      if (answer === null) return { reason: `file ${first + i + 1} is not a file the page holds` };
      if (typeof answer === "string") return { reason: answer };
      checked.push(answer);
    }
  }
  return { files: checked };
}

/** Which file on disk the page's File at `expression` is, why it cannot be taken, or null: not a File. */
async function fileOnDisk(
  pipe: CdpPipe,
  sessionId: string,
  group: string,
  expression: string,
  announced: AnnouncedFile,
  reported: unknown,
): Promise<CheckedFile | string | null> {
  const file = await evaluate(pipe, sessionId, group, expression, false);
  if (file.className !== "File" || typeof file.objectId !== "string" || !Array.isArray(reported)) return null;
  const { path: filePath } = (await pipe.send("DOM.getFileInfo", { objectId: file.objectId }, sessionId)) as {
    path?: string;
  };
  if (!filePath) return `${JSON.stringify(announced.name.slice(0, 200))}: the browser knows no path for it`;
  const [size, lastModified] = reported as unknown[];
  return checkPath(filePath, announced, size, lastModified);
}

async function evaluate(
  pipe: CdpPipe,
  sessionId: string,
  group: string,
  expression: string,
  byValue = true,
): Promise<{ value?: unknown; className?: string; objectId?: string }> {
  const answer = (await pipe.send(
    "Runtime.evaluate",
    { expression, returnByValue: byValue, objectGroup: group, silent: true },
    sessionId,
  )) as { result?: { value?: unknown; className?: string; objectId?: string }; exceptionDetails?: unknown };
  if (answer.exceptionDetails) return {};
  return answer.result ?? {};
}

/**
 * Why the file at `filePath` is not the File the page holds, or which file on disk it is. Exported
 * besides `windowFilesOver` so that a test can check a real file as the window does and swap it
 * before the import, a race no browser can be made to lose on cue (windowDropSwap.test.ts).
 */
export async function checkPath(
  filePath: string,
  announced: AnnouncedFile,
  size: unknown,
  lastModified: unknown,
): Promise<string | CheckedFile> {
  const name = JSON.stringify(announced.name.slice(0, 200));
  if (!path.isAbsolute(filePath) || CONTROL.test(filePath)) return `${name}: its path cannot be named plainly`;
  const under = nameUnderDrop(filePath, announced.name);
  if (under === undefined) return `${name}: the browser places it elsewhere than its name under the drop says`;
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
  return { path: filePath, relativePath: under, dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs };
}

/**
 * A dropped folder's file keeps its name under the folder (the folder's own name first), recorded as
 * an upload records it: that name, when the browser's path ends with exactly the announced name's
 * `/`-separated parts, each a whole component of the path; null for a loose file (its name the path's
 * last component); undefined for anything else. A name that is only the end of a component
 * (`evidence.jpg` for `photo-evidence.jpg`) does not match, nor one with an empty part (a leading,
 * trailing or doubled `/`, which the page never announces), nor a `.` or `..` part, which no place
 * on disk is named.
 */
function nameUnderDrop(filePath: string, announced: string): string | null | undefined {
  const parts = announced.split("/");
  const onDisk = filePath.split(path.sep);
  const tail = onDisk.slice(onDisk.length - parts.length);
  const isItsTail =
    parts.length < onDisk.length &&
    parts.every((part, i) => part !== "" && part !== "." && part !== ".." && part === tail[i]);
  if (!isItsTail) return undefined;
  return parts.length > 1 ? announced : null;
}
