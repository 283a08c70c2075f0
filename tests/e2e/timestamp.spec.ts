/**
 * Trusted timestamps from the ledger view, in Chromium against the loopback host and a real
 * RFC 3161 authority on 127.0.0.1 (openssl ts -reply): the examiner adds the authority with its
 * CA as trust anchor, timestamps the ledger, sees the token listed; with the authority failing
 * the request is queued and listed as such, then sent. Named controls, axe-clean, screenshots.
 */
import { expect, test } from "@playwright/test";
import path from "node:path";
import { startLocalTsa, type LocalTsa } from "../support/localTsa.js";
import { expectNoAxeViolations } from "./axeScan.js";
import { openCase, SCREENSHOTS, startCase, type CaseWorkbench } from "./caseSetup.js";

let workbench: CaseWorkbench;
let tsa: LocalTsa;

test.beforeAll(async () => {
  workbench = await startCase("sightline-e2e-ts-", "Mbera <b>camp</b>");
  tsa = await startLocalTsa();
});

test.afterAll(async () => {
  await workbench.close();
  await tsa.close();
});

test("timestamp the ledger from the ledger view; a queued request is listed, then sent", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await openCase(page, workbench.host, workbench.caseDir);
  await page.getByText("Ledger", { exact: true }).click();

  const panel = page.getByRole("region", { name: "Trusted timestamps" });
  await expect(panel.getByText(/No time-stamping authority is configured/)).toBeVisible();
  await expect(panel.getByRole("button", { name: "Timestamp the ledger" })).toBeDisabled();

  await panel.getByRole("button", { name: "Add an authority" }).click();
  const form = panel.getByRole("form", { name: "Add a time-stamping authority" });
  await form.getByLabel("Authority address").fill(tsa.url);
  await form.getByLabel("Name (optional)").fill("Local <i>TSA</i>");
  await form.getByLabel("Trust anchors (PEM certificates)").fill(tsa.caPem);
  await expectNoAxeViolations(page, "the ledger view with the authority form");
  await form.getByRole("button", { name: "Save authority" }).click();
  await expect(panel.getByRole("status")).toHaveText(/Authority added; 1 configured/);
  await expect(panel.getByText(/Authorities: Local <i>TSA<\/i>/)).toBeVisible(); // shown as text, never markup

  await panel.getByRole("button", { name: "Timestamp the ledger" }).click();
  await expect(panel.getByRole("status")).toHaveText(/Head 0 timestamped at .* by CN=Local Time-Stamping Authority/);
  const list = panel.getByRole("list", { name: "Timestamps of this case" });
  await expect(list.getByText("Granted")).toHaveCount(1);
  await expect(page.getByLabel("Ledger", { exact: true }).getByText("Timestamp granted").first()).toBeVisible();

  tsa.setMode({ kind: "status", status: 503 });
  await panel.getByRole("button", { name: "Timestamp the ledger" }).click();
  await expect(panel.getByRole("status")).toHaveText(/queued and proves no time until it is sent/);
  await expect(list.getByText("Queued")).toHaveCount(1);
  await expectNoAxeViolations(page, "the ledger view with timestamps");
  await page.screenshot({ path: path.join(SCREENSHOTS, "timestamp-ledger-view.png"), fullPage: false });

  tsa.setMode({ kind: "grant" });
  await panel.getByRole("button", { name: /Send queued requests/ }).click();
  await expect(panel.getByRole("status")).toHaveText("1 of 1 queued request(s) granted.");
  await expect(list.getByText("Granted")).toHaveCount(2);
  await expect(list.getByText("Queued")).toHaveCount(0);

  await page.getByRole("button", { name: "Verify case" }).click();
  await expect(page.getByRole("region", { name: "Verification result" }).getByText("Clean")).toBeVisible({
    timeout: 60_000,
  });
  expect(errors).toEqual([]);
});
