/** What the board shows: its search, filters, sort order and layout, and the rows they leave. */
import { useMemo, useState } from "react";
import type { ItemRow } from "../../db/projection.js";
import { filterIndexed, indexRows, sortItems, type KindFilter, type SortKey } from "./boardFilter.js";

export function useBoardFilters(items: ItemRow[], inside: ReadonlySet<string> | null) {
  const [search, setSearch] = useState("");
  const [kind, setKind] = useState<KindFilter>("all");
  const [gpsOnly, setGpsOnly] = useState(false);
  const [warningsOnly, setWarningsOnly] = useState(false);
  const [integrityOnly, setIntegrityOnly] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [tag, setTag] = useState<string | null>(null);
  const [layout, setLayout] = useState<"grid" | "table">("grid");
  const [sort, setSort] = useState<{ key: SortKey; asc: boolean }>({ key: "name", asc: true });
  const sorted = useMemo(() => sortItems(items, sort.key, sort.asc), [items, sort]);
  const index = useMemo(() => indexRows(sorted), [sorted]);
  const filtered = useMemo(
    () => filterIndexed(index, { search, kind, gpsOnly, warningsOnly, integrityOnly, status, tag, inside }),
    [index, search, kind, gpsOnly, warningsOnly, integrityOnly, status, tag, inside],
  );
  const allTags = useMemo(() => [...new Set(items.flatMap((i) => i.tags))].sort(), [items]);
  const integrityCount = useMemo(() => items.filter((i) => i.integrityFailed === 1).length, [items]);
  return {
    search,
    setSearch,
    kind,
    setKind,
    gpsOnly,
    setGpsOnly,
    warningsOnly,
    setWarningsOnly,
    integrityOnly,
    setIntegrityOnly,
    integrityCount,
    status,
    setStatus,
    tag,
    setTag,
    layout,
    setLayout,
    sort,
    setSort,
    filtered,
    allTags,
  };
}

export type BoardFilters = ReturnType<typeof useBoardFilters>;
