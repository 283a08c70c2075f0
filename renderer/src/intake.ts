/**
 * Files the examiner drops on the window or picks, turned into an import job: by path in
 * Electron; in a browser, by path too when the host opened this window itself and its browser can
 * say where each file is (`importWindowFiles`), else by sending the bytes to the loopback host (see
 * `Connection.intake`).
 */
import { HELD_FILES_GLOBAL } from "../../shared/api/contract.js";
import type { CollectionInput } from "../../shared/case/collection.js";
import type { Connection } from "./connection.js";

export interface PickedFile {
  file: File;
  /** The name under the dropped or picked folder, `/`-separated; the bare name for a loose file. */
  name: string;
}

/** The files of a drop, folders walked to the bottom (the browser hands folders over as entries). */
export async function filesFromDrop(data: DataTransfer): Promise<PickedFile[]> {
  const entries = [...data.items]
    .filter((item) => item.kind === "file")
    .map((item) => item.webkitGetAsEntry())
    .filter((entry): entry is FileSystemEntry => entry !== null);
  // A drop made by a script (or a browser without entries) still carries the plain file list.
  if (entries.length === 0) return [...data.files].map((file) => ({ file, name: file.name }));
  const out: PickedFile[] = [];
  for (const entry of entries) await walk(entry, out);
  return out;
}

async function walk(entry: FileSystemEntry, out: PickedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, name: entry.fullPath.replace(/^\/+/, "") || file.name });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  // readEntries answers in pages (100 at a time in Chromium) until it answers with none.
  for (;;) {
    const page = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (page.length === 0) break;
    children.push(...page);
  }
  children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const child of children) await walk(child, out);
}

/** The files an `<input type=file>` picked; a folder pick gives each file's path under the folder. */
export function filesFromInput(list: FileList): PickedFile[] {
  return [...list].map((file) => ({ file, name: file.webkitRelativePath || file.name }));
}

export interface Intake {
  jobId: string;
  /** Rejects with the first file the page could not send; the job reports every file's fate. */
  sending: Promise<void>;
  /** Stops sending; the job, cancelled separately, keeps what was imported. */
  abort(): void;
}

/** Starts the import job for picked files and, in a browser, sends their bytes one after another. */
export async function startIntake(
  connection: Connection,
  dir: string,
  files: PickedFile[],
  collection: CollectionInput,
): Promise<Intake> {
  const { client, intake } = connection;
  if (intake.kind === "paths") {
    const result = await client.api.importFiles({ dir, paths: files.map((f) => intake.pathFor(f.file)), collection });
    if (!result.ok) throw new Error(result.error.message);
    return { jobId: result.value.jobId, sending: Promise.resolve(), abort: () => undefined };
  }
  const announced = files.map(({ file, name }) => ({ name, size: file.size, lastModified: file.lastModified }));
  const byPath = await fromWindow(connection, dir, files, announced, collection);
  if (byPath) return { jobId: byPath, sending: Promise.resolve(), abort: () => undefined };
  const result = await client.api.beginUpload({ dir, files: announced, collection });
  if (!result.ok) throw new Error(result.error.message);
  const { jobId, uploadId } = result.value;
  const controller = new AbortController();
  const sending = (async () => {
    let firstError: Error | null = null;
    for (const [index, { file }] of files.entries()) {
      if (controller.signal.aborted) break;
      // A file that fails (unreadable, changed on disk) is reported by the job; the others still go.
      await intake.send(uploadId, index, file, controller.signal).catch(async (error: Error) => {
        firstError ??= error;
        if (!controller.signal.aborted) {
          await client.api.abandonUpload({ uploadId, index, reason: error.message.slice(0, 500) || "unreadable" });
        }
      });
    }
    if (firstError) throw firstError;
  })();
  sending.catch(() => undefined);
  return { jobId, sending, abort: () => controller.abort() };
}

/**
 * The files of a drop or pick, loose or a folder's, offered to the host by path: the page keeps the
 * File objects under a random id while the host asks its browser which file on disk each one is (a
 * folder's files keep the names under it that the page announces, once the host has seen each path
 * end with its name). The job's id, or null when the host cannot take them all (this is not its own
 * window, or a file is not one on disk as dropped): the bytes are sent instead.
 */
async function fromWindow(
  { client }: Connection,
  dir: string,
  files: PickedFile[],
  announced: { name: string; size: number; lastModified: number }[],
  collection: CollectionInput,
): Promise<string | null> {
  const scope = globalThis as unknown as Record<string, Map<string, File[]> | undefined>;
  const held = (scope[HELD_FILES_GLOBAL] ??= new Map<string, File[]>());
  const intakeId = crypto.randomUUID();
  held.set(
    intakeId,
    files.map(({ file }) => file),
  );
  try {
    const result = await client.api.importWindowFiles({ dir, intakeId, files: announced, collection });
    if (!result.ok) throw new Error(result.error.message);
    return result.value.jobId;
  } finally {
    held.delete(intakeId);
  }
}
