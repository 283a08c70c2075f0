/** The evidence grid: thumbnails in virtualised rows, so tens of thousands of items stay cheap to render. */
import { Text } from "@mantine/core";
import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useEffect, useRef, useState } from "react";
import { inertText } from "../../../../shared/text/inertText.js";
import { Thumbnail } from "../../components/Thumbnail.js";
import type { Connection } from "../../connection.js";
import { type ItemRow } from "../../db/projection.js";

const TILE = 196;
const TILE_HEIGHT = 212;

export function ItemGrid({
  rows,
  connection,
  dir,
  isRevealed,
  onToggle,
  onOpen,
}: {
  rows: ItemRow[];
  connection: Connection;
  dir: string;
  isRevealed: (sha: string) => boolean;
  onToggle: (sha: string) => void;
  onOpen: (sha: string) => void;
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
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => parent.current,
    estimateSize: () => TILE_HEIGHT,
    overscan: 3,
  });
  return (
    <div ref={parent} style={{ flex: 1, overflow: "auto", padding: 8 }} role="grid" aria-label="Items">
      {rows.length === 0 && (
        <Text c="dimmed" ta="center" mt="xl">
          No items match. Import files or folders above.
        </Text>
      )}
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((vr) => (
          <div key={vr.key} role="row" className="tile-row" style={{ transform: `translateY(${vr.start}px)` }}>
            {rows.slice(vr.index * columns, vr.index * columns + columns).map((item) => (
              <Tile
                key={item.sha256}
                item={item}
                connection={connection}
                dir={dir}
                revealed={isRevealed(item.sha256)}
                onToggle={onToggle}
                onOpen={onOpen}
              />
            ))}
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
  connection,
  dir,
  revealed,
  onToggle,
  onOpen,
}: {
  item: ItemRow;
  connection: Connection;
  dir: string;
  revealed: boolean;
  onToggle: (sha: string) => void;
  onOpen: (sha: string) => void;
}) {
  const name = inertText(item.name);
  const warnings = item.warningCodes.length;
  return (
    <div
      className="tile"
      role="gridcell"
      tabIndex={0}
      aria-label={name}
      onClick={() => onOpen(item.sha256)}
      onKeyDown={(e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          onOpen(item.sha256);
        } else if (e.key === "r" || e.key === " ") {
          e.preventDefault();
          onToggle(item.sha256);
        }
      }}
    >
      <div className="tile-media">
        <button
          type="button"
          className="tile-veil"
          aria-label={revealed ? "Veil" : "Reveal"}
          title={revealed ? "Veil (r)" : "Reveal (r)"}
          onClick={(e) => {
            e.stopPropagation();
            onToggle(item.sha256);
          }}
        >
          {revealed ? "◐" : "◉"}
        </button>
        <Thumbnail connection={connection} dir={dir} path={item.thumbnailPath} alt={name} isRevealed={revealed} />
      </div>
      <div className="tile-body">
        <div className="tile-name" title={name}>
          {name}
        </div>
        <div className="tile-badges">
          <span className="pill">{item.kind ?? "pending"}</span>
          {item.hasGps && <span className="pill pill-blue">GPS</span>}
          {item.status !== "unverified" && <span className={`pill pill-status-${item.status}`}>{item.status}</span>}
          {warnings > 0 && (
            <span className="pill pill-orange" title={item.warningCodes.join(", ")}>
              {warnings} warning{warnings === 1 ? "" : "s"}
            </span>
          )}
        </div>
        <div className="tile-time mono">{item.capturedAt ? inertText(item.capturedAt) : "no capture time"}</div>
      </div>
    </div>
  );
});
