/**
 * A 4 GiB video imported through the workbench in browser mode, both ways the page offers, against
 * the limit of the machine (openssl dgst -sha256 FILE ∥ cp FILE COPY && sync COPY, started together):
 *
 *   upload   the file picked in the page (the same path as a file dropped on the board): Chromium
 *            reads it and sends its bytes to the loopback host's PUT /upload, which stages, hashes
 *            and imports them
 *   by path  the file's path typed into the board's import row: the host reads it from disk
 *   window   the file picked on the board of the host's own window (`sightline host --open`, its
 *            Chromium headless here, driven over its DevTools pipe): the host asks that browser
 *            where the file is and imports it by path (electron/host/windowFiles.ts)
 *
 * Each import goes into a fresh case through the real host, Debian's Chromium driven by Playwright,
 * timed from the pick or the click to the job's end (job.finished). Target >= 0.8 of the limit.
 * Runs alternate, a `sync` before each, medians of BENCH_ROUNDS (default 5); BENCH_SIZE_MB
 * (default 1024; the issue's 4 GiB is BENCH_SIZE_MB=4096) sets the file's size. Figures go to bench-results/import-upload.json.
 * The board's frame times during such an upload: busyBench.ts with BENCH_BUSY_VIA=upload.
 *
 * "Chromium alone" is the share of the upload that is the browser's: the same file picked in a
 * page of a bare loopback server that only counts the bytes, sent the way the workbench sends
 * it (ranges of the size and number the page uses: renderer/src/connection.ts). The upload
 * cannot be faster than that, whatever the host does.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { JobInfo } from "../../shared/api/contract.js";
import { filesOfWindow, type AppWindow } from "../../electron/cli/appWindow.js";
import { startLoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { SightlineService } from "../../electron/services/sightlineService.js";
import { UPLOAD_RANGE_BYTES, UPLOAD_RANGES_AT_ONCE } from "../../renderer/src/connection.js";
import { openWindowPage } from "../support/appWindowPage.js";
import { median } from "./benchStats.js";
import { launchChromium } from "./boardProbe.js";
import { MB, settle, sh, timeTogether, verdict, writeBlockFile } from "./importLimit.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const bytes = Number(process.env.BENCH_SIZE_MB ?? 1024) * MB;
const root = await mkdtemp(path.join(os.tmpdir(), "sightline-upload-"));
const big = path.join(root, "source", "long-video.bin");
console.log(`making a ${(bytes / 2 ** 30).toFixed(2)} GiB file…`);
await writeBlockFile(big, bytes);

let appWindow: AppWindow | null = null;
const service = new SightlineService(
  new KeyStore(path.join(root, "home")),
  undefined,
  filesOfWindow(() => appWindow),
);
const host = await startLoopbackHost({ service });
const { context, page, profile } = await launchChromium();
// The host's own window, as `sightline host --open` opens it (headless here), with its DevTools pipe.
const openedWindow = await openWindowPage(host.url, host.issueLaunchCode());
({ window: appWindow } = openedWindow);
const windowPage = openedWindow.page;
let windowCases = 0;
/** A loopback server that serves a file picker and throws away what is sent to it, counting it. */
let sunk = 0;
const sink = http.createServer((req, res) => {
  if (req.method === "GET") {
    res.writeHead(200, { "Content-Type": "text/html" }).end('<input type="file" aria-label="File">');
    return;
  }
  let received = 0;
  req.on("data", (chunk: Buffer) => {
    received += chunk.length;
    sunk += chunk.length;
  });
  req.on("end", () => res.writeHead(200).end(String(received)));
});
await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
const sinkUrl = `http://127.0.0.1:${(sink.address() as { port: number }).port}/`;
const sinkPage = await context.newPage();
await sinkPage.goto(sinkUrl);
await sinkPage.getByLabel("File").setInputFiles(big);
let finished: ((job: JobInfo) => void) | null = null;
service.onEvent((event) => {
  if (event.type === "job.finished") finished?.(event.job);
});

let cases = 0;
/** A fresh case open on the board (untimed). */
async function freshCase(): Promise<string> {
  const dir = path.join(root, `case-${++cases}`);
  await service.createCase({ dir, title: "Upload bench", examiner: "Bench", hashAlgorithms: ["sha256"] });
  if (cases === 1) await page.goto(`${host.url}/#token=${host.token}`);
  else await page.reload();
  await page.getByRole("textbox", { name: "Case folder" }).nth(1).fill(dir);
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByLabel("Path to import").waitFor();
  return dir;
}

/** A fresh case open on the board of the host's own window (untimed). */
async function freshWindowCase(): Promise<string> {
  const dir = path.join(root, `case-${++cases}`);
  await service.createCase({ dir, title: "Window bench", examiner: "Bench", hashAlgorithms: ["sha256"] });
  if (windowCases++ > 0) await windowPage.reload();
  await windowPage.openCase(dir);
  return dir;
}

