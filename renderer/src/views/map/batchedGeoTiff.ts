/**
 * A GeoTIFF source whose tiles arrive in batches. OpenLayers asks the map for a frame whenever a
 * tile finishes loading, and every frame draws the whole view again; in software rendering
 * (SwiftShader, on machines without a GPU) each frame also reads the WebGL canvas back for the
 * compositor, so a first view of 25 tiles arriving one by one cost as many full redraws as tiles
 * came in separate moments. Here a finished tile is held until no other tile of the source is
 * still loading, or until the oldest held tile has waited HOLD_MS, and then all held tiles are
 * handed to OpenLayers together: one frame draws them all.
 */
import GeoTIFF from "ol/source/GeoTIFF.js";
import type { Loader } from "ol/source/DataTile.js";

/** The longest a loaded tile waits for the others before it is shown anyway. */
const HOLD_MS = 250;

type Settle = () => void;

/** Wraps a tile loader so that tiles that finish while others are loading are released together. */
export function batchLoads(loader: Loader): Loader {
  let loading = 0;
  let held: Settle[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const release = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const now = held;
    held = [];
    for (const settle of now) settle();
  };
  const finished = (settle: Settle) => {
    loading--;
    held.push(settle);
    if (loading === 0) release();
    else timer ??= setTimeout(release, HOLD_MS);
  };
  return (z, x, y, options) => {
    loading++;
    return new Promise((resolve, reject) => {
      Promise.resolve()
        .then(() => loader(z, x, y, options))
        .then(
          (data) => finished(() => resolve(data)),
          (error: unknown) => finished(() => reject(error instanceof Error ? error : new Error(String(error)))),
        );
    });
  };
}

export class BatchedGeoTIFF extends GeoTIFF {
  protected override setLoader(loader: Loader): void {
    super.setLoader(batchLoads(loader));
  }
}
