/**
 * Ledger event shapes (see docs/LEDGER.md for the on-disk format).
 *
 * A ledger line is one `LedgerEvent`. Its `hash` is the SHA-256 of the JCS form
 * of the event without `hash` and `sig`; `sig` is Ed25519 over the 32 raw bytes
 * of that hash, by the key named in `actor`. Event types are past-tense facts.
 */
import { z } from "zod";
import { MEDIA_KINDS, MediaMetadataSchema, MediaWarningSchema, WARNING_CODES } from "../media/metadata.js";
import { CollectionRecordSchema } from "./collectionRecord.js";
import { EXCHANGE_PAYLOAD_SCHEMAS } from "./exchangeEvents.js";
import { GEO_PAYLOAD_SCHEMAS, SnapshotResamplingSchema } from "./geoEvents.js";
import { REPORT_PAYLOAD_SCHEMAS } from "./reportEvents.js";
import { RESTORE_PAYLOAD_SCHEMAS } from "./restoreEvents.js";
import { TIMESTAMP_PAYLOAD_SCHEMAS } from "./timestampEvents.js";
import { TRAINING_PAYLOAD_SCHEMAS } from "./trainingEvents.js";

export const HASH_ALGORITHMS = ["sha256", "md5", "sha1"] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const hex40 = z.string().regex(/^[0-9a-f]{40}$/);
const hex32 = z.string().regex(/^[0-9a-f]{32}$/);
const isoTime = z.string().min(10).max(64);

/** Every event, whatever its type. */
export const LedgerEventSchema = z.object({
  seq: z.number().int().nonnegative(),
  id: z.string().min(1).max(64),
  ts: isoTime,
  actor: z.string().min(1).max(128),
  type: z.string().regex(/^[a-z]+(\.[a-z]+)+$/),
  payload: z.record(z.string(), z.unknown()),
  prev: hex64.nullable(),
  hash: hex64,
  sig: z.string().min(1).max(256),
});
export type LedgerEvent<P = Record<string, unknown>> = Omit<z.infer<typeof LedgerEventSchema>, "payload"> & {
  payload: P;
};
/** The part of an event its hash covers. */
export type UnsignedEvent<P = Record<string, unknown>> = Omit<LedgerEvent<P>, "hash" | "sig">;

export const ExaminerSchema = z.strictObject({
  keyId: z.string().min(1).max(128),
  name: z.string().min(1).max(256),
  /** Base64 DER SubjectPublicKeyInfo of the Ed25519 public key. */
  publicKey: z.string().min(1).max(256),
});
export type Examiner = z.infer<typeof ExaminerSchema>;

export const CaseCreatedPayload = z.strictObject({
  caseId: z.string().min(1),
  title: z.string(),
  formatVersion: z.number().int(),
  hashAlgorithms: z.array(z.enum(HASH_ALGORITHMS)),
  examiner: ExaminerSchema,
});
export type CaseCreated = z.infer<typeof CaseCreatedPayload>;

export const ExaminerAddedPayload = z.strictObject({ examiner: ExaminerSchema });

export {
  COLLECTION_FIELDS,
  CollectionRecordSchema,
  type CollectionField,
  type CollectionRecord,
} from "./collectionRecord.js";

export const ItemImportedPayload = z.strictObject({
  sha256: hex64,
  md5: hex32.optional(),
  sha1: hex40.optional(),
  size: z.number().int().nonnegative(),
  /** Vault path relative to the case folder, e.g. `objects/sha256/ab/cdef…`. */
  objectPath: z.string(),
  /** False when the same bytes were already in the vault: this is a further acquisition. */
  isNewObject: z.boolean(),
  source: z.strictObject({
    originalName: z.string(),
    path: z.string(),
    /** Path under the folder that was imported, with `/` separators; null for a file named directly. */
    relativePath: z.string().nullable(),
    /** Null where the way the file arrived does not tell (a file sent by the workbench page). */
    fileTimes: z.strictObject({
      modified: z.string(),
      changed: z.string().nullable(),
      accessed: z.string().nullable(),
      born: z.string().nullable(),
    }),
    /**
     * How the bytes arrived. Absent: read from `path` on the acquiring machine. `upload`: sent by the
     * workbench page (files dropped or picked in a browser), which knows each file's name, its path under
     * a dropped folder, and its modification time, but not where the file was on disk; `path` then holds
     * the name as the page gave it. `window`: read from `path` on the acquiring machine, which the
     * examiner dropped or picked in the workbench's own window (`sightline host --open`; its browser
     * named the file's path).
     */
    channel: z.enum(["upload", "window"]).optional(),
  }),
  acquisition: z.strictObject({
    acquiredAt: z.string(),
    host: z.string(),
    user: z.string(),
    platform: z.string(),
  }),
  collection: CollectionRecordSchema,
});
export type ItemImported = z.infer<typeof ItemImportedPayload>;

