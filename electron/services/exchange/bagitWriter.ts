/**
 * Writes a BagIt bag (RFC 8493) of the case, or of a subset of its items: `data/` holds the case
 * folder's files as a bundle's `case/` does (shared/exchange/bundleFormat.ts), with
 * manifest-sha256.txt (and manifest-md5.txt / manifest-sha1.txt when the case records those
 * hashes), bagit.txt, bag-info.txt and tagmanifest-sha256.txt. Every file is hashed as it is
 * copied, and an original whose bytes do not give its name refuses the export. The bag is built
 * in a folder beside the target and renamed into place when complete; then the export is
 * recorded in the case's ledger (`bag.exported`).
 */
import { createHash, type Hash } from "node:crypto";
import { constants, createReadStream, createWriteStream } from "node:fs";
import { lstat, mkdir, open, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { BUNDLE_ENTRIES } from "../../../shared/exchange/bundleFormat.js";
import type { HashAlgorithm, LedgerEvent } from "../../../shared/ledger/events.js";
import { inertText } from "../../../shared/text/inertText.js";
import { TOOL } from "../appInfo.js";
import type { ExaminerKey } from "../examiners/keyStore.js";
import { LedgerWriter } from "../ledger/ledgerWriter.js";
import { SightlineError, describeIoError } from "../sightlineError.js";
import { fsyncDir } from "../vault/durableFs.js";
import type { ExportProgress } from "./bundleWriter.js";
import { takeSnapshot } from "./caseSnapshot.js";
import { subsetSources, wholeCaseSources, type Source } from "./caseSources.js";
import { observing } from "./observingStream.js";

export interface ExportBagOptions {
  caseDir: string;
  bagDir: string;
  key: ExaminerKey;
  items?: readonly string[];
  clock?: () => Date;
  onProgress?: (progress: ExportProgress) => void;
}

export interface ExportBagResult {
  bagDir: string;
  head: { seq: number; hash: string };
  payloadOxum: string;
  algorithms: HashAlgorithm[];
  event: LedgerEvent;
}

/** bagit.py and RFC 8493 name the algorithms so. */
const BAGIT_NAMES: Record<HashAlgorithm, string> = { sha256: "sha256", md5: "md5", sha1: "sha1" };

export async function exportBag(options: ExportBagOptions): Promise<ExportBagResult> {
  const clock = options.clock ?? (() => new Date());
  const bagDir = path.resolve(options.bagDir);
  if (
    await lstat(bagDir).then(
      () => true,
      () => false,
    )
  ) {
    throw new SightlineError("case-exists", `${bagDir} already exists; a bag is written into a new folder`);
  }
  const snapshot = await takeSnapshot(options.caseDir);
  const items = options.items ? [...new Set(options.items)] : null;
  const sources = items ? await subsetSources(snapshot, items) : await wholeCaseSources(snapshot);
  const algorithms: HashAlgorithm[] = ["sha256", ...snapshot.state.hashAlgorithms.filter((a) => a !== "sha256")];
  const building = `${bagDir}.${process.pid}.${Date.now()}.partial`;
  const progress: ExportProgress = {
    filesDone: 0,
    filesTotal: sources.length,
    bytesDone: 0,
    bytesTotal: sources.reduce((n, s) => n + ("bytes" in s ? s.bytes.length : s.size), 0),
  };
  let payloadOxum = "";
  let digests: { manifest: string; tagManifest: string };
  try {
    await mkdir(building, { mode: 0o700 });
    const manifests = new Map<HashAlgorithm, string[]>(algorithms.map((a) => [a, []]));
    let bytes = 0;
    for (const source of sources) {
      const relative = `data/${source.path.slice(BUNDLE_ENTRIES.caseFolder.length + 1)}`;
      const sums = await copyHashing(source, path.join(building, ...relative.split("/")), algorithms, progress);
      for (const a of algorithms) manifests.get(a)!.push(`${sums[a]}  ${relative}\n`);
      bytes += "bytes" in source ? source.bytes.length : source.size;
      progress.filesDone++;
      options.onProgress?.({ ...progress });
    }
    payloadOxum = `${bytes}.${sources.length}`;
    const tags = new Map<string, string>();
    tags.set("bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n");
    const contact = inertText(options.key.name).replace(/\s+/g, " ");
    const info = [
      `Contact-Name: ${contact}`,
      `External-Identifier: ${snapshot.state.caseId}`,
      `External-Description: ${inertText(snapshot.state.title).replace(/\s+/g, " ") || "(untitled case)"}`,
      `Bagging-Date: ${clock().toISOString().slice(0, 10)}`,
      `Bag-Software-Agent: ${TOOL.name} ${TOOL.version}`,
      `Payload-Oxum: ${payloadOxum}`,
      `Bag-Size: ${bagSize(bytes)}`,
      `Sightline-Case-Id: ${snapshot.state.caseId}`,
      `Sightline-Head-Seq: ${snapshot.head.seq}`,
      `Sightline-Head-Hash: ${snapshot.head.hash}`,
      `Sightline-Event-Count: ${snapshot.events.length}`,
      `Sightline-Scope: ${items ? "items" : "case"}`,
      ...(items ?? []).map((sha) => `Sightline-Item: ${sha}`),
      `Sightline-Exported-By: ${contact} (${options.key.keyId})`,
    ];
    tags.set("bag-info.txt", `${info.join("\n")}\n`);
    for (const a of algorithms) tags.set(`manifest-${BAGIT_NAMES[a]}.txt`, manifests.get(a)!.join(""));
    const tagLines: string[] = [];
    for (const [name, text] of tags) {
      await writeFile(path.join(building, name), text, { flag: "wx", mode: 0o644 });
      tagLines.push(`${createHash("sha256").update(text).digest("hex")}  ${name}\n`);
    }
    const tagManifest = tagLines.join("");
    await writeFile(path.join(building, "tagmanifest-sha256.txt"), tagManifest, { flag: "wx", mode: 0o644 });
    digests = {
      manifest: createHash("sha256").update(tags.get("manifest-sha256.txt")!).digest("hex"),
      tagManifest: createHash("sha256").update(tagManifest).digest("hex"),
    };
    await syncTree(building);
    await rename(building, bagDir);
    await fsyncDir(path.dirname(bagDir));
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    if (error instanceof SightlineError) throw error;
    throw new SightlineError("io-error", `cannot write the bag ${bagDir}: ${describeIoError(error)}`);
  }
  const writer = await LedgerWriter.open(options.caseDir, { key: options.key, clock });
  try {
    const [event] = await writer.append([
      {
        type: "bag.exported",
        payload: {
          name: path
            .basename(bagDir)
            .replace(/[\u0000-\u001f\u007f]/g, "_")
            .slice(0, 255),
          head: snapshot.head,
          scope: items ? "items" : "case",
          items: items ?? [],
          payloadOxum,
          manifestSha256: digests.manifest,
          tagManifestSha256: digests.tagManifest,
          tool: { name: TOOL.name, version: TOOL.version },
        },
      },
    ]);
    return { bagDir, head: snapshot.head, payloadOxum, algorithms, event: event! };
  } finally {
    await writer.close();
  }
}

async function copyHashing(
  source: Source,
  target: string,
  algorithms: readonly HashAlgorithm[],
  progress: ExportProgress,
): Promise<Record<string, string>> {
  await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
  const hashes = new Map<HashAlgorithm, Hash>(algorithms.map((a) => [a, createHash(a)]));
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  if ("bytes" in source) {
    for (const h of hashes.values()) h.update(source.bytes);
    const handle = await open(target, flags, 0o644);
    await handle.writeFile(source.bytes).finally(() => handle.close());
    progress.bytesDone += source.bytes.length;
  } else {
    const hashing = observing((chunk) => {
      for (const h of hashes.values()) h.update(chunk);
      progress.bytesDone += chunk.length;
    });
    const handle = await open(target, flags, 0o644);
    await pipeline(
      createReadStream(source.file, { highWaterMark: 1 << 20 }),
      hashing,
      createWriteStream("", { fd: handle, highWaterMark: 1 << 20 }),
    );
  }
  const sums = Object.fromEntries([...hashes].map(([a, h]) => [a, h.digest("hex")]));
  if (!("bytes" in source) && source.expect !== null && sums.sha256 !== source.expect) {
    throw new SightlineError(
      "tampered",
      `${source.path.slice(BUNDLE_ENTRIES.caseFolder.length + 1)} no longer matches the SHA-256 the case records; run "sightline verify"; no bag was written`,
    );
  }
  return sums;
}

/** RFC 8493's Bag-Size is for people: a rounded size with its unit. */
function bagSize(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

async function syncTree(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await syncTree(full);
    else {
      const handle = await open(full, "r");
      await handle.sync().finally(() => handle.close());
    }
  }
  await fsyncDir(dir);
}
