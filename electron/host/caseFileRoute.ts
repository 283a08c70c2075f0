/**
 * GET /files: one case file (an original or a derivative) by its case path, for <img> and <video>
 * in browser mode. The same path checks as the desktop window's reads, and single byte ranges so a
 * video seeks without loading the whole file.
 */
import type http from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { fail } from "../../shared/api/result.js";
import { openCaseFile } from "../services/vault/caseFileAccess.js";
import { SightlineError } from "../services/sightlineError.js";
import { SECURITY_HEADERS, send, statusFor } from "./hostResponses.js";

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

export async function serveCaseFile(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const dir = url.searchParams.get("dir") ?? "";
  const casePath = url.searchParams.get("path") ?? "";
  // The same checks as the desktop window's reads: allowed case paths only, and links must stay
  // on allowed paths of this case.
  let opened: Awaited<ReturnType<typeof openCaseFile>>;
  try {
    opened = await openCaseFile(dir, casePath);
  } catch (error) {
    const code = error instanceof SightlineError ? error.code : "internal";
    if (code === "not-found" || code === "not-a-case" || code === "io-error") {
      return send(res, 404, fail("not-found", "no such file in that case"));
    }
    return send(res, statusFor(code), fail(code, error instanceof Error ? error.message : "refused"));
  }
  const { handle, size } = opened;
  const headers = {
    ...SECURITY_HEADERS,
    ...mediaHeaders(casePath),
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
    "Accept-Ranges": "bytes",
  };
  // One byte range (what <video> asks for when it seeks); anything else gets the whole file.
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? "");
  let start = 0;
  let end = size - 1;
  if (range && (range[1] !== "" || range[2] !== "")) {
    start = range[1] === "" ? Math.max(0, size - Number(range[2])) : Number(range[1]);
    end = range[1] !== "" && range[2] !== "" ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start > end || start >= size) {
      await handle.close();
      res.writeHead(416, { ...headers, "Content-Range": `bytes */${size}` });
      return void res.end();
    }
    res.writeHead(206, {
      ...headers,
      "Content-Range": `bytes ${start}-${end}/${size}`,
      "Content-Length": end - start + 1,
    });
  } else {
    res.writeHead(200, { ...headers, "Content-Length": size });
  }
  if (size === 0) {
    await handle.close();
    return void res.end();
  }
  // pipeline, not pipe: a request the page abandons (a video seeking) closes the file too.
  await pipeline(handle.createReadStream({ start, end }), res).catch(() => undefined);
}
