/**
 * PUT /upload requests over real HTTP on 127.0.0.1, as the workbench page sends them
 * (tests/integration/upload*.test.ts, restoreUpload.test.ts).
 */
import http from "node:http";
import path from "node:path";
import { PassThrough } from "node:stream";
import { startLoopbackHost, type LoopbackHost } from "../../electron/host/loopbackHost.js";
import type { WindowFiles } from "../../electron/host/windowFiles.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { SightlineService } from "../../electron/services/sightlineService.js";
import { createHttpClient, type ApiClient } from "../../renderer/api/apiClient.js";
import { tempDir } from "./fixtures.js";

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

export interface UploadHost {
  root: string;
  service: SightlineService;
  host: LoopbackHost;
  client: ApiClient;
  /** Waits for the service's jobs, then stops the host. */
  close(): Promise<void>;
  /** A new case under `root` (case-1, case-2, …), made through the API; its folder. */
  newCase(title: string, examiner: string, hashAlgorithms?: ("md5" | "sha1")[]): Promise<string>;
}

/**
 * A service with a fresh profile under a new temporary folder (`root`), behind a loopback host;
 * `windowFiles`, the files of the host's own window (tests/support/appWindowPage.ts).
 */
export async function startUploadHost(windowFiles: WindowFiles | null = null): Promise<UploadHost> {
  const root = await tempDir();
  const service = new SightlineService(new KeyStore(path.join(root, "home")), undefined, windowFiles);
  const host = await startLoopbackHost({ service });
  const client = createHttpClient(host.url, host.token);
  let caseNo = 0;
  return {
    root,
    service,
    host,
    client,
    async close() {
      await service.jobs.settle();
      await host.close();
      await service.close();
    },
    async newCase(title, examiner, hashAlgorithms = []) {
      const dir = path.join(root, `case-${++caseNo}`);
      const made = await client.api.createCase({ dir, title, examiner, hashAlgorithms });
      if (!made.ok) throw new Error(`the case was not made: ${made.error.message}`);
      return dir;
    },
  };
}
