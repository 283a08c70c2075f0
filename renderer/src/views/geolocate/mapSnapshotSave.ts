/** Keeps the map as shown as a map-snapshot derivative of the item, for a record to name. */
import type { ApiClient } from "../../../api/apiClient.js";
import type { MapRef } from "./workspaceTypes.js";

/** How long a save waits for the map to finish drawing before it records without a snapshot. */
const SNAPSHOT_WAIT_S = 60;

async function blobBase64(blob: Blob): Promise<string> {
  const url = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error("the snapshot could not be read"));
    reader.readAsDataURL(blob);
  });
  return url.slice(url.indexOf(",") + 1);
}

/** The snapshot's case path and hash, or null with the reason none was kept. */
export async function saveSnapshot(
  api: ApiClient["api"],
  dir: string,
  sha256: string,
  mapRef: MapRef,
): Promise<{ snapshot: { path: string; sha256: string } | null; failure: string | null }> {
  try {
    if (!mapRef.current) return { snapshot: null, failure: "the map is not shown" };
    // The map renders once every tile has arrived; a stalled tile server must not hold the record back.
    const shot = await Promise.race([
      mapRef.current.snapshot(),
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`the map did not finish drawing within ${SNAPSHOT_WAIT_S} s`)),
          SNAPSHOT_WAIT_S * 1000,
        ),
      ),
    ]);
    const saved = await api.saveMapSnapshot({ dir, sha256, png: await blobBase64(shot.png), params: shot.params });
    if (!saved.ok) return { snapshot: null, failure: saved.error.message };
    return { snapshot: { path: saved.value.path, sha256: saved.value.sha256 }, failure: null };
  } catch (error) {
    return { snapshot: null, failure: (error as Error).message };
  }
}
