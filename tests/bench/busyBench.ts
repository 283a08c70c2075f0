/**
 * Is the workbench still responsive while a 4 GB file is imported? Debian's Chromium, driven by
 * Playwright, against the real host, on a case with a few thousand items:
 *
 *   idle   frame intervals while the board scrolls, and filter → count latency, with nothing running
 *   busy   the same while the host copies and hashes a 4 GiB file into the case: by path, or with
 *          BENCH_BUSY_VIA=upload picked in the page and sent by it (the path of a dropped file)
 *
 * and the import's own time, against `cp` + `sync` of the same file in the same run.
 * BENCH_BUSY_GIB changes the size. The file and the case are made fresh in $TMPDIR and removed.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { launchChromium, scrollFrames, stats } from "./boardProbe.js";
import { startLoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { SightlineService } from "../../electron/services/sightlineService.js";
import { makeJpegFolder } from "../support/mediaCorpus.js";
import { writeBlockFile } from "./importLimit.js";

const GIB = Number(process.env.BENCH_BUSY_GIB ?? 4);
/** How the file reaches the host: its path typed into the import row, or picked in the page and uploaded. */
const VIA = process.env.BENCH_BUSY_VIA === "upload" ? "upload" : "path";
const root = await mkdtemp(path.join(os.tmpdir(), "sightline-busy-"));

/** Milliseconds from typing a search to the new count painted. */
async function searchLatency(page: Page, text: string): Promise<number> {
  return page.evaluate(async (needle) => {
    const input = document.querySelector('input[aria-label="Search"]') as HTMLInputElement;
    const count = document.querySelector('[aria-label="Item count"]')!;
    const before = count.textContent;
    const t = performance.now();
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
    setter.call(input, needle);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    return new Promise<number>((resolve) => {
      const check = () => {
        if (count.textContent !== before) requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t)));
        else requestAnimationFrame(check);
      };
      check();
      setTimeout(() => resolve(-1), 10_000);
    });
  }, text);
}

const media = path.join(root, "media");
console.log(`making ${GIB} GiB of test data and a case of 3,000 pictures…`);
await makeJpegFolder(path.join(media, "pictures"), 3000, { width: 96, height: 64 });
const big = path.join(root, "big", "long-video.bin");
await writeBlockFile(big, GIB * 2 ** 30);

const service = new SightlineService(new KeyStore(path.join(root, "home")));
const host = await startLoopbackHost({ service });
const caseDir = path.join(root, "case");
await service.createCase({ dir: caseDir, title: "Busy bench", examiner: "Bench", hashAlgorithms: ["sha256"] });
await service.importFiles({ dir: caseDir, paths: [path.join(media, "pictures")], collection: {} });
await service.jobs.settle();

// The standard tool on the same file: copy it and flush it to disk.
const cpStarted = Date.now();
spawnSync("cp", [big, path.join(root, "cp-copy.bin")]);
spawnSync("sync");
const cpMs = Date.now() - cpStarted;
await rm(path.join(root, "cp-copy.bin"));
spawnSync("sync");

const { context, page, profile } = await launchChromium();
await page.goto(`${host.url}/#token=${host.token}`);
await page.getByRole("textbox", { name: "Case folder" }).nth(1).fill(caseDir);
await page.getByRole("button", { name: "Open", exact: true }).click();
await page.getByLabel("Item count").filter({ hasText: "3000 of 3000 items" }).waitFor({ timeout: 120_000 });

const idleFrames = await scrollFrames(page, { pxPerFrame: 60, pingPongMs: 4000 });
const idleSearch: number[] = [];
for (const q of ["photo-01", "", "photo-02", ""]) idleSearch.push(await searchLatency(page, q));

const importStarted = Date.now();
if (VIA === "upload") {
  // As if dropped: the page reads the file and sends its bytes to the host (PUT /upload).
  await page.getByLabel("Pick files to import").setInputFiles(big);
} else {
  await page.getByLabel("Path to import").fill(path.join(root, "big"));
  await page.getByRole("button", { name: "Import", exact: true }).click();
}
await page.getByLabel("Import progress").waitFor();
const busyFrames: number[] = [];
const busySearch: number[] = [];
let rounds = 0;
while (await page.getByLabel("Import progress").isVisible()) {
  busyFrames.push(...(await scrollFrames(page, { pxPerFrame: 60, pingPongMs: 1000 })));
  busySearch.push(await searchLatency(page, rounds % 2 === 0 ? "photo-01" : ""));
  rounds++;
}
const importMs = Date.now() - importStarted;
const finished = await page.getByText(/^Import (finished|cancelled|failed)/).textContent();

await context.close();
await service.jobs.settle();
await host.close();
await rm(profile, { recursive: true, force: true });
await rm(root, { recursive: true, force: true });

const f = (x: number) => x.toFixed(1);
const idleF = stats(idleFrames);
const busyF = stats(busyFrames);
const idleS = stats(idleSearch);
const busyS = stats(busySearch);
console.log(
  `workbench while a ${GIB} GiB file is imported ${VIA === "upload" ? "by upload from the page, as when dropped" : "by path"} (3,000-item case, Chromium, software rendering):`,
);
console.log(
  `  import ${(importMs / 1000).toFixed(1)} s through the UI (${finished}); cp + sync ${(cpMs / 1000).toFixed(1)} s: ratio ${(cpMs / importMs).toFixed(2)}`,
);
console.log(
  `  scroll frame interval: idle median ${f(idleF.median)} ms, p95 ${f(idleF.p95)} ms; during the import median ${f(busyF.median)} ms, p95 ${f(busyF.p95)} ms, worst ${f(busyF.max)} ms (${busyF.n} frames)`,
);
console.log(
  `  search → count painted: idle median ${f(idleS.median)} ms; during the import median ${f(busyS.median)} ms, worst ${f(busyS.max)} ms (${busyS.n} searches)`,
);
