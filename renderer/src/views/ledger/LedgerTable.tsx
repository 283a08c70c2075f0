/**
 * The ledger's events as a table a screen reader can walk: a header row of column headers, then
 * one row of cells per event, virtualised so a ledger of 100,000 events scrolls smoothly. Each
 * row opens its event in full (its number is a button; a click anywhere on the row does the same);
 * the arrow keys move between the rows' buttons.
 */
import { Badge, Text } from "@mantine/core";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useRef, type KeyboardEvent } from "react";
import type { TimelineEntry } from "../../../../shared/api/contract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { eventHeadline } from "../../../../shared/text/plainWords.js";
import { formatTime } from "../../../../shared/text/times.js";
import { describe } from "./eventLine.js";

const COLUMNS = "56px 172px minmax(110px, 200px) minmax(80px, 150px) minmax(140px, 1fr) 130px";
const ROW_HEIGHT = 30;
const HEADERS = ["No.", "Recorded", "Event", "Signed by", "What happened", "Hash"];

export const EVENT_DETAIL_ID = "ledger-event-detail";

export function LedgerTable({
  shown,
  names,
  openSeq,
  onOpen,
}: {
  shown: TimelineEntry[];
  names: Map<string, string>;
  openSeq: number | null;
  onOpen: (seq: number) => void;
}) {
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => parent.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });

  /** Up and down arrows, Home and End move between the rows' buttons, scrolling as they go. */
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = Number((e.target as HTMLElement).dataset.ledgerIndex);
    if (!Number.isInteger(at)) return;
    const next =
      e.key === "ArrowDown"
        ? at + 1
        : e.key === "ArrowUp"
          ? at - 1
          : e.key === "Home"
            ? 0
            : e.key === "End"
              ? shown.length - 1
              : null;
    if (next === null || next < 0 || next >= shown.length) return;
    e.preventDefault();
    virtualizer.scrollToIndex(next, { align: "auto" });
    const focus = (tries: number) => {
      const button = parent.current?.querySelector<HTMLElement>(`[data-ledger-index="${next}"]`);
      if (button) button.focus();
      else if (tries > 0) requestAnimationFrame(() => focus(tries - 1));
    };
    requestAnimationFrame(() => focus(10));
  };

  return (
    <div
      ref={parent}
      className="ledger-table"
      role="table"
      aria-label="Ledger events"
      aria-rowcount={shown.length + 1}
      aria-describedby="ledger-table-help"
      onKeyDown={onKeyDown}
    >
      <span id="ledger-table-help" hidden>
        A row&apos;s number opens the whole event; the arrow keys move between rows.
      </span>
      <div role="rowgroup" className="ledger-head">
        <div role="row" aria-rowindex={1} className="ledger-row" style={{ gridTemplateColumns: COLUMNS }}>
          {HEADERS.map((h) => (
            <div key={h} role="columnheader" className="ledger-header">
              {h}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((vr) => {
          const entry = shown[vr.index]!;
          const e = entry.event;
          const isOpen = e.seq === openSeq;
          return (
            <div
              key={e.seq}
              role="row"
              aria-rowindex={vr.index + 2}
              className={`ledger-row ledger-body-row${isOpen ? " ledger-row-open" : ""}`}
              onClick={() => onOpen(e.seq)}
              style={{
                gridTemplateColumns: COLUMNS,
                position: "absolute",
                top: 0,
                left: 0,
                right: 0,
                height: ROW_HEIGHT,
                transform: `translateY(${vr.start}px)`,
              }}
            >
              <div role="cell">
                <button
                  type="button"
                  className="ledger-open mono"
                  data-ledger-index={vr.index}
                  aria-label={`${e.seq}: open event ${e.seq} in full`}
                  aria-expanded={isOpen}
                  aria-controls={isOpen ? EVENT_DETAIL_ID : undefined}
                  onClick={(ev) => {
                    ev.stopPropagation();
                    onOpen(e.seq);
                  }}
                >
                  {e.seq}
                </button>
              </div>
              <Text role="cell" size="xs" className="mono" truncate>
                {formatTime(e.ts)}
              </Text>
              <div role="cell" style={{ minWidth: 0 }}>
                <Badge
                  size="sm"
                  variant="light"
                  radius="sm"
                  title={e.type}
                  maw="100%"
                  style={{ textTransform: "none" }}
                >
                  {inertText(eventHeadline(e.type, e.payload))}
                </Badge>
              </div>
              <Text role="cell" size="xs" truncate>
                {inertText(entry.actorName)}
              </Text>
              <Text role="cell" size="xs" truncate>
                {inertText(describe(entry, names))}
              </Text>
              <Text role="cell" size="xs" className="mono" c="dimmed" title={e.hash}>
                {e.hash.slice(0, 16)}
              </Text>
            </div>
          );
        })}
      </div>
    </div>
  );
}
