/**
 * Custody reports of a real case (tests/support/reportCase.ts) through the real CLI: the PDF's text
 * (pdftotext) holds every hash and, on every page, the head hash; its attached JSON (pdfdetach)
 * is the --format json of the same ledger; the JSON fits docs/report.schema.json (ajv); the CSV
 * reads back with Python's csv module; the HTML makes no request and renders no markup from the
 * case; each report is recorded by a report.generated event whose copy verify re-hashes.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { before, test } from "node:test";
import { PDFArray, PDFDict, PDFDocument, PDFName } from "@cantoo/pdf-lib";
import { Ajv } from "ajv";
import { REPO_ROOT, runCli } from "../support/cli.js";
import { tempDir } from "../support/fixtures.js";
import {
  ARABIC_NOTE,
  CASE_TITLE,
  FORMULA_NAME,
  makeReportCase,
  REPORT_SCENE_ID,
  type ReportCase,
} from "../support/reportCase.js";

let base: ReportCase;
before(async () => {
  base = await makeReportCase();
});

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

const pageText = (file: string, n: number) =>
  execFileSync("pdftotext", ["-f", String(n), "-l", String(n), file, "-"]).toString("utf8");

/** A copy of the case (same ledger, same head) so reports of it can be compared. */
async function copy(): Promise<string> {
  const dir = path.join(await tempDir(), "case");
  execFileSync("cp", ["-a", base.caseDir, dir]);
  return dir;
}

async function report(caseDir: string, format: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const out = path.join(await tempDir(), `report.${format}`);
  const r = await runCli(["report", caseDir, "--format", format, "--out", out, "--json", ...extra], base.home, { env });
  return { ...r, out, summary: r.stdout ? JSON.parse(r.stdout) : null };
}

const lastEvent = async (caseDir: string) =>
  JSON.parse((await readFile(path.join(caseDir, "ledger.jsonl"), "utf8")).trim().split("\n").at(-1)!);

/** The named destinations of a PDF (by page number) and the count of links on its first page. */
async function pdfLinks(file: string) {
  const doc = await PDFDocument.load(await readFile(file), { updateMetadata: false });
  const pages = doc.getPages().map((p) => p.ref.toString());
  const dests = doc.catalog.lookup(PDFName.of("Dests"), PDFDict);
  const annots = doc.getPages()[0]!.node.lookupMaybe(PDFName.of("Annots"), PDFArray);
  return {
    linkCount: annots?.size() ?? 0,
    pageOf: (name: string) => {
      const ref = dests.lookupMaybe(PDFName.of(name), PDFArray)?.get(0);
      return ref ? pages.indexOf(ref.toString()) + 1 : 0;
    },
  };
}

/** The report without what differs between two runs over the same ledger: the times. */
function timeless(r: any) {
  return { ...r, generatedAt: null, verification: { ...r.verification, checkedAt: null } };
}

test("PDF: every hash in its text, the head hash on every page, the JSON twin equals --format json", async () => {
  const [a, b] = [await copy(), await copy()];
  const head = (await lastEvent(a)) as { seq: number; hash: string };
  // Printed in parts of two items (front matter and three parts), then joined.
  const pdf = await report(a, "pdf", [], { SIGHTLINE_REPORT_PART_ITEMS: "2" });
  assert.equal(pdf.code, 0, pdf.stderr);
  assert.deepEqual(pdf.summary.head, { seq: head.seq, hash: head.hash });

  const text = execFileSync("pdftotext", ["-enc", "UTF-8", pdf.out, "-"]).toString("utf8");
  const json = JSON.parse(await readFile((await report(b, "json")).out, "utf8"));
  for (const item of json.items) {
    for (const h of [item.sha256, item.md5, item.sha1]) assert.ok(text.includes(h), `the PDF names ${h}`);
  }
  assert.equal(json.items.length, 6);
  assert.ok(text.includes("<script>alert(1)</script>"), "markup in the case title is text in the PDF");
  assert.ok(text.includes("\\u{202E}gpj.exe"), "the bidi override in a name is shown, not obeyed");
  assert.ok(text.includes("Not performed"), "a strand with no work says so");
  assert.ok(text.includes("Vu près de l'Étoile"), "French text survives");

  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [pdf.out]).toString())![1]);
  assert.ok(pages > 6, `${pages} pages: one section per item at least`);
  for (let n = 1; n <= pages; n++) {
    const page = execFileSync("pdftotext", ["-f", String(n), "-l", String(n), pdf.out, "-"]).toString("utf8");
    assert.ok(page.includes(head.hash), `page ${n} carries the head hash`);
    assert.match(page, new RegExp(`Page ${n} of ${pages}`));
  }

  // Every entry of the contents leads to its item's first page, across the joined parts.
  const links = await pdfLinks(pdf.out);
  assert.ok(links.linkCount >= 6, `${links.linkCount} links on the contents page`);
  for (let i = 0; i < json.items.length; i++) {
    const page = links.pageOf(`item-${i + 1}`);
    assert.ok(page, `item-${i + 1} is a destination`);
    assert.match(pageText(pdf.out, page), new RegExp(`Item ${i + 1}: `), `item-${i + 1} leads to page ${page}`);
  }

  const detached = path.join(await tempDir(), "twin.json");
  execFileSync("pdfdetach", ["-save", "1", "-o", detached, pdf.out]);
  const twin = JSON.parse(await readFile(detached, "utf8"));
  assert.deepEqual(timeless(twin), timeless(json), "the attached JSON is the JSON report of the same ledger");

  // Pages to look at (tests/e2e/screenshots/ is where pictures of the product are kept).
  const shots = path.join(REPO_ROOT, "tests", "e2e", "screenshots");
  await mkdir(shots, { recursive: true }); // ignored by git: absent in a fresh clone until made
  execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", pdf.out, path.join(shots, "report-pdf-first")]);
  // The photo's notes: the Arabic one must read right to left with its letters joined.
  const notesPage = [...Array(pages).keys()]
    .map((i) => i + 1)
    .find((n) => pageText(pdf.out, n).includes("Geolocation under way") && pageText(pdf.out, n).includes("Notes"));
  assert.ok(notesPage, "a page with the notes");
  execFileSync("pdftoppm", [
    "-png",
    "-r",
    "110",
    "-f",
    String(notesPage),
    "-l",
    String(notesPage),
    pdf.out,
    path.join(shots, "report-pdf-notes"),
  ]);
});

