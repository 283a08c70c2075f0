/**
 * Online tile layers: the presets shipped in resources/tile-presets.json and the examiner's own
 * (examiners/tileSourceStore.ts). Only http(s) templates with {z}, {x} and {y} (or {-y}) are
 * accepted, with a plain host name and no user name or password in them; a key goes in `{key}`
 * and stays in the profile. The page's Content-Security-Policy allows exactly the origins of
 * these templates (`tileOrigins`), so a layer nobody configured cannot load.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ApiOutput, ApiParsedInput } from "../../../shared/api/contract.js";
import type { TileSourceInfo } from "../../../shared/api/geoContract.js";
import { TileSourceStore, type StoredTileSource } from "../examiners/tileSourceStore.js";
import { SightlineError } from "../sightlineError.js";
import { openGeoCase, signingExaminer, type GeoServiceTools } from "./geoCase.js";

const ALLOWED_PLACEHOLDERS = new Set(["{z}", "{x}", "{y}", "{-y}", "{key}"]);
const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

const refuse = (message: string) => new SightlineError("invalid-input", message);

/** A checked template: its origin (for the page's policy) and whether it needs a key. */
export interface CheckedTemplate {
  origin: string;
  needsKey: boolean;
}

/** Checks a tile URL template; throws a one-line refusal saying what is wrong. */
export function checkTemplate(template: string): CheckedTemplate {
  if (/[\s\u0000-\u001f\u007f"'<>\\^`|]/.test(template)) {
    throw refuse("a tile template must not hold spaces, quotes, angle brackets or control characters");
  }
  const placeholders: string[] = template.match(/\{[^}]*\}/g) ?? [];
  const unknown = placeholders.find((p) => !ALLOWED_PLACEHOLDERS.has(p));
  if (unknown)
    throw refuse(`a tile template may only use {z}, {x}, {y}, {-y} and {key}; it has ${unknown.slice(0, 40)}`);
  if (/[{}]/.test(template.replace(/\{[^}]*\}/g, ""))) throw refuse("a tile template has an unmatched { or }");
  if (!placeholders.includes("{z}") || !placeholders.includes("{x}")) {
    throw refuse("a tile template needs {z}, {x} and {y} (or {-y}) where the tile's zoom and position go");
  }
  if (!placeholders.includes("{y}") && !placeholders.includes("{-y}")) {
    throw refuse("a tile template needs {y} (or {-y} for TMS rows) where the tile's row goes");
  }
  let url: URL;
  try {
    url = new URL(template.replace(/\{-?[a-z]+\}/g, "0"));
  } catch {
    throw refuse("the tile template is not a web address");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw refuse(`only http and https tile templates are accepted, not ${url.protocol.replace(/:$/, "").slice(0, 20)}`);
  }
  if (url.username !== "" || url.password !== "") {
    throw refuse("a tile template must not carry a user name or password; put an access key in the key field instead");
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!HOST_NAME.test(host) && host !== "::1")
    throw refuse("the tile template's host name has characters Sightline does not accept");
  // The template must begin with its origin as written, so no placeholder or odd spelling sits in the host.
  if (!template.toLowerCase().startsWith(`${url.origin}/`)) {
    throw refuse(`write the tile template's address plainly, beginning ${url.origin}/ (no placeholder in the host)`);
  }
  return { origin: url.origin, needsKey: placeholders.includes("{key}") };
}

const PresetSchema = {
  parse(raw: unknown): StoredTileSource[] {
    const presets = (raw as { presets?: unknown }).presets;
    if (!Array.isArray(presets)) throw new Error("tile-presets.json has no presets list");
    return presets.map((p: Record<string, unknown>) => {
      const s = {
        id: String(p.id),
        name: String(p.name),
        template: String(p.template),
        attribution: String(p.attribution),
        terms: String(p.terms),
        maxZoom: Number(p.maxZoom),
      };
      checkTemplate(s.template);
      return s;
    });
  },
};

let presetCache: StoredTileSource[] | null = null;

/** The shipped presets (read once; checked by the same rules as the examiner's own). */
export function tilePresets(): StoredTileSource[] {
  presetCache ??= PresetSchema.parse(
    JSON.parse(readFileSync(new URL("../../../../resources/tile-presets.json", import.meta.url), "utf8")),
  );
  return presetCache;
}

function infoOf(source: StoredTileSource, isPreset: boolean): TileSourceInfo {
  const { needsKey } = checkTemplate(source.template);
  return {
    id: source.id,
    name: source.name,
    template: source.template,
    attribution: source.attribution,
    terms: source.terms,
    isPreset,
    needsKey,
    hasKey: needsKey && source.key !== undefined && source.key !== "",
    maxZoom: source.maxZoom,
  };
}

export class TileSources {
  private readonly store: TileSourceStore;

  constructor(private readonly tools: GeoServiceTools) {
    this.store = new TileSourceStore(tools.keyStore.profileDir);
  }

  private async examinerOf(dir: string): Promise<string> {
    const { dir: absolute } = await openGeoCase(this.tools, dir);
    return (await signingExaminer(this.tools, absolute)).keyId;
  }

  /**
   * The examiner's key id, or null when this profile holds no key the case trusts (a reader who
   * is not one of its examiners): the presets are still offered, own layers are not.
   */
  private async readerOf(dir: string): Promise<string | null> {
    try {
      return await this.examinerOf(dir);
    } catch (error) {
      if (error instanceof SightlineError && error.code === "no-key") return null;
      throw error;
    }
  }

