/**
 * Watches one layer's tiles and says in one line when they fail or are slow, so a bad tile server
 * gives a message on screen instead of a blank or half-drawn map. Counts load errors; a tile still
 * loading after SLOW_TILE_MS makes the layer "slow" until tiles arrive again in good time.
 */
import type TileSource from "ol/source/Tile.js";
import { inertText } from "../../../../shared/text/inertText.js";

export const SLOW_TILE_MS = 6000;

export interface TileHealth {
  errors: number;
  isSlow: boolean;
  /** Why the last tile failed, when the source says (a scene's decoder does; an image tile does not). */
  lastError: string | null;
}

/** Starts watching; returns a function that stops. `onChange` is called when either figure changes. */
export function watchTiles(source: TileSource, onChange: (h: TileHealth) => void): () => void {
  const started = new Map<unknown, number>();
  let health: TileHealth = { errors: 0, isSlow: false, lastError: null };
  const set = (next: TileHealth) => {
    if (next.errors === health.errors && next.isSlow === health.isSlow) return;
    health = next;
    onChange(health);
  };
  const onStart = (e: { tile: unknown }) => started.set(e.tile, performance.now());
  const onEnd = (e: { tile: unknown }) => {
    const t0 = started.get(e.tile);
    started.delete(e.tile);
    if (t0 !== undefined && performance.now() - t0 < SLOW_TILE_MS && started.size === 0) {
      set({ ...health, isSlow: false });
    }
  };
  const onError = (e: { tile: unknown }) => {
    started.delete(e.tile);
    const reason = (e.tile as { getError?(): unknown }).getError?.();
    const lastError = reason instanceof Error ? reason.message : reason ? String(reason) : health.lastError;
    set({ ...health, errors: health.errors + 1, lastError });
  };
  source.on("tileloadstart", onStart);
  source.on("tileloadend", onEnd);
  source.on("tileloaderror", onError);
  const timer = window.setInterval(() => {
    const now = performance.now();
    for (const t0 of started.values()) {
      if (now - t0 >= SLOW_TILE_MS) return set({ ...health, isSlow: true });
    }
  }, 1000);
  return () => {
    window.clearInterval(timer);
    source.un("tileloadstart", onStart);
    source.un("tileloadend", onEnd);
    source.un("tileloaderror", onError);
  };
}

/** The host a template fetches from, for messages ("Tiles from tile.example.org are failing"). */
export function templateHost(template: string): string {
  try {
    return new URL(template.replace(/\{[^}]*\}/g, "0")).host || template.slice(0, 60);
  } catch {
    return template.slice(0, 60);
  }
}

/** The one line shown for a layer's health, or null when all is well. */
export function healthMessage(host: string, h: TileHealth): string | null {
  if (h.errors > 0) {
    const why = h.lastError ? `: ${inertText(h.lastError).slice(0, 160)}` : "";
    return `Tiles from ${host} are failing (${h.errors} error${h.errors === 1 ? "" : "s"})${why}`;
  }
  if (h.isSlow) return `Tiles from ${host} are slow`;
  return null;
}
