/** The evidence table: one virtualised row per item, sortable by column. */
import { Text } from "@mantine/core";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useRef } from "react";
import { inertText } from "../../../../shared/text/inertText.js";
import { formatBytes } from "../../../../shared/text/units.js";
import { type ItemRow } from "../../db/projection.js";
import type { SortKey } from "./boardFilter.js";

const COLUMNS: { key: SortKey; label: string; width: string }[] = [
  { key: "name", label: "Name", width: "minmax(200px, 2fr)" },
  { key: "kind", label: "Kind", width: "90px" },
  { key: "capturedAt", label: "Captured", width: "230px" },
  { key: "gps", label: "GPS", width: "60px" },
  { key: "status", label: "Status", width: "100px" },
  { key: "tags", label: "Tags", width: "minmax(100px, 1fr)" },
  { key: "size", label: "Size", width: "90px" },
  { key: "sha256", label: "SHA-256", width: "150px" },
];
const TEMPLATE = `${COLUMNS.map((c) => c.width).join(" ")} 120px`;

export function ItemTable({
  rows,
  sort,
  onSort,
  onOpen,
}: {
  rows: ItemRow[];
  sort: { key: SortKey; asc: boolean };
  onSort: (s: { key: SortKey; asc: boolean }) => void;
  onOpen: (sha: string) => void;
}) {
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parent.current,
    estimateSize: () => 30,
    overscan: 12,
  });
  return (
    <div ref={parent} style={{ flex: 1, overflow: "auto" }} role="table" aria-label="Items table">
      <div
        role="row"
        style={{ display: "grid", gridTemplateColumns: TEMPLATE, position: "sticky", top: 0, zIndex: 1 }}
        className="table-head"
      >
        {COLUMNS.map((c) => (
          <button
            key={c.key}
            role="columnheader"
            aria-sort={sort.key === c.key ? (sort.asc ? "ascending" : "descending") : "none"}
            onClick={() => onSort({ key: c.key, asc: sort.key === c.key ? !sort.asc : true })}
            style={{
              textAlign: "left",
              padding: "6px 10px",
              border: 0,
              font: "inherit",
              fontSize: 12,
              fontWeight: 600,
              color: "inherit",
              background: "var(--mantine-color-default)",
              borderBottom: "1px solid var(--mantine-color-default-border)",
              cursor: "pointer",
            }}
          >
            {c.label} {sort.key === c.key ? (sort.asc ? "▲" : "▼") : ""}
          </button>
        ))}
        <div
          role="columnheader"
          style={{
            padding: "6px 10px",
            fontSize: 12,
            fontWeight: 600,
            background: "var(--mantine-color-default)",
            borderBottom: "1px solid var(--mantine-color-default-border)",
          }}
        >
          Warnings
        </div>
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((vr) => {
          const r = rows[vr.index]!;
          return (
            <div
              key={r.sha256}
              role="row"
              tabIndex={0}
              aria-label={inertText(r.name)}
              onClick={() => onOpen(r.sha256)}
              onKeyDown={(e) => e.key === "Enter" && onOpen(r.sha256)}
              style={{
                cursor: "pointer",
                position: "absolute",
                top: 0,
                left: 0,
                right: 0,
                height: 30,
                transform: `translateY(${vr.start}px)`,
                display: "grid",
                gridTemplateColumns: TEMPLATE,
                alignItems: "center",
                fontSize: 13,
                borderBottom: "1px solid var(--mantine-color-default-border)",
              }}
            >
              <Text role="cell" size="sm" px={10} truncate title={inertText(r.name)}>
                {inertText(r.name)}
              </Text>
              <Text role="cell" size="sm" px={10}>
                {r.kind ?? "pending"}
              </Text>
              <Text role="cell" size="xs" px={10} className="mono">
                {r.capturedAt ? inertText(r.capturedAt) : "—"}
              </Text>
              <Text role="cell" size="sm" px={10}>
                {r.hasGps ? "yes" : "no"}
              </Text>
              <Text role="cell" size="sm" px={10}>
                {r.status}
              </Text>
              <Text role="cell" size="sm" px={10} truncate title={inertText(r.tags.join(", "))}>
                {r.tags.length ? inertText(r.tags.join(", ")) : "—"}
              </Text>
              <Text role="cell" size="sm" px={10}>
                {formatBytes(r.size)}
              </Text>
              <Text role="cell" size="xs" px={10} className="mono">
                {r.sha256.slice(0, 16)}
              </Text>
              <Text role="cell" size="xs" px={10} c={r.warningCodes.length ? "orange" : "dimmed"} truncate>
                {r.warningCodes.join(", ") || "—"}
              </Text>
            </div>
          );
        })}
      </div>
    </div>
  );
}
