/**
 * A training exercise end to end, in Chromium against the real loopback host: a trainee starts
 * the sample (the shipped one once built, else one the test packs with the package writer), reads
 * the briefing, opens a hint, geolocates and chronolocates a photo, flags a trap in a note,
 * submits, and reads a scorecard whose figures the test checks against the answer key it reads
 * from the package itself. Before submission the key is out of reach of the API and of `/files`;
 * after it, the frozen case refuses a change with a clear message on screen. The scorecard is
 * exported as PDF (pdftotext finds the points) and JSON.
 */
import { expect, test, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Scorecard } from "../../shared/api/trainingContract.js";
import type { AnswerKey, SampleManifest } from "../../shared/training/sampleFormat.js";
import { REPO_ROOT } from "../support/cli.js";
import { expectNamedControls, watch } from "./geolocatePage.js";
import {
  SHIPPED_SAMPLE,
  buildTestSample,
  exists,
  geodesicMetres,
  readAnswerKey,
  startTrainingSeat,
  type TrainingSeat,
} from "./trainingPage.js";

const SCREENSHOTS = path.join(REPO_ROOT, "tests", "e2e", "screenshots");
const TRAINEE = "T. Trainee";

test.use({ viewport: { width: 1600, height: 1000 }, actionTimeout: 60_000 });

let seat: TrainingSeat;
let samplePath: string;
let isShipped: boolean;
let key: AnswerKey;
let keySha: string;
let manifest: SampleManifest;

test.beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  seat = await startTrainingSeat();
  isShipped = await exists(SHIPPED_SAMPLE);
  samplePath = isShipped ? SHIPPED_SAMPLE : await buildTestSample(seat.root);
  ({
    key,
    sha256: keySha,
    manifest,
  } = (await readAnswerKey(samplePath)) as {
    key: AnswerKey;
    sha256: string;
    manifest: SampleManifest;
  });
});

test.afterAll(async () => seat?.close());

/** An item's tile on the board, by its file name (the tile's name goes on with its kind and time). */
const cell = (page: Page, name: string) =>
  page.getByRole("gridcell", { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}( |$)`) });

const nameOf = (sha: string) => manifest.files.find((f) => f.sha256 === sha)!.name;

/** Everything a page could ask for the key with, before submission: all refused, none holds it. */
async function expectKeyOutOfReach(page: Page, caseDir: string): Promise<void> {
  const { url, token } = seat.host;
  const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  const refused = await page.request.post(`${url}/api/getScorecard`, { headers, data: { dir: caseDir } });
  const body = (await refused.json()) as { ok: boolean; error?: { message: string } };
  expect(body.ok).toBe(false);
  expect(body.error!.message).not.toMatch(/\n/);
  const exercise = await page.request.post(`${url}/api/getExercise`, { headers, data: { dir: caseDir } });
  const exerciseText = await exercise.text();
  expect(exerciseText).toContain(manifest.briefing.task.slice(0, 20).replace(/["\\]/g, ""));
  for (const secret of [key.modelAnswer.slice(0, 30), String(key.locations[0]!.place.lat), key.traps[0]!.explanation])
    expect(exerciseText).not.toContain(JSON.stringify(secret).slice(1, -1));
  // The key's store is under the profile, outside the case: no path into it is served.
  const stored = path.join(seat.home, "training");
  const storedFiles = (await exists(stored)) ? await readdir(stored, { recursive: true }) : [];
  const tries: [string, string][] = [
    [caseDir, "answer-key.json"],
    [caseDir, `../profile/training/${keySha}.json`],
    [caseDir, `objects/../../profile/training/${keySha}.json`],
    [seat.home, `training/${keySha}.json`],
    [stored, `${keySha}.json`],
    ...storedFiles.map((f) => [stored, String(f)] as [string, string]),
    ...storedFiles.map((f) => [caseDir, path.relative(caseDir, path.join(stored, String(f)))] as [string, string]),
  ];
  for (const [dir, p] of tries) {
    const r = await page.request.get(`${url}/files?dir=${encodeURIComponent(dir)}&path=${encodeURIComponent(p)}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(r.status(), `/files ${dir} ${p}`).toBeGreaterThanOrEqual(400);
    expect(await r.text()).not.toContain(key.modelAnswer.slice(0, 30));
  }
}

