/**
 * Ledger events of cases that travel (docs/LEDGER.md): bundles, BagIt bags, CASE/UCO exports and
 * item subsets written from a case, and bundles opened into one, each with the hashes that let the
 * recipient check what they received.
 */
export const EXCHANGE_PAYLOAD_SCHEMAS = {} as const;
