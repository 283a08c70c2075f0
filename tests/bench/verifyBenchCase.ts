/**
 * The verify benchmark's cases: real cases (createCase, with a key from a KeyStore in a
 * profile folder of their own) holding N random objects of 1–8 KiB written straight into the
 * vault layout, read-only, and one item.imported event per object appended through
 * LedgerWriter in batches of 1,000, as the import pipeline writes them. Making 100,000 takes
 * most of a minute (signing every event), so each case is kept in the temporary folder, keyed
 * by N, and reused.
 */
import { createHash, randomBytes, randomInt } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CASE_PATHS, objectPathFor } from "../../shared/case/caseFile.js";
import type { CaseFile } from "../../shared/case/caseFile.js";
import type { EventDraft, LedgerEvent } from "../../shared/ledger/events.js";
import { TOOL } from "../../electron/services/appInfo.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { LedgerWriter } from "../../electron/services/ledger/ledgerWriter.js";
import type { SignatureCheck } from "../../electron/services/ledger/verifyPool.js";
import { createCase } from "../../electron/services/vault/caseStore.js";

/** Bump when the generator changes, so cached cases are made again. */
const GENERATOR_VERSION = 1;
const APPEND_BATCH = 1000;

export interface BenchCase {
  n: number;
  caseDir: string;
  /** How long making it took (in an earlier run, when it was reused), and how much of that was spent per item. */
  generatedMs: number;
  msPerItem: number;
  isReused: boolean;
}

/** What verification reads from the case: every event's signature and every object the ledger names. */
export interface BenchCaseContents {
  events: number;
  signatures: SignatureCheck[];
  objects: { path: string; size: number; sha256: string }[];
  bytes: number;
}

const rootFor = (n: number) => path.join(os.tmpdir(), `sightline-verify-bench-${n}`);

/** The cached case of `n` items, if a complete one is there. */
export async function cachedBenchCase(n: number): Promise<BenchCase | null> {
  const root = rootFor(n);
  try {
    const marker = JSON.parse(await readFile(path.join(root, "ready.json"), "utf8")) as Omit<BenchCase, "caseDir"> & {
      version: number;
    };
    if (marker.version === GENERATOR_VERSION && marker.n === n) {
      return {
        n,
        caseDir: path.join(root, "case"),
        generatedMs: marker.generatedMs,
        msPerItem: marker.msPerItem,
        isReused: true,
      };
    }
  } catch {
    // Not there, or left half made by an interrupted run: made again below.
  }
  return null;
}

/** The case of `n` items: the cached one, or a new one. */
export async function benchCase(n: number, log: (line: string) => void): Promise<BenchCase> {
  const cached = await cachedBenchCase(n);
  if (cached) return cached;
  const root = rootFor(n);
  await rm(root, { recursive: true, force: true });
  const started = performance.now();
  const caseDir = path.join(root, "case");
  const key = await new KeyStore(path.join(root, "home")).getOrCreate("Bench Examiner");
  const caseFile = await createCase({
    dir: caseDir,
    title: `Verify bench, ${n} items`,
    key,
    hashAlgorithms: ["sha256"],
  });
  const writer = await LedgerWriter.open(caseDir, { key });
  const itemsStarted = performance.now();
  try {
    const folders = new Set<string>();
    for (let start = 0; start < n; start += APPEND_BATCH) {
      const drafts: EventDraft<"item.imported">[] = [];
      for (let i = start; i < Math.min(n, start + APPEND_BATCH); i++) {
        const bytes = randomBytes(1024 + randomInt(7 * 1024 + 1));
        const sha256 = createHash("sha256").update(bytes).digest("hex");
        const objectPath = objectPathFor(sha256);
        const full = path.join(caseDir, objectPath);
        const folder = path.dirname(full);
        if (!folders.has(folder)) mkdirSync(folder, { recursive: true, mode: 0o700 });
        folders.add(folder);
        writeFileSync(full, bytes, { mode: 0o400 });
        drafts.push(itemImported(caseFile, writer, i, sha256, bytes.length, objectPath));
      }
      await writer.append(drafts);
      if ((start / APPEND_BATCH) % 20 === 19) log(`  made ${start + APPEND_BATCH} of ${n} items`);
    }
  } finally {
    await writer.close();
  }
  const made = { n, generatedMs: performance.now() - started, msPerItem: (performance.now() - itemsStarted) / n };
  await writeFile(path.join(root, "ready.json"), JSON.stringify({ version: GENERATOR_VERSION, ...made }));
  return { ...made, caseDir, isReused: false };
}

/** One acquisition as importPipeline.ts records it, for a file that was never anywhere but here. */
function itemImported(
  caseFile: CaseFile,
  writer: LedgerWriter,
  i: number,
  sha256: string,
  size: number,
  objectPath: string,
): EventDraft<"item.imported"> {
  const name = `IMG_${String(i).padStart(6, "0")}.jpg`;
  const modified = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
  return {
    type: "item.imported",
    payload: {
      sha256,
      size,
      objectPath,
      isNewObject: true,
      source: {
        originalName: name,
        path: `/bench/${caseFile.id}/${name}`,
        relativePath: name,
        fileTimes: { modified, changed: modified, accessed: modified, born: null },
      },
      acquisition: {
        acquiredAt: new Date().toISOString(),
        host: os.hostname(),
        user: "bench",
        platform: process.platform,
      },
      collection: {
        sourceUrl: null,
        sourceAccount: "bench",
        collectedAt: "2026-01-01T00:00:00Z",
        collectedBy: { name: writer.examinerKey.name, keyId: writer.examinerKey.keyId },
        tool: { ...TOOL },
        method: "bench",
        note: null,
        missing: [],
      },
    },
  };
}

/** The signature triples and objects of a case, read from its ledger and case.json. */
export async function readBenchCase(caseDir: string): Promise<BenchCaseContents> {
  const caseFile = JSON.parse(await readFile(path.join(caseDir, CASE_PATHS.caseFile), "utf8")) as CaseFile;
  const keys = new Map(caseFile.examiners.map((e) => [e.keyId, e.publicKey]));
  const lines = (await readFile(path.join(caseDir, CASE_PATHS.ledger), "utf8")).split("\n").filter(Boolean);
  const contents: BenchCaseContents = { events: lines.length, signatures: [], objects: [], bytes: 0 };
  for (const line of lines) {
    const event = JSON.parse(line) as LedgerEvent;
    contents.signatures.push({ publicKey: keys.get(event.actor) ?? "", hash: event.hash, sig: event.sig });
    if (event.type === "item.imported") {
      const { objectPath, size, sha256 } = event.payload as { objectPath: string; size: number; sha256: string };
      contents.objects.push({ path: path.join(caseDir, objectPath), size, sha256 });
      contents.bytes += size;
    }
  }
  return contents;
}
