/**
 * A verifier's first session, driven through the UI: create a case, import a
 * folder of generated media with visible progress, filter and search the
 * board, and reopen after the browser's IndexedDB is wiped.
 */
import { expect, test } from "@playwright/test";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { makeJpeg, makeVideo } from "../support/mediaCorpus.js";
import { writeRandomFile } from "../support/randomFile.js";
import { dropFromDesktop } from "./desktopDrop.js";
import { gotoWorkbench, SCREENSHOTS, startWorkbenchIn, type WorkbenchRoot } from "./caseSetup.js";
import { watch } from "./geolocatePage.js";

const HOSTILE = "<img src=x onerror=alert(1)>.jpg";

let workbench: WorkbenchRoot;

test.beforeAll(async () => {
  workbench = await startWorkbenchIn("sightline-e2e-");
  const { root } = workbench;
  const media = path.join(root, "media");
  await makeJpeg(path.join(media, "kidal-roof.jpg"), { width: 1200, height: 800, seed: 3, exif: true });
  await sharp(path.join(media, "kidal-roof.jpg"))
    .resize(480)
    .jpeg({ quality: 50 })
    .toFile(path.join(media, "kidal-roof-telegram.jpg"));
  await makeJpeg(path.join(media, "mbera-tent.jpg"), { width: 900, height: 1200, seed: 8 });
  await makeJpeg(path.join(media, HOSTILE), { width: 640, height: 480, seed: 12 });
  await makeJpeg(path.join(root, "more", "mbera-water-point.jpg"), { width: 800, height: 600, seed: 21 });
  await writeRandomFile(path.join(root, "large", "drone-footage.mp4"), 1024 * 1024 * 1024);
  await makeVideo(path.join(media, "clips", "village.mp4"), { durationS: 8, scenes: 2, gopFrames: 50 });
  await writeFile(path.join(media, "notes.txt"), "not a picture\n");
});

test.afterAll(() => workbench.close());

