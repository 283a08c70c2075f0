/**
 * Ledger events of cases that travel (docs/LEDGER.md, "Cases that travel"): bundles and BagIt
 * bags written from a case, whole or as a subset of its items, and bundles opened into one, each
 * with the hashes that let the recipient check what they received.
 *
 * A bundle cannot hold the event that records it (the event carries the bundle's own SHA-256),
 * so `head` names the last event the bundle does hold: the recipient compares it with the head
 * of the ledger they received.
 */
import { z } from "zod";
import { CASE_UCO_PAYLOAD_SCHEMAS } from "../exchange/caseUcoEvent.js";
import { EventRefSchema } from "./geoEvents.js";

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/** A file name as the examiner chose it, shown inert: no folders, no control characters, bounded. */
const fileName = z
  .string()
  .min(1)
  .max(255)
  .refine((t) => !/[/\\\u0000-\u001f\u007f]/.test(t), "a plain file name, without folders or control characters");

const ToolSchema = z.strictObject({ name: z.string().min(1).max(128), version: z.string().max(128) });

/** What a bundle or bag holds: the whole case, or the named items only (with a proof for their events). */
export const EXCHANGE_SCOPES = ["case", "items"] as const;
export type ExchangeScope = (typeof EXCHANGE_SCOPES)[number];

/** The file written, by name (never a path on the examiner's disk), SHA-256 and size. */
export const ExchangeFileSchema = z.strictObject({
  name: fileName,
  sha256: hex64,
  size: z.number().int().nonnegative(),
});

/** A bundle (one zip file) written from the case. */
export const BundleExportedPayload = z.strictObject({
  file: ExchangeFileSchema,
  /** The last event the bundle holds. */
  head: EventRefSchema,
  scope: z.enum(EXCHANGE_SCOPES),
  /** The items of an `items` bundle, by SHA-256; empty for the whole case. */
  items: z.array(hex64).max(100_000),
  /** Files in the bundle's case folder, and their bytes. */
  fileCount: z.number().int().nonnegative(),
  payloadBytes: z.number().int().nonnegative(),
  tool: ToolSchema,
});
export type BundleExported = z.infer<typeof BundleExportedPayload>;

/**
 * A bundle opened into this case folder, after every check passed: the event's actor is who
 * received it and its `ts` when. `head` is the last event the bundle held (the one before this).
 */
export const BundleOpenedPayload = z.strictObject({
  file: ExchangeFileSchema,
  head: EventRefSchema,
  fileCount: z.number().int().nonnegative(),
  payloadBytes: z.number().int().nonnegative(),
  tool: ToolSchema,
});
export type BundleOpened = z.infer<typeof BundleOpenedPayload>;

/** A BagIt bag (RFC 8493) written from the case, with the digests of its two manifests. */
export const BagExportedPayload = z.strictObject({
  /** The bag's folder name (never its full path). */
  name: fileName,
  head: EventRefSchema,
  scope: z.enum(EXCHANGE_SCOPES),
  items: z.array(hex64).max(100_000),
  /** `<bytes>.<files>` of the payload, as bag-info.txt states it. */
  payloadOxum: z.string().regex(/^\d{1,20}\.\d{1,12}$/),
  /** SHA-256 of manifest-sha256.txt and of tagmanifest-sha256.txt as written. */
  manifestSha256: hex64,
  tagManifestSha256: hex64,
  tool: ToolSchema,
});
export type BagExported = z.infer<typeof BagExportedPayload>;

export const EXCHANGE_PAYLOAD_SCHEMAS = {
  "bundle.exported": BundleExportedPayload,
  "bundle.opened": BundleOpenedPayload,
  "bag.exported": BagExportedPayload,
  ...CASE_UCO_PAYLOAD_SCHEMAS,
} as const;
