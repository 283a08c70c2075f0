/**
 * The renderer's projection of a case in IndexedDB (DESIGN rule 2): a copy of
 * the item list, indexed for the board's filters, kept with the ledger head it
 * reflects. When the head the host reports differs (an import landed, the
 * database was wiped, another window changed the case) it is rebuilt from the
 * host, which replays the ledger. Views read it with live queries, so every
 * open view updates when it changes.
 */
import { Dexie, type Table } from "dexie";
import type { ApiClient } from "../../api/apiClient.js";
import type { ItemSummary } from "../../../shared/api/contract.js";

export interface ItemRow extends ItemSummary {
  /** Lower-case text the search box matches: name, kind, status, tags, warnings, and the host's search text. */
  haystack: string;
  hasWarnings: 0 | 1;
  gps: 0 | 1;
}

interface MetaRow {
  key: string;
  value: unknown;
}

export class CaseProjection extends Dexie {
  items!: Table<ItemRow, string>;
  meta!: Table<MetaRow, string>;

  constructor(caseId: string) {
    super(`sightline-case-${caseId}`);
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
  }
}

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
): Promise<"current" | "updated" | "rebuilt"> {
  const stored = (await db.meta.get("head"))?.value as { seq: number; hash: string } | null | undefined;
  if (stored && head && stored.hash === head.hash) return "current";
  let continues = false;
  if (stored && head && stored.seq < head.seq) {
    const at = await client.api.ledgerEvents({ dir, afterSeq: stored.seq - 1, limit: 1 });
    continues = at.ok && at.value[0]?.event.hash === stored.hash;
  }
  const items = await client.api.listItems(continues ? { dir, changedAfterSeq: stored!.seq } : { dir });
  if (!items.ok) throw new Error(items.error.message);
  await db.transaction("rw", db.items, db.meta, async () => {
    if (!continues) await db.items.clear();
    await db.items.bulkPut(items.value.map(toRow));
    await db.meta.put({ key: "head", value: head });
  });
  return continues ? "updated" : "rebuilt";
}
