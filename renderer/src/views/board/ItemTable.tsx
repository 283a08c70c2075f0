/**
 * The evidence table: one virtualised row per item, sortable by column (each header holds its sort
 * button). One tab stop, the current row: Up/Down, Home/End and Page Up/Down move it, Enter opens;
 * back from the item, the focus is on its row again. Rows are selected as in the grid
 * (selectionKeys.ts): Space, Shift with a move or a click, Ctrl+A, Escape, or each row's checkbox.
 */
import { Text } from "@mantine/core";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { findingWords, openFindings } from "../../../../shared/ledger/integrity.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { statusLabel, warningsInWords } from "../../../../shared/text/plainWords.js";
import { formatTime } from "../../../../shared/text/times.js";
import { formatBytes } from "../../../../shared/text/units.js";
import { type ItemRow } from "../../db/projection.js";
import type { SortKey } from "./boardFilter.js";
import { listMove } from "./gridKeys.js";
import { selectionAfterMove, selectionClick, selectionKey } from "./selectionKeys.js";
import type { BoardSelection } from "./useBoardSelection.js";

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
const TEMPLATE = `34px ${COLUMNS.map((c) => c.width).join(" ")} 120px`;
const ROW_HEIGHT = 30;
const HEAD_CELL: React.CSSProperties = {
  fontSize: 12,
  fontWeight: 600,
  background: "var(--mantine-color-default)",
  borderBottom: "1px solid var(--mantine-color-default-border)",
};