test("the report is recorded: report.generated names the file's SHA-256 and head; verify re-hashes its copy", async () => {
  const caseDir = await copy();
  const before = await lastEvent(caseDir);
  const html = await report(caseDir, "html", ["--sensitive", "withheld"]);
  assert.equal(html.code, 0, html.stderr);
  const bytes = await readFile(html.out);
  const event = await lastEvent(caseDir);
  assert.equal(event.type, "report.generated");
  assert.equal(event.payload.sha256, sha256(bytes));
  assert.equal(event.payload.size, bytes.length);
  assert.deepEqual(event.payload.head, { seq: before.seq, hash: before.hash });
  assert.deepEqual(event.payload.choices, { sensitive: "withheld", graphic: "veiled" });
  assert.deepEqual(event.payload.scope, { kind: "case" });
  assert.deepEqual(await readFile(path.join(caseDir, event.payload.path)), bytes, "the case keeps the same bytes");

  const verified = await runCli(["verify", caseDir, "--json"], base.home);
  assert.equal(verified.code, 0, verified.stdout);
  assert.equal(JSON.parse(verified.stdout).exportsChecked, 1);
  const python = execFileSync("python3", [path.join(REPO_ROOT, "resources", "verify-ledger.py"), caseDir]).toString();
  assert.doesNotMatch(python, /PROBLEM/);

  // The copy changed afterwards: both checkers say so.
  execFileSync("chmod", ["u+w", path.join(caseDir, event.payload.path)]);
  execFileSync("sh", ["-c", 'printf x >> "$1"', "sh", path.join(caseDir, event.payload.path)]);
  const after = await runCli(["verify", caseDir, "--json"], base.home);
  assert.equal(after.code, 1);
  assert.ok(JSON.parse(after.stdout).problems.some((p: any) => p.code === "export-corrupt"));
  const r = (() => {
    try {
      execFileSync("python3", [path.join(REPO_ROOT, "resources", "verify-ledger.py"), caseDir]);
      return "";
    } catch (error: any) {
      return String(error.stdout);
    }
  })();
  assert.match(r, /export-corrupt/);
});

