/**
 * Cells of a CSV file that a spreadsheet shows as text and never runs. Excel, LibreOffice and
 * Google Sheets take a cell that starts with `=`, `+`, `-` or `@` as a formula, so an item named
 * `=HYPERLINK("http://…")` would become a live link or worse when the file is opened (OWASP "CSV
 * injection"). OWASP's advice, followed here: such a cell is prefixed with `'`, which shows the
 * text as typed. Stricter than the list OWASP gives, since a prefix costs a reader nothing:
 *  - a TAB or CR first always counts (OWASP's two control characters), whatever follows;
 *  - so does a formula sign after leading spaces, controls or invisible characters (some
 *    spreadsheets trim what comes before a formula);
 *  - and the full-width signs ＝ ＋ － ＠, which Excel takes as formula signs where an East Asian
 *    keyboard is used.
 * Pure and dependency-free apart from inertText, so the browser bundle can use it too.
 */
import { inertText } from "./inertText.js";

/** Spaces, controls and invisible formatting characters a spreadsheet may skip before a formula. */
const LEADING = /^[\s\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+/u;
const FORMULA_SIGN = /^[=+\-@\uff1d\uff0b\uff0d\uff20]/u;

/** True when a spreadsheet could take a cell holding `text` as a formula. */
export function startsLikeFormula(text: string): boolean {
  return /^[\t\r]/.test(text) || FORMULA_SIGN.test(text.replace(LEADING, ""));
}

/** `text` as a cell that stays text, otherwise unchanged (for tables whose text is kept as it is). */
export function csvSafe(text: string): string {
  return startsLikeFormula(text) ? `'${text}` : text;
}

/**
 * `text` with controls and bidi overrides made visible (inertText) and then kept text: the guard
 * looks at what the spreadsheet reads, and at a TAB or CR the original began with.
 */
export function csvSafeInert(text: string): string {
  const inert = inertText(text);
  return /^[\t\r]/.test(text) || startsLikeFormula(inert) ? `'${inert}` : inert;
}
