/**
 * GET /files: one case file (an original or a derivative) by its case path, for <img> and <video>
 * in browser mode. The same path checks as the desktop window's reads, and single byte ranges so a
 * video seeks without loading the whole file.
 */
import type http from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { fail } from "../../shared/api/result.js";
import { CONTENT_TYPES } from "../appPage.js";
import { openCaseFile } from "../services/vault/caseFileAccess.js";
import { SightlineError } from "../services/sightlineError.js";
import { SECURITY_HEADERS, send, statusFor } from "./hostResponses.js";

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
    "Content-Type": casePath.startsWith("derived/")
      ? (CONTENT_TYPES[path.extname(casePath)] ?? "application/octet-stream")
      : "application/octet-stream",
    "Content-Security-Policy": "default-src 'none'; sandbox",
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
