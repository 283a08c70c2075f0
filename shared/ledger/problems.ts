/** What verification can find, each with the place it was found. */

export type ProblemCode =
  | "ledger-missing"
  | "ledger-empty"
  | "ledger-malformed-line"
  | "ledger-torn-tail"
  | "ledger-invalid-text"
  | "ledger-duplicate-key"
  | "event-field-unknown"
  | "event-type-unknown"
  | "signature-malformed"
  | "genesis-repeated"
  | "examiner-key-invalid"
  | "case-layout-invalid"
  | "genesis-invalid"
  | "event-hash-mismatch"
  | "signer-unknown"
  | "signature-invalid"
  | "event-missing"
  | "event-out-of-order"
  | "chain-broken"
  | "payload-invalid"
  | "case-file-invalid"
  | "case-id-mismatch"
  | "case-title-mismatch"
  | "case-keys-mismatch"
  | "object-missing"
  | "object-corrupt"
  | "object-size-mismatch"
  | "object-unreferenced"
  | "object-path-invalid"
  | "object-not-regular"
  | "derivative-missing"
  | "derivative-corrupt"
  | "derivative-path-invalid"
  | "derivative-not-regular"
  | "geo-item-unknown"
  | "geo-reference-broken"
  | "geo-snapshot-unknown"
  | "geolocation-self-review"
  | "export-missing"
  | "export-corrupt"
  | "export-not-regular"
  | "timestamp-head-unknown"
  | "timestamp-reference-broken"
  | "timestamp-missing"
  | "timestamp-not-regular"
  | "timestamp-corrupt"
  | "timestamp-invalid"
  | "timestamp-imprint-mismatch"
  | "timestamp-signature-invalid"
  | "timestamp-time-invalid"
  | "exercise-repeated"
  | "exercise-misplaced"
  | "exercise-frozen"
  | "hint-beyond-count"
  | "exercise-key-mismatch";

export interface Problem {
  code: ProblemCode;
  /** One line a person understands. */
  message: string;
  /** 1-based line of ledger.jsonl, when the problem is in the ledger. */
  line?: number;
  seq?: number;
  /** SHA-256 of the item concerned. */
  item?: string;
  /** Path relative to the case folder. */
  file?: string;
}

export type NoticeCode =
  | "import-interrupted"
  | "derivative-unreferenced"
  | "export-unreferenced"
  | "timestamp-pending"
  | "timestamp-untrusted"
  | "timestamp-unreferenced"
  | "original-restored";

/** Something a verifier should know that is not a sign of tampering. */
export interface Notice {
  code: NoticeCode;
  message: string;
  line?: number;
  file?: string;
}
