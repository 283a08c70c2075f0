/**
 * GET /files: one case file (an original or a derivative) by its case path, for <img>, <video>
 * and the map's scene reads in browser mode. What is answered (the path checks, the single byte
 * ranges) is caseFileRange.ts, shared with the desktop window; this writes it to the connection.
 */
import type http from "node:http";
import { pipeline } from "node:stream/promises";
import { answerBody, answerCaseFile } from "./caseFileRange.js";

export async function serveCaseFile(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const answer = await answerCaseFile(
    url.searchParams.get("dir") ?? "",
    url.searchParams.get("path") ?? "",
    req.headers.range ?? null,
  );
  res.writeHead(answer.status, answer.headers);
  const body = await answerBody(answer);
  if (!body) return void res.end();
  // pipeline, not pipe: a request the page abandons (a video seeking) closes the file too.
  await pipeline(body, res).catch(() => undefined);
}
