/** An item's summary as the board lists it, from its replayed state. */
import { SEARCH_TEXT_LIMIT, type ItemSummary } from "../../../shared/api/contract.js";
import type { ItemState } from "../../../shared/ledger/caseState.js";

export function summarise(item: ItemState): ItemSummary {
  const m = item.metadata;
  const thumbnail =
    item.derivatives.find((d) => d.role === "thumbnail") ?? item.derivatives.find((d) => d.role === "poster");
  return {
    sha256: item.sha256,
    name: item.displayName,
    size: item.size,
    acquisitionCount: item.acquisitions.length,
    firstAcquiredAt: item.acquisitions[0]?.ts ?? "",
    kind: m?.kind ?? null,
    mime: m?.mime ?? null,
    capturedAt: m?.metadata.capturedAt ?? null,
    hasGps: !!m?.metadata.gps,
    warningCodes: [...new Set(m?.warnings.map((w) => w.code) ?? [])],
    thumbnailPath: thumbnail?.path ?? null,
    status: item.status,
    tags: item.tags,
    noteCount: item.notes.length,
    integrity: item.integrity,
    searchText: searchTextOf(item),
  };
}

function searchTextOf(item: ItemState): string {
  const m = item.metadata?.metadata;
  const parts = [
    m?.camera?.make,
    m?.camera?.model,
    m?.software,
    m?.capturedAtSource,
    ...(m?.codecs ?? []),
    ...item.acquisitions.flatMap((a) => [
      a.source.originalName,
      a.source.relativePath,
      a.collection.sourceUrl,
      a.collection.sourceAccount,
      a.collection.method,
      a.collection.note,
    ]),
    ...item.notes.map((n) => n.text),
  ];
  return [...new Set(parts.filter((p): p is string => !!p))].join("\n").slice(0, SEARCH_TEXT_LIMIT);
}
