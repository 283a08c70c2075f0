/**
 * The renderer's projection of a case in IndexedDB (DESIGN rule 2): a copy of
 * the item list, indexed for the board's filters, kept with the ledger head it
 * reflects. When the head the host reports differs (an import landed, the
 * database was wiped, another window changed the case) it is rebuilt from the
 * host, which replays the ledger. The board reads the whole table once when it
 * opens a case whose projection is current, and afterwards applies the rows
 * each sync changed (re-reading 100,000 rows after every event cost seconds).
 */
import { Dexie, type Table } from "dexie";
import type { ApiClient } from "../../api/apiClient.js";
import type { ItemSummary } from "../../../shared/api/contract.js";
import { hasIntegrityProblem } from "../../../shared/ledger/integrity.js";

export interface ItemRow extends ItemSummary {
  /** Lower-case text the search box matches: name, kind, status, tags, warnings, and the host's search text. */
  haystack: string;
  hasWarnings: 0 | 1;
  gps: 0 | 1;
  /** 1 when the last verification found a problem with the item that no restore has answered. */
  integrityFailed: 0 | 1;
}

interface MetaRow {
  key: string;
  value: unknown;
}

export class CaseProjection extends Dexie {
  items!: Table<ItemRow, string>;
  meta!: Table<MetaRow, string>;

  constructor(caseId: string) {
    // Relaxed durability: the projection is rebuilt from the ledger whenever its head is off, so a
    // write lost in a crash costs a rebuild, never evidence; Chromium then skips a flush per write.
    // No query cache: the board reads the whole table and keeps its own copy, and Dexie's default
    // cache deep-cloned every read (at 100,000 rows, over a second and as much again in garbage
    // collection on each reopen) and held another copy of the rows besides.
    super(`sightline-case-${caseId}`, { chromeTransactionDurability: "relaxed", cache: "disabled" });
    this.version(2).stores({
      items: "sha256, name, kind, capturedAt, gps, hasWarnings, size, firstAcquiredAt, status, *tags",
      meta: "key",
    });
    // Version 3 changed the row's shape (the search haystack): start again from the ledger.
    this.version(3)
      .stores({
        items: "sha256, name, kind, capturedAt, gps, hasWarnings, size, firstAcquiredAt, status, *tags",
        meta: "key",
      })
      .upgrade(async (tx) => {
        await tx.table("items").clear();
        await tx.table("meta").clear();
      });
    // Version 4 keeps the indexes of the board's filters only: sorting happens in memory, and each
    // index more made the first build of a 50,000-item case seconds slower.
    this.version(4).stores({
      items: "sha256, kind, gps, hasWarnings, status, *tags",
      meta: "key",
    });
    // Version 5 adds each item's integrity (from the last verification) to the row: start again from the ledger.
    this.version(5)
      .stores({
        items: "sha256, kind, gps, hasWarnings, status, *tags",
        meta: "key",
      })
      .upgrade(async (tx) => {
        await tx.table("items").clear();
        await tx.table("meta").clear();
      });
  }
}

/** `rows` with `changed` put in place (by SHA-256) or added at the end: a case never loses an item. */
export function withChangedRows(rows: ItemRow[], changed: ItemRow[]): ItemRow[] {
  if (changed.length === 0) return rows;
  // A few rows (a note, a tag): a scan each; many (an import): one map of the rows.
  let indexOf = (sha: string) => rows.findIndex((r) => r.sha256 === sha);
  if (changed.length > 16) {
    const at = new Map<string, number>();
    for (let i = 0; i < rows.length; i++) at.set(rows[i]!.sha256, i);
    indexOf = (sha) => at.get(sha) ?? -1;
  }
  const next = rows.slice();
  for (const row of changed) {
    const i = indexOf(row.sha256);
    if (i < 0) next.push(row);
    else next[i] = row;
  }
  return next;
}

/** Rows written to IndexedDB per slice during a rebuild: about a frame's worth of cloning. */
const REBUILD_SLICE = 1000;

export function toRow(item: ItemSummary): ItemRow {
  return {
    ...item,
    haystack: [
      item.name,
      item.mime ?? "",
      item.kind ?? "",
      item.status,
      ...item.tags,
      ...item.warningCodes,
      item.searchText,
    ]
      .join("\n")
      .toLowerCase(),
    hasWarnings: item.warningCodes.length > 0 ? 1 : 0,
    gps: item.hasGps ? 1 : 0,
    integrityFailed: hasIntegrityProblem(item.integrity) ? 1 : 0,
  };
}

/**
 * Brings the projection up to `head`. When the stored head is an earlier event of
 * the same ledger (its hash is the one the ledger has at that seq), only items
 * touched since are fetched; otherwise (first open, wiped database, a ledger that
 * does not continue the stored one) everything is rebuilt. Returns what it did.
 */
export async function syncProjection(
  db: CaseProjection,
  client: ApiClient,
  dir: string,
  head: { seq: number; hash: string } | null,
  /**
   * On a rebuild, the new rows before they are written: writing 50,000 rows to IndexedDB takes
   * Chromium many seconds, and the board can show and filter them from memory meanwhile.
   */
  onRebuild?: (rows: ItemRow[]) => void,
): Promise<{
  outcome: "current" | "updated" | "rebuilt";
  rows: ItemRow[];
  /** The head the stored projection was at before: "updated" rows are the changes since it. */
  from: { seq: number; hash: string } | null;
}> {
  const stored = (await db.meta.get("head"))?.value as { seq: number; hash: string } | null | undefined;
  const from = stored ?? null;
  if (stored && head && stored.hash === head.hash) return { outcome: "current", rows: [], from };
  let continues = false;
  if (stored && head && stored.seq < head.seq) {
    const at = await client.api.ledgerEvents({ dir, afterSeq: stored.seq - 1, limit: 1 });
    continues = at.ok && at.value[0]?.event.hash === stored.hash;
  }
  const items = await client.api.listItems(continues ? { dir, changedAfterSeq: stored!.seq } : { dir });
  if (!items.ok) throw new Error(items.error.message);
  const rows = items.value.map(toRow);
  if (continues) {
    await db.transaction("rw", db.items, db.meta, async () => {
      await db.items.bulkPut(rows);
      await db.meta.put({ key: "head", value: head });
    });
    return { outcome: "updated", rows, from };
  }
  // A rebuild: the rows go to the board at once, then to IndexedDB in slices with a frame between
  // them (cloning rows into IndexedDB holds the page's thread), and the head last, so a rebuild cut
  // short is simply done again.
  onRebuild?.(rows);
  await db.transaction("rw", db.items, db.meta, async () => {
    await db.meta.delete("head");
    await db.items.clear();
  });
  for (let at = 0; at < rows.length; at += REBUILD_SLICE) {
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    await db.items.bulkPut(rows.slice(at, at + REBUILD_SLICE));
  }
  await db.meta.put({ key: "head", value: head });
  return { outcome: "rebuilt", rows, from };
}
