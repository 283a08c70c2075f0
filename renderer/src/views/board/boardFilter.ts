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
 * The rows in a shape one filter pass reads quickly at 100,000 items: every row's own search text in
 * one string (a NUL between rows, so no match spans two), the offset where each row's text starts,
 * the yes/no fields as bytes, and the fields most rows share (MIME type, kind, status, warnings) once
 * per distinct combination, so a search scans them a few times rather than once per row. Built once
 * per change of the rows (or their order), not per keystroke.
 *
 * A row's haystack (projection.ts) is its name, MIME type, kind, status, tags, warnings and host
 * search text, each lower-cased, joined by line breaks. Here the same parts are split in two: name,
 * tags and search text in `text`, the rest in `groups`. A needle with no line break matches the
 * haystack exactly when it matches inside one part, so it matches the one or the other the same way.
 */
export interface BoardIndex {
  rows: ItemRow[];
  /** Each row's name, tags and host search text, lower-case, joined by line breaks; a NUL after each row. */
  text: string;
  /** Where row i's text starts in `text`; one entry more than rows, the end. */
  starts: Int32Array;
  /** Each row's MIME type, kind, status and warnings as the number of their combination in `groups`. */
  group: Int32Array;
  /** Each distinct combination of those fields, lower-case, joined by line breaks. */
  groups: string[];
  /** 1 image, 2 video, 0 anything else. */
  kind: Uint8Array;
  /** Bit 1 GPS, bit 2 warnings, bit 4 an open integrity problem. */
  flags: Uint8Array;
  /**
   * Scratch for a filter pass: the places of the rows it keeps, so the pass allocates nothing but its
   * answer, made once at its exact size (growing an array row by row cost more than the scan).
   */
  kept: Int32Array;
  /** Scratch for a search whose needle is in some group: the rows whose own text matched. */
  marked: Uint8Array;
}

const GPS = 1;
const WARNINGS = 2;
const INTEGRITY = 4;

/** The total length of `parts` with a line break before each. */
const withBreaks = (parts: string[]): number => parts.reduce((sum, p) => sum + p.length + 1, 0);

/**
 * A row's own search text (name, tags, host search text), lower-case. Cut from its haystack when the
 * haystack has the length of its parts (lower-casing kept every character's length, as it does for
 * all but a few letters such as İ), else lower-cased again.
 */
function ownText(r: ItemRow): string {
  const { haystack, name, searchText } = r;
  const before = name.length + (r.mime ?? "").length + (r.kind ?? "").length + r.status.length + 3;
  const tags = withBreaks(r.tags);
  if (haystack.length !== before + tags + withBreaks(r.warningCodes) + 1 + searchText.length) {
    return [name, ...r.tags, searchText].join("\n").toLowerCase();
  }
  return `${haystack.slice(0, name.length)}${haystack.slice(before, before + tags)}\n${haystack.slice(haystack.length - searchText.length)}`;
}

export function indexRows(rows: ItemRow[]): BoardIndex {
  const n = rows.length;
  const starts = new Int32Array(n + 1);
  const group = new Int32Array(n);
  const groups: string[] = [];
  const groupOf = new Map<string, number>();
  const kind = new Uint8Array(n);
  const flags = new Uint8Array(n);
  const parts: string[] = new Array<string>(n);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const own = ownText(r);
    starts[i] = offset;
    parts[i] = own;
    offset += own.length + 1;
    const shared = [r.mime ?? "", r.kind ?? "", r.status, ...r.warningCodes].join("\n");
    let g = groupOf.get(shared);
    if (g === undefined) {
      g = groups.length;
      groupOf.set(shared, g);
      groups.push(shared.toLowerCase());
    }
    group[i] = g;
    kind[i] = r.kind === "image" ? 1 : r.kind === "video" ? 2 : 0;
    flags[i] =
      (r.gps === 1 ? GPS : 0) | (r.hasWarnings === 1 ? WARNINGS : 0) | (r.integrityFailed === 1 ? INTEGRITY : 0);
  }
  starts[n] = offset;
  const scratch = { kept: new Int32Array(n), marked: new Uint8Array(n) };
  return { rows, text: parts.join("\0"), starts, group, groups, kind, flags, ...scratch };
}

/**
 * The same answer as `filterItems`, from the index: the search is a run of `indexOf` over the one
 * string (each match skips to the next row) and one test of each group, so a needle costs one scan
 * of the text rather than a call per row, and the other filters compare bytes.
 */
export function filterIndexed(index: BoardIndex, f: BoardFilter): ItemRow[] {
  const { rows, text, starts, group, groups, kind, flags, kept, marked } = index;
  const n = rows.length;
  const needle = f.search.trim().toLowerCase();
  const inside = f.inside ?? null;
  const wantKind = f.kind === "image" ? 1 : f.kind === "video" ? 2 : f.kind === "other" ? 0 : -1;
  const wantFlags = (f.gpsOnly ? GPS : 0) | (f.warningsOnly ? WARNINGS : 0) | (f.integrityOnly ? INTEGRITY : 0);
  // Status, tag and area read the row itself; without them the bytes decide.
  const byFields = f.status !== null || f.tag !== null || inside !== null;
  if (wantKind < 0 && wantFlags === 0 && !byFields && needle === "") return rows;
  // A NUL could match across rows, a line break across two parts of a row (the index splits them):
  // the plain filter answers such a needle.
  if (needle.includes("\0") || needle.includes("\n")) return filterItems(rows, f);
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
    const inGroup = Uint8Array.from(groups, (g) => (g.includes(needle) ? 1 : 0));
    // When some group matches, the rows whose own text matches are marked, then one pass in order.
    const isMarking = inGroup.includes(1);
    if (isMarking) marked.fill(0);
    let row = 0;
    let at = text.indexOf(needle);
    while (at >= 0) {
      // The row holding this match: rows only move forward, so the walk is one pass in all.
      while (starts[row + 1]! <= at) row++;
      if (isMarking) marked[row] = 1;
      else if (keeps(row)) kept[count++] = row;
      at = text.indexOf(needle, starts[row + 1]!);
    }
    if (isMarking)
      for (let i = 0; i < n; i++) if ((marked[i] === 1 || inGroup[group[i]!] === 1) && keeps(i)) kept[count++] = i;
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