test("create a case, import a folder with progress, filter, search, and rebuild after IndexedDB is wiped", async ({
  page,
}) => {
  const { root, host, service } = workbench;
  // A Content-Security-Policy violation, a failed request or any other console error fails the test.
  const errors = watch(page);
  await gotoWorkbench(page, host);
  await expect(page).toHaveURL(`${host.url}/`); // the token leaves the address bar at once
  await page.screenshot({ path: path.join(SCREENSHOTS, "01-start.png") });

  const caseDir = path.join(root, "case");
  const form = page.getByRole("form", { name: "New case" });
  await form.getByLabel("Title").fill("Kidal burn scar, Feb 2026");
  await form.getByLabel("Examiner").fill("A. Analyst");
  await form.getByLabel("Case folder").fill(caseDir);
  await form.getByLabel("MD5").check();
  await form.getByRole("button", { name: "Create case" }).click();
  await expect(page.getByLabel("Case title")).toHaveText("Kidal burn scar, Feb 2026");
  await expect(page.getByLabel("Item count")).toHaveText("0 of 0 items");
  await expect(page.getByLabel("Last verification")).toHaveText("Not verified yet");

  // Provenance for the next import, then the folder dragged onto the window from the file manager
  // (a real drag through Chromium's input pipeline, so the page walks a real folder).
  await page.getByRole("button", { name: "Provenance" }).click();
  const provenance = page.getByRole("group", { name: "Provenance of the next import" });
  await provenance.getByLabel("Source URL").fill("https://t.me/kidal_news/4411");
  await provenance.getByLabel("Source account").fill("@kidal_news");
  await provenance.getByLabel("Method").fill("downloaded with the Telegram desktop client");
  await dropFromDesktop(page, [path.join(root, "media")]);
  await expect(page.getByLabel("Import progress")).toBeVisible();
  await expect(page.getByLabel("Import progress")).toContainText(/(Receiving|Copying|Analysing)/);
  await page.screenshot({ path: path.join(SCREENSHOTS, "02-import-progress.png") });
  await expect(page.getByText(/^Import finished/)).toContainText("Import finished: 6 imported", { timeout: 120_000 });
  await expect(page.getByLabel("Item count")).toHaveText("6 of 6 items");
  const imported = (await service.ledgerEvents({ dir: caseDir })).filter((e) => e.event.type === "item.imported");
  const village = imported.find(
    (e) => (e.event.payload as { source: { originalName: string } }).source.originalName === "village.mp4",
  );
  expect(village?.event.payload).toMatchObject({
    source: { path: "media/clips/village.mp4", relativePath: "media/clips/village.mp4", channel: "upload" },
    collection: { sourceUrl: "https://t.me/kidal_news/4411", sourceAccount: "@kidal_news" },
  });

  // Picked with the file dialog: one new file and one already in the case.
  await page
    .getByLabel("Pick files to import")
    .setInputFiles([path.join(root, "more", "mbera-water-point.jpg"), path.join(root, "media", "mbera-tent.jpg")]);
  await expect(page.getByText(/^Import finished/)).toContainText(
    "Import finished: 1 imported, 1 already in the case, 0 not imported",
    { timeout: 60_000 },
  );
  await expect(page.getByLabel("Item count")).toHaveText("7 of 7 items");

  // A long video dropped and cancelled while it is still arriving: said so, and nothing else changes.
  await dropFromDesktop(page, [path.join(root, "large", "drone-footage.mp4")]);
  await expect(page.getByLabel("Import progress")).toContainText("Receiving");
  await page.getByLabel("Import progress").getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByText(/^Import cancelled/)).toBeVisible({ timeout: 60_000 });
  // Every file that did not come in says why.
  await page.getByRole("button", { name: "Details" }).click();
  await expect(page.getByLabel("Import details")).toContainText(/drone-footage\.mp4 — .*cancelled/);
  await page.screenshot({ path: path.join(SCREENSHOTS, "02b-import-cancelled.png") });
  await expect(page.getByLabel("Item count")).toHaveText("7 of 7 items");
  // Names from files are text, never markup: the hostile name shows as itself and nothing ran.
  await expect(page.getByRole("gridcell", { name: HOSTILE })).toBeVisible();
  await expect(page.getByText(HOSTILE, { exact: true }).first()).toBeVisible();
  await expect(page.locator("img[src='x']")).toHaveCount(0);
  // Media is veiled until revealed.
  const tile = page.getByRole("gridcell", { name: /^kidal-roof\.jpg / });
  await expect(tile.locator("img")).toHaveClass(/media-veiled/);
  // What the tile shows is a veiled copy made in the page; the clear picture is not in it at all.
  await expect(tile.locator("img")).toHaveAttribute("src", /^data:image\/jpeg;/);
  await expect(page.locator("img[src*='/files?']")).toHaveCount(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, "02-board-veiled.png") });
  await tile.getByRole("button", { name: "Reveal" }).click();
  await expect(tile.locator("img")).not.toHaveClass(/media-veiled/);
  await expect(tile.locator("img")).toHaveAttribute("src", /\/files\?/);

  await page.getByText("Videos", { exact: true }).click();
  await expect(page.getByLabel("Item count")).toHaveText("1 of 7 items");
  await page.getByText("All", { exact: true }).click();
  await page.getByText("Has GPS").click();
  await expect(page.getByLabel("Item count")).toHaveText("1 of 7 items");
  await page.getByText("Has GPS").click();
  await page.getByLabel("Search").fill("roof-telegram");
  await expect(page.getByLabel("Item count")).toHaveText("1 of 7 items");
  // Search reaches metadata and provenance too: the camera model, the source account.
  await page.getByLabel("Search").fill("eos r6");
  await expect(page.getByLabel("Item count")).toHaveText("1 of 7 items");
  await page.getByLabel("Search").fill("@kidal_news");
  await expect(page.getByLabel("Item count")).toHaveText("6 of 7 items");
  await page.getByLabel("Search").fill("");
  await page.getByLabel("Reveal media").check({ force: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, "03-board-revealed.png") });
  await page.getByText("Table", { exact: true }).click();
  await expect(page.getByRole("table", { name: "Items table" })).toBeVisible();
  await page.getByRole("columnheader", { name: /Kind/ }).click();
  await page.screenshot({ path: path.join(SCREENSHOTS, "04-table.png") });

  // An item: metadata with its source tag, the near-duplicate banner, hashes, review and its timeline.
  await page.getByText("Grid", { exact: true }).click();
  await page.getByRole("gridcell", { name: /^kidal-roof\.jpg / }).click();
  const item = page.getByLabel("Item");
  await expect(item.getByRole("heading", { name: "kidal-roof.jpg" })).toBeVisible();
  await expect(item.getByText("from EXIF:DateTimeOriginal+OffsetTimeOriginal")).toBeVisible();
  const banner = page.getByLabel("Near-duplicate");
  await expect(banner).toContainText("kidal-roof-telegram.jpg");
  await page.getByRole("button", { name: "Zoom in" }).click();
  await page.screenshot({ path: path.join(SCREENSHOTS, "05-item-image.png") });
  // Keyboard: n opens the note box on the Review tab; Ctrl+Enter adds the note.
  await page.keyboard.press("n");
  await expect(page.getByLabel("Add a note (Markdown)")).toBeFocused();
  await page.keyboard.type("Roof matches **Sentinel-2**. <img src=x onerror=alert(1)>");
  await page.keyboard.press("Control+Enter");
  await expect(item.locator(".note strong")).toHaveText("Sentinel-2");
  await expect(item.locator(".note img")).toHaveCount(0);
  await expect(item.locator(".note")).toContainText("<img src=x onerror=alert(1)>"); // quoted, as typed
  // A link in a note opens in a new tab with no handle back; the workbench stays where it was.
  await page.context().route("https://example.org/**", (route) => route.fulfill({ body: "elsewhere" }));
  const noteBox = page.getByLabel("Add a note (Markdown)");
  await noteBox.fill("Compare [the Sentinel-2 scene](https://example.org/s2) and [this](javascript:alert(1)).");
  await noteBox.press("Control+Enter");
  const link = item.getByRole("link", { name: "the Sentinel-2 scene" });
  await expect(link).toHaveAttribute("target", "_blank");
  await expect(link).toHaveAttribute("rel", "noopener noreferrer");
  await expect(item.getByRole("link", { name: "this", exact: true })).toHaveCount(0); // not an http(s) link
  await page.screenshot({ path: path.join(SCREENSHOTS, "05b-item-note-link.png") });
  const popup = page.waitForEvent("popup");
  await link.click();
  const opened = await popup;
  await expect(opened).toHaveURL("https://example.org/s2");
  expect(await opened.evaluate(() => window.opener)).toBeNull();
  await opened.close();
  await expect(page).toHaveURL(`${host.url}/`);
  await expect(item.getByRole("heading", { name: "kidal-roof.jpg" })).toBeVisible();
  await page.getByRole("combobox", { name: "Move to" }).click();
  await page.getByRole("option", { name: "In review" }).click();
  await page.getByLabel("Why").fill("assigned for geolocation");
  await page.getByRole("button", { name: "Record" }).click();
  await expect(item.getByLabel("Status")).toHaveText("In review");
  await page.getByRole("tab", { name: "Custody" }).click();
  await expect(page.getByLabel("Custody timeline")).toContainText("status.changed");
  const acquisitions = page.getByLabel("Acquisitions");
  await expect(acquisitions).toContainText("https://t.me/kidal_news/4411 · @kidal_news");
  await expect(acquisitions).toContainText("media/kidal-roof.jpg (sent by the workbench page");
  await expect(acquisitions).toContainText("Collected at: (not given at import)");
  await expect(page.getByLabel("Custody timeline")).toContainText("Status changed: Unverified → In review");
  await expect(page.getByLabel("Custody timeline")).toContainText("Reason: assigned for geolocation");
  await page.screenshot({ path: path.join(SCREENSHOTS, "06-item-custody.png") });
  await banner.getByRole("button").first().click();
  await expect(item.getByRole("heading", { name: "kidal-roof-telegram.jpg" })).toBeVisible();
  await page.keyboard.press("Escape");

  // A video: the player steps frame by frame and the keyframe strip seeks.
  await page.getByRole("gridcell", { name: /^village\.mp4 / }).click();
  const video = page.getByLabel("Video");
  await expect(video).toBeVisible();
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThan(0);
  const keyframes = page.getByRole("button", { name: /Keyframe at/ });
  expect(await keyframes.count()).toBeGreaterThanOrEqual(2);
  await keyframes.nth(1).click();
  const seekTarget = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
  expect(seekTarget).toBeGreaterThan(0);
  await page.getByRole("button", { name: "Next frame" }).click();
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(seekTarget);
  await page.screenshot({ path: path.join(SCREENSHOTS, "07-item-video.png") });
  await page.keyboard.press("Escape");

  // The ledger: every event, filterable, and verification of the whole case.
  await page.getByText("Ledger", { exact: true }).click();
  const ledger = page.getByLabel("Ledger", { exact: true });
  await ledger.getByRole("textbox", { name: "Search the ledger" }).fill("in-review");
  await expect(ledger.getByText("1 of", { exact: false })).toBeVisible();
  await ledger.getByRole("textbox", { name: "Search the ledger" }).fill("");
  await ledger.getByRole("button", { name: "Verify case" }).click();
  const verdict = ledger.getByLabel("Verification result");
  await expect(verdict).toContainText("Clean", { timeout: 60_000 });
  await expect(verdict).toContainText("7 originals");
  // The run is itself recorded, signed, in the ledger.
  await expect(ledger.getByText(/case verified up to event \d+: clean/)).toBeVisible();
  await expect(page.getByLabel("Last verification")).toContainText(/^Verified at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  await page.screenshot({ path: path.join(SCREENSHOTS, "08-ledger-verified.png") });
  await page.getByText("Evidence", { exact: true }).click();

  // The veil is the examiner's own setting: turned off, media shows at once, in this and later sessions.
  await page.getByRole("button", { name: "Examiner settings" }).click();
  await page.getByRole("switch", { name: /Veil media by default/ }).uncheck({ force: true });
  await page.keyboard.press("Escape");
  const mbera = page.getByRole("gridcell", { name: /^mbera-tent\.jpg / });
  await expect(mbera.locator("img")).not.toHaveClass(/media-veiled/);

  // Wipe the projection: on reopening, the board is rebuilt from the ledger.
  await page.evaluate(async () => {
    const dbs = await indexedDB.databases();
    await Promise.all(
      dbs.map(
        (d) =>
          new Promise<void>((resolve) => {
            const request = indexedDB.deleteDatabase(d.name!);
            request.onsuccess = request.onerror = request.onblocked = () => resolve();
          }),
      ),
    );
  });
  await page.reload();
  await page.getByRole("button", { name: /Kidal burn scar/ }).click();
  await expect(page.getByLabel("Item count")).toHaveText("7 of 7 items");
  // The board shows the rows at once; the rebuilt projection is then in IndexedDB as well.
  await expect(page.getByText("saving the local index…")).toBeHidden();
  const stored = await page.evaluate(async () => {
    const [info] = (await indexedDB.databases()).filter((d) => d.name?.startsWith("sightline-case-"));
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(info!.name!);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const count = await new Promise<number>((resolve) => {
      const request = db.transaction("items").objectStore("items").count();
      request.onsuccess = () => resolve(request.result);
    });
    db.close();
    return count;
  });
  expect(stored).toBe(7);
  await expect(mbera.locator("img")).not.toHaveClass(/media-veiled/);
  await page.getByRole("button", { name: "Examiner settings" }).click();
  await page.getByRole("switch", { name: /Veil media by default/ }).check({ force: true });
  await page.keyboard.press("Escape");
  await expect(mbera.locator("img")).toHaveClass(/media-veiled/);

  await page.getByRole("button", { name: "Use light theme" }).click();
  await page.screenshot({ path: path.join(SCREENSHOTS, "09-board-light.png") });
  expect(errors).toEqual([]);
});
