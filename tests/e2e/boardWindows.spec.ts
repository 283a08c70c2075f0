/**
 * Two windows on one case share the browser's IndexedDB projection. An import made from one
 * window through the API reaches the other window's board even when the first window has already
 * brought the shared projection up to the new head (so the second finds it "current"): the second
 * window's sync is held at the host until the first window's board shows the new item. The tile
 * focused in the second window keeps the focus on its item when the new one is sorted in before it
 * (the grid reuses a place's element for whichever item is there now).
 */
import { expect, test, type Page, type Route } from "@playwright/test";
import path from "node:path";
import { makeJpeg } from "../support/mediaCorpus.js";
import { openCase, SCREENSHOTS, startCase, type CaseWorkbench } from "./caseSetup.js";

let base: CaseWorkbench;

test.beforeAll(async () => {
  base = await startCase("sightline-e2e-windows-", "Two windows");
  const first = path.join(base.root, "first");
  for (const [i, name] of ["north.jpg", "south.jpg"].entries())
    await makeJpeg(path.join(first, name), { width: 160, height: 120, seed: i + 11 });
  await base.importPaths([first]);
  await makeJpeg(path.join(base.root, "later", "east.jpg"), { width: 160, height: 120, seed: 21 });
});

test.afterAll(async () => {
  await base.close();
});

const tiles = (page: Page) => page.getByRole("gridcell");

test("an import made from one window shows on the other window's board", async ({ context }) => {
  test.setTimeout(120_000);
  const importer = await context.newPage();
  const watcher = await context.newPage();
  const errors: string[] = [];
  for (const page of [importer, watcher]) page.on("pageerror", (e) => errors.push(String(e)));
  await openCase(importer, base.host, base.caseDir);
  await expect(tiles(importer)).toHaveCount(2, { timeout: 60_000 });
  await openCase(watcher, base.host, base.caseDir);
  await expect(tiles(watcher)).toHaveCount(2, { timeout: 60_000 });
  // south.jpg, second in the grid: east.jpg will be sorted in first and push it to the third place.
  const south = watcher.getByRole("gridcell", { name: /^south\.jpg/ });
  await south.focus();
  await expect(south).toBeFocused();

  // The watcher's next syncs wait at the host until released.
  const held: Route[] = [];
  let release: (() => void) | null = null;
  const released = new Promise<void>((resolve) => (release = resolve));
  let isHolding = true;
  await watcher.route("**/api/openCase", async (route) => {
    if (!isHolding) return route.continue();
    held.push(route);
    await released;
    await route.continue();
  });

  const answer = await importer.evaluate(
    async ({ token, body }) => {
      const response = await fetch("/api/importFiles", {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      return (await response.json()) as { ok: boolean };
    },
    { token: base.host.token, body: { dir: base.caseDir, paths: [path.join(base.root, "later")], collection: {} } },
  );
  expect(answer.ok).toBe(true);
  await base.service.jobs.settle();
  const head = (await base.service.openCase({ dir: base.caseDir })).head!;
  await expect(tiles(importer)).toHaveCount(3, { timeout: 60_000 });
  await expect(importer.getByRole("gridcell", { name: /^east\.jpg/ })).toBeVisible();
  // The importing window's projection, in the IndexedDB both windows share, is at the new head.
  const caseId = (await base.service.openCase({ dir: base.caseDir })).id;
  await expect
    .poll(() => storedHead(importer, caseId), { timeout: 60_000 })
    .toEqual({ seq: head.seq, hash: head.hash });
  expect(held.length).toBeGreaterThan(0);

  isHolding = false;
  release!();
  await expect(tiles(watcher)).toHaveCount(3, { timeout: 60_000 });
  await expect(watcher.getByRole("gridcell", { name: /^east\.jpg/ })).toBeVisible();
  await expect(tiles(watcher).nth(2)).toHaveAccessibleName(/^south\.jpg/);
  await expect(south).toBeFocused();
  await expect(south).toHaveAttribute("tabindex", "0");
  await watcher.screenshot({ path: path.join(SCREENSHOTS, "board-second-window.png") });
  expect(errors).toEqual([]);
});

/** The head stored with the case's projection in the page's IndexedDB (renderer/src/db/projection.ts). */
function storedHead(page: Page, caseId: string): Promise<unknown> {
  return page.evaluate(
    (name) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const get = db.transaction("meta").objectStore("meta").get("head");
          get.onerror = () => reject(get.error);
          get.onsuccess = () => {
            db.close();
            resolve((get.result as { value?: unknown } | undefined)?.value ?? null);
          };
        };
      }),
    `sightline-case-${caseId}`,
  );
}
