/**
 * Sends a TimeStampReq to an authority over HTTP (RFC 3161 section 3.4): one POST of
 * `application/timestamp-query`, no redirects followed, a deadline for the whole exchange and a
 * bound on the reply's size (a token is a few kilobytes; a larger body is refused as it arrives).
 */
import { TsaUrlSchema } from "../../../shared/ledger/timestampEvents.js";
import { TimestampFault } from "./timestampFault.js";

export interface TsaExchangeOptions {
  /** Milliseconds for connecting, sending and reading the whole reply. */
  timeoutMs?: number;
  maxReplyBytes?: number;
}

export const DEFAULT_TSA_TIMEOUT_MS = 30_000;
export const MAX_REPLY_BYTES = 256 * 1024;

/** Why an authority could not be asked at all (so the request may be queued), as opposed to a bad answer. */
export class TsaUnreachable extends Error {}

/** The URL, refused unless it is http(s) without credentials. */
export function tsaUrl(text: string): URL {
  const parsed = TsaUrlSchema.safeParse(text);
  if (!parsed.success) {
    throw new TimestampFault(
      "a time-stamping authority is an http:// or https:// address without a user name or password",
    );
  }
  return new URL(parsed.data);
}

/** POSTs the query and returns the reply's bytes; TsaUnreachable when no answer came, TimestampFault for a bad one. */
export async function exchangeWithTsa(
  url: string,
  query: Uint8Array,
  options: TsaExchangeOptions = {},
): Promise<Buffer> {
  const target = tsaUrl(url);
  const limit = options.maxReplyBytes ?? MAX_REPLY_BYTES;
  const signal = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TSA_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/timestamp-query", accept: "application/timestamp-reply" },
      body: query,
      redirect: "manual",
      signal,
    });
  } catch (error) {
    throw new TsaUnreachable(unreachableReason(error, signal));
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    throw new TimestampFault(`the authority answered with a redirect (HTTP ${response.status}), which is not followed`);
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new TsaUnreachable(`the authority answered HTTP ${response.status} instead of a timestamp`);
  }
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new TimestampFault(`the authority's reply is ${declared} bytes, more than the ${limit} a timestamp needs`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > limit) {
        await response.body?.cancel().catch(() => undefined);
        throw new TimestampFault(`the authority's reply grew past ${limit} bytes, more than a timestamp needs`);
      }
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    if (error instanceof TimestampFault) throw error;
    throw new TsaUnreachable(unreachableReason(error, signal));
  }
  if (size === 0) throw new TimestampFault("the authority's reply was empty");
  return Buffer.concat(chunks);
}

function unreachableReason(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return "the authority did not answer in time";
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return `the authority cannot be reached (${String(detail).split("\n")[0]!.slice(0, 200)})`;
}
