/**
 * A report model to the bytes of its file: JSON (the model itself), CSV (csv-stringify, with a
 * byte-order mark so spreadsheet programs read UTF-8), HTML (one self-contained page), PDF (that
 * page printed by Chromium in parts and joined, with the JSON twin attached: reportPdf.ts).
 */
import { createHash } from "node:crypto";
import { stringify } from "csv-stringify/sync";
import { reportCsvRows } from "../../../shared/reports/reportCsv.js";
import { reportHtml } from "../../../shared/reports/reportHtml.js";
import type { CustodyReport, ReportFormat } from "../../../shared/reports/reportModel.js";
import type { ReportPart } from "./reportPdf.js";
import type { ReportPrinter } from "./reportPrinter.js";

export const reportJson = (report: CustodyReport) => `${JSON.stringify(report, null, 2)}\n`;

export function reportHtmlText(report: CustodyReport, images: ReadonlyMap<string, string>, part?: ReportPart): string {
  return reportHtml(report, {
    images,
    sha256Base64: (text) => createHash("sha256").update(text, "utf8").digest("base64"),
    // A part is one piece of a PDF, numbered once the pieces are joined.
    ...(part ? { part, pageNumbers: false } : {}),
  });
}

export async function renderReport(
  report: CustodyReport,
  format: ReportFormat,
  images: ReadonlyMap<string, string>,
  printer: () => ReportPrinter,
  /** Told what a PDF had to leave out (a job warning). */
  warn?: (text: string) => void,
): Promise<Buffer> {
  switch (format) {
    case "json":
      return Buffer.from(reportJson(report), "utf8");
    case "csv":
      return Buffer.from(stringify(reportCsvRows(report), { bom: true, record_delimiter: "windows" }), "utf8");
    case "html":
      return Buffer.from(reportHtmlText(report, images), "utf8");
    case "pdf": {
      // reportPdf.ts brings in @cantoo/pdf-lib (half a second or more to load): loaded by the first PDF.
      const { printReportPdf } = await import("./reportPdf.js");
      return printReportPdf(
        report,
        (part) => reportHtmlText(report, images, part),
        reportJson(report),
        printer(),
        warn,
      );
    }
  }
}
