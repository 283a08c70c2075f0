/**
 * Ledger events of custody reports (docs/LEDGER.md): each report generated is an event carrying the
 * report file's SHA-256 and the ledger head it was built from, so a court can be told exactly which
 * report came from which ledger.
 */
export const REPORT_PAYLOAD_SCHEMAS = {} as const;
