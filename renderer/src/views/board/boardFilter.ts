/** The board's filters and sort order over the projection's rows: pure, so their cost can be measured. */
import type { ItemRow } from "../../db/projection.js";

export type KindFilter = "all" | "image" | "video" | "other";
export type SortKey = "name" | "kind" | "capturedAt" | "gps" | "status" | "tags" | "sha256" | "size";
/** Filters the projection's rows; kept pure so its cost can be measured in the browser. */
export interface BoardFilter {
  search: string;
  kind: KindFilter;
  gpsOnly: boolean;
  warningsOnly: boolean;
  /** Only items the last verification found a problem with (and no restore answered). */
  integrityOnly?: boolean;
  status: string | null;
  tag: string | null;
  /** The items inside an area drawn on the case map, or null for no area filter. */
  inside?: ReadonlySet<string> | null;
}

export function filterItems(items: ItemRow[], f: BoardFilter): ItemRow[] {
  const needle = f.search.trim().toLowerCase();
  const inside = f.inside ?? null;
  const isAll =
    f.kind === "all" &&
    f.status === null &&
    f.tag === null &&
    !f.gpsOnly &&
    !f.warningsOnly &&
    !f.integrityOnly &&
    inside === null;
  if (isAll && needle === "") return items;
  return items.filter(
    (i) =>
      (f.kind === "all" || (f.kind === "other" ? i.kind !== "image" && i.kind !== "video" : i.kind === f.kind)) &&
      (f.status === null || i.status === f.status) &&
      (f.tag === null || i.tags.includes(f.tag)) &&
      (!f.gpsOnly || i.gps === 1) &&
      (!f.warningsOnly || i.hasWarnings === 1) &&
      (!f.integrityOnly || i.integrityFailed === 1) &&
      (needle === "" || i.haystack.includes(needle)) &&
      (inside === null || inside.has(i.sha256)),
  );
}

/**
 * The rows in a shape one filter pass reads quickly at 100,000 items: every row's search text in one
 * string (a NUL between rows, so no match spans two), the offset where each row's text starts, and
 * the yes/no fields as bytes. Built once per change of the rows (or their order), not per keystroke.
 */
export interface BoardIndex {
  rows: ItemRow[];
  text: string;
  /** Where row i's text starts in `text`; one entry more than rows, the end. */
  starts: Int32Array;
  /** 1 image, 2 video, 0 anything else. */
  kind: Uint8Array;
  /** Bit 1 GPS, bit 2 warnings, bit 4 an open integrity problem. */
  flags: Uint8Array;
  /**
   * Scratch for a filter pass: the places of the rows it keeps, so the pass allocates nothing but its
   * answer, made once at its exact size (growing an array row by row cost more than the scan).
   */
  kept: Int32Array;
}

const GPS = 1;
const WARNINGS = 2;
const INTEGRITY = 4;

export function indexRows(rows: ItemRow[]): BoardIndex {
  const n = rows.length;
  const starts = new Int32Array(n + 1);
  const kind = new Uint8Array(n);
  const flags = new Uint8Array(n);
  const parts: string[] = new Array<string>(n);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    starts[i] = offset;
    parts[i] = r.haystack;
    offset += r.haystack.length + 1;
    kind[i] = r.kind === "image" ? 1 : r.kind === "video" ? 2 : 0;
    flags[i] =
      (r.gps === 1 ? GPS : 0) | (r.hasWarnings === 1 ? WARNINGS : 0) | (r.integrityFailed === 1 ? INTEGRITY : 0);
  }
  starts[n] = offset;
  return { rows, text: parts.join("\0"), starts, kind, flags, kept: new Int32Array(n) };
}

/**
 * The same answer as `filterItems`, from the index: the search is a run of `indexOf` over the one
 * string (each match skips to the next row), so a needle costs one scan of the text rather than a
 * call per row, and the other filters compare bytes.
 */
export function filterIndexed(index: BoardIndex, f: BoardFilter): ItemRow[] {
  const { rows, text, starts, kind, flags, kept } = index;
  const n = rows.length;
  const needle = f.search.trim().toLowerCase();
  const inside = f.inside ?? null;
  const wantKind = f.kind === "image" ? 1 : f.kind === "video" ? 2 : f.kind === "other" ? 0 : -1;
  const wantFlags = (f.gpsOnly ? GPS : 0) | (f.warningsOnly ? WARNINGS : 0) | (f.integrityOnly ? INTEGRITY : 0);
  // Status, tag and area read the row itself; without them the bytes decide.
  const byFields = f.status !== null || f.tag !== null || inside !== null;
  if (wantKind < 0 && wantFlags === 0 && !byFields && needle === "") return rows;
  // A NUL in the needle could match across the separator: the plain filter answers that one.
  if (needle.includes("\0")) return filterItems(rows, f);
  const { status, tag } = f;
  const keeps = (i: number): boolean => {
    if ((wantKind >= 0 && kind[i] !== wantKind) || (flags[i]! & wantFlags) !== wantFlags) return false;
    if (!byFields) return true;
    const r = rows[i]!;
    return (
      (status === null || r.status === status) &&
      (tag === null || r.tags.includes(tag)) &&
      (inside === null || inside.has(r.sha256))
    );
  };
  let count = 0;
  if (needle === "") {
    for (let i = 0; i < n; i++) if (keeps(i)) kept[count++] = i;
  } else {
    let row = 0;
    let at = text.indexOf(needle);
    while (at >= 0) {
      // The row holding this match: rows only move forward, so the walk is one pass in all.
      while (starts[row + 1]! <= at) row++;
      if (keeps(row)) kept[count++] = row;
      at = text.indexOf(needle, starts[row + 1]!);
    }
  }
  const out = new Array<ItemRow>(count);
  for (let j = 0; j < count; j++) out[j] = rows[kept[j]!]!;
  return out;
}

/**
 * Sorts once per change of the rows or the sort key (filters then keep this order), with each
 * row's key computed once rather than at every comparison.
 */
export function sortItems(items: ItemRow[], key: SortKey, asc: boolean): ItemRow[] {
  const keyOf = (r: ItemRow): string | number =>
    key === "gps"
      ? r.gps
      : key === "size"
        ? r.size
        : key === "tags"
          ? r.tags.join(",")
          : key === "name"
            ? r.name.toLowerCase()
            : String(r[key] ?? "");
  const dirn = asc ? 1 : -1;
  return items
    .map((row) => ({ row, k: keyOf(row) }))
    .sort((a, b) => (a.k < b.k ? -dirn : a.k > b.k ? dirn : a.row.sha256 < b.row.sha256 ? -1 : 1))
    .map((e) => e.row);
}