export const LedgerRecoveredPayload = z.strictObject({
  /** Bytes of an unfinished last line found after an interrupted append, moved aside. */
  tornBytes: z.number().int().positive(),
  tornSha256: hex64,
  savedAs: z.string(),
});

const ToolSchema = z.strictObject({ name: z.string().min(1).max(128), version: z.string().max(128) });

/** What an item's file says about itself, read once at import (see shared/media/metadata.ts). */
export const MetadataExtractedPayload = z.strictObject({
  sha256: hex64,
  mime: z.string().max(256),
  kind: z.enum(MEDIA_KINDS),
  metadata: MediaMetadataSchema,
  warnings: z.array(MediaWarningSchema),
  /** The readers and their versions, e.g. exifr 7.1.3, ffprobe 5.1.9. */
  tools: z.array(ToolSchema),
});
export type MetadataExtracted = z.infer<typeof MetadataExtractedPayload>;

/** `map-snapshot`: the map as shown when a geolocation was saved (layers, zoom, centre, bounds, time in `params`). */
export const DERIVATIVE_ROLES = ["thumbnail", "keyframe", "poster", "proxy", "map-snapshot"] as const;
export type DerivativeRole = (typeof DERIVATIVE_ROLES)[number];

/**
 * A file made from an original (never the original itself): a thumbnail, a
 * video keyframe, a poster frame, a browser-playable proxy. It lives under
 * `derived/<parent sha256>/`, is named by this event with its own hash, and
 * records the tool, version and parameters that made it, so anyone can make it again.
 */
export const DerivativeCreatedPayload = z
  .strictObject({
    parent: hex64,
    role: z.enum(DERIVATIVE_ROLES),
    /** Case-relative path; always `derived/<parent>/<name>` with a plain file name. */
    path: z.string().regex(/^derived\/[0-9a-f]{64}\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/),
    sha256: hex64,
    size: z.number().int().nonnegative(),
    mime: z.string().max(128),
    width: z.number().int().positive().nullable(),
    height: z.number().int().positive().nullable(),
    /** Seconds into the parent video (keyframes, poster); null otherwise. */
    timestampS: z.number().nonnegative().nullable(),
    /** 64-bit DCT pHash as 16 hex digits (shared/media/phash.ts), or null. */
    phash: z
      .string()
      .regex(/^[0-9a-f]{16}$/)
      .nullable(),
    tool: ToolSchema,
    params: z.record(z.string(), z.unknown()),
  })
  .superRefine((p, ctx) => {
    // A map snapshot's params are recorded as the page sent them, except a layer's `resampling`: a
    // reader must be able to trust what it says about the pixels (docs/LEDGER.md, Map snapshots).
    if (p.role !== "map-snapshot" || !Array.isArray(p.params.layers)) return;
    p.params.layers.forEach((layer: unknown, i) => {
      if (layer === null || typeof layer !== "object" || Array.isArray(layer) || !Object.hasOwn(layer, "resampling"))
        return;
      const checked = SnapshotResamplingSchema.safeParse((layer as { resampling: unknown }).resampling);
      if (!checked.success)
        ctx.addIssue({ code: "custom", path: ["params", "layers", i, "resampling"], message: checked.error.message });
    });
  });
export type DerivativeCreated = z.infer<typeof DerivativeCreatedPayload>;

/** The review workflow of an item: unverified → in review → verified / disputed / rejected. */
export const ITEM_STATUSES = ["unverified", "in-review", "verified", "disputed", "rejected"] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** Which status may follow which; any decided status may go back to review. */
export const STATUS_TRANSITIONS: Record<ItemStatus, readonly ItemStatus[]> = {
  unverified: ["in-review"],
  "in-review": ["verified", "disputed", "rejected", "unverified"],
  verified: ["in-review"],
  disputed: ["in-review"],
  rejected: ["in-review"],
};

