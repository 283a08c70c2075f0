/**
 * Files the workbench page sends (dropped or picked in browser mode, where the page never learns a
 * file's path on disk). The page announces the files first (name, size, modification time), then
 * sends each one's bytes; they are written to the case's staging folder under a name of our own
 * (`upload-<id>-<n>.partial`, never the page's name, so a hostile name cannot reach the file
 * system), hashed as they arrive, and the ordinary import pipeline commits them from there without
 * reading them again (a rename into the vault). Whatever happens, the staging
 * files are removed afterwards, and a writer opening the case removes any a crash left behind.
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { HashAlgorithm } from "../../../shared/ledger/events.js";
import type { ImportCandidate, ScanResult } from "./importScan.js";
import { STAGED_SUFFIX } from "../ledger/ledgerWriter.js";
import { SightlineError, describeIoError } from "../sightlineError.js";

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
  | { state: "receiving"; bytes: number }
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
   * Writes one file's bytes to staging. Refuses an index it does not expect, a second send of the
   * same file, and a body longer or shorter than announced (the file is then not imported, and
   * says why).
   */
  async receive(index: number, body: Readable, signal: AbortSignal): Promise<{ bytes: number }> {
    const announced = this.files[index];
    if (!announced) throw new SightlineError("invalid-input", `this upload has no file number ${index}`);
    if (this.slots[index]!.state !== "waiting") {
      throw new SightlineError("invalid-input", `file number ${index} of this upload was already sent`);
    }
    if (signal.aborted) throw new SightlineError("cancelled", "the import was cancelled");
    const slot: Slot & { state: "receiving" } = { state: "receiving", bytes: 0 };
    this.slots[index] = slot;
    const file = this.stagingFile(index);
    const hashers = this.algorithms.map((a) => [a, createHash(a)] as const);
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        for (const [, h] of hashers) h.update(chunk);
        slot.bytes += chunk.length;
        this.bytesDone += chunk.length;
        const now = Date.now();
        this.lastActivity = now;
        if (slot.bytes > announced.size) {
          done(new SightlineError("invalid-input", `more bytes arrived than the ${announced.size} announced`));
          return;
        }
        // Progress a few times a second, not for every 64 KiB of the body.
        if (now - this.lastReport >= PROGRESS_INTERVAL_MS) this.report(announced.name);
        done(null, chunk);
      },
    });
    try {
      // Read-only from the start and flushed on close: the import renames this very file into the vault.
      // A 1 MiB write buffer lets the stream gather the body's small chunks into fewer, larger writes.
      const output = createWriteStream(file, { flags: "wx", mode: 0o400, flush: true, highWaterMark: 1 << 20 });
      await pipeline(body, counter, output, { signal });
      if (slot.bytes !== announced.size) {
        throw new SightlineError("invalid-input", `the upload ended after ${slot.bytes} of ${announced.size} bytes`);
      }
      const digests = Object.fromEntries(hashers.map(([a, h]) => [a, h.digest("hex")])) as { sha256: string };
      this.slots[index] = { state: "received", file, digests };
      return { bytes: slot.bytes };
    } catch (error) {
      const reason = signal.aborted
        ? "cancelled before it had arrived"
        : error instanceof SightlineError
          ? error.message
          : `the upload broke off after ${slot.bytes} of ${announced.size} bytes (${describeIoError(error)})`;
      this.bytesDone -= slot.bytes;
      this.slots[index] = { state: "failed", reason };
      await rm(file, { force: true });
      if (signal.aborted) throw new SightlineError("cancelled", "the import was cancelled");
      throw error instanceof SightlineError ? error : new SightlineError("io-error", reason);
    } finally {
      this.report(null);
      this.wake?.();
    }
  }

  /** Gives up a file the page says it cannot send; false when it has already arrived or failed. */
  abandon(index: number, reason: string): boolean {
    if (this.slots[index]?.state !== "waiting") return false;
    this.slots[index] = { state: "failed", reason };
    this.report(null);
    this.wake?.();
    return true;
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
    for (;;) {
      if (signal.aborted) return;
      const open = this.slots.filter((s) => s.state === "waiting" || s.state === "receiving");
      if (open.length === 0) return;
      if (Date.now() - this.lastActivity > this.idleMs) {
        this.slots.forEach((s, i) => {
          if (s.state === "waiting") {
            this.slots[i] = {
              state: "failed",
              reason: `the page sent nothing for ${this.idleMs >= 1000 ? `${Math.round(this.idleMs / 1000)} s` : `${this.idleMs} ms`}`,
            };
          }
        });
        if (this.slots.every((s) => s.state !== "receiving")) return;
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
        dev: info.dev,
        ino: info.ino,
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

  /** Removes every staging file of this session. */
  async discard(): Promise<void> {
    await Promise.all(this.files.map((_, i) => rm(this.stagingFile(i), { force: true })));
  }
}
