/**
 * The board's rows: the case's Dexie projection kept at the ledger head (now, whenever the ledger
 * moves, and when an import finishes), read live; while a rebuilt projection is being written,
 * the rows in memory stand in for it.
 */
import { useLiveQuery } from "dexie-react-hooks";
import { useEffect, useMemo, useState } from "react";
import type { CaseSummary } from "../../../../shared/api/contract.js";
import type { Connection } from "../../connection.js";
import { CaseProjection, syncProjection, type ItemRow } from "../../db/projection.js";

export function useCaseProjection(connection: Connection, summary: CaseSummary, onSummary: (s: CaseSummary) => void) {
  const { client } = connection;
  const dir = summary.dir;
  const db = useMemo(() => new CaseProjection(summary.id), [summary.id]);
  const [syncError, setSyncError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    // One sync at a time: events come in bursts during an import, and two syncs racing could
    // leave the older one's rows (and head) last. A request made while one runs queues one more.
    let running: Promise<void> | null = null;
    let again = false;
    const syncOnce = async () => {
      const opened = await client.api.openCase({ dir });
      if (!opened.ok) return setSyncError(opened.error.message);
      if (!alive) return;
      onSummary(opened.value);
      let isRebuilding = false;
      await syncProjection(db, client, dir, opened.value.head, (rows) => {
        isRebuilding = true;
        if (alive) setBuilding({ rows, isWritten: false });
      }).catch((e: Error) => setSyncError(e.message));
      if (isRebuilding && alive) setBuilding((b) => b && { ...b, isWritten: true });
    };
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

  // While a rebuilt projection is being written, the board works from the rows in memory (and the
  // live query rests, rather than re-reading the table after every slice); it returns to the live
  // query once that reflects the written rows.
  const [building, setBuilding] = useState<{ rows: ItemRow[]; isWritten: boolean } | null>(null);
  const isWriting = building !== null && !building.isWritten;
  const live = useLiveQuery<ItemRow[] | undefined>(() => (isWriting ? undefined : db.items.toArray()), [db, isWriting]);
  useEffect(() => {
    if (building?.isWritten && live && live.length >= building.rows.length) setBuilding(null);
  }, [building, live]);
  const items = useMemo(() => building?.rows ?? live ?? [], [building, live]);
  return { items, isWriting, syncError, setSyncError };
}
