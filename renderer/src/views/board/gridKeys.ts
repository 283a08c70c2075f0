/**
 * Where a key moves the current tile of the board's grid (WAI-ARIA grid pattern): arrows by row
 * and column, Home/End to the ends of the row (with Ctrl, of the whole grid), Page Up/Down by a
 * screenful of rows. Pure, so the moves can be checked without a page. Returns the new index, or
 * null when the key is not a move (or there is nowhere to go).
 */
export function gridMove(
  key: string,
  ctrl: boolean,
  index: number,
  count: number,
  columns: number,
  pageRows: number,
): number | null {
  if (count === 0) return null;
  const last = count - 1;
  const rowStart = index - (index % columns);
  let to: number;
  switch (key) {
    case "ArrowRight":
      to = Math.min(last, index + 1);
      break;
    case "ArrowLeft":
      to = Math.max(0, index - 1);
      break;
    case "ArrowDown":
      // Into the last, shorter row: the tile below, or the last tile when none is below.
      to = rowStart + columns > last ? index : Math.min(last, index + columns);
      break;
    case "ArrowUp":
      to = index - columns >= 0 ? index - columns : index;
      break;
    case "Home":
      to = ctrl ? 0 : rowStart;
      break;
    case "End":
      to = ctrl ? last : Math.min(last, rowStart + columns - 1);
      break;
    case "PageDown":
      to = Math.min(last, index + pageRows * columns);
      break;
    case "PageUp":
      // Up a screenful, or to the top row in the same column.
      to = index - pageRows * columns >= 0 ? index - pageRows * columns : index % columns;
      break;
    default:
      return null;
  }
  return to;
}

/** The same moves down a list of rows (the board's table): Up/Down, Home/End, Page Up/Down. */
export function listMove(key: string, index: number, count: number, pageRows: number): number | null {
  if (key === "ArrowLeft" || key === "ArrowRight") return null;
  return gridMove(key, true, index, count, 1, pageRows);
}
