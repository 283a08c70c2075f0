/**
 * The evidence grid: thumbnails in virtualised rows, so tens of thousands of items stay cheap to
 * render. For the keyboard it is a WAI-ARIA grid: one tab stop (the current tile, a roving
 * tabindex), arrow keys between tiles by row and column, Home/End within a row (with Ctrl, the
 * first and last item), Page Up/Down by a screenful, Enter opens. A tile's one inner control,
 * Reveal, is reached as the pattern says for widgets in a cell: F2 moves focus to it and Escape
 * (or F2) back to the tile; `r` toggles it from the tile directly. The grid is multi-selectable
 * (selectionKeys.ts): Space toggles the tile's item, Shift with a move or a click selects a range,
 * Ctrl+A every item shown, Escape clears; each tile's checkbox does the same by mouse.
 */
import { Text } from "@mantine/core";
import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { findingWords, openFindings } from "../../../../shared/ledger/integrity.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { statusLabel, warningsInWords } from "../../../../shared/text/plainWords.js";
import { formatTime } from "../../../../shared/text/times.js";
import { Thumbnail } from "../../components/Thumbnail.js";
import type { Connection } from "../../connection.js";
import { type ItemRow } from "../../db/projection.js";
import { gridMove } from "./gridKeys.js";
import { selectionAfterMove, selectionClick, selectionKey } from "./selectionKeys.js";
import type { BoardSelection } from "./useBoardSelection.js";

const TILE = 196;
const TILE_HEIGHT = 230;

