/**
 * What the end-to-end runs set up before and around the page: the real service with its own
 * examiner profile behind a real loopback host on 127.0.0.1, a case made in a temporary folder
 * with files imported, and the workbench page opened with the host's token, a case opened from
 * the start page by its folder. Screenshots go to SCREENSHOTS, made here.
 */
import { expect, test, type Page } from "@playwright/test";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startLoopbackHost, type LoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { SightlineService } from "../../electron/services/sightlineService.js";
import { REPO_ROOT } from "../support/cli.js";
import { makeReportCase, type ReportCase } from "../support/reportCase.js";

export const SCREENSHOTS = path.join(REPO_ROOT, "tests", "e2e", "screenshots");

export interface Workbench {
  service: SightlineService;
  host: LoopbackHost;
  /** Lets the service's jobs end, then closes the host (and removes a folder the set-up made). */
  close(): Promise<void>;
}

/** The service, its examiner keys kept in `home`, behind a loopback host. */
export async function startWorkbench(home: string): Promise<Workbench> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const service = new SightlineService(new KeyStore(home));
  const host = await startLoopbackHost({ service });
  return {
    service,
    host,
    async close() {
      await service.jobs.settle();
      await host.close();
      // The service's case cache writes checkpoints in `home` a moment after a change: finish them,
      // and stop any later one, before a caller removes the folder.
      await service.close();
    },
  };
}

export interface WorkbenchRoot extends Workbench {
  /** A new temporary folder, removed by `close`; the examiner's profile is its home/. */
  root: string;
}

/** A workbench in a temporary folder of its own (`prefix` names it, as mkdtemp does). */
export async function startWorkbenchIn(prefix: string): Promise<WorkbenchRoot> {
  const root = await mkdtemp(path.join(os.tmpdir(), prefix));
  const workbench = await startWorkbench(path.join(root, "home"));
  return {
    ...workbench,
    root,
    async close() {
      await workbench.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface CaseWorkbench extends WorkbenchRoot {
  /** The case, at root/case, made by "A. Analyst" with SHA-256 only. */
  caseDir: string;
  /** Imports files or folders into the case, as the board's import does, and waits for it to end. */
  importPaths(paths: string[]): Promise<void>;
}

/** A workbench in a temporary folder with a new case titled `title`. */
export async function startCase(prefix: string, title: string): Promise<CaseWorkbench> {
  const workbench = await startWorkbenchIn(prefix);
  const caseDir = path.join(workbench.root, "case");
  await workbench.service.createCase({ dir: caseDir, title, examiner: "A. Analyst", hashAlgorithms: ["sha256"] });
  return {
    ...workbench,
    caseDir,
    async importPaths(paths) {
      await workbench.service.importFiles({ dir: caseDir, paths, collection: {} });
      await workbench.service.jobs.settle();
    },
  };
}

/** Where the page is served from and the token it must present. */
type HostAddress = Pick<LoopbackHost, "url" | "token">;

/** The workbench page, with the host's token in the address's fragment as the host hands it out. */
export async function gotoWorkbench(page: Page, host: HostAddress): Promise<void> {
  await page.goto(`${host.url}/#token=${host.token}`);
}

/** The workbench page with a case opened from the start page by its folder. */
export async function openCase(page: Page, host: HostAddress, dir: string): Promise<void> {
  await gotoWorkbench(page, host);
  await openFromStartPage(page, dir);
}

/** Opens a case by its folder from the start page the workbench shows now. */
export async function openFromStartPage(page: Page, dir: string): Promise<void> {
  const open = page.getByLabel("Open case", { exact: true });
  await open.getByLabel("Case folder").fill(dir);
  await open.getByRole("button", { name: "Open", exact: true }).click();
}

/**
 * The report case (tests/support/reportCase.ts) behind a workbench of its own, made before the
 * file's tests and closed after them; read `base` and `workbench` inside a test.
 */
export function useReportWorkbench(): { readonly base: ReportCase; readonly workbench: Workbench } {
  const held = {} as { base: ReportCase; workbench: Workbench };
  test.beforeAll(async () => {
    test.setTimeout(240_000);
    held.base = await makeReportCase();
    held.workbench = await startWorkbench(held.base.home);
  });
  test.afterAll(() => held.workbench.close());
  return held;
}

/**
 * Opens `name` from the board, shows each of the item page's tabs and then its where-and-when
 * workspace, calling `at` on each screen, and comes back to the board.
 */
export async function throughItemPage(page: Page, name: string, at: (screen: string) => Promise<unknown>) {
  await page.getByRole("gridcell").filter({ hasText: name }).first().click();
  await expect(page.getByRole("heading", { level: 2, name })).toBeVisible();
  for (const tab of ["Metadata", "Custody", "Review", "Reference imagery"]) {
    await page.getByRole("tab", { name: new RegExp(`^${tab}`) }).click();
    await at(`the item page, ${tab} tab`);
  }
  await page.getByRole("button", { name: "Where and when" }).click();
  await expect(page.getByRole("heading", { level: 2, name: /^Where and when/ })).toBeVisible();
  await at("the where-and-when workspace");
  await page.getByRole("button", { name: "Back to the item" }).click();
  await page.getByRole("button", { name: "Back to the board" }).click();
}

/** The case map, then the ledger with its event 3 opened, calling `at` on each screen. */
export async function throughMapAndLedger(page: Page, at: (screen: "map" | "ledger") => Promise<unknown>) {
  await page.getByText("Map", { exact: true }).click();
  await expect(page.getByRole("radio", { name: "Map" })).toBeChecked();
  await at("map");
  await page.getByText("Ledger", { exact: true }).click();
  const table = page.getByRole("table", { name: "Ledger events" });
  await table.getByRole("button", { name: /^3: open event 3/ }).click();
  await expect(page.getByRole("region", { name: /^Event 3:/ })).toBeVisible();
  await at("ledger");
}