  private async listFor(keyId: string | null): Promise<TileSourceInfo[]> {
    const own = (keyId ? await this.store.list(keyId) : []).flatMap((s) => {
      try {
        return [infoOf(s, false)];
      } catch {
        return []; // a profile file edited by hand to hold a template the rules refuse is not offered
      }
    });
    return [...tilePresets().map((p) => infoOf(p, true)), ...own];
  }

  async list(input: ApiParsedInput<"tileSources">): Promise<ApiOutput<"tileSources">> {
    return this.listFor(await this.readerOf(input.dir));
  }

  async save(input: ApiParsedInput<"saveTileSource">): Promise<ApiOutput<"saveTileSource">> {
    const keyId = await this.examinerOf(input.dir);
    const { needsKey, origin } = checkTemplate(input.template);
    if (input.key !== undefined && input.key !== "") {
      if (!needsKey) throw refuse("a key was given but the template has no {key} for it to go in");
      if (/[\s\u0000-\u001f\u007f]/.test(input.key)) throw refuse("a key must not hold spaces or control characters");
      // Shorter keys would be found inside ordinary text, and the check that keeps keys out of a case
      // (refuseKeys) would then refuse innocent clue names.
      if ([...input.key].length < 4) throw refuse("a key must be at least 4 characters");
    }
    if (input.id && tilePresets().some((p) => p.id === input.id)) {
      throw refuse("a preset layer cannot be changed; add a layer of your own instead");
    }
    const sources = await this.store.list(keyId);
    const existing = input.id ? sources.find((s) => s.id === input.id) : undefined;
    if (input.id && !existing) throw new SightlineError("not-found", "no layer of yours has that id");
    const id = existing?.id ?? `own-${randomBytes(5).toString("hex")}`;
    // A saved key goes only to the host it was saved for: a template moved elsewhere needs it given again.
    const keptKey = existing && checkTemplate(existing.template).origin === origin ? existing.key : undefined;
    const key = input.key === undefined ? keptKey : input.key === "" ? undefined : input.key;
    const next: StoredTileSource = {
      id,
      name: input.name.trim(),
      template: input.template,
      attribution: input.attribution,
      terms: input.terms,
      maxZoom: input.maxZoom,
      ...(needsKey && key !== undefined ? { key } : {}),
    };
    await this.store.save(keyId, existing ? sources.map((s) => (s.id === id ? next : s)) : [...sources, next]);
    return this.listFor(keyId);
  }

  async remove(input: ApiParsedInput<"removeTileSource">): Promise<ApiOutput<"removeTileSource">> {
    const keyId = await this.examinerOf(input.dir);
    if (tilePresets().some((p) => p.id === input.id)) throw refuse("a preset layer cannot be removed");
    const sources = await this.store.list(keyId);
    if (!sources.some((s) => s.id === input.id)) throw new SightlineError("not-found", "no layer of yours has that id");
    await this.store.save(
      keyId,
      sources.filter((s) => s.id !== input.id),
    );
    return this.listFor(keyId);
  }

  /** The template with the key filled in, for the map to fetch with; never recorded anywhere. */
  async tileUrl(input: ApiParsedInput<"tileUrl">): Promise<ApiOutput<"tileUrl">> {
    const keyId = await this.readerOf(input.dir);
    const own = keyId ? await this.store.list(keyId) : [];
    const source = tilePresets().find((p) => p.id === input.id) ?? own.find((s) => s.id === input.id);
    if (!source) throw new SightlineError("not-found", "no tile layer has that id");
    const { needsKey } = checkTemplate(source.template);
    if (!needsKey) return { template: source.template };
    if (!source.key)
      throw refuse(
        `the layer "${source.name.slice(0, 100)}" needs a key and none is saved; add it in the layer's settings`,
      );
    return { template: source.template.replaceAll("{key}", encodeURIComponent(source.key)) };
  }

  /** Every origin a configured template loads from: presets and every examiner's own in this profile. */
  async origins(): Promise<string[]> {
    let presets: StoredTileSource[] = [];
    try {
      presets = tilePresets();
    } catch {
      // A missing or damaged presets file must not stop the page loading: their hosts stay blocked.
    }
    const templates = [...presets, ...(await this.store.allSources())].map((s) => s.template);
    const origins = new Set<string>();
    for (const t of templates) {
      try {
        origins.add(checkTemplate(t).origin);
      } catch {
        // not a template the rules accept: its host stays blocked
      }
    }
    return [...origins].sort();
  }

  /**
   * Refuses a value bound for a case (snapshot params, clue layers) any of whose strings holds a key
   * saved in this profile, as it is or URL-encoded (in either case of hex digits): a template is
   * recorded with `{key}`, never with the key. Strings are read from the value itself, not from its
   * JSON text, where a key holding `"` or `\` would be escaped out of sight.
   */
  async refuseKeys(value: unknown): Promise<void> {
    const keys = (await this.store.allSources()).flatMap((s) =>
      s.key ? [s.key.toLowerCase(), encodeURIComponent(s.key).toLowerCase()] : [],
    );
    if (keys.length === 0) return;
    for (const text of stringsIn(value)) {
      const lower = text.toLowerCase();
      if (keys.some((k) => lower.includes(k))) {
        throw refuse(
          "a layer's template holds a saved access key; send the template with {key} where the key goes (keys are never recorded)",
        );
      }
    }
  }
}

/** Every string in a JSON-like value, at any depth. */
function* stringsIn(value: unknown): Generator<string> {
  if (typeof value === "string") yield value;
  else if (Array.isArray(value)) for (const v of value) yield* stringsIn(v);
  else if (value !== null && typeof value === "object") for (const v of Object.values(value)) yield* stringsIn(v);
}
