/**
 * The joined report's page numbers for its contents, and its outline (the bookmarks a PDF viewer
 * shows beside the pages): the case, each front section, and "Items" with one bookmark per item,
 * each opening the page the report's named destination for it points at.
 *
 * Written by hand because @cantoo/pdf-lib (2.x) has no outline API: the dictionaries are the
 * ones PDF 1.7 §12.3.3 describes (Outlines root; items with Title, Parent, Prev, Next, First,
 * Last, Count, Dest), built from the same entries as the contents (contentsEntries).
 */
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNull,
  PDFNumber,
  type PDFRef,
} from "@cantoo/pdf-lib";
import { contentsEntries, type ContentsPages } from "../../../shared/reports/reportHtml.js";
import type { CustodyReport } from "../../../shared/reports/reportModel.js";

/** The catalog's named destinations (Chromium writes one per element id that a link points to). */
export function destinations(doc: PDFDocument): PDFDict | undefined {
  return doc.catalog.lookupMaybe(PDFName.of("Dests"), PDFDict);
}

/** Each named destination of `doc` as its page number, 1-based, plus `offset`. */
function pagesOfDests(doc: PDFDocument, offset: number): Map<string, number> {
  const index = new Map(doc.getPages().map((p, i) => [p.ref.toString(), i]));
  const found = new Map<string, number>();
  for (const [name, value] of destinations(doc)?.entries() ?? []) {
    const page = doc.context.lookupMaybe(value, PDFArray)?.get(0);
    const i = page ? index.get(page.toString()) : undefined;
    if (i !== undefined) found.set(name.decodeText(), offset + i + 1);
  }
  return found;
}

/**
 * The page each contents entry will have once `front` and the item parts are joined in order:
 * the sections from the front's own destinations, each item from its part's.
 */
export function contentsPages(front: PDFDocument, itemParts: PDFDocument[]): ContentsPages {
  const pages: Record<string, number> = {};
  for (const [id, n] of pagesOfDests(front, 0)) if (!id.startsWith("item-")) pages[id] = n;
  let offset = front.getPageCount();
  for (const part of itemParts) {
    for (const [id, n] of pagesOfDests(part, offset)) if (id.startsWith("item-")) pages[id] = n;
    offset += part.getPageCount();
  }
  return pages;
}

interface OutlineNode {
  title: string;
  dest: PDFArray | undefined;
  children: OutlineNode[];
  /** Shown folded (the list of items can be long). */
  isClosed?: boolean;
}

/** Adds the outline to the joined document, whose named destinations are final. */
export function addOutline(doc: PDFDocument, report: CustodyReport): void {
  const dests = destinations(doc);
  const destOf = (id: string) => dests?.lookupMaybe(PDFName.of(id), PDFArray);
  const firstPage = doc.getPages()[0];
  if (!firstPage) return;
  const entries = contentsEntries(report);
  const leaf = (e: { id: string; title: string; name?: string }): OutlineNode => ({
    title: e.name === undefined ? e.title : `${e.title}: ${e.name}`,
    dest: destOf(e.id),
    children: [],
  });
  const items = entries.filter((e) => e.name !== undefined).map(leaf);
  const top: OutlineNode = {
    title: `Custody report: ${report.case.title}`,
    dest: doc.context.obj([firstPage.ref, PDFName.of("XYZ"), PDFNull, PDFNull, PDFNull]),
    children: [
      ...entries.filter((e) => e.name === undefined).map(leaf),
      ...(items.length ? [{ title: "Items", dest: items[0]!.dest, children: items, isClosed: true }] : []),
    ].filter((n) => n.dest),
  };
  const rootRef = doc.context.nextRef();
  const topRef = writeNodes(doc, [top], rootRef)[0]!;
  doc.context.assign(
    rootRef,
    doc.context.obj({ Type: "Outlines", First: topRef, Last: topRef, Count: PDFNumber.of(visibleCount(top) + 1) }),
  );
  doc.catalog.set(PDFName.of("Outlines"), rootRef);
  doc.catalog.set(PDFName.of("PageMode"), PDFName.of("UseOutlines"));
}

/** Bookmarks shown under an open node (PDF 1.7 Table 153, Count). */
function visibleCount(node: OutlineNode): number {
  return node.children.reduce((n, c) => n + 1 + (c.isClosed ? 0 : visibleCount(c)), 0);
}

/** Writes sibling nodes under `parent`, linked Prev/Next, and returns their references. */
function writeNodes(doc: PDFDocument, nodes: OutlineNode[], parent: PDFRef): PDFRef[] {
  const refs = nodes.map(() => doc.context.nextRef());
  nodes.forEach((node, i) => {
    const ref = refs[i]!;
    const kids = writeNodes(doc, node.children, ref);
    const dict = doc.context.obj({}) as PDFDict;
    // Titles are text strings (UTF-16 in hex), shown by viewers as plain text, never markup.
    dict.set(PDFName.of("Title"), PDFHexString.fromText(node.title.slice(0, 300)));
    dict.set(PDFName.of("Parent"), parent);
    if (node.dest) dict.set(PDFName.of("Dest"), node.dest);
    if (i > 0) dict.set(PDFName.of("Prev"), refs[i - 1]!);
    if (i < refs.length - 1) dict.set(PDFName.of("Next"), refs[i + 1]!);
    if (kids.length) {
      dict.set(PDFName.of("First"), kids[0]!);
      dict.set(PDFName.of("Last"), kids.at(-1)!);
      const count = node.isClosed ? -node.children.length : visibleCount(node);
      dict.set(PDFName.of("Count"), PDFNumber.of(count));
    }
    doc.context.assign(ref, dict);
  });
  return refs;
}
