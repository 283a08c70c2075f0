/**
 * One tile of the board's grid: an item's picture (veiled until revealed), its name, pills and
 * capture time, a checkbox to select it and its Reveal control. The grid keeps a tile's elements in
 * its place and gives it whichever item is there now, so the tile's ids are those of its place
 * (`index`), which a filter change does not change: only what differs between the two items is
 * written to the page.
 */
import { memo } from "react";
import { findingWords, openFindings } from "../../../../shared/ledger/integrity.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { statusLabel, warningsInWords } from "../../../../shared/text/plainWords.js";
import { formatTime } from "../../../../shared/text/times.js";
import { Thumbnail } from "../../components/Thumbnail.js";
import type { Connection } from "../../connection.js";
import type { ItemRow } from "../../db/projection.js";

/**
 * Plain elements and memoised: a scroll renders only the rows that come into view, and a change of
 * the rows only the tiles whose item or state changed.
 */
export const ItemTile = memo(function ItemTile({
  item,
  index,
  column,
  isHidden,
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
  /** The place has no item now: the tile keeps its last item, hidden, for the next change to reuse. */
  isHidden: boolean;
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
  const id = `grid-tile-${index}`;
  return (
    <div
      className={`tile${findings.length > 0 ? " tile-integrity-failed" : ""}${isSelected ? " tile-selected" : ""}`}
      role="gridcell"
      hidden={isHidden}
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
        <Thumbnail connection={connection} dir={dir} path={item.thumbnailPath} alt={name} isRevealed={revealed} />
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
