/**
 * Reads an item of the case as reference imagery: a GeoTIFF scene or a PMTiles basemap, told
 * apart by their first bytes (never by the name). The vault object is opened only through the
 * case's safe-open path (no link followed out of the case, regular files only) and read in
 * bounded ranges with a time limit, so a 2 GB scene or a crafted file costs a few megabytes and
 * a few seconds at most.
 */
import type { ReferenceInspection } from "../../../shared/api/geoContract.js";
import type { ItemState } from "../../../shared/ledger/caseState.js";
import { SightlineError } from "../sightlineError.js";
import { openCaseFile } from "../vault/caseFileAccess.js";
import { DEFAULT_BUDGET_BYTES, RangeReader, withTimeLimit } from "./rangeReader.js";
import { isTiffMagic } from "./tiffPrecheck.js";

/** How long one inspection may take. */
export const INSPECT_TIME_LIMIT_MS = 15_000;

/** What a file that is neither is, in words, from its first bytes. */
function describeOther(head: Uint8Array): string {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (head.length === 0) return "an empty file";
  if (starts(0xff, 0xd8, 0xff)) return "a JPEG image";
  if (starts(0x89, 0x50, 0x4e, 0x47)) return "a PNG image";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "a GIF image";
  if (starts(0x25, 0x50, 0x44, 0x46)) return "a PDF document";
  if (starts(0x50, 0x4b, 0x03, 0x04)) return "a ZIP archive";
  if (head.length >= 12 && String.fromCharCode(...head.subarray(4, 8)) === "ftyp") return "a video or HEIF file";
  return "a file of an unrecognised type";
}

const PMTILES_MAGIC = [0x50, 0x4d, 0x54, 0x69, 0x6c, 0x65, 0x73]; // "PMTiles"

export async function inspectReferenceItem(dir: string, item: ItemState): Promise<ReferenceInspection> {
  const { handle, size } = await openCaseFile(dir, item.objectPath);
  try {
    return await withTimeLimit(INSPECT_TIME_LIMIT_MS, "reading the file as reference imagery", async (signal) => {
      const reader = new RangeReader(handle, size, {
        maxBytes: DEFAULT_BUDGET_BYTES,
        maxReadBytes: 17 * 1024 * 1024,
        signal,
      });
      const head = await reader.read(0, 16);
      // The readers (geotiff, proj4, pmtiles) load on first use: every CLI command starts without them.
      if (isTiffMagic(head)) {
        const { inspectScene } = await import("./sceneInspect.js");
        return { kind: "scene", tags: await inspectScene(reader) };
      }
      if (PMTILES_MAGIC.every((b, i) => head[i] === b)) {
        const { inspectBasemap } = await import("./basemapInspect.js");
        return { kind: "basemap", tags: await inspectBasemap(reader) };
      }
      throw new SightlineError(
        "invalid-input",
        `this is ${describeOther(head)}, not a GeoTIFF scene or a PMTiles basemap: only those can be reference imagery`,
      );
    });
  } catch (error) {
    if (error instanceof SightlineError) throw error;
    throw new SightlineError(
      "invalid-input",
      `the file could not be read as reference imagery: ${(error as Error).message.split("\n")[0]}`,
    );
  } finally {
    await handle.close();
  }
}