export function ItemTable({
  rows,
  sort,
  onSort,
  onOpen,
  initialSha,
  selection,
}: {
  rows: ItemRow[];
  sort: { key: SortKey; asc: boolean };
  onSort: (s: { key: SortKey; asc: boolean }) => void;
  onOpen: (sha: string) => void;
  /** The row to start from (and focus): the item just closed, so Escape from it lands back on its row. */
  initialSha?: string | null;
  selection: BoardSelection;
}) {
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parent.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  // One tab stop: the current row (a roving tabindex); arrows, Home/End and Page Up/Down move it.
  const [activeSha, setActiveSha] = useState<string | null>(initialSha ?? null);
  const found = activeSha === null ? -1 : rows.findIndex((r) => r.sha256 === activeSha);
  const active = found >= 0 ? found : 0;
  const pendingFocus = useRef<string | null>(initialSha ?? null);
  useEffect(() => {
    if (pendingFocus.current && found >= 0) virtualizer.scrollToIndex(found, { align: "auto" });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useLayoutEffect(() => {
    const sha = pendingFocus.current;
    const el = sha ? parent.current?.querySelector<HTMLElement>(`[data-sha="${sha}"]`) : null;
    if (el) {
      pendingFocus.current = null;
      el.focus({ preventScroll: true });
    }
  });
  const onRowKey = (e: React.KeyboardEvent<HTMLElement>, index: number, sha: string) => {
    const pageRows = Math.max(1, Math.floor((parent.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    const to = listMove(e.key, index, rows.length, pageRows);
    if (to !== null) {
      e.preventDefault();
      const target = rows[to]!;
      setActiveSha(target.sha256);
      pendingFocus.current = target.sha256;
      virtualizer.scrollToIndex(to, { align: "auto" });
      selectionAfterMove(e, selection, to, target.sha256);
    } else if (selectionKey(e, selection, sha)) {
      e.preventDefault();
    } else if (e.key === "Enter") {
      e.preventDefault();
      onOpen(sha);
    }
  };
  return (
    <div
      ref={parent}
      style={{ flex: 1, overflow: "auto" }}
      role="table"
      aria-label="Items table"
      aria-rowcount={rows.length + 1}
    >
      <div
        role="row"
        aria-rowindex={1}
        style={{ display: "grid", gridTemplateColumns: TEMPLATE, position: "sticky", top: 0, zIndex: 1 }}
        className="table-head"
      >
        <div role="columnheader" style={HEAD_CELL}>
          <span className="visually-hidden">Selected</span>
        </div>
        {COLUMNS.map((c) => (
          <div
            key={c.key}
            role="columnheader"
            aria-sort={sort.key === c.key ? (sort.asc ? "ascending" : "descending") : "none"}
            style={HEAD_CELL}
          >
            <button
              type="button"
              className="table-sort"
              onClick={() => onSort({ key: c.key, asc: sort.key === c.key ? !sort.asc : true })}
            >
              {c.label}
              <span aria-hidden>{sort.key === c.key ? (sort.asc ? " ▲" : " ▼") : ""}</span>
            </button>
          </div>
        ))}
        <div role="columnheader" style={{ ...HEAD_CELL, padding: "6px 10px" }}>
          Warnings
        </div>
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((vr) => {
          const r = rows[vr.index]!;
          const failed = r.integrityFailed === 1;
          const isSelected = selection.selected.has(r.sha256);
          const warnings = warningsInWords(r.warningCodes);
          const words = failed
            ? [...new Set(openFindings(r.integrity).map((f) => findingWords(f.code)))].join("; ")
            : "";
          return (
            <div
              key={r.sha256}
              role="row"
              aria-rowindex={vr.index + 2}
              tabIndex={vr.index === active ? 0 : -1}
              data-sha={r.sha256}
              className={`table-row${failed ? " table-row-integrity-failed" : ""}${isSelected ? " table-row-selected" : ""}`}
              onFocus={(e) => e.target === e.currentTarget && setActiveSha(r.sha256)}
              onClick={(e) => {
                if (!selectionClick(e, selection, vr.index, r.sha256)) onOpen(r.sha256);
              }}
              onKeyDown={(e) => onRowKey(e, vr.index, r.sha256)}
              style={{
                cursor: "pointer",
                position: "absolute",
                top: 0,
                left: 0,
                right: 0,
                height: ROW_HEIGHT,
                transform: `translateY(${vr.start}px)`,
                display: "grid",
                gridTemplateColumns: TEMPLATE,
                alignItems: "center",
                fontSize: 13,
                borderBottom: "1px solid var(--mantine-color-default-border)",
              }}
            >
              <div role="cell" className="table-check">
                <input
                  type="checkbox"
                  tabIndex={-1}
                  checked={isSelected}
                  aria-label={`Select ${inertText(r.name)}`}
                  onClick={(e) => {
                    e.stopPropagation();
                    if (!selectionClick(e, selection, vr.index, r.sha256)) selection.toggle(r.sha256);
                  }}
                  // The click above did the change; React asks for a handler on a controlled checkbox.
                  onChange={() => undefined}
                />
              </div>
              <Text
                role="cell"
                size="sm"
                px={10}
                truncate
                title={failed ? `${inertText(r.name)} — ${words}` : inertText(r.name)}
              >
                {failed && <span className="pill pill-integrity">Integrity failed</span>}
                {failed && <span className="visually-hidden">: {words}. </span>}
                {failed && " "}
                {inertText(r.name)}
              </Text>
              <Text role="cell" size="sm" px={10}>
                {r.kind ?? "pending"}
              </Text>
              <Text
                role="cell"
                size="xs"
                px={10}
                className="mono"
                title={r.capturedAt ? inertText(formatTime(r.capturedAt)) : undefined}
              >
                {r.capturedAt ? inertText(formatTime(r.capturedAt, { isShort: true })) : "—"}
              </Text>
              <Text role="cell" size="sm" px={10}>
                {r.hasGps ? "yes" : "no"}
              </Text>
              <Text role="cell" size="sm" px={10}>
                {statusLabel(r.status)}
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
              <Text
                role="cell"
                size="xs"
                px={10}
                c={warnings.count ? "orange" : "dimmed"}
                truncate
                title={warnings.summary || undefined}
              >
                {warnings.count ? warnings.countWords : "—"}
              </Text>
            </div>
          );
        })}
      </div>
    </div>
  );
}