test("a trainee runs the sample, is scored against the key, and exports the scorecard", async ({ page }) => {
  test.setTimeout(600_000);
  const errors = watch(page);
  const caseDir = path.join(seat.root, "trainee-case");
  const { url, token } = seat.host;
  await page.goto(`${url}/#token=${token}`);

  // The start dialog: the sample chosen (shipped, or opened by its path), the trainee, the folder.
  await page.getByRole("button", { name: "Start a training exercise…" }).click();
  const dialog = page.getByRole("dialog", { name: "Start a training exercise" });
  if (!isShipped) {
    await dialog.getByLabel("Open another sample package…").fill(samplePath);
    await dialog.getByRole("button", { name: "Check and add" }).click();
  }
  const choice = dialog.getByRole("radio", { name: new RegExp(`^${manifest.title.slice(0, 20)}`) });
  await choice.click();
  await expect(choice).toBeChecked();
  await expect(dialog).toContainText(`${manifest.hints.length} hints`);
  await dialog.getByRole("textbox", { name: "Trainee", exact: true }).fill(TRAINEE);
  await dialog.getByRole("textbox", { name: "Trainee's case folder" }).fill(caseDir);
  await expectNamedControls(page, "the start dialog");
  await page.screenshot({ path: path.join(SCREENSHOTS, "training-start.png") });
  await dialog.getByRole("button", { name: "Start the exercise" }).click();

  // The trainee's case opens with the exercise panel: the briefing, claims as claims, the time.
  const panel = page.getByRole("region", { name: "Exercise" });
  await expect(panel).toBeVisible({ timeout: 180_000 });
  const briefing = panel.getByRole("region", { name: "Briefing" });
  await expect(briefing).toContainText(manifest.briefing.task.split("\n")[0]!.slice(0, 40));
  for (const claim of manifest.briefing.claims) await expect(briefing).toContainText(claim.slice(0, 30));
  if (manifest.briefing.timeAllowedMinutes) await expect(briefing.getByLabel("Time")).toContainText(/left\./);
  await expect(page.locator("b, i").filter({ hasText: /Taken yesterday|south-west/ })).toHaveCount(0);
  await expectKeyOutOfReach(page, caseDir);
  for (const f of manifest.files.filter((x) => x.role === "evidence"))
    await expect(cell(page, f.name)).toBeVisible({ timeout: 60_000 });
  await expectNamedControls(page, "the exercise briefing");
  await page.screenshot({ path: path.join(SCREENSHOTS, "training-briefing.png") });

  // A hint: behind a confirmation, recorded, then shown as text.
  const hint = manifest.hints[0]!;
  await panel.getByRole("button", { name: `Open hint 1: ${hint.title}` }).click();
  const confirm = page.getByRole("dialog", { name: "Open this hint?" });
  await expect(confirm).toContainText("Opening a hint is recorded and costs points");
  await confirm.getByRole("button", { name: "Open the hint" }).click();
  const hintText = panel.getByRole("region", { name: "Text of hint 1" });
  await expect(hintText).toContainText(hint.text.split("\n")[0]!.slice(0, 30));
  await expect(panel.getByRole("button", { name: /^Open hint 1/ })).toHaveCount(0);
  await expect(panel).toContainText("1 of");
  await expectNamedControls(page, "an opened hint");
  await page.screenshot({ path: path.join(SCREENSHOTS, "training-hint.png") });
  // The same in the light scheme, kept until the scorecard has been read: still axe-clean.
  await page.getByRole("button", { name: "Use light theme" }).click();
  await expectNamedControls(page, "an opened hint, light scheme");

  // Geolocate and chronolocate the photo the key answers for: 0.01° north of the answer.
  const located = key.locations.find((l) => key.times.some((t) => t.sha256 === l.sha256)) ?? key.locations[0]!;
  const timed = key.times.find((t) => t.sha256 === located.sha256);
  const photo = nameOf(located.sha256);
  const given = { lat: Number((located.place.lat + 0.01).toFixed(6)), lon: Number(located.place.lon.toFixed(6)) };
  await cell(page, photo).click();
  await page.getByRole("button", { name: "Where and when" }).click();
  await expect(page.getByRole("heading", { name: `Where and when: ${photo}` })).toBeVisible();
  const form = page.getByLabel("Geolocation form");
  await form.getByLabel("Place", { exact: true }).fill(`${given.lat}, ${given.lon}`);
  await form.getByLabel("Place", { exact: true }).press("Enter");
  await form.getByLabel("Confidence").click();
  await page.getByRole("option", { name: "Strong possibility" }).click();
  await form.getByLabel("Method and reasoning").fill("The ridge and the river bend match the basemap.");
  await form.getByRole("button", { name: "Save geolocation" }).click();
  await expect(form.getByRole("status")).toContainText("Recorded as event", { timeout: 90_000 });
  let givenWindow: { from: string; to: string } | null = null;
  if (timed) {
    // A window an hour after the answer's end, typed in UTC at the place.
    const end = new Date(Date.parse(timed.window.to) + 60 * 60_000);
    const start = new Date(end.getTime() - 30 * 60_000);
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);
    await page.getByRole("tab", { name: "Chronolocation" }).click();
    const chrono = page.getByLabel("Chronolocation");
    await chrono.getByLabel("Date at the place").fill(start.toISOString().slice(0, 10));
    await chrono.getByLabel("Offset from UTC (minutes)").fill("0");
    await chrono.getByLabel("Window starts (local)").fill(hhmm(start));
    await chrono.getByLabel("Window ends (local)").fill(hhmm(end));
    await chrono.getByLabel("Method (chronolocation)").fill("Shadow lengths against the walls.");
    await chrono.getByRole("button", { name: "Record chronolocation" }).click();
    await expect(chrono.getByRole("status")).toContainText("Recorded as event");
    givenWindow = { from: start.toISOString(), to: end.toISOString() };
  }
  await page.getByRole("button", { name: "Back to the item" }).click();
  await page.getByRole("button", { name: "Back to the board" }).click();

  // One trap flagged in a note naming it.
  const trap = key.traps.find((t) => t.keywords.length > 0)!;
  await cell(page, nameOf(trap.sha256)).click();
  await page.getByRole("tab", { name: /^Review/ }).click();
  await page.getByLabel("Add a note (Markdown)").fill(`Looks like a ${trap.keywords[0]} of another file.`);
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByText(`Looks like a ${trap.keywords[0]}`)).toBeVisible();
  await page.getByRole("button", { name: "Back to the board" }).click();

  // Another trap caught by acknowledging the warning the workbench raised on its item (the shipped
  // sample's edit names Adobe Photoshop); the sample the test packs has one trap only.
  const warned = key.traps.find((t) => t.id !== trap.id && t.kind === "edited-near-duplicate");
  if (warned) {
    await cell(page, nameOf(warned.sha256)).click();
    await page.getByRole("tab", { name: /^Metadata/ }).click();
    const remark = page.getByRole("textbox", { name: "What you make of: Edited with software" });
    await remark.fill("Saved by Photoshop: compare with the camera's own file.");
    await expectNamedControls(page, "a warning to acknowledge");
    await page.screenshot({ path: path.join(SCREENSHOTS, "training-warning.png") });
    await page.getByRole("button", { name: "Acknowledge: Edited with software" }).click();
    await expect(page.getByRole("group", { name: "Warnings" })).toContainText("Acknowledged");
    await expect(remark).toHaveCount(0);
    await page.getByRole("button", { name: "Back to the board" }).click();
  }

  // Submission: a confirmation that says the work will be frozen, then the scorecard.
  await panel.getByRole("button", { name: "Submit for scoring" }).click();
  const submit = page.getByRole("dialog", { name: "Submit for scoring?" });
  await expect(submit).toContainText("Your work will be frozen");
  await submit.getByRole("button", { name: "Submit and freeze the work" }).click();
  const card = page.getByRole("dialog", { name: "Scorecard" });
  await expect(card.getByLabel("Total points")).toBeVisible({ timeout: 120_000 });

  // The figures against the key, computed here independently of the scorer.
  const recorded = (await (
    await page.request.post(`${url}/api/getScorecard`, {
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      data: { dir: caseDir },
    })
  ).json()) as { ok: true; value: { scorecard: Scorecard; answerKeySha256: string } };
  const sc = recorded.value.scorecard;
  expect(recorded.value.answerKeySha256).toBe(keySha);
  const loc = sc.locations.find((l) => l.sha256 === located.sha256)!;
  const metres = geodesicMetres(given, located.place);
  expect(Math.abs(loc.distanceM! - metres)).toBeLessThan(1);
  expect(loc.withinTolerance).toBe(metres <= located.toleranceM);
  const shownDistance = metres < 1000 ? `${Math.round(metres)} m` : `${(metres / 1000).toFixed(1)} km`;
  const parts = card.getByRole("table", { name: "Points per part" });
  await expect(parts).toContainText(`${shownDistance} from the answer`);
  if (timed && givenWindow) {
    const t = sc.times.find((x) => x.sha256 === timed.sha256)!;
    const gap = Math.max(0, (Date.parse(givenWindow.from) - Date.parse(timed.window.to)) / 60_000);
    expect(t.minutesOff).toBeCloseTo(gap, 0);
    expect(t.withinTolerance).toBe(gap <= timed.toleranceMinutes);
    await expect(parts).toContainText(`${gap} minutes off`);
  }
  const caught = sc.traps.find((x) => x.id === trap.id)!;
  expect(caught.caught).toBe(true);
  expect(caught.caughtBy).toMatchObject({ kind: "note" });
  await expect(parts.getByRole("row", { name: new RegExp(trap.title.slice(0, 20)) })).toContainText("caught");
  if (warned) {
    expect(sc.traps.find((x) => x.id === warned.id)!.caughtBy).toMatchObject({
      kind: "warning",
      code: "editing-software",
    });
    await expect(parts.getByRole("row", { name: new RegExp(warned.title.slice(0, 20)) })).toContainText(
      "by acknowledging the warning “Edited with software”",
    );
  }
  for (const other of key.traps.filter((t) => t.id !== trap.id && t.id !== warned?.id))
    expect(sc.traps.find((x) => x.id === other.id)!.caught).toBe(false);
  expect(sc.hintsOpened).toBe(1);
  await expect(card.getByLabel("Hints and time")).toContainText("1 hint opened");
  expect(sc.maxPoints).toBeGreaterThan(0);
  const total = `${Number.isInteger(sc.points) ? sc.points : sc.points.toFixed(1)} / ${sc.maxPoints}`;
  await expect(card.getByLabel("Total points")).toHaveText(total);
  await expect(card.getByRole("region", { name: "Model answer" })).toContainText(key.modelAnswer.slice(0, 30));
  await expectNamedControls(page, "the scorecard, light scheme");
  await page.screenshot({ path: path.join(SCREENSHOTS, "training-scorecard-light.png") });

  // Exports: PDF (its text holds the points) and JSON (the same scorecard).
  for (const format of ["PDF", "JSON"] as const) {
    await card.getByRole("button", { name: `Export as ${format}` }).click();
    const done = card.getByRole("status", { name: `Scorecard exported as ${format}` });
    await expect(done).toBeVisible({ timeout: 120_000 });
    const written = (await done.getByLabel("Exported file").textContent())!;
    const hash = (await done.getByLabel("SHA-256 of the scorecard export").textContent())!.replace("SHA-256 ", "");
    const file = path.join(caseDir, written);
    const bytes = await readFile(file);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(hash);
    if (format === "PDF") {
      const text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"]).toString("utf8");
      expect(text).toContain(String(sc.points));
      expect(text).toContain(String(sc.maxPoints));
    } else {
      const json = JSON.parse(bytes.toString("utf8")) as Scorecard | { scorecard: Scorecard };
      const exported = "scorecard" in json ? json.scorecard : json;
      expect(exported.points).toBe(sc.points);
      expect(exported.maxPoints).toBe(sc.maxPoints);
    }
  }
  await card.getByRole("button", { name: "Close the scorecard" }).click();
  await page.getByRole("button", { name: "Use dark theme" }).click();
  await panel.getByRole("button", { name: "Show the scorecard" }).click();
  await expectNamedControls(page, "the scorecard");
  await page.screenshot({ path: path.join(SCREENSHOTS, "training-scorecard.png") });
  await card.getByRole("button", { name: "Close the scorecard" }).click();

  // Frozen: the board says so, and a change is refused with the service's reason on screen.
  await expect(panel.getByRole("status")).toContainText("the work is frozen");
  await expect(panel.getByRole("button", { name: "Submit for scoring" })).toHaveCount(0);
  // The scorecard opens again from the recorded score, as it was.
  await panel.getByRole("button", { name: "Show the scorecard" }).click();
  await expect(card.getByLabel("Total points")).toHaveText(total);
  await card.getByRole("button", { name: "Close the scorecard" }).click();
  expect(errors).toEqual([]);
  await cell(page, photo).click();
  await page.getByRole("tab", { name: /^Review/ }).click();
  await page.getByLabel("Add a note (Markdown)").fill("One more thought after submitting.");
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /submitted .*frozen/ })).toBeVisible();
  await page.getByRole("button", { name: "Back to the board" }).click();
  // A second submission, straight to the host, is refused too, in one line.
  const again = (await (
    await page.request.post(`${url}/api/submitExercise`, {
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      data: { dir: caseDir },
    })
  ).json()) as { ok: boolean; error?: { message: string } };
  expect(again.ok).toBe(false);
  expect(again.error!.message).toMatch(/submitted/);
  // The refused note is the one failed request (the host answers a refusal with 400), and nothing else.
  expect(errors.filter((e) => !e.includes("status of 400 (Bad Request)"))).toEqual([]);
});

