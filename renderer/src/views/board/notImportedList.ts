/**
 * Every file an import did not bring in, paged in from the API (`listNotImported`) as far as the
 * examiner scrolls, and the whole list as a CSV file (name, path, reason) saved as a download.
 */
import { stringify } from "csv-stringify/browser/esm/sync";
import { useCallback, useEffect, useRef, useState } from "react";
import type { NotImportedPage } from "../../../../shared/api/contract.js";
import type { Result } from "../../../../shared/api/result.js";
import { csvSafeInert } from "../../../../shared/text/csvSafe.js";

export type NotImportedOutcome = NotImportedPage["outcomes"][number];
/** One page of the job's list from `cursor` (0 first, then the page's `next`). */
export type FetchNotImported = (cursor: number, limit: number) => Promise<Result<NotImportedPage>>;

/** The largest page the API gives. */
const PAGE = 1000;

/** The file's own name: the last part of its path (a path from Windows or POSIX alike). */
export function fileNameOf(displayPath: string): string {
  return displayPath.split(/[\\/]/).pop() || displayPath;
}

/**
 * The list as far as it is loaded: `want(index)` asks for rows up to `index`, and pages are read
 * one after another (the cursor is where the next page starts in the job's list) until it is there.
 */
export function useNotImportedRows(fetchPage: FetchNotImported, expected: number) {
  const [rows, setRows] = useState<NotImportedOutcome[]>([]);
  const [total, setTotal] = useState(expected);
  const [error, setError] = useState<string | null>(null);
  const [wanted, setWanted] = useState(0);
  const [isComplete, setComplete] = useState(false);
  const next = useRef<number | null>(0);
  const isLoading = useRef(false);
  useEffect(() => {
    const cursor = next.current;
    if (isLoading.current || cursor === null || error !== null || rows.length > wanted) return;
    isLoading.current = true;
    void fetchPage(cursor, PAGE).then(
      (page) => {
        isLoading.current = false;
        if (!page.ok) return setError(page.error.message);
        next.current = page.value.next;
        if (page.value.total !== null) setTotal(page.value.total);
        setRows((r) => [...r, ...page.value.outcomes]);
        setComplete(page.value.next === null);
      },
      // The host gone (the window outlived it): said once, in the dialog, not left reading.
      (error: Error) => setError(error.message),
    );
  }, [fetchPage, rows.length, wanted, error]);
  return {
    rows,
    /** The rows to show: every file once the list is read to its end. */
    total: isComplete ? rows.length : Math.max(total, rows.length),
    error,
    want: useCallback((index: number) => setWanted((w) => Math.max(w, index)), []),
  };
}

/** Every page of the list, in order. */
export async function readAllNotImported(fetchPage: FetchNotImported): Promise<NotImportedOutcome[]> {
  const all: NotImportedOutcome[] = [];
  for (let cursor: number | null = 0; cursor !== null;) {
    const page = await fetchPage(cursor, PAGE);
    if (!page.ok) throw new Error(page.error.message);
    all.push(...page.value.outcomes);
    cursor = page.value.next;
  }
  return all;
}

/**
 * A text cell a spreadsheet cannot run: a cell starting with = + - @ is taken as a formula by Excel,
 * LibreOffice and Google Sheets (OWASP "CSV injection"), so it is prefixed with ' and shown as typed.
 * Controls and bidi overrides become visible escapes (inertText) first, so none starts a cell unseen.
 * The guard is shared/text/csvSafe.ts, which also counts a TAB or CR first.
 */
export function csvText(text: string): string {
  return csvSafeInert(text);
}

/** The list as CSV text: a header, then one row per file (name, path, reason), every cell quoted. */
export function notImportedCsv(outcomes: NotImportedOutcome[]): string {
  const rows = outcomes.map((o) => [fileNameOf(o.displayPath), o.displayPath, o.reason].map(csvText));
  return stringify([["name", "path", "reason"], ...rows], { quoted: true, record_delimiter: "\r\n" });
}

/** Offers `text` as a file download (the page's own download in a browser or in the app's window). */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
