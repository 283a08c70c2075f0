/**
 * The board's selection by keyboard and mouse, the same in the grid and the table: Space toggles
 * the focused item, Shift with a move or a click selects a range from the anchor, Ctrl (Cmd) with
 * a click toggles one item, Ctrl (Cmd)+A selects every item shown, Escape clears the selection.
 */
import type { BoardSelection } from "./useBoardSelection.js";

/** Handles a selection key on the item `sha`; true when it was one (the caller prevents the default). */
export function selectionKey(e: React.KeyboardEvent, selection: BoardSelection, sha: string): boolean {
  if (e.key === " " && !e.ctrlKey && !e.metaKey && !e.altKey) {
    selection.toggle(sha);
    return true;
  }
  if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === "a" || e.key === "A")) {
    selection.selectAll();
    return true;
  }
  if (e.key === "Escape" && selection.selected.size > 0) {
    selection.clear();
    return true;
  }
  return false;
}

/** After the keyboard moved to `index` (item `sha`): with Shift the range grows to it, without it becomes the anchor. */
export function selectionAfterMove(e: React.KeyboardEvent, selection: BoardSelection, index: number, sha: string) {
  if (e.shiftKey) selection.extendTo(index);
  else selection.setAnchor(sha);
}

/** A click with Shift (a range) or Ctrl/Cmd (one item); true when it was one, so the item does not open. */
export function selectionClick(e: React.MouseEvent, selection: BoardSelection, index: number, sha: string): boolean {
  if (e.shiftKey) {
    selection.extendTo(index);
    return true;
  }
  if (e.ctrlKey || e.metaKey) {
    selection.toggle(sha);
    return true;
  }
  return false;
}
