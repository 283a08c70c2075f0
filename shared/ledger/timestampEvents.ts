/**
 * Ledger events of trusted timestamps (RFC 3161, docs/LEDGER.md): a token from a time-stamping
 * authority over the ledger head, stored in the case and named in an event, so that the head is
 * proven to have existed at that time by a party other than the examiner.
 */
export const TIMESTAMP_PAYLOAD_SCHEMAS = {} as const;
