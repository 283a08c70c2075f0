/**
 * The sample packages a trainer can run: those shipped with the workbench (resources/samples/,
 * found beside the app's code the way tile presets are, or in the packaged app's resources), and
 * any package file a trainer opens. Each is read whole and checked against its manifest before it
 * is listed; nothing of its answer key is returned.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SampleSummary } from "../../../shared/api/trainingContract.js";
import { SAMPLE_EXTENSION } from "../../../shared/training/sampleFormat.js";
import { readSamplePackage, type ReadSample } from "./samplePackage.js";

/** Where shipped samples are: the packaged app's resources, then the source tree's resources/samples/. */
export function shippedSampleFolders(): string[] {
  const folders: string[] = [];
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) folders.push(path.join(resources, "samples"));
  folders.push(fileURLToPath(new URL("../../../../resources/samples/", import.meta.url)));
  return folders;
}

export function summaryOf(read: ReadSample, shipped: boolean): SampleSummary {
  const m = read.manifest;
  return {
    path: read.path,
    shipped,
    id: m.id,
    title: m.title,
    author: m.author,
    briefing: m.briefing,
    hintCount: m.hints.length,
    fileCount: m.files.length,
    size: read.size,
    sha256: read.sha256,
  };
}

export async function inspectSample(file: string): Promise<SampleSummary> {
  const read = await readSamplePackage(file);
  const folders = shippedSampleFolders().map((f) => path.resolve(f));
  return summaryOf(read, folders.includes(path.dirname(read.path)));
}

/** The shipped samples that pass every check; a damaged one is left out and its reason logged. */
export async function listSamples(
  folders: readonly string[] = shippedSampleFolders(),
  log: (line: string) => void = (line) => console.warn(line),
): Promise<SampleSummary[]> {
  const found: SampleSummary[] = [];
  const seen = new Set<string>();
  for (const folder of folders) {
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith(SAMPLE_EXTENSION)).sort()) {
      try {
        const summary = summaryOf(await readSamplePackage(path.join(folder, name)), true);
        if (seen.has(summary.sha256)) continue;
        seen.add(summary.sha256);
        found.push(summary);
      } catch (error) {
        log(`sightline: the shipped sample ${JSON.stringify(name)} is left out: ${(error as Error).message}`);
      }
    }
  }
  return found;
}
