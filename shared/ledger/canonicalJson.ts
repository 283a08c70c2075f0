/**
 * RFC 8785 (JSON Canonicalization Scheme) for ledger events.
 *
 * The ledger hashes the canonical form of each event, so anyone can re-check a
 * hash with any JCS implementation. We use the reference implementation's
 * maintained package rather than our own serializer.
 */
import canonicalizeJcs from "canonicalize";

/** The JCS text of `value`. Throws on values JSON cannot carry (undefined, functions, NaN). */
export function canonicalJson(value: unknown): string {
  const text = canonicalizeJcs(value);
  if (text === undefined) throw new TypeError("value has no canonical JSON form");
  return text;
}
