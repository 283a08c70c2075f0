/**
 * Which tiles the grid draws, place by place. A place is an index in the board's order; the grid
 * keeps each place's tile element for whichever item is there now, so a filter change writes only
 * what differs between two items into elements already in the page, instead of removing tiles and
 * making new ones. A place that has no item now (a search that leaves fewer items than the screen
 * holds, an empty result) keeps its tile hidden with the item it last showed, ready for the next
 * change that fills it again. Pure, so the rule (and which rows are in view) can be checked without
 * a page.
 */
import type { ItemRow } from "../../db/projection.js";

export interface Place {
  index: number;
  item: ItemRow;
  /** False: the place has no item now (or not yet, see `isFresh`); its tile is kept hidden. */
  isShown: boolean;
}

export interface DrawnRow {
  row: number;
  places: Place[];
}

/**
 * The rows from `first - overscan` to `last + overscan` (the rows on screen, by the scroll position
 * alone, and those kept ready for a scroll) and their places. Right after a change of the rows
 * (`isFresh`), only the rows on screen show their new items: the others keep what they showed,
 * hidden, until the grid draws them after that frame is painted. A place with nothing to show and
 * nothing kept is not drawn.
 */
export function drawnPlaces({
  rows,
  kept,
  first,
  last,
  columns,
  overscan,
  isFresh,
}: {
  rows: readonly ItemRow[];
  /** What each place's tile showed last. */
  kept: ReadonlyMap<number, ItemRow>;
  first: number;
  last: number;
  columns: number;
  overscan: number;
  isFresh: boolean;
}): DrawnRow[] {
  const drawn: DrawnRow[] = [];
  for (let row = Math.max(0, first - overscan); row <= last + overscan; row++) {
    const isLive = !isFresh || (row >= first && row <= last);
    const places: Place[] = [];
    for (let index = row * columns; index < (row + 1) * columns; index++) {
      const now = isLive ? rows[index] : undefined;
      const item = now ?? kept.get(index);
      if (item) places.push({ index, item, isShown: now !== undefined });
    }
    if (places.length > 0) drawn.push({ row, places });
  }
  return drawn;
}

/** The rows in view, first and last (inclusive), by index; last < first when none is. */
export interface RowsInView {
  first: number;
  last: number;
}

/**
 * The rows of `rowCount` rows, each `rowHeight` px tall and starting `padding` px down, that a view
 * `height` px tall scrolled to `top` shows, wholly or in part.
 */
export function rowsInView(
  top: number,
  height: number,
  rowCount: number,
  rowHeight: number,
  padding: number,
): RowsInView {
  const first = Math.max(0, Math.floor((top - padding) / rowHeight));
  const last = Math.min(rowCount - 1, Math.floor((top + height - padding - 1) / rowHeight));
  return { first, last };
}
