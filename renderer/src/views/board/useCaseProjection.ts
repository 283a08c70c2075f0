/**
 * The board's rows: the case's Dexie projection kept at the ledger head (now, whenever the ledger
 * moves, and when an import finishes). The rows live in memory: read from IndexedDB once when the
 * stored projection is current, taken straight from the host on a rebuild (while they are written
 * to IndexedDB behind the board), and after that each sync puts only the rows it changed in place.
 * Re-reading the whole table after every event, as a live query does, cost seconds at 100,000 items.
 * IndexedDB is shared by every window of the workbench: when another window has already brought
 * the projection past the head these rows were taken at, the table is read again.
 */
import { useEffect, useMemo, useState } from "react";
import type { CaseSummary } from "../../../../shared/api/contract.js";
import type { Connection } from "../../connection.js";
import { CaseProjection, syncProjection, withChangedRows, type ItemRow } from "../../db/projection.js";

const NO_ROWS: ItemRow[] = [];

export function useCaseProjection(connection: Connection, summary: CaseSummary, onSummary: (s: CaseSummary) => void) {
  const { client } = connection;
  const dir = summary.dir;
  const db = useMemo(() => new CaseProjection(summary.id), [summary.id]);
  const [syncError, setSyncError] = useState<string | null>(null);
  const [items, setItems] = useState<ItemRow[]>(NO_ROWS);
  // While a rebuilt projection is being written, the board works from the rows in memory.
  const [isWriting, setWriting] = useState(false);

  useEffect(() => {
    let alive = true;
    // Whether `items` holds the whole case yet (the first sync reads or rebuilds it).
    let isLoaded = false;
    // The hash of the head `items` was taken at.
    let applied: string | null = null;
    setItems(NO_ROWS);
    const syncOnce = async () => {
      const opened = await client.api.openCase({ dir });
      if (!opened.ok) return setSyncError(opened.error.message);
      if (!alive) return;
      onSummary(opened.value);
      try {
        const synced = await syncProjection(db, client, dir, opened.value.head, (rows) => {
          if (!alive) return;
          isLoaded = true;
          setWriting(true);
          setItems(rows);
        });
        if (!alive) return;
        const head = opened.value.head?.hash ?? null;
        // Rows changed since a head other than ours (another window moved the table) would leave gaps.
        const isBehind = applied !== (synced.outcome === "updated" ? synced.from?.hash : head);
        if (synced.outcome === "rebuilt") {
          applied = head;
        } else if (!isLoaded || isBehind) {
          const rows = await db.items.toArray();
          if (!alive) return;
          isLoaded = true;
          applied = head;
          setItems(rows);
        } else if (synced.outcome === "updated") {
          applied = head;
          setItems((previous) => withChangedRows(previous, synced.rows));
        }
      } catch (e) {
        setSyncError((e as Error).message);
      } finally {
        if (alive) setWriting(false);
      }
    };
    // One sync at a time: events come in bursts during an import, and two syncs racing could
    // leave the older one's rows (and head) last. A request made while one runs queues one more.
    let running: Promise<void> | null = null;
    let again = false;
    const refresh = async () => {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        do {
          again = false;
          await syncOnce();
        } while (again && alive);
      })();
      try {
        await running;
      } finally {
        running = null;
      }
    };
    void refresh();
    const stop = client.onEvent((event) => {
      if (event.type === "ledger.appended" && event.dir === dir) void refresh();
      if (event.type === "job.finished" && event.job.dir === dir && event.job.kind === "import") void refresh();
    });
    return () => {
      alive = false;
      stop();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [db, dir]);

  return { items, isWriting, syncError, setSyncError };
}
