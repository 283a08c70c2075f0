/**
 * Results cross a transport instead of exceptions: the UI can act on `code`
 * and show `message` (one line a person understands).
 */
export type ErrorCode =
  | "invalid-input"
  | "not-found"
  | "not-a-case"
  | "case-exists"
  | "locked"
  | "no-key"
  | "unauthorized"
  | "cancelled"
  | "io-error"
  /** The case folder is not as Sightline wrote it (a link, a file where a folder belongs, case.json against the ledger). */
  | "tampered"
  | "internal";

export interface ApiError {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string): Result<never> => ({ ok: false, error: { code, message } });
