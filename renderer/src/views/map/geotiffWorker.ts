/**
 * The decoder workers geotiff (and so `ol/source/GeoTIFF`) decodes scene tiles in. geotiff's own
 * factory starts them from blob: URLs, which the page's policy refuses (no worker-src, so
 * script-src 'self' applies); vite.config.ts points geotiff's factory here instead, and Vite
 * bundles the worker below as a file of the app's own origin.
 */
export default function create(): Worker {
  return new Worker(new URL("./geotiffDecoder.worker.ts", import.meta.url), { type: "module" });
}
