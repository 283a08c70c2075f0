/**
 * The pictures a report shows (thumbnails, poster frames, map snapshots), read back from the case
 * and held against the SHA-256 their ledger events recorded: a picture changed since it was made is
 * left out and the report says why. A veiled picture is blurred here, so the clear picture never
 * enters the report's file at all (a style that blurs on screen would still carry it).
 */
import { createHash } from "node:crypto";
import type { CaseState } from "../../../shared/ledger/caseState.js";
import { itemPicture } from "../../../shared/reports/buildReport.js";
import { GRAPHIC_TAG, type ReportChoices } from "../../../shared/reports/reportModel.js";
import { loadSharp } from "../media/sharpLoad.js";
import { readCaseFile } from "../vault/caseFileAccess.js";
import { SightlineError } from "../sightlineError.js";

/** A derivative is a few hundred kilobytes; anything far larger is not one Sightline made. */
const MAX_PICTURE_BYTES = 32 * 1024 * 1024;

export interface ReportPictures {
  /** Why each unusable picture is left out, by case path. */
  faults: Map<string, string>;
  /** data: URIs by case path (only when the format shows pictures). */
  uris: Map<string, string>;
}

interface Wanted {
  path: string;
  sha256: string;
  mime: string;
  isVeiled: boolean;
}

/** Every picture the report of `items` would show, with whether it is to be veiled. */
function wantedPictures(state: CaseState, items: readonly string[], choices: ReportChoices): Wanted[] {
  const out: Wanted[] = [];
  const chosen = new Set(items);
  for (const sha of items) {
    const item = state.items.get(sha);
    if (!item) continue;
    const picture = itemPicture(item);
    const isVeiled = item.tags.includes(GRAPHIC_TAG) && choices.graphic === "veiled";
    if (picture) out.push({ ...picture, isVeiled });
  }
  for (const g of state.geo.geolocations) {
    if (!chosen.has(g.payload.sha256) || !g.payload.snapshot) continue;
    out.push({ ...g.payload.snapshot, mime: "image/png", isVeiled: false });
  }
  return out;
}

/**
 * Reads and checks each picture; with `wantUris`, encodes it (blurred when veiled) for the HTML.
 * Reads a few at a time: enough to keep the disk and sharp busy on a case of thousands of items.
 */
export async function reportPictures(
  dir: string,
  state: CaseState,
  items: readonly string[],
  choices: ReportChoices,
  wantUris: boolean,
  signal?: AbortSignal,
): Promise<ReportPictures> {
  const faults = new Map<string, string>();
  const uris = new Map<string, string>();
  const wanted = wantedPictures(state, items, choices);
  let next = 0;
  const worker = async () => {
    while (next < wanted.length) {
      if (signal?.aborted) throw new SightlineError("cancelled", "the report was cancelled");
      const w = wanted[next++]!;
      const bytes = await readCaseFile(dir, w.path, { maxBytes: MAX_PICTURE_BYTES }).catch((error: unknown) => {
        faults.set(w.path, `it cannot be read (${error instanceof Error ? error.message : String(error)})`);
        return null;
      });
      if (!bytes) continue;
      if (createHash("sha256").update(bytes).digest("hex") !== w.sha256) {
        faults.set(w.path, "the file no longer matches the SHA-256 its event recorded");
        continue;
      }
      if (!wantUris) continue;
      const uri = await encode(bytes, w).catch(() => null);
      if (uri) uris.set(w.path, uri);
      else faults.set(w.path, "it could not be decoded as a picture");
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return { faults, uris };
}

async function encode(bytes: Uint8Array, w: Wanted): Promise<string> {
  const sharp = await loadSharp();
  if (w.isVeiled) {
    // Shrunk to 24 pixels and blurred back up: shapes and colours only, nothing recognisable.
    const veiled = await sharp(bytes)
      .resize(24, 24, { fit: "inside" })
      .blur(3)
      .resize(240, 240, { fit: "inside", kernel: "cubic" })
      .jpeg({ quality: 60 })
      .toBuffer();
    return `data:image/jpeg;base64,${veiled.toString("base64")}`;
  }
  // Only formats every Chromium shows are passed through as recorded; anything else is re-encoded.
  const mime = /^image\/(jpeg|png|webp)$/.test(w.mime) ? w.mime : null;
  if (mime) return `data:${mime};base64,${Buffer.from(bytes).toString("base64")}`;
  const png = await sharp(bytes).png().toBuffer();
  return `data:image/png;base64,${png.toString("base64")}`;
}
