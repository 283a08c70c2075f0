/**
 * The items selected on the board, for "Report on selected…" and "Export selected…": one Set of
 * SHA-256s (not a flag per row), so selecting all of a 100,000-item case is one Set built once and
 * a tile asks only `has`. The selection keeps the items it holds when filters change (the bar says
 * how many of them the board no longer shows).
 *
 * Ranges work as in a file manager: a toggle (Space, Ctrl+click, the checkbox) sets the anchor and
 * remembers the selection as it was; a range (Shift+click, Shift+arrow) is that remembered
 * selection plus every item between the anchor and the target in the board's order, so moving
 * back with Shift+arrow shrinks the range again.
 */
import { useCallback, useMemo, useRef, useState } from "react";
import type { ItemRow } from "../../db/projection.js";

export interface BoardSelection {
  selected: ReadonlySet<string>;
  /** Adds or removes one item, and makes it the anchor of the next range. */
  toggle(sha: string): void;
  /** The selection as it was at the anchor, plus the items from the anchor to `index` of the board's rows. */
  extendTo(index: number): void;
  /** Makes `sha` the anchor of the next range without changing the selection (a plain move). */
  setAnchor(sha: string): void;
  /** Every item the board shows. */
  selectAll(): void;
  clear(): void;
}

const NONE: ReadonlySet<string> = new Set();

export function useBoardSelection(rows: ItemRow[]): BoardSelection {
  const [selected, setSelected] = useState<ReadonlySet<string>>(NONE);
  // The anchor and the selection when it was set: a range is always rebuilt from these.
  const anchor = useRef<{ sha: string; base: ReadonlySet<string> } | null>(null);
  const latest = useRef({ rows, selected });
  latest.current = { rows, selected };

  const toggle = useCallback((sha: string) => {
    const next = new Set(latest.current.selected);
    if (next.has(sha)) next.delete(sha);
    else next.add(sha);
    anchor.current = { sha, base: next };
    setSelected(next);
  }, []);

  const setAnchor = useCallback((sha: string) => {
    anchor.current = { sha, base: latest.current.selected };
  }, []);

  const extendTo = useCallback((index: number) => {
    const { rows: shown, selected: now } = latest.current;
    const target = shown[index];
    if (!target) return;
    const from = anchor.current ? shown.findIndex((r) => r.sha256 === anchor.current!.sha) : -1;
    if (from < 0) {
      // No anchor among the items shown: the range starts (and is anchored) at the target.
      anchor.current = { sha: target.sha256, base: now };
    }
    const start = from < 0 ? index : Math.min(from, index);
    const end = from < 0 ? index : Math.max(from, index);
    const next = new Set(anchor.current!.base);
    for (let i = start; i <= end; i++) next.add(shown[i]!.sha256);
    setSelected(next);
  }, []);

  const selectAll = useCallback(() => {
    const { rows: shown, selected: now } = latest.current;
    const next = new Set(now);
    for (const r of shown) next.add(r.sha256);
    anchor.current = null;
    setSelected(next);
  }, []);

  const clear = useCallback(() => {
    anchor.current = null;
    setSelected(NONE);
  }, []);

  return useMemo(
    () => ({ selected, toggle, extendTo, setAnchor, selectAll, clear }),
    [selected, toggle, extendTo, setAnchor, selectAll, clear],
  );
}
