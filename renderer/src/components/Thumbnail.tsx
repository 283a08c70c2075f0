/** A case picture, fetched with the session's token and shown veiled until the examiner reveals it. */
import { useEffect, useState } from "react";
import type { Connection } from "../connection.js";
import { veiledCopy } from "./veiledCopy.js";

/**
 * Addresses of thumbnails already asked for, by case and path, oldest first. Derivatives never
 * change once written (their hash is in the ledger), so an address stays valid for the session;
 * keeping the most recent ones (and their veiled copies) means a filter change that brings tiles
 * back shows them at once instead of asking again.
 */
const CACHE_LIMIT = 1500;
const cache = new Map<string, Promise<string>>();
/** Veiled copies of cached pictures (JPEG data URLs of some 2-4 KB), made once each. */
const veils = new Map<string, Promise<string>>();
/**
 * What a tile shows, by "clear" or "veil" and case and path, for the pictures fetched (and veiled)
 * already, so a remounted tile paints its picture in its first frame.
 */
const settled = new Map<string, string>();

function thumbnailUrl(connection: Connection, dir: string, path: string): Promise<string> {
  const key = `${dir}\n${path}`;
  let url = cache.get(key);
  if (url) {
    cache.delete(key);
  } else {
    url = connection.fileUrl(dir, path);
    url.catch(() => cache.delete(key));
  }
  cache.set(key, url);
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next().value as string;
    cache.delete(oldest);
    veils.delete(oldest);
    settled.delete(`clear\n${oldest}`);
    settled.delete(`veil\n${oldest}`);
  }
  return url;
}

/** The address of what a tile shows: the picture, or its veiled copy made from it the first time. */
function shownUrl(connection: Connection, dir: string, path: string, isVeiled: boolean): Promise<string> {
  const clear = thumbnailUrl(connection, dir, path);
  if (!isVeiled) return clear;
  const key = `${dir}\n${path}`;
  let veil = veils.get(key);
  if (!veil) {
    const made = clear.then(veiledCopy);
    // A failure is tried again when a tile next asks (mounted, or given another item); a copy
    // started later for the same key is kept.
    made.catch(() => veils.get(key) === made && veils.delete(key));
    veils.set(key, made);
    veil = made;
  }
  return veil;
}

/**
 * Pictures not fetched yet start loading in a task right after the frame that shows their tiles, all
 * together. Started at once, some forty requests of a filter change (their responses, load events and
 * decoding) took the main thread and the raster threads while that frame was still to be drawn, and the
 * new tiles, count and names reached the screen about twice as late (a DevTools trace of a search at
 * 100,000 items: ~150 ms to the frame, its draw at ~390 ms). Not at idle time: on a busy machine that
 * came only with its timeout, in the middle of the next change. A picture cached already shows at once.
 */
const waiting = new Set<() => void>();
let isFlushScheduled = false;

function loadAfterPaint(start: () => void): () => void {
  waiting.add(start);
  if (!isFlushScheduled) {
    isFlushScheduled = true;
    requestAnimationFrame(() =>
      setTimeout(() => {
        isFlushScheduled = false;
        const starts = [...waiting];
        waiting.clear();
        for (const s of starts) s();
      }),
    );
  }
  return () => waiting.delete(start);
}

/**
 * A small picture of the case: a tile's thumbnail, a video's keyframe, or an item's preview while
 * the item view is veiled. The board keeps a tile's elements for whichever item is in its place now, so
 * `path` may change under a mounted thumbnail: what it shows is always that of the current `path`
 * (a picture of another item is never left on screen), and the `<img>` is keyed by its address, so
 * a new picture starts from an empty element rather than showing the last one until it loads.
 * Veiled, it shows the picture's veiled copy (veiledCopy.ts) and nothing until that is made: the
 * clear picture is never drawn on screen.
 */
export function Thumbnail({
  connection,
  dir,
  path,
  alt,
  isRevealed,
  fit = "cover",
}: {
  connection: Connection;
  dir: string;
  path: string | null;
  alt: string;
  isRevealed: boolean;
  /** How the picture fills its box: cropped to it (a tile), or whole inside it (a view of one item). */
  fit?: "cover" | "contain";
}) {
  const key = path ? `${isRevealed ? "clear" : "veil"}\n${dir}\n${path}` : "";
  // What was learnt of `key` (its address or its failure); for another key, nothing yet.
  const [loaded, setLoaded] = useState<{ key: string; url: string | null; failed: boolean }>({
    key: "",
    url: null,
    failed: false,
  });
  const known = loaded.key === key ? loaded : null;
  const url = known?.url ?? (path ? (settled.get(key) ?? null) : null);
  const failed = known?.failed ?? false;
  const isShown = url !== null;
  useEffect(() => {
    if (!path) return;
    let alive = true;
    const load = () =>
      shownUrl(connection, dir, path, !isRevealed)
        .then((u) => {
          if (cache.has(`${dir}\n${path}`)) settled.set(key, u);
          if (alive) setLoaded({ key, url: u, failed: false });
        })
        .catch(() => alive && setLoaded({ key, url: null, failed: true }));
    // A picture fetched already shows in the first frame (above); this only keeps it in the cache.
    // Decided by what this render shows, so a picture evicted since is loaded again, not left blank.
    const cancel = isShown ? null : loadAfterPaint(load);
    if (!cancel) thumbnailUrl(connection, dir, path).catch(() => undefined);
    return () => {
      alive = false;
      cancel?.();
    };
  }, [connection, dir, path, key, isRevealed, isShown]);
  if (!path || failed) {
    return <div className="thumb-empty">{failed ? "preview unavailable" : "no preview"}</div>;
  }
  return (
    <div className="thumb">
      {url && (
        <img
          key={url}
          src={url}
          alt={alt}
          draggable={false}
          decoding="async"
          onError={() => setLoaded({ key, url: null, failed: true })}
          className={isRevealed ? undefined : "media-veiled media-veil-copy"}
          style={{ width: "100%", height: "100%", objectFit: fit, display: "block" }}
        />
      )}
    </div>
  );
}
