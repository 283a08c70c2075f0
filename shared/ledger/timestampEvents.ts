/**
 * Ledger events of trusted timestamps (RFC 3161, docs/LEDGER.md): a token from a time-stamping
 * authority over the ledger head, stored in the case and named in an event, so that the head is
 * proven to have existed at that time by a party other than the examiner.
 *
 * What is imprinted: the SHA-256 of the 32 raw bytes of the head event's `hash` (the hex text
 * decoded), so `printf %s "$HASH" | xxd -r -p | sha256sum` recomputes it.
 *
 * A request that could not be sent is a `timestamp.requested` event: it says a timestamp was
 * asked for and not yet given, and proves no time. It stays pending until a `timestamp.recorded`
 * names it in `request`.
 */
import { z } from "zod";
import { EventRefSchema, examinerText, isoInstant } from "./geoEvents.js";

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * An http or https address of a time-stamping authority: a host (name, IPv4 or [IPv6]) and port,
 * no user name or password (no `@` before the path), a path of the characters RFC 3986 allows
 * (so no quotes, angle brackets, spaces or controls).
 */
export const TsaUrlSchema = z
  .string()
  .max(2000)
  .regex(
    /^https?:\/\/[A-Za-z0-9.\-[\]:]+(\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*)?$/,
    "a time-stamping authority is an http:// or https:// address without a user name or password",
  );

/** The request's nonce: 16 random bytes as 32 lower-case hex digits (a positive INTEGER on the wire). */
export const TimestampNonceSchema = z.string().regex(/^[0-9a-f]{32}$/);

/** `timestamps/<head seq>-<head hash>.tsr`, `-2`, `-3`… when a head is timestamped more than once. */
export const TIMESTAMP_TOKEN_PATH = /^timestamps\/\d{1,15}-[0-9a-f]{64}(-[1-9]\d{0,3})?\.tsr$/;

/** A timestamp asked for while no authority could be reached: pending, never a proof of time. */
export const TimestampRequestedPayload = z.strictObject({
  /** The ledger head the request covers (the event before this one). */
  head: EventRefSchema,
  tsaUrl: TsaUrlSchema,
  /** SHA-256 of the head hash's 32 raw bytes: the request's messageImprint. */
  imprint: hex64,
  nonce: TimestampNonceSchema,
  /** Why it could not be sent, in plain words. */
  reason: examinerText(500),
});
export type TimestampRequested = z.infer<typeof TimestampRequestedPayload>;

/** A token an authority granted over a ledger head, checked before it was recorded. */
export const TimestampRecordedPayload = z.strictObject({
  head: EventRefSchema,
  /** The `timestamp.requested` event this answers, or null when it was sent at once. */
  request: EventRefSchema.nullable(),
  tsaUrl: TsaUrlSchema,
  imprint: hex64,
  nonce: TimestampNonceSchema,
  /** The TimeStampToken (DER CMS ContentInfo), stored read-only in the case. */
  token: z.strictObject({
    path: z.string().regex(TIMESTAMP_TOKEN_PATH),
    sha256: hex64,
    size: z
      .number()
      .int()
      .positive()
      .max(1024 * 1024),
  }),
  /** TSTInfo genTime, as an ISO 8601 instant in UTC. */
  genTime: isoInstant,
  /** TSTInfo serialNumber, hex. */
  serial: z.string().regex(/^[0-9a-f]{1,128}$/),
  /** TSTInfo tsa name, or the signing certificate's subject when the token names none (shown inert). */
  tsaName: examinerText(1000),
  /** TSTInfo policy, a dotted OID. */
  policy: z.string().regex(/^\d+(\.\d+){1,63}$/),
  /** SHA-256 of the DER signing certificate, and of the examiner's trust anchor its chain ended in. */
  signerCertSha256: hex64,
  anchorSha256: hex64,
});
export type TimestampRecorded = z.infer<typeof TimestampRecordedPayload>;

export const TIMESTAMP_PAYLOAD_SCHEMAS = {
  "timestamp.requested": TimestampRequestedPayload,
  "timestamp.recorded": TimestampRecordedPayload,
} as const;