export function ItemGrid({
  rows,
  connection,
  dir,
  isRevealed,
  onToggle,
  onOpen,
  initialSha,
  selection,
}: {
  rows: ItemRow[];
  connection: Connection;
  dir: string;
  isRevealed: (sha: string) => boolean;
  onToggle: (sha: string) => void;
  onOpen: (sha: string) => void;
  /** The tile to start from (and focus), e.g. the item just closed. */
  initialSha?: string | null;
  selection: BoardSelection;
}) {
  const parent = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(1200);
  useEffect(() => {
    const el = parent.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const columns = Math.max(1, Math.floor((width - 16) / TILE));
  const rowCount = Math.ceil(rows.length / columns);
  // A change of the rows (a filter, a search) draws the rows on screen first and the two above and
  // below them (kept ready for a scroll) once the page is idle after that frame is painted: at
  // 100,000 items the new tiles are what a filter change costs, and a third of them are off screen.
  // Idle rather than the next task, so they do not delay whatever input comes next (within 200 ms).
  const [settledRows, setSettledRows] = useState(rows);
  const isFresh = settledRows !== rows;
  useEffect(() => {
    if (!isFresh) return;
    let idle = 0;
    const frame = requestAnimationFrame(
      () => (idle = requestIdleCallback(() => setSettledRows(rows), { timeout: 200 })),
    );
    return () => {
      cancelAnimationFrame(frame);
      cancelIdleCallback(idle);
    };
  }, [rows, isFresh]);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => parent.current,
    estimateSize: () => TILE_HEIGHT,
    overscan: isFresh ? 0 : 2,
  });

  // The current tile, by item (so it stays put when rows are re-sorted or filtered around it).
  const [activeSha, setActiveSha] = useState<string | null>(initialSha ?? null);
  const found = activeSha === null ? -1 : rows.findIndex((r) => r.sha256 === activeSha);
  const active = found >= 0 ? found : 0;
  const pendingFocus = useRef<string | null>(initialSha ?? null);

  useEffect(() => {
    if (pendingFocus.current) virtualizer.scrollToIndex(Math.floor(active / columns), { align: "auto" });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  // Focus follows the keyboard once the tile is rendered (a move may first scroll it into view).
  useLayoutEffect(() => {
    const sha = pendingFocus.current;
    const find = (of: string) => parent.current?.querySelector<HTMLElement>(`[data-sha="${of}"]`);
    if (sha) {
      const el = find(sha);
      if (el) {
        pendingFocus.current = null;
        el.focus({ preventScroll: true });
      }
      return;
    }
    // A tile's element is reused for another item when the rows change (below): focus stays with
    // its item, on that item's tile if it is drawn, or leaves the grid as when its tile was removed.
    const focused = document.activeElement;
    const tile = focused instanceof HTMLElement ? focused.closest<HTMLElement>(".tile") : null;
    if (!tile || !activeSha || tile.dataset.sha === activeSha || !parent.current?.contains(tile)) return;
    const el = find(activeSha);
    if (el) el.focus({ preventScroll: true });
    else (focused as HTMLElement).blur();
  });

  const moveTo = (index: number) => {
    const target = rows[index];
    if (!target) return;
    setActiveSha(target.sha256);
    pendingFocus.current = target.sha256;
    virtualizer.scrollToIndex(Math.floor(index / columns), { align: "auto" });
  };

  const onTileKey = (e: React.KeyboardEvent<HTMLElement>, index: number, sha: string) => {
    if (e.target !== e.currentTarget) return; // keys inside the tile's Reveal button are its own
    const pageRows = Math.max(1, Math.floor((parent.current?.clientHeight ?? TILE_HEIGHT) / TILE_HEIGHT));
    const to = gridMove(e.key, e.ctrlKey || e.metaKey, index, rows.length, columns, pageRows);
    if (to !== null) {
      e.preventDefault();
      moveTo(to);
      selectionAfterMove(e, selection, to, rows[to]!.sha256);
    } else if (selectionKey(e, selection, sha)) {
      e.preventDefault();
    } else if (e.key === "Enter") {
      e.preventDefault();
      onOpen(sha);
    } else if (e.key === "r") {
      e.preventDefault();
      onToggle(sha);
    } else if (e.key === "F2") {
      e.preventDefault();
      e.currentTarget.querySelector<HTMLElement>(".tile-veil")?.focus();
    }
  };

  // One handler for every tile, stable across renders so the memoised tiles do not re-render.
  const latestKey = useRef(onTileKey);
  latestKey.current = onTileKey;
  const onKey = useCallback(
    (e: React.KeyboardEvent<HTMLElement>, index: number, sha: string) => latestKey.current(e, index, sha),
    [],
  );
  // A click opens the item; with Shift or Ctrl it selects instead. The checkbox only selects.
  const onTileClick = (e: React.MouseEvent, index: number, sha: string, isCheckbox: boolean) => {
    if (selectionClick(e, selection, index, sha)) return;
    if (isCheckbox) selection.toggle(sha);
    else onOpen(sha);
  };
  const latestClick = useRef(onTileClick);
  latestClick.current = onTileClick;
  const onClick = useCallback(
    (e: React.MouseEvent, index: number, sha: string, isCheckbox: boolean) =>
      latestClick.current(e, index, sha, isCheckbox),
    [],
  );

  return (
    <div
      ref={parent}
      style={{ flex: 1, overflow: "auto", padding: 8 }}
      role="grid"
      aria-label="Items"
      aria-multiselectable
      aria-rowcount={Math.max(1, rowCount)}
      aria-colcount={columns}
    >
      {rows.length === 0 && (
        <div role="row" aria-rowindex={1}>
          <Text role="gridcell" c="dimmed" ta="center" mt="xl">
            No items match. Import files or folders above.
          </Text>
        </div>
      )}
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((vr) => (
          <div
            key={vr.key}
            role="row"
            aria-rowindex={vr.index + 1}
            className="tile-row"
            style={{ transform: `translateY(${vr.start}px)` }}
          >
            {rows.slice(vr.index * columns, vr.index * columns + columns).map((item, col) => {
              const index = vr.index * columns + col;
              // Keyed by place, not item: a filter change updates the tiles on screen in place
              // rather than removing every element and making new ones (the picture is keyed by item).
              return (
                <Tile
                  key={col}
                  item={item}
                  index={index}
                  column={col + 1}
                  isActive={index === active}
                  connection={connection}
                  dir={dir}
                  revealed={isRevealed(item.sha256)}
                  isSelected={selection.selected.has(item.sha256)}
                  onToggle={onToggle}
                  onClick={onClick}
                  onKey={onKey}
                  onFocusTile={setActiveSha}
                />
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}

/**
 * One card of the grid. Plain elements and memoised: a scroll renders only the rows that come
 * into view, and a 50,000-item board stays smooth on a machine without a GPU.
 */
const Tile = memo(function Tile({
  item,
  index,
  column,
  isActive,
  connection,
  dir,
  revealed,
  isSelected,
  onToggle,
  onClick,
  onKey,
  onFocusTile,
}: {
  item: ItemRow;
  index: number;
  column: number;
  isActive: boolean;
  connection: Connection;
  dir: string;
  revealed: boolean;
  isSelected: boolean;
  onToggle: (sha: string) => void;
  onClick: (e: React.MouseEvent, index: number, sha: string, isCheckbox: boolean) => void;
  onKey: (e: React.KeyboardEvent<HTMLElement>, index: number, sha: string) => void;
  onFocusTile: (sha: string) => void;
}) {
  const name = inertText(item.name);
  const warnings = warningsInWords(item.warningCodes);
  const findings = item.integrityFailed ? openFindings(item.integrity) : [];
  const integrityWords = [...new Set(findings.map((f) => findingWords(f.code)))].join("; ");
  const id = `tile-${item.sha256}`;
  return (
    <div
      className={`tile${findings.length > 0 ? " tile-integrity-failed" : ""}${isSelected ? " tile-selected" : ""}`}
      role="gridcell"
      aria-colindex={column}
      aria-selected={isSelected}
      tabIndex={isActive ? 0 : -1}
      data-sha={item.sha256}
      // The name is the tile's visible text (the Reveal symbol aside), with what failed when something did.
      aria-labelledby={`${id}-name${findings.length > 0 ? ` ${id}-mark ${id}-integrity` : ""} ${id}-badges ${id}-time`}
      onFocus={(e) => e.target === e.currentTarget && onFocusTile(item.sha256)}
      onClick={(e) => onClick(e, index, item.sha256, false)}
      onKeyDown={(e) => onKey(e, index, item.sha256)}
    >
      <div className="tile-media">
        <button
          type="button"
          className="tile-veil"
          tabIndex={-1}
          aria-label={`${revealed ? "Veil" : "Reveal"} ${name}`}
          title={revealed ? "Veil (r)" : "Reveal (r)"}
          onClick={(e) => {
            e.stopPropagation();
            onToggle(item.sha256);
          }}
          onKeyDown={(e) => {
            if (e.key === "Escape" || e.key === "F2") {
              e.preventDefault();
              e.stopPropagation();
              e.currentTarget.closest<HTMLElement>(".tile")?.focus();
            }
          }}
        >
          {revealed ? "◐" : "◉"}
        </button>
        <Thumbnail
          key={item.sha256}
          connection={connection}
          dir={dir}
          path={item.thumbnailPath}
          alt={name}
          isRevealed={revealed}
        />
        {findings.length > 0 && (
          <span className="pill pill-integrity tile-integrity-mark" id={`${id}-mark`} title={integrityWords}>
            Integrity failed
          </span>
        )}
        {findings.length > 0 && (
          <div className="tile-integrity-words" id={`${id}-integrity`}>
            {integrityWords}
          </div>
        )}
      </div>
      <div className="tile-body">
        <div className="tile-head">
          <input
            type="checkbox"
            className="tile-check"
            tabIndex={-1}
            checked={isSelected}
            aria-label={`Select ${name}`}
            onClick={(e) => {
              e.stopPropagation();
              onClick(e, index, item.sha256, true);
            }}
            // The click above did the change; React asks for a handler on a controlled checkbox.
            onChange={() => undefined}
          />
          <div className="tile-name" title={name} id={`${id}-name`}>
            {name}
          </div>
        </div>
        <div className="tile-badges" id={`${id}-badges`}>
          <span className="pill">{item.kind ?? "pending"}</span>
          {item.hasGps && <span className="pill pill-blue">GPS</span>}
          {item.status !== "unverified" && (
            <span className={`pill pill-status-${item.status}`}>{statusLabel(item.status)}</span>
          )}
          {warnings.count > 0 && (
            <span className="pill pill-orange" title={warnings.summary}>
              {warnings.countWords}
            </span>
          )}
          {item.tags.slice(0, 3).map((t) => (
            <span key={t} className="pill pill-tag">
              {inertText(t)}
            </span>
          ))}
          {item.tags.length > 3 && <span className="pill pill-tag">+{item.tags.length - 3}</span>}
        </div>
        <div
          className="tile-time mono"
          id={`${id}-time`}
          title={item.capturedAt ? inertText(formatTime(item.capturedAt)) : undefined}
        >
          {item.capturedAt ? inertText(formatTime(item.capturedAt, { isShort: true })) : "no capture time"}
        </div>
      </div>
    </div>
  );
});