test("a damaged package is refused in one line, and a package's markup stays text", async ({ page }) => {
  test.setTimeout(300_000);
  const errors = watch(page);
  const { url, token } = seat.host;
  const hostile = await buildTestSample(path.join(seat.root, "hostile"));
  const truncated = path.join(seat.root, "truncated.sightline-sample");
  await writeFile(truncated, (await readFile(hostile)).subarray(0, 4000));
  await page.goto(`${url}/#token=${token}`);
  await page.getByRole("button", { name: "Start a training exercise…" }).click();
  const dialog = page.getByRole("dialog", { name: "Start a training exercise" });
  const other = dialog.getByRole("textbox", { name: "Open another sample package…" });
  for (const bad of [truncated, path.join(seat.root, "missing.sightline-sample"), seat.root]) {
    await other.fill(bad);
    await dialog.getByRole("button", { name: "Check and add" }).click();
    await expect(other).toHaveAttribute("aria-invalid", "true");
    const reason = await other.evaluate(
      (el) => document.getElementById(el.getAttribute("aria-describedby")!.split(" ")[0]!)?.textContent ?? "",
    );
    expect(reason.trim().length).toBeGreaterThan(0);
    expect(reason).not.toMatch(/\n/);
  }
  await expect(dialog.getByRole("radio", { name: /^Compound fire/ })).toHaveCount(0);
  // Each refusal is one failed request in the console (the host answers 400 or 404), and nothing else.
  const refusals = errors.splice(0);
  expect(refusals).toHaveLength(3);
  for (const r of refusals) expect(r).toMatch(/status of 40[04]/);
  await other.fill(hostile);
  await dialog.getByRole("button", { name: "Check and add" }).click();
  await expect(other).not.toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByRole("radio", { name: /^Compound fire near the wadi/ })).toBeChecked();
  await dialog.getByRole("textbox", { name: "Trainee", exact: true }).fill("<i>T.</i> \u202eTrainee");
  await dialog.getByRole("textbox", { name: "Trainee's case folder" }).fill(path.join(seat.root, "hostile-case"));
  await dialog.getByRole("button", { name: "Start the exercise" }).click();
  const panel = page.getByRole("region", { name: "Exercise" });
  await expect(panel).toBeVisible({ timeout: 180_000 });
  // Markup from the package and from the trainee is shown as the characters typed.
  await expect(panel.getByRole("region", { name: "Briefing" })).toContainText("<b>Taken yesterday</b> in Gao");
  await expect(panel).toContainText("<i>T.</i> \\u{202E}Trainee");
  await panel.getByRole("button", { name: "Open hint 1: Look at the ridge" }).click();
  await page.getByRole("dialog", { name: "Open this hint?" }).getByRole("button", { name: "Open the hint" }).click();
  await expect(panel.getByRole("region", { name: "Text of hint 1" })).toContainText("runs <i>south-west</i> of");
  await expect(page.locator("main b, main i")).toHaveCount(0);
  // Hints open in order: the third waits for the second.
  await expect(panel.getByRole("button", { name: "Open hint 3: The re-upload" })).toBeDisabled();
  expect(errors).toEqual([]);
});
