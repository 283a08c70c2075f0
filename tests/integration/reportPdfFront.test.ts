/**
 * The PDF's front matter is printed again with the contents' page numbers filled in; when that
 * print keeps changing length, numbers worked out for another length would send the reader to
 * the wrong pages. Real Chromium prints here, of front matter that grows by a page each time its
 * numbers are filled in: the report comes out with the front as first printed (no numbers), the
 * right page count, and a warning saying so.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { PDFDocument } from "@cantoo/pdf-lib";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import {
  ChromiumPrinter,
  type PrintRequest,
  type ReportPrinter,
} from "../../electron/services/reports/reportPrinter.js";
import { generateReport } from "../../electron/services/reports/reportService.js";
import { makeReportCase } from "../support/reportCase.js";

/** The system Chromium, printing each numbered front longer than the last. */
class GrowingFrontPrinter implements ReportPrinter {
  private readonly chromium = new ChromiumPrinter();
  readonly pageCounts: { numbered: boolean; pages: number }[] = [];
  private grown = 0;

  async print(request: PrintRequest): Promise<Uint8Array> {
    // A front part with its numbers filled in: a contents page number follows `class="pg">`.
    const numbered = /class="pg">\d/.test(request.html);
    // Lines of text after the end of the document, which HTML parsing still puts at the end of its
    // body (the page's Content-Security-Policy allows no style attribute): more every time.
    const html = numbered ? request.html + "<p>grown</p>".repeat(60 * ++this.grown) : request.html;
    const bytes = await this.chromium.print({ ...request, html });
    this.pageCounts.push({ numbered, pages: (await PDFDocument.load(bytes)).getPageCount() });
    return bytes;
  }

  close(): Promise<void> {
    return this.chromium.close();
  }
}

test("a front that changes length every time it is numbered is left unnumbered, with a warning", async () => {
  const base = await makeReportCase();
  const printer = new GrowingFrontPrinter();
  const outcome = await generateReport(
    { dir: base.caseDir, format: "pdf", choices: { sensitive: "withheld", graphic: "veiled" } },
    { keyStore: new KeyStore(base.home), printer: () => printer },
  ).finally(() => printer.close());
  const numbered = printer.pageCounts.filter((p) => p.numbered);
  assert.equal(numbered.length, 2, JSON.stringify(printer.pageCounts));
  const [plainFront, ...parts] = printer.pageCounts.filter((p) => !p.numbered);
  assert.ok(numbered[1]!.pages > numbered[0]!.pages && numbered[0]!.pages > plainFront!.pages);
  assert.deepEqual(outcome.warnings, [
    "the contents list no page numbers: the front matter changed length each time they were added",
  ]);
  const pdf = await PDFDocument.load(outcome.bytes);
  const partPages = parts.reduce((sum, p) => sum + p.pages, 0);
  assert.equal(pdf.getPageCount(), plainFront!.pages + partPages);
  // The copy kept in the case is the same report, and nothing of the grown prints is in it.
  assert.deepEqual(await readFile(path.join(base.caseDir, outcome.casePath!)), outcome.bytes);
  const text = execFileSync("pdftotext", ["-layout", "-", "-"], { input: outcome.bytes }).toString();
  assert.doesNotMatch(text, /grown/);
  assert.match(text, new RegExp(`Page ${pdf.getPageCount()} of ${pdf.getPageCount()}`));
});