/** Milliseconds from `start` to the end of the import job it begins; the file must be imported. */
async function timeImport(start: () => Promise<void>, open: () => Promise<string> = freshCase): Promise<number> {
  const dir = await open();
  settle();
  const done = new Promise<JobInfo>((resolve) => (finished = resolve));
  const started = performance.now();
  await start();
  const job = await done;
  const ms = performance.now() - started;
  const imported = job.outcomes.filter((o) => o.status === "imported").length;
  if (job.status !== "finished" || imported !== 1) {
    throw new Error(
      `the import ended ${job.status} with ${imported} imported: ${job.error ?? job.warnings.join("; ")}`,
    );
  }
  await rm(dir, { recursive: true, force: true });
  return ms;
}

const times: Record<"limit" | "upload" | "path" | "window" | "chromium", number[]> = {
  limit: [],
  upload: [],
  path: [],
  window: [],
  chromium: [],
};
const steps: [keyof typeof times, () => Promise<number>][] = [
  [
    "limit",
    async () => {
      const copy = path.join(root, "copy.bin");
      const run = await timeTogether([
        `openssl dgst -sha256 ${sh(big)} >/dev/null`,
        `cp ${sh(big)} ${sh(copy)} && sync ${sh(copy)}`,
      ]);
      await rm(copy, { force: true });
      return run.ms;
    },
  ],
  ["upload", () => timeImport(() => page.getByLabel("Pick files to import").setInputFiles(big))],
  ["window", () => timeImport(() => windowPage.pickOnBoard([big]), freshWindowCase)],
  [
    "chromium",
    async () => {
      settle();
      sunk = 0;
      const started = performance.now();
      const sent = await sinkPage.evaluate(
        async ({ url, range, atOnce }) => {
          const file = (document.querySelector("input") as HTMLInputElement).files![0]!;
          let next = 0;
          let total = 0;
          const sender = async () => {
            while (next < file.size) {
              const at = next;
              next += range;
              const answer = await fetch(`${url}?at=${at}`, { method: "PUT", body: file.slice(at, at + range) });
              const received = Number(await answer.text());
              total += received;
            }
          };
          await Promise.all(Array.from({ length: atOnce }, sender));
          return total;
        },
        { url: sinkUrl, range: UPLOAD_RANGE_BYTES, atOnce: UPLOAD_RANGES_AT_ONCE },
      );
      if (sent !== bytes || sunk !== bytes) throw new Error(`the browser sent ${sent} (${sunk}) of ${bytes} bytes`);
      return performance.now() - started;
    },
  ],
  [
    "path",
    () =>
      timeImport(async () => {
        await page.getByLabel("Path to import").fill(big);
        await page.getByRole("button", { name: "Import", exact: true }).click();
      }),
  ],
];
try {
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < steps.length; i++) {
      const [name, run] = steps[(i + round) % steps.length]!;
      times[name].push(await run());
    }
  }
} finally {
  await context.close();
  await openedWindow.close();
  sink.close();
  await service.jobs.settle();
  await host.close();
  await rm(profile, { recursive: true, force: true });
  await rm(root, { recursive: true, force: true });
}

const limit = median(times.limit);
const mb = bytes / MB;
console.log(
  `a ${(bytes / 2 ** 30).toFixed(2)} GiB file through the workbench, ${rounds} rounds, medians (load average ${os.loadavg()[0]!.toFixed(1)}):`,
);
console.log(`  limit (hash ∥ copy + flush) ${(limit / 1000).toFixed(1)} s (${(mb / (limit / 1000)).toFixed(0)} MB/s)`);
const labels = {
  upload: "dropped (upload from the page)",
  window: "dropped in the host's window",
  path: "by path",
} as const;
const rows = (["upload", "window", "path"] as const).map((way) => {
  const ms = median(times[way]);
  const ratio = limit / ms;
  const label = labels[way];
  console.log(
    `  ${verdict(ratio >= 0.8)} ${label.padEnd(31)} ${(ms / 1000).toFixed(1)} s (${(mb / (ms / 1000)).toFixed(0)} MB/s), ratio ${ratio.toFixed(2)} (target >= 0.8)`,
  );
  return { way, ms, ratio, target: 0.8 };
});
const browserMs = median(times.chromium);
console.log(
  `  Chromium alone (reads the file and sends it over loopback, nothing stored) ${(browserMs / 1000).toFixed(1)} s (${(mb / (browserMs / 1000)).toFixed(0)} MB/s): ` +
    `the browser's share of the upload ${((browserMs / median(times.upload)) * 100).toFixed(0)} %, ` +
    `the best an upload could do ${(limit / browserMs).toFixed(2)} of the limit`,
);
await mkdir("bench-results", { recursive: true });
await writeFile(
  "bench-results/import-upload.json",
  JSON.stringify(
    { date: new Date().toISOString(), load: os.loadavg(), bytes, rounds, limitMs: limit, browserMs, times, rows },
    null,
    2,
  ),
);
