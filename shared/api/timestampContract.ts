/**
 * The trusted-timestamp part of the API (spread into `contract` in contract.ts): the examiner's
 * time-stamping authorities (kept in their profile), timestamping the ledger head, sending
 * requests queued while no authority answered, and the case's timestamps.
 */
import { z } from "zod";
import type { EventRef } from "../ledger/geoEvents.js";

const caseDir = z.string().min(1, "a case folder is required").max(4096);
const tsaUrl = z.string().min(1, "an authority's address is required").max(2000);

type MethodSpec<I extends z.ZodType, O> = { input: I; output?: O; doc: string };
const method =
  <O>() =>
  <I extends z.ZodType>(input: I, doc: string): MethodSpec<I, O> => ({ input, doc });

/** A time-stamping authority as the examiner configured it; anchors described, not their PEM. */
export interface TsaInfo {
  url: string;
  name: string;
  anchors: { subject: string; sha256: string; notAfter: string }[];
}

/** A timestamp of the case, granted (`recorded`) or asked for and not yet sent (`pending`). */
export type TimestampInfo =
  | {
      status: "recorded";
      ref: EventRef;
      ts: string;
      actorName: string;
      head: EventRef;
      tsaUrl: string;
      tsaName: string;
      genTime: string;
      serial: string;
      policy: string;
      tokenPath: string;
      tokenSha256: string;
    }
  | { status: "pending"; ref: EventRef; ts: string; actorName: string; head: EventRef; tsaUrl: string; reason: string };

/** What one attempt to timestamp came to. */
export type TimestampOutcome =
  | {
      status: "recorded";
      ref: EventRef;
      head: EventRef;
      tsaUrl: string;
      tsaName: string;
      genTime: string;
      tokenPath: string;
    }
  | { status: "queued"; ref: EventRef; head: EventRef; tsaUrl: string; reason: string };

export const timestampContract = {
  timestampAuthorities: method<TsaInfo[]>()(
    z.object({ dir: caseDir }),
    "The time-stamping authorities this profile's examiner in the case uses, in the order they are tried.",
  ),
  saveTimestampAuthority: method<TsaInfo[]>()(
    z.object({
      dir: caseDir,
      url: tsaUrl,
      name: z.string().trim().max(200).default(""),
      /** PEM certificates the authority's tokens must chain to. */
      anchorsPem: z.string().min(1, "the authority's trust anchors (PEM certificates) are required").max(200_000),
    }),
    "Adds a time-stamping authority (or replaces the one at that address) with its trust anchors, in the examiner's profile.",
  ),
  removeTimestampAuthority: method<TsaInfo[]>()(
    z.object({ dir: caseDir, url: tsaUrl }),
    "Removes a time-stamping authority from the examiner's profile.",
  ),
  timestampLedger: method<TimestampOutcome>()(
    z.object({ dir: caseDir, tsaUrl: tsaUrl.optional() }),
    "Sends the SHA-256 of the ledger head to a time-stamping authority, checks and stores the token (a timestamp.recorded event); when none answers, queues the request (a timestamp.requested event).",
  ),
  sendPendingTimestamps: method<TimestampOutcome[]>()(
    z.object({ dir: caseDir }),
    "Sends every queued timestamp request; those an authority grants are recorded, the others stay queued.",
  ),
  listTimestamps: method<TimestampInfo[]>()(
    z.object({ dir: caseDir }),
    "Every timestamp of the case, recorded or pending, oldest first.",
  ),
} as const;