const safeText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((t) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(t), "must not hold control characters");

/** A note on an item, in Markdown (shown sanitised). */
export const NoteAddedPayload = z.strictObject({
  sha256: hex64,
  text: safeText(20_000).refine((t) => t.trim().length > 0, "a note needs text"),
});

const tag = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[^\s<>"'`\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]+$/u,
    "a tag is one word without markup or control characters",
  );

/** Tags added to and removed from an item. */
export const TagsChangedPayload = z.strictObject({
  sha256: hex64,
  added: z.array(tag).max(50),
  removed: z.array(tag).max(50),
});

/** A step in the review workflow, with who (the event's actor) and why. */
export const StatusChangedPayload = z.strictObject({
  sha256: hex64,
  from: z.enum(ITEM_STATUSES),
  to: z.enum(ITEM_STATUSES),
  reason: safeText(4000).refine((t) => t.trim().length > 0, "a status change needs a reason"),
});

/**
 * A warning on an item (its latest `metadata.extracted`) seen and answered by the examiner: the
 * warning's code and what the examiner makes of it. Once per code per item.
 */
export const WarningAcknowledgedPayload = z.strictObject({
  sha256: hex64,
  code: z.enum(WARNING_CODES),
  remark: safeText(4000).refine((t) => t.trim().length > 0, "an acknowledgement needs a remark"),
});

/**
 * A verification of the whole case, as run from the workbench (`sightline verify` only reads):
 * what was checked and what was found, so a later reader sees when the case was last proved
 * intact and by whom. The head is the one verified, i.e. the event before this one.
 */
export const VerificationRunPayload = z.strictObject({
  head: z.strictObject({ seq: z.number().int().nonnegative(), hash: hex64 }).nullable(),
  isClean: z.boolean(),
  eventCount: z.number().int().nonnegative(),
  itemCount: z.number().int().nonnegative(),
  objectsChecked: z.number().int().nonnegative(),
  bytesChecked: z.number().int().nonnegative(),
  derivativesChecked: z.number().int().nonnegative(),
  /** Every problem found, by code and place (the messages are in the verify report); at most 1,000. */
  problems: z
    .array(
      z.strictObject({
        code: z.string().max(64),
        line: z.number().int().optional(),
        item: hex64.optional(),
        file: z.string().max(4096).optional(),
      }),
    )
    .max(1000),
  problemCount: z.number().int().nonnegative(),
  noticeCount: z.number().int().nonnegative(),
  tool: z.strictObject({ name: z.string(), version: z.string() }),
});

/** Payload schemas of the event types this version understands. */
export const PAYLOAD_SCHEMAS = {
  "case.created": CaseCreatedPayload,
  "examiner.added": ExaminerAddedPayload,
  "item.imported": ItemImportedPayload,
  "ledger.recovered": LedgerRecoveredPayload,
  "metadata.extracted": MetadataExtractedPayload,
  "derivative.created": DerivativeCreatedPayload,
  "note.added": NoteAddedPayload,
  "tags.changed": TagsChangedPayload,
  "status.changed": StatusChangedPayload,
  "warning.acknowledged": WarningAcknowledgedPayload,
  "verification.run": VerificationRunPayload,
  ...GEO_PAYLOAD_SCHEMAS,
  ...REPORT_PAYLOAD_SCHEMAS,
  ...TIMESTAMP_PAYLOAD_SCHEMAS,
  ...EXCHANGE_PAYLOAD_SCHEMAS,
  ...TRAINING_PAYLOAD_SCHEMAS,
  ...RESTORE_PAYLOAD_SCHEMAS,
} as const;
export type KnownEventType = keyof typeof PAYLOAD_SCHEMAS;

/** Payload type of a known event type. */
export type PayloadOf<T extends KnownEventType> = z.infer<(typeof PAYLOAD_SCHEMAS)[T]>;

/** A request to append one event: the writer fills in seq, id, ts, actor, prev, hash and sig. */
export interface EventDraft<T extends KnownEventType = KnownEventType> {
  type: T;
  payload: PayloadOf<T>;
}
