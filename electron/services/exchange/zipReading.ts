/**
 * Reading a hostile zip file with yauzl: opened lazily with its sizes and names checked by yauzl
 * itself, every entry listed before a byte is read, each failure turned into the caller's one-line
 * refusal. Bundles (bundleReader.ts) and training sample packages (training/samplePackage.ts) read
 * through these; `checkEntries` in bundleEntries.ts holds the rules on names, types and sizes.
 */
import type { Readable } from "node:stream";
import type { SightlineError } from "../sightlineError.js";
import { describeZipError, shownEntry } from "./bundleEntries.js";
import { yauzl } from "./zipLibraries.js";

export type ZipFile = InstanceType<typeof yauzl.ZipFile>;
export type ZipEntry = InstanceType<typeof yauzl.Entry>;
type Refuse = (why: string) => SightlineError;

export function openZip(file: string, refuse: Refuse): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      file,
      { lazyEntries: true, validateEntrySizes: true, strictFileNames: true, decodeStrings: true, autoClose: false },
      (error, zip) => (error ? reject(refuse(describeZipError(error))) : resolve(zip)),
    );
  });
}

export function readEntries(zip: ZipFile, refuse: Refuse): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    const entries: ZipEntry[] = [];
    zip.on("entry", (entry: ZipEntry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on("end", () => resolve(entries));
    zip.on("error", (error: Error) => reject(refuse(describeZipError(error))));
    zip.readEntry();
  });
}

export function openEntry(zip: ZipFile, entry: ZipEntry, refuse: Refuse): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => (error ? reject(refuse(describeZipError(error))) : resolve(stream)));
  });
}

/** The whole of a small entry (a manifest), refused beyond `maxBytes`. */
export async function readSmallEntry(zip: ZipFile, entry: ZipEntry, maxBytes: number, refuse: Refuse): Promise<Buffer> {
  if (entry.uncompressedSize > maxBytes) throw refuse(`${shownEntry(entry.fileName)} is too large`);
  const chunks: Buffer[] = [];
  const stream = await openEntry(zip, entry, refuse);
  try {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
  } catch (error) {
    throw refuse(describeZipError(error as Error));
  }
  return Buffer.concat(chunks);
}
