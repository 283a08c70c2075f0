/**
 * PUT /upload requests over real HTTP on 127.0.0.1, as the workbench page sends them
 * (tests/integration/upload*.test.ts, restoreUpload.test.ts).
 */
import http from "node:http";
import { PassThrough } from "node:stream";
import type { LoopbackHost } from "../../electron/host/loopbackHost.js";

export type UploadAnswer = { status: number; body: { ok: boolean; error?: { code: string; message: string } } };

/** Starts a PUT whose body is written through the returned stream; resolves with the host's answer. */
export function openPut(
  host: LoopbackHost,
  query: string,
  headers: Record<string, string> = { Authorization: `Bearer ${host.token}` },
): { body: PassThrough; answer: Promise<UploadAnswer> } {
  const body = new PassThrough();
  const answer = new Promise<UploadAnswer>((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: host.port, path: `/upload?${query}`, method: "PUT", headers },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on("error", reject);
    body.pipe(req);
  });
  return { body, answer };
}

/** One whole PUT of `bytes`; resolves with the host's answer. */
export function put(
  host: LoopbackHost,
  query: string,
  bytes: Buffer,
  headers?: Record<string, string>,
): Promise<UploadAnswer> {
  const { body, answer } = openPut(host, query, headers);
  body.end(bytes);
  return answer;
}
