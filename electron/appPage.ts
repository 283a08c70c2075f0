/**
 * The built workbench UI (dist/app) as both shells serve it: the loopback host over HTTP, the
 * Electron window over its own `app:` scheme. One place for which files may be served, their
 * types, and the page's Content-Security-Policy with a fresh style nonce per load (Mantine's
 * <style> tags carry it; no other inline style or any inline script runs).
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const DEFAULT_APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "app");

/** The only paths besides the page itself: Vite's hashed bundles. */
const ASSET_PATH = /^\/assets\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** What the bundles may be. No source maps: the app ships none, and none is served if one is left there. */
const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".woff2": "font/woff2",
  ".jpg": "image/jpeg",
  ".png": "image/png",
  ".mp4": "video/mp4",
};

/** The type to serve `pathname` as when it names one of the app's bundles, else null (not served). */
export function assetType(pathname: string): string | null {
  return ASSET_PATH.test(pathname) ? (CONTENT_TYPES[path.extname(pathname)] ?? null) : null;
}

/** A tile origin as the policy may name it: scheme, plain host, optional port, nothing else. */
const TILE_ORIGIN =
  /^https?:\/\/(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[::1\])(?::\d{1,5})?$/;

/**
 * The page's policy: its own scripts only, styles by nonce, media from itself or blob: URLs it
 * made. Images and fetches may also go to `tileOrigins`, exactly the origins of the configured
 * tile layers (services/geo/tileSources.ts): a layer nobody configured stays blocked. An origin
 * that is not plainly scheme, host and port is left out rather than trusted into the policy.
 */
export function pageCsp(nonce: string, tileOrigins: readonly string[] = []): string {
  const tiles = [...new Set(tileOrigins.filter((o) => TILE_ORIGIN.test(o)))].sort();
  const extra = tiles.length > 0 ? ` ${tiles.join(" ")}` : "";
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    `img-src 'self' blob: data:${extra}`,
    "media-src 'self' blob:",
    "font-src 'self'",
    `connect-src 'self'${extra}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Headers the page itself carries besides its policy: no other window keeps a handle on it
 * (window.opener), and no device or sensor is available to it, whatever a note or file name
 * might smuggle in. Writing to the clipboard stays allowed for the copy buttons beside hashes.
 */
export const PAGE_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Permissions-Policy": [
    "accelerometer=()",
    "autoplay=()",
    "bluetooth=()",
    "camera=()",
    "clipboard-read=()",
    "clipboard-write=(self)",
    "display-capture=()",
    "encrypted-media=()",
    "geolocation=()",
    "gyroscope=()",
    "hid=()",
    "idle-detection=()",
    "magnetometer=()",
    "microphone=()",
    "midi=()",
    "payment=()",
    "publickey-credentials-get=()",
    "screen-wake-lock=()",
    "serial=()",
    "usb=()",
    "xr-spatial-tracking=()",
  ].join(", "),
  "Referrer-Policy": "no-referrer",
};

/**
 * index.html with a new nonce in place, and the policy that goes with it (allowing `tileOrigins`,
 * worked out afresh for each load). Throws when the UI is not built.
 */
export async function renderAppPage(
  appDir: string,
  tileOrigins: readonly string[] = [],
): Promise<{ html: string; csp: string }> {
  const html = await readFile(path.join(appDir, "index.html"), "utf8");
  const nonce = randomBytes(16).toString("base64");
  return { html: html.replaceAll("__SIGHTLINE_NONCE__", nonce), csp: pageCsp(nonce, tileOrigins) };
}
