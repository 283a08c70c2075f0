/**
 * The examiner's own online tile layers, kept in the profile beside their key
 * (`tile-sources/<key id digits>.json`, readable by the user only). A layer's key, when its
 * template has `{key}`, is stored here and nowhere else: never in a case, the ledger, a snapshot,
 * a report or an answer to the page (only the map's `tileUrl` fills it in).
 */
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { SightlineError } from "../sightlineError.js";

export const StoredTileSourceSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/),
  name: z.string().max(100),
  template: z.string().max(2000),
  attribution: z.string().max(500),
  terms: z.string().max(1000),
  maxZoom: z.number().int().min(0).max(24),
  key: z.string().max(500).optional(),
});
export type StoredTileSource = z.infer<typeof StoredTileSourceSchema>;

const FileSchema = z.object({ sources: z.array(StoredTileSourceSchema).max(200) });

/** The most layers one examiner keeps. */
export const MAX_OWN_TILE_SOURCES = 200;

export class TileSourceStore {
  private readonly dir: string;

  constructor(profileDir: string) {
    this.dir = path.join(profileDir, "tile-sources");
  }

  private fileFor(keyId: string): string {
    const digits = /^ed25519:([0-9a-f]{32})$/.exec(keyId)?.[1];
    if (!digits) throw new SightlineError("invalid-input", "not an examiner key id");
    return path.join(this.dir, `${digits}.json`);
  }

  private static async readFileSources(file: string): Promise<StoredTileSource[]> {
    try {
      const parsed = FileSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
      return parsed.success ? parsed.data.sources : [];
    } catch {
      return [];
    }
  }

  /** The examiner's layers; none when nothing was saved or the file is unreadable. */
  async list(keyId: string): Promise<StoredTileSource[]> {
    return TileSourceStore.readFileSources(this.fileFor(keyId));
  }

  /** Replaces the examiner's layers (written to a temporary file, then renamed, mode 0600). */
  async save(keyId: string, sources: StoredTileSource[]): Promise<void> {
    if (sources.length > MAX_OWN_TILE_SOURCES) {
      throw new SightlineError("invalid-input", `an examiner keeps at most ${MAX_OWN_TILE_SOURCES} layers`);
    }
    const file = this.fileFor(keyId);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ sources }, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, file);
  }

  /** The layers of every examiner in this profile (the page's policy knows no examiner). */
  async allSources(): Promise<StoredTileSource[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const files = names.filter((n) => /^[0-9a-f]{32}\.json$/.test(n)).map((n) => path.join(this.dir, n));
    const lists = await Promise.all(files.map((f) => TileSourceStore.readFileSources(f)));
    return lists.flat();
  }
}
