/**
 * A report as PDF, printed in parts and put together: the front matter (title, contents,
 * verification, examiners, choices) and the items a few dozen at a time are printed by Chromium
 * side by side, then joined by @cantoo/pdf-lib into one document, numbered "Page N of M", given
 * its document information and the JSON twin as an attached file, and written once.
 *
 * Why in parts: Chromium's time to print one document grows faster than its length (a
 * 1,000-item, 2,000-page report took about five times as long per page as a 50-item one), and
 * parts can be printed on several cores at once. What a single print gave is kept: the running
 * header with the case and head hash on every page (CSS margin boxes of each part), the contents'
 * links to every item (named destinations gathered from the parts), selectable text.
 *
 * The contents' page numbers: the front matter is printed first with their room left empty; once
 * the items are printed, where each item's destination fell is known, and the front matter alone
 * is printed again with the numbers (the same layout, so the same number of pages). The joined
 * document gets an outline of the same entries (reportOutline.ts).
 */
import { availableParallelism } from "node:os";
import { AFRelationship, PDFArray, PDFDocument, PDFRef, ParseSpeeds, StandardFonts, rgb } from "@cantoo/pdf-lib";
import type { ContentsPages } from "../../../shared/reports/reportHtml.js";
import type { CustodyReport } from "../../../shared/reports/reportModel.js";
import { addOutline, contentsPages, destinations } from "./reportOutline.js";
import type { ReportPrinter } from "./reportPrinter.js";

/** The name the JSON twin has inside a PDF. */
export const PDF_JSON_TWIN = "custody-report.json";

export type ReportPart = { kind: "front"; pages?: ContentsPages } | { kind: "items"; from: number; to: number };

/**
 * Items per printed part: small enough to stay in Chromium's fast range, large enough that a
 * part's set-up is noise. SIGHTLINE_REPORT_PART_ITEMS overrides it (tests join many small parts).
 */
function itemsPerPart(): number {
  const n = Number(process.env.SIGHTLINE_REPORT_PART_ITEMS);
  return Number.isInteger(n) && n >= 1 ? n : 40;
}

/** Prints `parts` (in order) a few at a time, then joins them into the report's PDF. */
export async function printReportPdf(
  report: CustodyReport,
  partHtml: (part: ReportPart) => string,
  json: string,
  printer: ReportPrinter,
  warn: (text: string) => void = () => undefined,
): Promise<Buffer> {
  const wanted: ReportPart[] = [{ kind: "front" }];
  const per = itemsPerPart();
  for (let from = 0; from < report.items.length; from += per) {
    wanted.push({ kind: "items", from, to: Math.min(from + per, report.items.length) });
  }
  const printed: Uint8Array[] = new Array<Uint8Array>(wanted.length);
  let next = 0;
  const worker = async () => {
    while (next < wanted.length) {
      const k = next++;
      printed[k] = await printer.print({ html: partHtml(wanted[k]!) });
    }
  };
  const lanes = Math.max(1, Math.min(3, availableParallelism(), wanted.length));
  await Promise.all(Array.from({ length: lanes }, worker));
  const parts = await Promise.all(printed.slice(1).map(load));
  const plain = await load(printed[0]!);
  let front = plain;
  // Twice at most: a second print that came out a different length would move the items' pages.
  let isSettled = false;
  for (let round = 0; round < 2 && !isSettled; round++) {
    const pages = contentsPages(front, parts);
    const numbered = await load(await printer.print({ html: partHtml({ kind: "front", pages }) }));
    isSettled = numbered.getPageCount() === front.getPageCount();
    front = numbered;
  }
  if (!isSettled) {
    // Numbers worked out for another length would send the reader to the wrong pages: none is better.
    front = plain;
    warn("the contents list no page numbers: the front matter changed length each time they were added");
  }
  return joinParts(front, parts, report, json);
}

const load = (bytes: Uint8Array) => PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });

/** The parts as one document: pages in order, named destinations kept, pages numbered, the JSON attached. */
async function joinParts(doc: PDFDocument, parts: PDFDocument[], report: CustodyReport, json: string): Promise<Buffer> {
  const dests = destinations(doc);
  for (const part of parts) {
    const copied = await doc.copyPages(part, part.getPageIndices());
    const pageRefs = new Map(part.getPages().map((p, i) => [p.ref.toString(), copied[i]!.ref]));
    for (const page of copied) doc.addPage(page);
    // Each item's anchor, now on its page in the joined document (the front matter's links name it).
    const partDests = destinations(part);
    for (const [name, value] of partDests?.entries() ?? []) {
      const dest = part.context.lookupMaybe(value, PDFArray);
      const page = dest?.get(0);
      const target = page instanceof PDFRef ? pageRefs.get(page.toString()) : undefined;
      const rest = dest?.asArray().slice(1) ?? [];
      if (!dest || !target || !dests || rest.some((o) => o instanceof PDFRef)) continue;
      dests.set(name, doc.context.obj([target, ...rest]));
    }
  }
  await numberPages(doc);
  addOutline(doc, report);
  const when = new Date(report.generatedAt);
  doc.setTitle(`Custody report: ${report.case.title}`);
  doc.setSubject(
    report.ledger.head ? `Ledger head ${report.ledger.head.seq} ${report.ledger.head.hash}` : "Empty ledger",
  );
  doc.setCreator(`${report.tool.name} ${report.tool.version}`);
  doc.setProducer(`${report.tool.name} ${report.tool.version}`);
  doc.setCreationDate(when);
  doc.setModificationDate(when);
  // PDF/A-3 style: the same report as data, related to the document as its data.
  await doc.attach(Buffer.from(json, "utf8"), PDF_JSON_TWIN, {
    mimeType: "application/json",
    description: "The same report as data (docs/REPORT.md)",
    creationDate: when,
    modificationDate: when,
    afRelationship: AFRelationship.Data,
  });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/**
 * "Page N of M" at the right of the footer, where each part's own footer leaves room: plain
 * ASCII in Helvetica (a standard PDF font, nothing embedded), selectable like the rest.
 */
async function numberPages(doc: PDFDocument): Promise<void> {
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const pages = doc.getPages();
  const right = (15 / 25.4) * 72;
  pages.forEach((page, i) => {
    const text = `Page ${i + 1} of ${pages.length}`;
    const size = 7;
    page.drawText(text, {
      x: page.getWidth() - right - font.widthOfTextAtSize(text, size),
      y: (16 / 25.4) * 72 * 0.5 - size * 0.35,
      size,
      font,
      color: rgb(0.2, 0.2, 0.2),
    });
  });
}