test("HTML: self-contained, no request can leave it, nothing from the case is live markup", async () => {
  const html = (await readFile((await report(await copy(), "html")).out, "utf8")) as string;
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
  assert.match(csp, /default-src 'none'/);
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
  assert.ok(
    csp.includes(`'sha256-${createHash("sha256").update(style).digest("base64")}'`),
    "the style is allowed by its hash",
  );
  const urls = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
  assert.ok(urls.length > 3);
  for (const url of urls)
    assert.match(url, /^(#item-\d+|#[a-z]+|data:image\/(jpeg|png|webp);base64,)/, url.slice(0, 60));
  assert.doesNotMatch(html, /<script|<img src=x|<b>gras|<i>now/i, "no markup from the case is live");
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(html.includes("\\u{202E}gpj.exe"));
  assert.ok(html.includes(`<div class="note" dir="auto">${ARABIC_NOTE}</div>`), "the Arabic note in its own direction");
  assert.doesNotMatch(html, /https?:\/\/(?!t\.me\/example)/, "no address but the recorded source URL");
  assert.match(
    html,
    /<p>Burn index: the 17 February 2026 scene resampled onto the 15 February 2026 scene&#39;s 20 m grid/,
  );
});

test("JSON fits docs/report.schema.json; sensitive places rounded by default, withheld or exact by choice; graphic veiled", async () => {
  const schema = JSON.parse(await readFile(path.join(REPO_ROOT, "docs", "report.schema.json"), "utf8"));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const caseDir = await copy();
  const photoOf = (r: any) => r.items.find((i: any) => i.sha256 === base.items.photo);
  const outs: Record<string, any> = {};
  for (const sensitive of ["rounded", "withheld", "exact"]) {
    const r = await report(caseDir, "json", ["--sensitive", sensitive]);
    assert.equal(r.code, 0, r.stderr);
    outs[sensitive] = JSON.parse(await readFile(r.out, "utf8"));
    assert.ok(validate(outs[sensitive]), JSON.stringify(validate.errors?.slice(0, 3)));
  }
  // A report handed on before gpsSource and snapshotResampling existed still fits format version 1.
  const older = structuredClone(outs.exact);
  for (const item of older.items) {
    if (item.metadata) delete item.metadata.gpsSource;
    for (const g of item.geolocations) delete g.snapshotResampling;
  }
  assert.ok(validate(older), JSON.stringify(validate.errors?.slice(0, 3)));
  const geo = (s: string) => photoOf(outs[s]).geolocations[0];
  assert.deepEqual(geo("rounded").place, {
    handling: "rounded",
    shape: "point",
    at: { lat: 18.44, lon: 1.41 },
    radiusM: 887,
  });
  assert.deepEqual(geo("withheld").place, { handling: "withheld" });
  assert.deepEqual(geo("exact").place.at, { lat: 18.441234, lon: 1.407654 });
  assert.equal(photoOf(outs.rounded).metadata.gps.handling, "rounded", "the file's own GPS is rounded too");
  assert.match(geo("rounded").snapshot.omitted, /sensitive/);
  assert.equal(geo("exact").snapshot.omitted, null);
  // How the snapshot's dNBR was resampled is said unless the place is withheld: its EPSG codes
  // name UTM zones. A clue's Sentinel-2 scene id names its MGRS tile, so it goes too.
  for (const s of ["rounded", "exact"]) {
    assert.deepEqual(geo(s).snapshotResampling, [
      "Burn index: the 17 February 2026 scene resampled onto the 15 February 2026 scene's 20 m grid (512 × 512 pixels, reprojected from EPSG:32630 to EPSG:32631; bilinear)",
    ]);
    assert.match(geo(s).clues[1].layer, new RegExp(`scene ${REPORT_SCENE_ID}`));
  }
  assert.deepEqual(geo("withheld").snapshotResampling, []);
  assert.equal(geo("withheld").clues[1].layer, "Copernicus Sentinel-2");
  for (const leak of [/EPSG/, /T31QDB/, /S2B_MSIL2A/])
    assert.doesNotMatch(JSON.stringify(photoOf(outs.withheld)), leak, "nothing that locates a withheld place");
  assert.doesNotMatch(
    JSON.stringify(photoOf(outs.withheld)),
    /"lat":/,
    "nothing of the photo's places is left when withheld",
  );
  const video = outs.rounded.items.find((i: any) => i.sha256 === base.items.video);
  assert.deepEqual(
    video.geolocations[0].place.at,
    { lat: 16.271, lon: -0.044 },
    "a place not marked sensitive is exact",
  );
  const french = outs.rounded.items.find((i: any) => i.sha256 === base.items.french);
  assert.equal(french.picture.isVeiled, true);
  assert.equal(photoOf(outs.rounded).strands.content.isPerformed, true);
  assert.equal(french.strands.content.isPerformed, false);
  assert.equal(photoOf(outs.rounded).geolocations[0].reviews[0].reason, "La crête correspond.");
  assert.equal(outs.rounded.case.title, CASE_TITLE);
  assert.equal(outs.rounded.verification.isClean, true);
});

test("graphic pictures are veiled in the file itself unless shown by choice", async () => {
  const caseDir = await copy();
  const events = (await readFile(path.join(caseDir, "ledger.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  const thumb = events.find((e) => e.type === "derivative.created" && e.payload.parent === base.items.french).payload;
  const clear = (await readFile(path.join(caseDir, thumb.path))).toString("base64");
  const veiled = await readFile((await report(caseDir, "html")).out, "utf8");
  assert.ok(!veiled.includes(clear), "the clear thumbnail is not in a veiled report");
  assert.match(veiled, /Veiled: graphic content/);
  const shown = await readFile((await report(caseDir, "html", ["--graphic", "shown"])).out, "utf8");
  assert.ok(shown.includes(clear), "shown by choice: the thumbnail as recorded");
});

test("CSV: one row per item that Python's csv module reads back; formula-like cells made text", async () => {
  const r = await report(await copy(), "csv", ["--items", `${base.items.photo},${base.items.formula}`]);
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(
    execFileSync("python3", [
      "-c",
      "import csv,json,sys; print(json.dumps(list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))))",
      r.out,
    ]).toString(),
  ) as string[][];
  assert.equal(rows.length, 3, "a header and the two items asked for");
  const header = rows[0]!;
  const at = (row: string[], column: string) => row[header.indexOf(column)]!;
  const formula = rows.find((row) => at(row, "sha256") === base.items.formula)!;
  assert.equal(at(formula, "names"), `'${FORMULA_NAME}`);
  const photo = rows.find((row) => at(row, "sha256") === base.items.photo)!;
  assert.match(at(photo, "geolocation"), /^18\.44° N, 1\.41° E/);
  assert.equal(at(photo, "ledger_head_hash").length, 64);
});

test("hostile requests: unknown items, --out in the case, on a folder or an existing file, bad options; nothing written", async () => {
  const caseDir = await copy();
  const ledgerBefore = await readFile(path.join(caseDir, "ledger.jsonl"));
  const unknown = "ab".repeat(32);
  const cases: [string[], number, RegExp][] = [
    [["--format", "json", "--items", unknown], 1, /not items of this case: abab/],
    [["--format", "json", "--items", "../../etc/passwd"], 2, /SHA-256/],
    [["--format", "docx"], 2, /--format must be one of/],
    [["--format", "pdf", "--sensitive", "blurred"], 2, /--sensitive/],
  ];
  for (const [args, code, message] of cases) {
    const out = path.join(await tempDir(), "r.out");
    const r = await runCli(["report", caseDir, ...args, "--out", out], base.home);
    assert.equal(r.code, code, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split("\n")[0]!.startsWith("sightline: "), true);
    await assert.rejects(readFile(out), "no report file");
  }
  const inside = await runCli(
    ["report", caseDir, "--format", "json", "--out", path.join(caseDir, "exports", "x.json")],
    base.home,
  );
  assert.equal(inside.code, 1);
  assert.match(inside.stderr, /inside the case folder/);
  const folder = await tempDir();
  const onFolder = await runCli(["report", caseDir, "--format", "json", "--out", folder], base.home);
  assert.equal(onFolder.code, 2);
  assert.match(onFolder.stderr, /is a folder/);
  const existing = path.join(folder, "kept.json");
  execFileSync("sh", ["-c", 'printf keep > "$1"', "sh", existing]);
  const over = await runCli(["report", caseDir, "--format", "json", "--out", existing], base.home);
  assert.equal(over.code, 1);
  assert.match(over.stderr, /already exists/);
  assert.equal(await readFile(existing, "utf8"), "keep");
  assert.deepEqual(await readFile(path.join(caseDir, "ledger.jsonl")), ledgerBefore, "no event for a refused report");
  assert.deepEqual(await readdir(path.join(caseDir, "exports")).catch(() => []), []);
});

test("a case that fails verification still gets its report, which says so on every page; exit 1", async () => {
  const caseDir = await copy();
  // The original of one item changed behind the ledger's back.
  const events = (await readFile(path.join(caseDir, "ledger.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  const object = events.find((e) => e.type === "item.imported" && e.payload.sha256 === base.items.formula).payload
    .objectPath;
  execFileSync("chmod", ["u+w", path.join(caseDir, object)]);
  execFileSync("sh", ["-c", 'printf tampered >> "$1"', "sh", path.join(caseDir, object)]);
  const r = await report(caseDir, "pdf");
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.summary.isClean, false);
  assert.ok(r.summary.problemCount >= 1);
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [r.out]).toString())![1]);
  for (let n = 1; n <= pages; n++) {
    assert.match(
      execFileSync("pdftotext", ["-f", String(n), "-l", String(n), r.out, "-"]).toString(),
      /VERIFICATION FAILED/,
    );
  }
  const text = execFileSync("pdftotext", [r.out, "-"]).toString();
  assert.match(text, /object-corrupt/);
  const event = await lastEvent(caseDir);
  assert.equal(event.type, "report.generated");
  assert.deepEqual(event.payload.verification, { isClean: false, problemCount: r.summary.problemCount });
});
