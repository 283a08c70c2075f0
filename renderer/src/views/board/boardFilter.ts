/** The board's filters and sort order over the projection's rows: pure, so their cost can be measured. */
import { type ItemRow } from "../../db/projection.js";

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
