/**
 * A report model to the bytes of its file: JSON (the model itself), CSV (csv-stringify, with a
 * byte-order mark so spreadsheet programs read UTF-8), HTML (one self-contained page), PDF (that
 * page printed by Chromium, with the JSON twin attached as an embedded file by @cantoo/pdf-lib).
 */
import { createHash } from "node:crypto";
import { AFRelationship, ParseSpeeds, PDFDocument } from "@cantoo/pdf-lib";
import { stringify } from "csv-stringify/sync";
import { reportCsvRows } from "../../../shared/reports/reportCsv.js";
import { reportHtml } from "../../../shared/reports/reportHtml.js";
import { pageFooter, pageHeader } from "../../../shared/reports/reportHtmlParts.js";
import type { CustodyReport, ReportFormat } from "../../../shared/reports/reportModel.js";
import type { ReportPrinter } from "./reportPrinter.js";

/** The name the JSON twin has inside a PDF. */
export const PDF_JSON_TWIN = "custody-report.json";

export const reportJson = (report: CustodyReport) => `${JSON.stringify(report, null, 2)}\n`;

export function reportHtmlText(report: CustodyReport, images: ReadonlyMap<string, string>): string {
  return reportHtml(report, {
    images,
    sha256Base64: (text) => createHash("sha256").update(text, "utf8").digest("base64"),
  });
}

export async function renderReport(
  report: CustodyReport,
  format: ReportFormat,
  images: ReadonlyMap<string, string>,
  printer: () => ReportPrinter,
): Promise<Buffer> {
  switch (format) {
    case "json":
      return Buffer.from(reportJson(report), "utf8");
    case "csv":
      return Buffer.from(stringify(reportCsvRows(report), { bom: true, record_delimiter: "windows" }), "utf8");
    case "html":
      return Buffer.from(reportHtmlText(report, images), "utf8");
    case "pdf": {
      const printed = await printer().print({
        html: reportHtmlText(report, images),
        headerHtml: pageHeader(report),
        footerHtml: pageFooter(report),
      });
      return attachJsonTwin(printed, report);
    }
  }
}

/**
 * The PDF with the report's JSON attached (PDF/A-3 style: an embedded file related as its data),
 * written as an incremental update after Chromium's bytes: a full rewrite of a thousand-page PDF
 * took over a minute, the update a fraction of that, and Chromium's pages stay byte for byte.
 */
export async function attachJsonTwin(pdf: Uint8Array, report: CustodyReport): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf, {
    updateMetadata: false,
    forIncrementalUpdate: true,
    parseSpeed: ParseSpeeds.Fastest,
  });
  const when = new Date(report.generatedAt);
  doc.setTitle(`Custody report: ${report.case.title}`);
  doc.setSubject(
    report.ledger.head ? `Ledger head ${report.ledger.head.seq} ${report.ledger.head.hash}` : "Empty ledger",
  );
  doc.setCreator(`${report.tool.name} ${report.tool.version}`);
  doc.setProducer(`${report.tool.name} ${report.tool.version}`);
  doc.setCreationDate(when);
  doc.setModificationDate(when);
  await doc.attach(Buffer.from(reportJson(report), "utf8"), PDF_JSON_TWIN, {
    mimeType: "application/json",
    description: "The same report as data (docs/REPORT.md)",
    creationDate: when,
    modificationDate: when,
    afRelationship: AFRelationship.Data,
  });
  return Buffer.from(await doc.commit());
}
