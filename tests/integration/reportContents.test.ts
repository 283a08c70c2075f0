/**
 * The PDF report's contents and outline, through the real CLI and Chromium, printed in many small
 * parts: pdftotext of the contents lists each item with the page on which pdftotext finds that
 * item's SHA-256; the outline (read back with pdf-lib) has the case, the sections and one bookmark
 * per item, in order, each opening the page the contents names.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFString, PDFHexString, type PDFRef } from "@cantoo/pdf-lib";
import { runCli } from "../support/cli.js";
import { tempDir } from "../support/fixtures.js";
import { makeReportCase } from "../support/reportCase.js";

interface Bookmark {
  title: string;
  page: number;
  children: Bookmark[];
}

/** The outline as a tree, each bookmark with the page its destination opens. */
function outlineOf(doc: PDFDocument): Bookmark[] {
  const pages = doc.getPages().map((p) => p.ref.toString());
  const read = (first: PDFRef | undefined): Bookmark[] => {
    const list: Bookmark[] = [];
    for (let ref = first; ref;) {
      const node = doc.context.lookup(ref, PDFDict);
      const title = node.lookup(PDFName.of("Title")) as PDFString | PDFHexString;
      const dest = node.lookupMaybe(PDFName.of("Dest"), PDFArray);
      list.push({
        title: title.decodeText(),
        page: pages.indexOf(String(dest?.get(0))) + 1,
        children: read(node.get(PDFName.of("First")) as PDFRef | undefined),
      });
      ref = node.get(PDFName.of("Next")) as PDFRef | undefined;
    }
    return list;
  };
  const root = doc.catalog.lookup(PDFName.of("Outlines"), PDFDict);
  return read(root.get(PDFName.of("First")) as PDFRef);
}

test("PDF contents give each item's page; the outline has the case, sections and every item in order", async () => {
  const base = await makeReportCase();
  const out = path.join(await tempDir(), "report.pdf");
  const json = path.join(await tempDir(), "report.json");
  const env = { SIGHTLINE_REPORT_PART_ITEMS: "2" };
  const r = await runCli(["report", base.caseDir, "--format", "pdf", "--out", out], base.home, { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await runCli(["report", base.caseDir, "--format", "json", "--out", json], base.home)).code, 0);
  const items = (JSON.parse(await readFile(json, "utf8")) as { items: { sha256: string; names: string[] }[] }).items;
  assert.ok(items.length >= 5, "several items, over several parts");

  const doc = await PDFDocument.load(await readFile(out), { updateMetadata: false });
  const pageCount = doc.getPageCount();
  const pageText = (n: number) =>
    execFileSync("pdftotext", ["-enc", "UTF-8", "-layout", "-f", String(n), "-l", String(n), out, "-"]).toString();
  const texts = Array.from({ length: pageCount }, (_, i) => pageText(i + 1));
  const contentsEnd = texts.findIndex((t) => t.includes("Summary and verification") && !t.includes("Contents"));
  const contents = texts.slice(0, contentsEnd === -1 ? 1 : Math.max(contentsEnd, 1)).join("\n");

  const listed = items.map((it, i) => {
    // "Item 3: name      7": the number after the entry's text, at the end of its column.
    const m = new RegExp(`Item ${i + 1}:.*?\\s{2,}(\\d+)(?:\\s|$)`).exec(contents);
    assert.ok(m, `the contents list item ${i + 1} with a page number:\n${contents}`);
    const page = Number(m[1]);
    const found = texts.findIndex((t) => t.replace(/\s+/g, "").includes(it.sha256)) + 1;
    assert.equal(page, found, `item ${i + 1}'s page in the contents is the first page with its SHA-256`);
    return page;
  });
  assert.deepEqual(
    [...listed].sort((a, b) => a - b),
    listed,
    "items in order",
  );

  const [top, ...others] = outlineOf(doc);
  assert.equal(others.length, 0, "one top bookmark: the case");
  assert.match(top!.title, /^Custody report: Affaire « Kidal » <script>alert\(1\)<\/script>$/);
  assert.equal(top!.page, 1);
  assert.deepEqual(
    top!.children.map((b) => b.title),
    [
      "Summary and verification",
      "Examiners",
      "How to re-verify without Sightline",
      "The examiner's choices for this report",
      "Items",
    ],
  );
  for (const section of top!.children.slice(0, 4)) assert.ok(section.page >= 1 && section.page <= pageCount);
  const bookmarks = top!.children[4]!.children;
  assert.deepEqual(
    bookmarks.map((b) => b.title),
    items.map((it, i) => `Item ${i + 1}: ${it.names[0]}`),
  );
  assert.deepEqual(
    bookmarks.map((b) => b.page),
    listed,
    "each item's bookmark opens the page the contents name",
  );
  const info = execFileSync("pdfinfo", [out]).toString();
  assert.match(info, new RegExp(`Pages:\\s+${pageCount}`));
});
