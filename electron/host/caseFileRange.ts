/**
 * Serving one case file (an original or a derivative) by its case path, in byte ranges: what the
 * loopback host's GET /files (caseFileRoute.ts) and the desktop window's app://sightline/files
 * (electron/main.ts) both answer, so a 2 GB scene is read by the map a range at a time in either,
 * with the same refusals: allowed case paths only, nothing followed out of the case, regular files
 * only (caseFileAccess.openCaseFile).
 *
 * `answerCaseFile` decides (status, headers, which bytes); `caseFileResponse` turns that into a
 * web Response for Electron's protocol handler, and the host writes it to its Node response.
 */
import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { fail, type ErrorCode } from "../../shared/api/result.js";
import { openCaseFile } from "../services/vault/caseFileAccess.js";
import { SightlineError } from "../services/sightlineError.js";
import { SECURITY_HEADERS, statusFor } from "./hostResponses.js";

/**
 * The types a derivative is served as, by its extension: the images, videos and sounds the viewer
 * shows, and nothing a browser would run or render as a document (no HTML, SVG, XML or script).
 */
const MEDIA_TYPES: Record<string, string> = {
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".avif": "image/avif",
  ".mp4": "video/mp4",
  ".webm": "video/webm",
  ".m4a": "audio/mp4",
  ".mp3": "audio/mpeg",
  ".wav": "audio/wav",
  ".ogg": "audio/ogg",
};

/**
 * An original (whatever it claims to be) or a derivative of any other type is bytes to download,
 * never a page: <img> and <video> still show it, a navigation to it only saves it.
 */
function mediaHeaders(casePath: string): Record<string, string> {
  const type = casePath.startsWith("derived/") ? MEDIA_TYPES[path.extname(casePath).toLowerCase()] : undefined;
  return type
    ? { "Content-Type": type }
    : { "Content-Type": "application/octet-stream", "Content-Disposition": "attachment" };
}

/** What to answer: a JSON refusal, or the bytes `start`..`end` (inclusive) of an open file. */
export type CaseFileAnswer =
  | { status: number; headers: Record<string, string>; json: string }
  | { status: 200 | 206 | 416; headers: Record<string, string>; file: FileHandle; start: number; end: number };

function refusal(status: number, code: ErrorCode, message: string): CaseFileAnswer {
  return {
    status,
    headers: { ...SECURITY_HEADERS, "Content-Type": "application/json; charset=utf-8" },
    json: JSON.stringify(fail(code, message)),
  };
}

/**
 * One byte range of a file of `size` bytes, as RFC 9110 reads `Range: bytes=a-b`, `a-` or `-n`:
 * `null` when there is none or it is not one plain range (then the whole file is sent, which the
 * RFC allows), "unsatisfiable" when it starts past the end.
 */
export function byteRange(
  header: string | null,
  size: number,
): { start: number; end: number } | "unsatisfiable" | null {
  const range = /^bytes=(\d{0,16})-(\d{0,16})$/.exec(header ?? "");
  if (!range || (range[1] === "" && range[2] === "")) return null;
  const start = range[1] === "" ? Math.max(0, size - Number(range[2])) : Number(range[1]);
  const end = range[1] !== "" && range[2] !== "" ? Math.min(Number(range[2]), size - 1) : size - 1;
  return start > end || start >= size ? "unsatisfiable" : { start, end };
}

/** The answer for `casePath` in the case at `dir`, for a request with this Range header (or none). */
export async function answerCaseFile(
  dir: string,
  casePath: string,
  rangeHeader: string | null,
): Promise<CaseFileAnswer> {
  let opened: Awaited<ReturnType<typeof openCaseFile>>;
  try {
    opened = await openCaseFile(dir, casePath);
  } catch (error) {
    const code: ErrorCode = error instanceof SightlineError ? error.code : "internal";
    if (code === "not-found" || code === "not-a-case" || code === "io-error") {
      return refusal(404, "not-found", "no such file in that case");
    }
    return refusal(statusFor(code), code, error instanceof Error ? error.message : "refused");
  }
  const { handle, size } = opened;
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    ...mediaHeaders(casePath),
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
    "Accept-Ranges": "bytes",
  };
  const range = byteRange(rangeHeader, size);
  if (range === "unsatisfiable") {
    return {
      status: 416,
      headers: { ...headers, "Content-Range": `bytes */${size}` },
      file: handle,
      start: 0,
      end: -1,
    };
  }
  if (range === null) {
    return {
      status: 200,
      headers: { ...headers, "Content-Length": String(size) },
      file: handle,
      start: 0,
      end: size - 1,
    };
  }
  return {
    status: 206,
    headers: {
      ...headers,
      "Content-Range": `bytes ${range.start}-${range.end}/${size}`,
      "Content-Length": String(range.end - range.start + 1),
    },
    file: handle,
    start: range.start,
    end: range.end,
  };
}

/**
 * The bytes an answer sends, as a stream that closes the file when it ends or is abandoned (a
 * video seeking, a map tile no longer needed); null, with the file closed, when there are none.
 */
export async function answerBody(answer: CaseFileAnswer): Promise<Readable | null> {
  if ("json" in answer) return Readable.from([Buffer.from(answer.json)]);
  if (answer.end < answer.start) {
    await answer.file.close();
    return null;
  }
  return answer.file.createReadStream({ start: answer.start, end: answer.end });
}

/**
 * A request for `/files?dir=…&path=…` answered as a web Response (Electron's `protocol.handle`).
 * `isOpenedCase` limits it to the cases this window has opened; GET and HEAD only.
 */
export async function caseFileResponse(request: Request, isOpenedCase: (dir: string) => boolean): Promise<Response> {
  const url = new URL(request.url);
  const dir = url.searchParams.get("dir") ?? "";
  let answer: CaseFileAnswer;
  if (request.method !== "GET" && request.method !== "HEAD") {
    answer = refusal(405, "invalid-input", "use GET");
  } else if (!isOpenedCase(dir)) {
    answer = refusal(404, "not-found", "no such file in an open case");
  } else {
    answer = await answerCaseFile(dir, url.searchParams.get("path") ?? "", request.headers.get("range"));
  }
  if (request.method === "HEAD") {
    if ("file" in answer) await answer.file.close();
    return new Response(null, { status: answer.status, headers: answer.headers });
  }
  const body = await answerBody(answer);
  return new Response(body && (Readable.toWeb(body) as ReadableStream<Uint8Array>), {
    status: answer.status,
    headers: answer.headers,
  });
}
