/**
 * Browser mode: "Report on selected" and "Export selected" with as many items as the contracts
 * allow (100,000 digests, several MB of JSON) reach the service over real HTTP, past the 1 MiB
 * every other method is held to; a body past that bound is still refused with a one-line reason.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { startLoopbackHost, type LoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import type { SightlineService } from "../../electron/services/sightlineService.js";
import { testService } from "../support/testService.js";
import { createHttpClient, type ApiClient } from "../../renderer/api/apiClient.js";
import { tempDir } from "../support/fixtures.js";

const digests = (n: number) =>
  Array.from({ length: n }, (_, i) => createHash("sha256").update(String(i)).digest("hex"));

describe("selected items over the loopback host", () => {
  let host: LoopbackHost;
  let service: SightlineService;
  let client: ApiClient;
  let dir: string;

  before(async () => {
    const root = await tempDir();
    service = testService(new KeyStore(path.join(root, "home")));
    host = await startLoopbackHost({ service });
    client = createHttpClient(host.url, host.token);
    dir = path.join(root, "case");
    assert.ok((await client.api.createCase({ dir, title: "Selected", examiner: "S. Elected" })).ok);
  });
  after(async () => {
    await service.jobs.settle();
    await host.close();
  });

  test("100,000 selected items reach the service; 100,001 are refused by the contract, not the transport", async () => {
    const items = digests(100_000);
    for (const answer of [
      await client.api.generateReport({ dir, format: "json", items }),
      await client.api.exportBundle({ dir, items }),
    ]) {
      assert.doesNotMatch(answer.ok ? "" : answer.error.message, /larger than/);
    }
    const tooMany = await client.api.exportBundle({ dir, items: [...items, items[0]!] });
    assert.ok(!tooMany.ok);
    assert.doesNotMatch(tooMany.error.message, /larger than/);
  });

  test("a body past the bound is refused with a one-line reason", async () => {
    const answer = await fetch(`${host.url}/api/generateReport`, {
      method: "POST",
      headers: { Authorization: `Bearer ${host.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ dir, format: "json", items: digests(200_000) }),
    });
    assert.equal(answer.status, 413);
    const body = (await answer.json()) as { error: { message: string } };
    assert.match(body.error.message, /^the body is larger than \d+ bytes$/);
  });
});
