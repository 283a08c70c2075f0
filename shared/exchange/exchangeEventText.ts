/**
 * The exchange ledger events in plain words, for the ledger view and custody timelines. Reads
 * only fields every version writes; the file name comes back as recorded, for the caller to
 * show inert.
 */
import { EVENT_TITLES } from "../text/plainWords.js";

/** The exchange events' titles, taken from the one list of plain words. */
export const EXCHANGE_EVENT_TITLES: Record<string, string> = Object.fromEntries(
  ["bundle.exported", "bundle.opened", "bag.exported", "uco.exported"].map((type) => [type, EVENT_TITLES[type]!]),
);

const size = (bytes: unknown) =>
  typeof bytes === "number"
    ? bytes < 1024 * 1024
      ? `${bytes} bytes`
      : `${(bytes / 1024 / 1024).toFixed(1)} MiB`
    : "?";
const short = (hex: unknown) => (typeof hex === "string" ? `${hex.slice(0, 12)}…` : "?");

/** One line on what an exchange event recorded, or null for other events. */
export function describeExchangeEvent(type: string, payload: unknown): string | null {
  const p = (payload ?? {}) as Record<string, any>;
  const scope = p.scope === "items" ? `${p.items?.length ?? 0} item(s) with their proof` : "the whole case";
  const head = `up to event ${p.head?.seq ?? "?"}`;
  switch (type) {
    case "bundle.exported":
      return `bundle ${p.file?.name} written: ${scope}, ${head}; ${size(p.file?.size)}, SHA-256 ${short(p.file?.sha256)}`;
    case "bundle.opened":
      return `case received in bundle ${p.file?.name} (${size(p.file?.size)}, SHA-256 ${short(p.file?.sha256)}), checked ${head}`;
    case "uco.exported":
      return `CASE/UCO file ${p.file?.name} written: ${p.itemCount} item(s), ${p.actionCount} action(s), ${head}; SHA-256 ${short(p.file?.sha256)}`;
    case "bag.exported":
      return `BagIt bag ${p.name} written: ${scope}, ${head}; payload ${p.payloadOxum} (bytes.files)`;
    default:
      return null;
  }
}
