/**
 * The page's pushed events share one stream: every view that listens (the board, its import bar,
 * the report and bundle dialogs, the ledger view) subscribes through the same client, and the
 * host sees a single GET /api/events. A stream per view would hold one of Chromium's six
 * connections per host each, and the page's image and scene reads would wait for ever.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { startLoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { testService } from "../support/testService.js";
import { createHttpClient } from "../../renderer/api/apiClient.js";
import type { ApiEvent } from "../../shared/api/contract.js";
import { tempDir, writeRandomFile } from "../support/fixtures.js";

const made = tempDir();

test("eight listeners share one event stream, which outlives a listener that comes back at once and closes when none is left", async () => {
  const root = await made;
  const service = testService(new KeyStore(path.join(root, "home")));
  const host = await startLoopbackHost({ service });
  let streamsOpened = 0;
  const countingFetch: typeof fetch = (input, init) => {
    if (String(input).endsWith("/api/events")) streamsOpened++;
    return fetch(input, init);
  };
  try {
    const client = createHttpClient(host.url, host.token, countingFetch);
    const dir = path.join(root, "case");
    assert.ok((await client.api.createCase({ dir, title: "Streams", examiner: "B. Verifier" })).ok);
    const received: ApiEvent[][] = Array.from({ length: 8 }, () => []);
    const stops: (() => void)[] = [];
    const allFinished = Promise.all(
      received.map(
        (events) =>
          new Promise<void>((resolve) => {
            stops.push(
              client.onEvent((event) => {
                events.push(event);
                if (event.type === "job.finished") resolve();
              }),
            );
          }),
      ),
    );
    assert.equal(streamsOpened, 1, "one stream for eight listeners");
    await new Promise((r) => setTimeout(r, 100)); // let the stream connect before the job starts
    const file = path.join(root, "media", "one.bin");
    await writeRandomFile(file, 4096);
    assert.ok((await client.api.importFiles({ dir, paths: [file], collection: {} })).ok);
    await allFinished;
    const types = received.map((events) => events.map((e) => e.type).join(","));
    assert.ok(
      types.every((t) => t === types[0]),
      "every listener saw the same events",
    );
    assert.match(types[0]!, /job\.finished/);

    stops.slice(0, 7).forEach((stop) => stop());
    assert.equal(streamsOpened, 1, "the stream stays while a listener remains");
    // The last listener leaves and another comes at once (a view re-running its effect): the same
    // stream carries on, and the next job's end reaches the newcomer.
    stops[7]!();
    const again = new Promise<void>((resolve) => {
      const stop = client.onEvent((event) => {
        if (event.type === "job.finished") {
          stop();
          resolve();
        }
      });
    });
    assert.equal(streamsOpened, 1, "a listener straight after the last one keeps the stream");
    assert.ok((await client.api.importFiles({ dir, paths: [file], collection: {} })).ok);
    await again;

    // With no listener for a while the stream closes; the next listener opens a new one.
    await new Promise((r) => setTimeout(r, 1500));
    const stop = client.onEvent(() => undefined);
    assert.equal(streamsOpened, 2, "a listener long after the last one left opens a new stream");
    stop();
  } finally {
    await host.close();
  }
});
