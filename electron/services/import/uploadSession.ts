/**
 * Files the workbench page sends (dropped or picked in browser mode, where the page never learns a
 * file's path on disk). The page announces the files first (name, size, modification time), then
 * sends each one's bytes; they are written to the case's staging folder under a name of our own
 * (`upload-<id>-<n>.partial`, never the page's name, so a hostile name cannot reach the file
 * system), hashed as they arrive (a large file on the staging threads, written in 1 MiB writes and
 * flushed once: streamStager.ts; a large file may come as several ranges at once:
 * uploadAssembly.ts), and the ordinary import pipeline commits them from there without reading
 * them again (a rename into the vault). Whatever happens, the staging
 * files are removed afterwards, and a writer opening the case removes any a crash left behind.
 */
import { rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import type { HashAlgorithm } from "../../../shared/ledger/events.js";
import type { ImportCandidate, ScanResult } from "./importScan.js";
import { STAGED_SUFFIX } from "../ledger/ledgerWriter.js";
import { SightlineError, describeIoError } from "../sightlineError.js";
import { SMALL_FILE_BYTES } from "../vault/smallObject.js";
import { StageThreads } from "../vault/stageThreads.js";
import { StreamStager } from "../vault/streamStager.js";
import { UploadAssembly } from "./uploadAssembly.js";

export interface AnnouncedFile {
  /** The name as the page knows it; a dropped folder's files carry their path under it, `/`-separated. */
  name: string;
  size: number;
  /** Milliseconds since 1970, as `File.lastModified` gives it. */
  lastModified: number;
}

export interface UploadProgress {
  filesDone: number;
  bytesDone: number;
  currentFile: string | null;
}

type Slot =
  | { state: "waiting" }
  | { state: "receiving"; bytes: number; file: string; assembly: Promise<UploadAssembly> }
  | { state: "received"; file: string; digests: Partial<Record<HashAlgorithm, string>> & { sha256: string } }
  | { state: "failed"; reason: string };

/** How long the session waits for the page to send more bytes before it gives the rest up. */
export const UPLOAD_IDLE_MS = 5 * 60 * 1000;
const PROGRESS_INTERVAL_MS = 100;

export class UploadSession {
  private readonly slots: Slot[];
  private bytesDone = 0;
  private lastActivity = Date.now();
  private lastReport = 0;
  private wake: (() => void) | null = null;
  private threads: StageThreads | null = null;

  constructor(
    readonly id: string,
    private readonly stagingDir: string,
    readonly files: readonly AnnouncedFile[],
    private readonly onProgress: (progress: UploadProgress) => void,
    private readonly idleMs = UPLOAD_IDLE_MS,
    /** The case's hash algorithms: the bytes are hashed as they arrive, so the import need not read them again. */
    private readonly algorithms: readonly HashAlgorithm[] = ["sha256"],
  ) {
    this.slots = files.map(() => ({ state: "waiting" }));
  }

  private stagingFile(index: number): string {
    return path.join(this.stagingDir, `upload-${this.id}-${index}${STAGED_SUFFIX}`);
  }

  /**
   * Writes one file's bytes, or one range of them (`range`: see uploadAssembly.ts), to staging.
   * Refuses an index it does not expect, a second send of the same file or bytes, and a body
   * longer or shorter than announced (the file is then not imported, and says why).
   */
  async receive(
    index: number,
    body: Readable,
    signal: AbortSignal,
    range: { start: number; length: number } | null = null,
  ): Promise<{ bytes: number }> {
    const announced = this.files[index];
    if (!announced) throw new SightlineError("invalid-input", `this upload has no file number ${index}`);
    const slot = this.slots[index]!;
    if (slot.state === "failed") throw new SightlineError("invalid-input", slot.reason);
    if (slot.state === "received" || (slot.state === "receiving" && range === null)) {
      throw new SightlineError("invalid-input", `file number ${index} of this upload was already sent`);
    }
    if (signal.aborted) throw new SightlineError("cancelled", "the import was cancelled");
    let receiving: Slot & { state: "receiving" };
    if (slot.state === "waiting") {
      // One file at a time (the page sends them so): each file being received holds its own ring
      // and ranges held in memory, so memory is bounded per session, not per file.
      const other = this.slots.findIndex((s) => s.state === "receiving");
      if (other >= 0) {
        throw new SightlineError(
          "invalid-input",
          `file number ${other} of this upload is still arriving; send one file at a time`,
        );
      }
      // Taken before the first await, so a second range arriving meanwhile joins this file.
      const file = this.stagingFile(index);
      const assembly = StreamStager.create(file, announced.size, this.algorithms, this.threadsFor(announced.size)).then(
        (stager) => new UploadAssembly(announced.size, stager),
      );
      receiving = { state: "receiving", bytes: 0, file, assembly };
      this.slots[index] = receiving;
    } else {
      receiving = slot;
    }
    const onAbort = () => {
      body.destroy(new SightlineError("cancelled", "the import was cancelled"));
      // Other ranges of the file, held back waiting for this one or already answered, fail with it.
      void this.failReceiving(index, "cancelled before it had arrived");
    };
    signal.addEventListener("abort", onAbort, { once: true });
    let assembly: UploadAssembly | null = null;
    try {
      assembly = await receiving.assembly;
      const result = await assembly.receive(body, range, (n) => {
        receiving.bytes += n;
        this.bytesDone += n;
        const now = Date.now();
        this.lastActivity = now;
        // Progress a few times a second, not for every 64 KiB of the body.
        if (now - this.lastReport >= PROGRESS_INTERVAL_MS) this.report(announced.name);
      });
      if (result.digests) {
        const current = this.slots[index]!;
        // The file failed meanwhile (abandoned, given up when idle): it is not received.
        if (current !== receiving)
          throw new SightlineError("invalid-input", current.state === "failed" ? current.reason : "the file failed");
        this.slots[index] = { state: "received", file: receiving.file, digests: result.digests };
      }
      return { bytes: result.bytes };
    } catch (error) {
      const current = this.slots[index]!;
      const reason = signal.aborted
        ? "cancelled before it had arrived"
        : error instanceof SightlineError
          ? error.message
          : `the upload broke off after ${receiving.bytes} of ${announced.size} bytes (${describeIoError(error)})`;
      if (current === receiving) {
        this.bytesDone -= receiving.bytes;
        this.slots[index] = { state: "failed", reason };
      }
      if (assembly) await assembly.fail(new SightlineError("invalid-input", reason));
      await rm(receiving.file, { force: true });
      if (signal.aborted) throw new SightlineError("cancelled", "the import was cancelled");
      throw error instanceof SightlineError ? error : new SightlineError("io-error", reason);
    } finally {
      signal.removeEventListener("abort", onAbort);
      this.report(null);
      this.wake?.();
    }
  }

  /** The staging threads while a large file arrives (a test stops one as a crash would). */
  get stagingThreads(): StageThreads | null {
    return this.threads;
  }

  /** Staging threads hash files larger than a small one; a small file is hashed here, as it arrives. */
  private threadsFor(size: number): StageThreads | undefined {
    if (size <= SMALL_FILE_BYTES) return undefined;
    this.threads ??= new StageThreads(2);
    return this.threads;
  }

  /**
   * Gives up a file the page says it cannot send, part-sent or not (its ranges still arriving are
   * refused with `reason`, its staged bytes removed); false when it has already arrived or failed.
   */
  abandon(index: number, reason: string): boolean {
    const state = this.slots[index]?.state;
    if (state === "waiting") {
      this.slots[index] = { state: "failed", reason };
      this.report(null);
      this.wake?.();
      return true;
    }
    if (state !== "receiving") return false;
    void this.failReceiving(index, reason);
    return true;
  }

  /**
   * Fails a file being received: marked failed at once (so nothing marks it received after), its
   * assembly failed (ranges held back or still reading are refused with `reason`), its staged copy removed.
   */
  private async failReceiving(index: number, reason: string): Promise<void> {
    const slot = this.slots[index];
    if (slot?.state !== "receiving") return;
    this.bytesDone -= slot.bytes;
    this.slots[index] = { state: "failed", reason };
    this.report(null);
    this.wake?.();
    try {
      await (await slot.assembly).fail(new SightlineError("invalid-input", reason));
    } catch {
      // The stager was never made (the staging file could not be created): nothing to stop.
    }
    await rm(slot.file, { force: true });
  }

  private report(current: string | null): void {
    this.lastReport = Date.now();
    this.onProgress({
      filesDone: this.slots.filter((s) => s.state === "received" || s.state === "failed").length,
      bytesDone: this.bytesDone,
      currentFile: current,
    });
  }

  /**
   * Resolves once every file has arrived or failed. Files the page has not finished sending after
   * `idleMs` without a byte are given up, each with a reason. Resolves early when `signal` aborts.
   */
  async settled(signal: AbortSignal): Promise<void> {
    try {
      await this.waitSettled(signal);
    } finally {
      // Nothing more is hashed once every file has arrived or failed (or the import is cancelled).
      await this.threads?.close();
      this.threads = null;
    }
  }

  private async waitSettled(signal: AbortSignal): Promise<void> {
    for (;;) {
      if (signal.aborted) {
        await this.failAllReceiving("cancelled before it had arrived");
        return;
      }
      const open = this.slots.filter((s) => s.state === "waiting" || s.state === "receiving");
      if (open.length === 0) return;
      if (Date.now() - this.lastActivity > this.idleMs) {
        // Waiting and part-sent files alike: a range answered leaves no connection whose break would end it.
        const reason = `the page sent nothing for ${this.idleMs >= 1000 ? `${Math.round(this.idleMs / 1000)} s` : `${this.idleMs} ms`}`;
        this.slots.forEach((s, i) => {
          if (s.state === "waiting") this.slots[i] = { state: "failed", reason };
        });
        await this.failAllReceiving(reason);
        return;
      }
      await new Promise<void>((resolve) => {
        // However the wait ends (time, a file settled, abort), its abort listener goes: one a second
        // left behind would pile up over a long upload.
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener("abort", done);
          this.wake = null;
          resolve();
        };
        const timer = setTimeout(done, Math.min(1000, this.idleMs));
        this.wake = done;
        signal.addEventListener("abort", done, { once: true });
      });
    }
  }

  private async failAllReceiving(reason: string): Promise<void> {
    await Promise.all(this.slots.map((_, i) => this.failReceiving(i, reason)));
  }

  /** The received files as the import pipeline's input; the failed ones as refusals with their reason. */
  async scanned(): Promise<ScanResult> {
    const result: ScanResult = { files: [], refused: [], totalBytes: 0 };
    for (const [index, slot] of this.slots.entries()) {
      const announced = this.files[index]!;
      if (slot.state !== "received") {
        result.refused.push({
          displayPath: announced.name,
          reason: slot.state === "failed" ? slot.reason : "not imported: the import was cancelled before it arrived",
        });
        continue;
      }
      let info;
      try {
        info = await stat(slot.file);
      } catch (error) {
        result.refused.push({ displayPath: announced.name, reason: describeIoError(error) });
        continue;
      }
      const segments = announced.name.split("/").filter((s) => s !== "");
      const candidate: ImportCandidate = {
        realPath: slot.file,
        displayPath: announced.name,
        relativePath: segments.length > 1 ? segments.join("/") : null,
        originalName: segments.at(-1) ?? announced.name,
        size: info.size,
        mtimeMs: info.mtimeMs,
        dev: info.dev,
        ino: info.ino,
        changedSince: "its uploaded bytes changed on disk since they arrived",
        uploaded: {
          name: announced.name,
          modified: new Date(announced.lastModified).toISOString(),
          staged: { digests: slot.digests },
        },
      };
      result.files.push(candidate);
      result.totalBytes += info.size;
    }
    return result;
  }

  /** Removes every staging file of this session, and stops its staging threads. */
  async discard(): Promise<void> {
    await this.threads?.close();
    this.threads = null;
    await Promise.all(this.files.map((_, i) => rm(this.stagingFile(i), { force: true })));
  }
}
