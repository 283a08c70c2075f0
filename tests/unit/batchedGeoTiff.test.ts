/**
 * Scene tiles handed to OpenLayers in batches (renderer/src/views/map/batchedGeoTiff.ts): a tile
 * that finishes while others of its source are loading waits for them, so one frame draws them
 * all; a tile is never held for ever behind a slow one, and failures still arrive as failures.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Loader, LoaderOptions } from "ol/source/DataTile.js";
import { batchLoads } from "../../renderer/src/views/map/batchedGeoTiff.js";

/** A loader whose tiles finish when the test says so. */
function controlledLoader() {
  const pending = new Map<string, { resolve: (d: Uint8Array) => void; reject: (e: Error) => void }>();
  const loader: Loader = (z, x, y) =>
    new Promise<Uint8Array>((resolve, reject) => pending.set(`${z}/${x}/${y}`, { resolve, reject }));
  return { loader, pending };
}

const options = { signal: new AbortController().signal } as LoaderOptions;
/** Lets every queued promise reaction run. */
const settle = () => new Promise((r) => setImmediate(r));

test("tiles that finish while another is loading are released together when it finishes", async () => {
  const { loader, pending } = controlledLoader();
  const batched = batchLoads(loader);
  const arrived: string[] = [];
  const loads = ["1/0/0", "1/0/1", "1/1/0"].map((key) => {
    const [z, x, y] = key.split("/").map(Number) as [number, number, number];
    return Promise.resolve(batched(z, x, y, options)).then(() => arrived.push(key));
  });
  await settle();
  assert.equal(pending.size, 3, "every tile is asked of the inner loader at once");
  pending.get("1/0/0")!.resolve(new Uint8Array(4));
  pending.get("1/1/0")!.resolve(new Uint8Array(4));
  await settle();
  assert.deepEqual(arrived, [], "finished tiles wait while another is loading");
  pending.get("1/0/1")!.resolve(new Uint8Array(4));
  await settle();
  assert.deepEqual(arrived.sort(), ["1/0/0", "1/0/1", "1/1/0"]);
  await Promise.all(loads);
});

test("a tile held behind a slow one is released after the hold, and the data is the inner loader's", async () => {
  const { loader, pending } = controlledLoader();
  const batched = batchLoads(loader);
  const fast = Promise.resolve(batched(2, 0, 0, options));
  const slow = Promise.resolve(batched(2, 0, 1, options));
  await settle();
  const data = new Uint8Array([1, 2, 3, 4]);
  pending.get("2/0/0")!.resolve(data);
  assert.equal(await fast, data);
  let slowDone = false;
  void slow.then(() => (slowDone = true));
  await settle();
  assert.equal(slowDone, false, "the slow tile is still loading");
  pending.get("2/0/1")!.resolve(new Uint8Array(4));
  await slow;
});

test("a failed tile is a failure, with the reason, and does not hold up the others", async () => {
  const { loader, pending } = controlledLoader();
  const batched = batchLoads(loader);
  const bad = Promise.resolve(batched(3, 0, 0, options));
  const good = Promise.resolve(batched(3, 0, 1, options));
  await settle();
  pending.get("3/0/0")!.reject(new Error("range request refused"));
  pending.get("3/0/1")!.resolve(new Uint8Array(4));
  await assert.rejects(bad, /range request refused/);
  assert.ok((await good) instanceof Uint8Array);
  // A thrown (synchronous) failure of the inner loader is a rejection too.
  const throwing = batchLoads(() => {
    throw new Error("no such band");
  });
  await assert.rejects(Promise.resolve(throwing(0, 0, 0, options)), /no such band/);
});
