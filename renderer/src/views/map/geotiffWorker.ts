/**
 * The decoder workers geotiff (and so `ol/source/GeoTIFF`) decodes scene tiles in. geotiff's own
 * factory starts them from blob: URLs, which the page's policy refuses (no worker-src, so
 * script-src 'self' applies); vite.config.ts points geotiff's factory here instead, and Vite
 * bundles the worker below as a file of the app's own origin.
 *
 * geotiff starts its workers when the first tile is to be decoded, and a worker's first moments
 * (fetching and compiling its 250 kB module) then lie between the tile's bytes arriving and the
 * tile on screen. `warmDecoders` starts them as soon as a scene is chosen, while the scene's header
 * and tiles are still being read, and `create` hands those out first.
 */
const started: Worker[] = [];
let isWarmed = false;

const start = () => new Worker(new URL("./geotiffDecoder.worker.ts", import.meta.url), { type: "module" });

/** Starts as many workers as geotiff's pool will ask for (its default: one a core), once. */
export function warmDecoders(): void {
  if (isWarmed) return;
  isWarmed = true;
  const count = navigator.hardwareConcurrency || 2;
  for (let i = 0; i < count; i++) started.push(start());
}

export default function create(): Worker {
  return started.shift() ?? start();
}
