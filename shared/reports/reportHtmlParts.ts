/**
 * Pieces of the report's HTML: escaping (every string from a file, a ledger or an examiner goes
 * through `esc`, which also shows control and bidi characters as visible escapes), the style
 * sheet, and the running header and footer Chromium prints on every page.
 */
import { formatTime } from "../text/times.js";
import { inertText } from "../text/inertText.js";
import type { CustodyReport, ReportPlace } from "./reportModel.js";
import { placeWords } from "./reportPlaces.js";

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made inert and escaped for HTML text or a quoted attribute. */
export function esc(text: string | number | null | undefined): string {
  return inertText(String(text ?? "")).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Text from people or files, in its own direction (Arabic right to left inside an English page). */
export const user = (text: string | null | undefined) => `<bdi dir="auto">${esc(text)}</bdi>`;
/** A hash or id: monospace, never broken across lines (so it can be searched and copied whole). */
export const mono = (text: string | null | undefined) => `<span class="h">${esc(text)}</span>`;
export const place = (p: ReportPlace | null) => (p ? esc(placeWords(p)) : "none recorded");
/** A field the examiner left empty, said so. */
export const orNot = (text: string | null | undefined) => (text ? user(text) : `<span class="nr">not recorded</span>`);

/** `2026-02-16 09:12:44 UTC` for an ISO instant, as everywhere in Sightline (shared/text/times.ts); other strings as given. */
export function utc(iso: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(iso) ? formatTime(iso) : iso;
}

export function rows(pairs: [string, string][]): string {
  return `<table class="kv">${pairs.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${v}</td></tr>`).join("")}</table>`;
}

/**
 * Fonts Debian ships with Arabic shaping (DejaVu Sans, Noto); Chromium joins the letters and lays
 * out right-to-left runs itself once the font has the glyphs.
 */
export const REPORT_STYLE = `
html { font-family: "DejaVu Sans", "Noto Sans", "Noto Naskh Arabic", "Noto Sans Arabic", sans-serif; font-size: 9.5pt; color: #111; }
body { margin: 0 auto; max-width: 180mm; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; border-bottom: 1px solid #667; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 4mm 0 1.5mm; break-after: avoid; }
h4 { font-size: 9.5pt; margin: 3mm 0 1mm; }
.h { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; white-space: nowrap; }
.nr { color: #8a4b00; font-style: italic; }
.kv { border-collapse: collapse; width: 100%; }
.kv th { text-align: left; vertical-align: top; font-weight: 600; width: 34mm; padding: 0.6mm 2mm 0.6mm 0; }
.kv td { padding: 0.6mm 0; overflow-wrap: anywhere; }
.item { break-before: page; }
.box { border: 1px solid #99a; padding: 2mm 3mm; margin: 2mm 0; break-inside: avoid; }
.bad { border: 2px solid #a00; background: #fff0f0; }
.good { border: 2px solid #065; background: #f0fff6; }
.strand h3 { margin-top: 1mm; }
.np { color: #555; font-style: italic; }
figure { margin: 2mm 0; }
figure img { max-width: 80mm; max-height: 60mm; border: 1px solid #ccc; }
.top { display: flex; gap: 4mm; align-items: flex-start; }
.top figure { flex: 0 0 auto; max-width: 62mm; margin: 0; }
.top figure img { max-width: 60mm; max-height: 45mm; }
.top figcaption .h { white-space: normal; overflow-wrap: anywhere; }
.top .kv { flex: 1; }
figcaption { font-size: 8pt; color: #444; }
.veil { font-weight: 700; color: #7a0000; }
.tl { border-left: 2px solid #2a7; padding: 0.5mm 0 0.5mm 2mm; margin: 1mm 0; break-inside: avoid; }
.tl .m { color: #444; font-size: 8pt; }
.note { white-space: pre-wrap; overflow-wrap: anywhere; }
ol.toc { columns: 2; font-size: 9pt; list-style: none; padding-left: 0; }
ol.toc li { display: flex; gap: 2mm; break-inside: avoid; }
ol.toc li a { flex: 1; min-width: 0; overflow-wrap: anywhere; }
ol.toc .pg { flex: 0 0 10mm; text-align: right; }
a { color: #0b4f8a; text-decoration: none; }
ul { margin: 1mm 0; padding-left: 5mm; }
.anchors { height: 0; overflow: hidden; }
`;

/**
 * A CSS string literal: every character but letters, digits and spaces as a hex escape, so text
 * from the case cannot end the string or the rule it sits in.
 */
export function cssString(text: string): string {
  const body = [...text].map((c) => (/[A-Za-z0-9 ]/.test(c) ? c : `\\${c.codePointAt(0)!.toString(16)} `)).join("");
  return `"${body}"`;
}

/**
 * Text from people in a running header, made inert; right-to-left text is isolated in its own
 * direction (FSI … PDI, as `<bdi>` does in the page), which left-to-right text does not need.
 */
const isolated = (text: string) =>
  /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/.test(text) ? `\u2068${inertText(text)}\u2069` : inertText(text);

const marginText = `font-family: "DejaVu Sans", "Noto Sans", sans-serif; font-size: 7pt; color: #333;`;

/**
 * The page and its running header and footer as CSS margin boxes: the case and the ledger head
 * hash the report covers at the top of every page, the report's time and "Page N of M" at the
 * bottom. Laid out with the page itself: Chromium's separate header and footer templates cost as
 * much again as the page they sit on.
 */
export function reportPageStyle(report: CustodyReport, pageNumbers: boolean): string {
  const title = report.case.title.length > 70 ? `${report.case.title.slice(0, 70)}…` : report.case.title;
  const head = report.ledger.head ? `head #${report.ledger.head.seq} ${report.ledger.head.hash}` : "empty ledger";
  const failed = report.verification.isClean ? "" : " \u00b7 VERIFICATION FAILED";
  const made = `${inertText(report.tool.name)} ${inertText(report.tool.version)} \u00b7 made ${utc(report.generatedAt)}`;
  return `
@page { size: A4; margin: 18mm 15mm 16mm 15mm;
  @top-left { content: ${cssString(`Custody report \u00b7 ${isolated(title)}${failed}`)}; ${marginText} vertical-align: middle; }
  @top-right { content: ${cssString(head)}; ${marginText} font-family: "DejaVu Sans Mono", monospace; white-space: nowrap; vertical-align: middle; }
  @bottom-left { content: ${cssString(made)}; ${marginText} vertical-align: middle; }
  ${pageNumbers ? `@bottom-right { content: "Page " counter(page) " of " counter(pages); ${marginText} vertical-align: middle; }` : ""}
}`;
}
