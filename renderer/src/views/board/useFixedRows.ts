/**
 * Which rows of a scrolled list of fixed-height rows are on screen: the grid's virtualisation. Every
 * row of the board's grid has the same height, so the rows in view are two divisions of the scroll
 * position, and the list's height a product; nothing is measured or kept per row. Written here
 * rather than with TanStack Virtual (which the table uses) because the grid keeps its tile elements
 * by place on screen across filter changes (gridPlaces.ts), which needs the rows in view as plain
 * numbers it decides when to render: a full screen refilled from an empty result then lays out 17
 * objects instead of 469 (docs/PERFORMANCE.md). The virtualiser's own cost was small (0.2 ms a
 * change at 14,000 rows).
 *
 * Owns the scroll element's ref, its width (the grid's columns depend on it) and the rows in view;
 * a scroll that brings other rows into view renders them before that frame is painted.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { flushSync } from "react-dom";
import { rowsInView } from "./gridPlaces.js";

export function useFixedRows({
  rowHeight,
  padding,
}: {
  rowHeight: number;
  /** The scroll element's padding above its rows, px. */
  padding: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(1200);
  const [view, setView] = useState({ top: 0, height: 900 });
  /** The rows in view of a list of `rowCount` rows. */
  const inView = (rowCount: number) => rowsInView(view.top, view.height, rowCount, rowHeight, padding);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    // The view is kept as the rows it shows: a scroll within the same rows renders nothing.
    const read = (isSync: boolean) => {
      const next = { top: el.scrollTop, height: el.clientHeight };
      const update = () =>
        setView((was) => {
          const a = rowsInView(was.top, was.height, Number.MAX_SAFE_INTEGER, rowHeight, padding);
          const b = rowsInView(next.top, next.height, Number.MAX_SAFE_INTEGER, rowHeight, padding);
          return a.first === b.first && a.last === b.last ? was : next;
        });
      if (isSync) flushSync(update);
      else update();
    };
    const onScroll = () => read(true);
    const observer = new ResizeObserver(() => {
      setWidth(el.clientWidth);
      read(false);
    });
    observer.observe(el);
    el.addEventListener("scroll", onScroll, { passive: true });
    read(false);
    return () => {
      observer.disconnect();
      el.removeEventListener("scroll", onScroll);
    };
  }, [rowHeight, padding]);

  /** Scrolls the least that shows row `index` whole ("auto" alignment); nothing if it is in view. */
  const scrollToRow = useCallback(
    (index: number) => {
      const el = ref.current;
      if (!el) return;
      const top = padding + index * rowHeight;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
    },
    [rowHeight, padding],
  );

  return { ref, width, inView, scrollToRow };
}
