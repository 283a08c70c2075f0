/**
 * Staging threads started by an import's caller before it opens the case: a thread takes a tenth of
 * a second or more to start (its own JavaScript engine), which the caller's preparation (the case's
 * checks, its lock and ledger, the picture analysis's modules) then overlaps instead of the import
 * waiting for it. The caller hands them to the import (ImportRequest.threadsToStop), which stops them
 * once its files are staged.
 */
import type { Stats } from "node:fs";
import { stat } from "node:fs/promises";
import { SMALL_FILE_BYTES } from "../vault/objectStager.js";
import { StageThreads } from "../vault/stageThreads.js";
import { FEW_FILES } from "./importPipeline.js";

/**
 * The staging threads an import of these files will want, started now; none where the import
 * stages its files on its own thread anyway (a handful of small files). Given paths are looked at
 * (followed, as the walk follows them) without being read; one that cannot be looked at counts for
 * nothing (the walk gives its reason).
 */
export async function startThreadsFor(
  files: readonly string[] | readonly { size: number }[],
): Promise<StageThreads | undefined> {
  if (files.length >= FEW_FILES) return new StageThreads();
  const looks = await Promise.all(files.map((f) => (typeof f === "string" ? stat(f).catch(() => null) : f)));
  const wantsThreads = (info: Stats | { size: number } | null) =>
    info !== null && (("isDirectory" in info && info.isDirectory()) || info.size > SMALL_FILE_BYTES);
  return looks.some(wantsThreads) ? new StageThreads() : undefined;
}

/**
 * Starts the threads for `files` (none where `isEarly` is false), then runs `open` (the case's
 * checks and lock): the threads are stopped if it throws, else returned with what it opened.
 */
export async function openWithThreads<T>(
  files: readonly string[] | readonly { size: number }[],
  open: () => Promise<T>,
  isEarly = true,
): Promise<{ threads: StageThreads | undefined; opened: T }> {
  const threads = isEarly ? await startThreadsFor(files) : undefined;
  try {
    return { threads, opened: await open() };
  } catch (error) {
    await threads?.close();
    throw error;
  }
}
