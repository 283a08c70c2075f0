/**
 * Two costs every import of many files pays besides reading, hashing, writing and flushing the
 * bytes (the work the limit's two commands do), each measured alone in the bench's own process:
 * starting the staging threads (a Node worker starts its own JavaScript engine), and making,
 * signing and appending one ledger event a file. The bench prints them beside the import's CPU, so
 * a reader sees how much of it is the work itself and how much is the record of it.
 */
import os from "node:os";
import path from "node:path";
import { createCase } from "../../electron/services/vault/caseStore.js";
import { StageThreads } from "../../electron/services/vault/stageThreads.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { LedgerWriter } from "../../electron/services/ledger/ledgerWriter.js";
import type { EventDraft } from "../../shared/ledger/events.js";
import { TOOL } from "../../electron/services/appInfo.js";

export interface ImportBudget {
  /** Starting the import's staging threads until each has answered once: CPU and elapsed ms. */
  threadsCpuMs: number;
  threadsMs: number;
  /** `files` item.imported events made, signed and appended in the import's batches of 256: CPU ms. */
  ledgerCpuMs: number;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

export async function measureBudget(root: string, files: number): Promise<ImportBudget> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const threads = new StageThreads();
  // Two requests at once go to two threads (each to the least loaded); a path that is not there
  // is answered with its reason, once the thread is up.
  const missing = path.join(root, "not-there");
  const request = {
    realPath: missing,
    dev: 0,
    ino: 0,
    size: 0,
    mtimeMs: 0,
    changedSince: "changed",
    stagedPath: path.join(root, "not-staged"),
    algorithms: ["sha256" as const],
    fsync: false,
  };
  await Promise.all(Array.from({ length: threads.size }, () => threads.stageSmall(request)));
  const threadsMs = performance.now() - started;
  const threadsCpuMs = cpuMs(cpu);
  await threads.close();

  const key = await new KeyStore(path.join(root, "budget-profile")).getOrCreate("Bench Examiner");
  const caseDir = path.join(root, "budget-case");
  await createCase({ dir: caseDir, title: "budget", key, hashAlgorithms: ["sha256"] });
  const writer = await LedgerWriter.open(caseDir, { key });
  const drafts = Array.from({ length: files }, (_, i) => draft(i, key.name, key.keyId));
  const ledgerCpu = process.cpuUsage();
  for (let at = 0; at < files; at += 256) await writer.append(drafts.slice(at, at + 256));
  const ledgerCpuMs = cpuMs(ledgerCpu);
  await writer.close();
  return { threadsCpuMs, threadsMs, ledgerCpuMs };
}

/** An event as an import of a phone's photo makes it (importCommit.ts), for the file numbered `i`. */
function draft(i: number, name: string, keyId: string): EventDraft<"item.imported"> {
  const sha256 = i.toString(16).padStart(64, "0");
  const at = "2026-11-30T00:00:00.000Z";
  return {
    type: "item.imported",
    payload: {
      sha256,
      size: 180_000 + i,
      objectPath: `objects/sha256/${sha256.slice(0, 2)}/${sha256}`,
      isNewObject: true,
      source: {
        originalName: `IMG_${i}.jpg`,
        path: `/home/examiner/phone/DCIM/IMG_${i}.jpg`,
        relativePath: `phone/DCIM/IMG_${i}.jpg`,
        fileTimes: { modified: at, changed: at, accessed: at, born: null },
      },
      acquisition: { acquiredAt: new Date().toISOString(), host: os.hostname(), user: "examiner", platform: "linux" },
      collection: {
        sourceUrl: null,
        sourceAccount: "bench",
        collectedAt: at,
        collectedBy: { name, keyId },
        tool: { ...TOOL },
        method: "bench",
        note: null,
        missing: [],
      },
    },
  };
}
