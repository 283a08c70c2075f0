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
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { Connection } from "../../connection.js";
import { type ItemRow } from "../../db/projection.js";
import { gridMove } from "./gridKeys.js";
import { drawnPlaces } from "./gridPlaces.js";
import "./itemGrid.css";
import { ItemTile } from "./ItemTile.js";
import { selectionAfterMove, selectionClick, selectionKey } from "./selectionKeys.js";
import type { BoardSelection } from "./useBoardSelection.js";
import { useFixedRows } from "./useFixedRows.js";

const TILE = 196;
const TILE_HEIGHT = 230;
/** The grid's padding, px (its rows start this far below the top of the scrolled area). */
const PADDING = 8;
/** Rows kept drawn above and below those in view, ready for a scroll. */
const OVERSCAN = 2;

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
  const { ref: parent, width, inView, scrollToRow } = useFixedRows({ rowHeight: TILE_HEIGHT, padding: PADDING });
  const columns = Math.max(1, Math.floor((width - 2 * PADDING) / TILE));
  const rowCount = Math.ceil(rows.length / columns);
  // A change of the rows (a filter, a search) draws the rows on screen first. The rows kept ready
  // above and below them keep their elements and their items of before, hidden, until the page is
  // idle after that frame is painted, and are then given their new items in place (gridPlaces.ts):
  // at 100,000 items the tiles are what a filter change costs, and a third of them are off screen.
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
  const scrollToIndex = (index: number) => scrollToRow(Math.floor(index / columns));
  // What each place's tile showed last, for the places that have no item to show now.
  const kept = useRef(new Map<number, ItemRow>());
  const onScreen = inView(Number.MAX_SAFE_INTEGER);
  const drawn = drawnPlaces({
    rows,
    kept: kept.current,
    first: onScreen.first,
    last: onScreen.last,
    columns,
    overscan: OVERSCAN,
    isFresh,
  });
  useLayoutEffect(() => {
    kept.current = new Map(drawn.flatMap((r) => r.places.map((p) => [p.index, p.item] as const)));
  });

  // The current tile, by item (so it stays put when rows are re-sorted or filtered around it).
  const [activeSha, setActiveSha] = useState<string | null>(initialSha ?? null);
  const found = activeSha === null ? -1 : rows.findIndex((r) => r.sha256 === activeSha);
  const active = found >= 0 ? found : 0;
  const pendingFocus = useRef<string | null>(initialSha ?? null);

  useEffect(() => {
    if (pendingFocus.current) scrollToIndex(active);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  // Focus follows the keyboard once the tile is rendered (a move may first scroll it into view).
  useLayoutEffect(() => {
    const sha = pendingFocus.current;
    // Not a hidden tile: those keep an item their place no longer has (gridPlaces.ts).
    const find = (of: string) => parent.current?.querySelector<HTMLElement>(`[data-sha="${of}"]:not([hidden])`);
    if (sha) {
      const el = find(sha);
      if (el) {
        pendingFocus.current = null;
        el.focus({ preventScroll: true });
      }
      return;
    }
    // A tile's element is reused for another item when the rows change, or hidden when its place
    // has none (gridPlaces.ts): focus stays with its item, on that item's tile if it is drawn, or
    // leaves the grid as when its tile was removed.
    const focused = document.activeElement;
    const tile = focused instanceof HTMLElement ? focused.closest<HTMLElement>(".tile") : null;
    if (!tile || !activeSha || !parent.current?.contains(tile)) return;
    if (tile.dataset.sha === activeSha && !tile.hidden) return;
    const el = find(activeSha);
    if (el) el.focus({ preventScroll: true });
    else (focused as HTMLElement).blur();
  });

  const moveTo = (index: number) => {
    const target = rows[index];
    if (!target) return;
    setActiveSha(target.sha256);
    pendingFocus.current = target.sha256;
    scrollToIndex(index);
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
      <div className="tile-rows" style={{ height: rowCount * TILE_HEIGHT }}>
        {drawn.map(({ row, places }) => (
          <div
            key={row}
            role="row"
            aria-rowindex={row + 1}
            className="tile-row"
            hidden={!places.some((p) => p.isShown)}
            style={{ transform: `translateY(${row * TILE_HEIGHT}px)` }}
          >
            {places.map(({ index, item, isShown }) => (
              // Keyed by place, not item (gridPlaces.ts); the picture by its address.
              <ItemTile
                key={index - row * columns}
                item={item}
                index={index}
                column={index - row * columns + 1}
                isHidden={!isShown}
                isActive={isShown && index === active}
                connection={connection}
                dir={dir}
                revealed={isRevealed(item.sha256)}
                isSelected={selection.selected.has(item.sha256)}
                onToggle={onToggle}
                onClick={onClick}
                onKey={onKey}
                onFocusTile={setActiveSha}
              />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
