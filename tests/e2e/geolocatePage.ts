/**
 * What the where-and-when end-to-end runs share: opening an item's workspace from the start
 * page, clicking a point of the frame or the map, failing on page errors, and checking that every
 * control carries an accessible name.
 */
import { expect, type Page } from "@playwright/test";
import path from "node:path";
import { startGeoCase, valueOf, type GeoCase } from "../support/geoHost.js";
import { makeBasemap } from "../support/tileServer.js";
import { expectNoAxeViolations } from "./axeScan.js";
import { openCase } from "./caseSetup.js";

/** Roles a control must carry a name for, so a screen reader can say what it does. */
const CONTROL_ROLES = new Set([
  "button",
  "textbox",
  "searchbox",
  "checkbox",
  "radio",
  "slider",
  "spinbutton",
  "combobox",
  "listbox",
  "tab",
  "switch",
  "link",
  "application",
  "img",
]);

/**
 * Every control on the page has an accessible name, by Chromium's own accessibility tree (the
 * names a screen reader gets), and an axe-core scan of the screen finds nothing.
 */
export async function expectNamedControls(page: Page, screen = "the where-and-when workspace"): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send("Accessibility.getFullAXTree")) as {
    nodes: { ignored: boolean; role?: { value: string }; name?: { value: string }; backendDOMNodeId?: number }[];
  };
  await cdp.detach();
  const unnamed = nodes
    .filter((n) => !n.ignored && CONTROL_ROLES.has(n.role?.value ?? "") && !(n.name?.value ?? "").trim())
    .map((n) => `${n.role!.value} (node ${n.backendDOMNodeId})`);
  expect(unnamed, "controls without an accessible name").toEqual([]);
  await expectNoAxeViolations(page, screen);
}

/** Fails the test on any page error, console error or dialog (a script from hostile text would raise one). */
export function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("dialog", (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return errors;
}

export async function openWorkspace(
  page: Page,
  hostUrl: string,
  token: string,
  caseDir: string,
  name: string,
): Promise<void> {
  await openCase(page, { url: hostUrl, token }, caseDir);
  // A tile is named by all its visible text, the file name first: "kidal-roof.jpg Image 2026-…".
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  await page.getByRole("gridcell", { name: new RegExp(`^${escaped}( |$)`) }).click();
  await page.getByRole("button", { name: "Where and when" }).click();
  await expect(page.getByRole("heading", { name: `Where and when: ${name}` })).toBeVisible();
  // Media is veiled by default: points are picked on the frame once the examiner reveals it.
  await page.getByRole("button", { name: "Reveal media" }).click();
}

/** Clicks a point of an element at fractions of its width and height. */
export async function clickAt(page: Page, selector: ReturnType<Page["getByRole"]>, fx: number, fy: number) {
  const box = (await selector.boundingBox())!;
  await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
}

/**
 * A case with one item made by `make` (given the folder to write it in; returns its path) and an
 * offline basemap marked as reference imagery, so the map has something to show with no network.
 */
export async function startMediaCase(
  make: (mediaDir: string) => Promise<string>,
): Promise<{ geo: GeoCase; sha: Record<string, string> }> {
  const geo = await startGeoCase();
  const media = path.join(geo.root, "media");
  const file = await make(media);
  await makeBasemap(path.join(media, "kidal-basemap.pmtiles"), { name: "Kidal offline" });
  const sha = await geo.importFiles([file, path.join(media, "kidal-basemap.pmtiles")]);
  valueOf(
    await geo.analyst.api.markReference({
      dir: geo.caseDir,
      sha256: sha["kidal-basemap.pmtiles"]!,
      kind: "basemap",
      provider: "Kidal offline",
    }),
  );
  return { geo, sha };
}
