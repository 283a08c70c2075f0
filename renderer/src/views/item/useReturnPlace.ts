/**
 * Where the examiner was on the item's page when they left it for a screen that replaces it (the
 * where-and-when workspace): how far its tab panel was scrolled and the control that took them
 * away. On their return the panel is scrolled back (again as its content loads and grows, until
 * it gets there or the examiner scrolls) and the control has the focus again, so the keyboard and
 * the eye are where they were.
 */
import { useEffect, useLayoutEffect, useRef } from "react";

export function useReturnPlace(isAway: boolean) {
  const scrollTop = useRef(0);
  const viewportRef = useRef<HTMLDivElement>(null);
  const leftFrom = useRef<HTMLButtonElement>(null);
  const wasAway = useRef(false);

  useLayoutEffect(() => {
    if (isAway) {
      wasAway.current = true;
      return;
    }
    if (!wasAway.current) return;
    wasAway.current = false;
    const viewport = viewportRef.current;
    const wanted = scrollTop.current;
    if (!viewport || wanted === 0) return;
    const restore = () => {
      viewport.scrollTop = wanted;
      if (Math.abs(viewport.scrollTop - wanted) < 1) stop();
    };
    const grows = new ResizeObserver(restore);
    const stop = () => {
      grows.disconnect();
      viewport.removeEventListener("wheel", stop);
      viewport.removeEventListener("keydown", stop);
      viewport.removeEventListener("pointerdown", stop);
    };
    for (const child of Array.from(viewport.children)) grows.observe(child);
    viewport.addEventListener("wheel", stop, { passive: true });
    viewport.addEventListener("keydown", stop);
    viewport.addEventListener("pointerdown", stop);
    restore();
    return stop;
  }, [isAway]);

  // A plain effect, so it runs after the page's header has put the focus on its title as it
  // mounted (a child's effects run before its parent's): the button takes it back.
  const wasAwayForFocus = useRef(false);
  useEffect(() => {
    if (isAway) wasAwayForFocus.current = true;
    else if (wasAwayForFocus.current) {
      wasAwayForFocus.current = false;
      leftFrom.current?.focus();
    }
  }, [isAway]);

  return {
    /** The scrolling panel's viewport (Mantine ScrollArea's `viewportRef`). */
    viewportRef,
    /** Its `onScrollPositionChange`: remembers how far it is scrolled. */
    onScroll: ({ y }: { y: number }) => {
      scrollTop.current = y;
    },
    /** The control that leaves the page, which gets the focus back on return. */
    leftFrom,
  };
}
