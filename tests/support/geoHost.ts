/**
 * A case behind a real loopback host for the where-and-when tests: the service with its own key
 * store, the host on 127.0.0.1, the renderer's HTTP client, files imported with the real CLI, and
 * a second examiner (their own profile, added to the case with `sightline examiner add`) behind a
 * host of their own, for reviews.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { startLoopbackHost, type LoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { SightlineService } from "../../electron/services/sightlineService.js";
import { createHttpClient } from "../../renderer/api/apiClient.js";
import type { Result } from "../../shared/api/result.js";
import { runCli } from "./cli.js";
import { tempDir } from "./fixtures.js";

type Api = ReturnType<typeof createHttpClient>["api"];

export interface GeoSeat {
  home: string;
  service: SightlineService;
  host: LoopbackHost;
  api: Api;
}

export interface GeoCase {
  root: string;
  caseDir: string;
  analyst: GeoSeat;
  /** Imports files (copied from wherever they are) and returns their SHA-256 by file name. */
  importFiles(files: string[]): Promise<Record<string, string>>;
  /** A second examiner, added to the case on first call. */
  reviewer(): Promise<GeoSeat>;
  ledgerText(): Promise<string>;
  close(): Promise<void>;
}

async function seat(home: string, appDir?: string): Promise<GeoSeat> {
  const service = new SightlineService(new KeyStore(home));
  const host = await startLoopbackHost({ service, ...(appDir ? { appDir } : {}) });
  return { home, service, host, api: createHttpClient(host.url, host.token).api };
}

/** The value of an ok Result, or a failed assertion that shows the error. */
export function valueOf<T>(result: Result<T>): T {
  if (!result.ok) assert.fail(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** The error of a failed Result, checked to be one line. */
export function errorOf(result: Result<unknown>): { code: string; message: string } {
  if (result.ok) assert.fail(`expected a refusal, got ${JSON.stringify(result.value).slice(0, 300)}`);
  assert.doesNotMatch(result.error.message, /[\n\r]/, "a refusal is one line");
  return result.error;
}

export async function startGeoCase(options: { appDir?: string } = {}): Promise<GeoCase> {
  const root = await tempDir("sightline-geo-");
  const caseDir = path.join(root, "case");
  const analyst = await seat(path.join(root, "analyst"), options.appDir);
  valueOf(await analyst.api.createCase({ dir: caseDir, title: "Kidal fire", examiner: "A. Analyst" }));
  let second: GeoSeat | null = null;
  let batch = 0;
  return {
    root,
    caseDir,
    analyst,
    async importFiles(files) {
      const dir = path.join(root, `incoming-${batch++}`);
      await mkdir(dir, { recursive: true });
      const out: Record<string, string> = {};
      for (const file of files) {
        const bytes = await readFile(file);
        await writeFile(path.join(dir, path.basename(file)), bytes);
        out[path.basename(file)] = createHash("sha256").update(bytes).digest("hex");
      }
      const r = await runCli(["import", caseDir, dir], analyst.home);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      return out;
    },
    async reviewer() {
      if (second) return second;
      const home = path.join(root, "reviewer");
      const card = await runCli(["examiner", "key", "--name", "B. Reviewer"], home);
      assert.equal(card.code, 0, card.stderr);
      const cardFile = path.join(root, "reviewer-card.json");
      await writeFile(cardFile, card.stdout);
      const added = await runCli(["examiner", "add", caseDir, cardFile], analyst.home);
      assert.equal(added.code, 0, added.stderr);
      second = await seat(home);
      valueOf(await second.api.openCase({ dir: caseDir }));
      return second;
    },
    ledgerText: () => readFile(path.join(caseDir, "ledger.jsonl"), "utf8"),
    async close() {
      for (const s of [analyst, second]) {
        if (!s) continue;
        await s.service.jobs.settle();
        await s.host.close();
        await s.service.close();
      }
    },
  };
}
