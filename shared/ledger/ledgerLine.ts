/**
 * The strict reading of one ledger line (docs/LEDGER.md, "Reading a line"). A line that two
 * JSON parsers could read differently is never accepted: bytes that are not UTF-8, a string
 * holding half of a surrogate pair, a member name given twice, a `seq` written as anything
 * but a plain integer, or a field the format does not define.
 */
import type { ProblemCode } from "./problems.js";

/** The nine fields of a ledger line, and no others. */
export const LEDGER_FIELDS = ["seq", "id", "ts", "actor", "type", "payload", "prev", "hash", "sig"] as const;
const FIELD_SET: ReadonlySet<string> = new Set(LEDGER_FIELDS);

/** Events nest a few levels; the bound keeps every walk over a line's value well inside the stack. */
export const MAX_DEPTH = 64;

/** Canonical padded base64 of exactly 64 bytes: 85 free characters, a last one with its 4 low bits zero, `==`. */
const SIGNATURE_B64 = /^[A-Za-z0-9+/]{85}[AQgw]==$/;

export type LineReading =
  { ok: true; value: Record<string, unknown>; faults: LineFault[] } | { ok: false; fault: LineFault };

/** A reason a line is not accepted as written; `fatal` faults leave nothing to check further. */
export interface LineFault {
  code: ProblemCode;
  reason: string;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decodes and parses one line (without its line end). Never throws. */
export function readLedgerLine(bytes: Uint8Array): LineReading {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, fault: { code: "ledger-invalid-text", reason: "is not valid UTF-8" } };
  }
  return readLedgerLineText(text);
}

/** As `readLedgerLine`, for text already decoded strictly. Never throws. */
export function readLedgerLineText(text: string): LineReading {
  try {
    return readText(text);
  } catch (error) {
    // A backstop: no line, however built, may stop the reading of the others.
    const what = error instanceof RangeError ? "is too large or too deep to read" : "cannot be read";
    return { ok: false, fault: { code: "ledger-malformed-line", reason: what } };
  }
}

function readText(text: string): LineReading {
  if (text.trim() === "") return { ok: false, fault: { code: "ledger-malformed-line", reason: "is empty" } };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, fault: { code: "ledger-malformed-line", reason: "is not valid JSON" } };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, fault: { code: "ledger-malformed-line", reason: "is not a JSON object" } };
  }
  const scan = scanMembers(text);
  if (scan.maxDepth > MAX_DEPTH) {
    return { ok: false, fault: { code: "ledger-malformed-line", reason: `nests deeper than ${MAX_DEPTH} levels` } };
  }
  if (scan.members !== countMembers(value)) {
    return {
      ok: false,
      fault: {
        code: "ledger-duplicate-key",
        reason: "names one member twice in an object, which parsers read differently",
      },
    };
  }
  // Strict UTF-8 cannot yield a lone surrogate; only a \uD800–\uDFFF escape can. (A look for "\u"
  // first: a regular expression over every line cost several microseconds a line in a replay.)
  if (text.includes("\\u") && !isWellFormedDeep(value)) {
    return { ok: false, fault: { code: "ledger-invalid-text", reason: "holds half of a UTF-16 surrogate pair" } };
  }
  // 1e400 parses to Infinity, which no JSON can write back: the line cannot have been hashed as read.
  // Only an exponent of three digits or a run of 309 digits or more (the largest double written out
  // has 309) can reach it; the walk over the value is for lines with either.
  if (/[0-9][eE]\+?[0-9]{3}|[0-9]{309}/.test(text) && !isFiniteDeep(value)) {
    return { ok: false, fault: { code: "ledger-malformed-line", reason: "holds a number too large for a double" } };
  }
  const event = value as Record<string, unknown>;
  const faults: LineFault[] = [];
  const extra = Object.keys(event).filter((k) => !FIELD_SET.has(k));
  if (extra.length > 0) {
    faults.push({
      code: "event-field-unknown",
      reason: `carries ${extra.length === 1 ? "a field" : "fields"} the format does not define (${extra
        .slice(0, 3)
        .map((k) => JSON.stringify(k))
        .join(", ")}), which no signature covers`,
    });
  }
  if (scan.seqLiteral !== null && !/^(0|[1-9][0-9]*)$/.test(scan.seqLiteral)) {
    return { ok: false, fault: { code: "ledger-malformed-line", reason: "has a seq that is not a plain integer" } };
  }
  if (typeof event.sig === "string" && !SIGNATURE_B64.test(event.sig)) {
    faults.push({ code: "signature-malformed", reason: "has a sig that is not the padded base64 of 64 bytes" });
  }
  return { ok: true, value: event, faults };
}

/**
 * Counts the member separators (`:` outside strings) of JSON text that `JSON.parse` has
 * already accepted, and takes the raw text of the top-level `seq` value. Written here rather
 * than taken from a JSON library: the grammar is already checked, and a tokenizing parser
 * (jsonc-parser's visitor) costs four times `JSON.parse` per line, which on a 100,000-event
 * ledger is seconds of verification spent on counting.
 */
function scanMembers(text: string): { members: number; maxDepth: number; seqLiteral: string | null } {
  let members = 0;
  let depth = 0;
  let maxDepth = 0;
  let seqLiteral: string | null = null;
  let lastKeyStart = -1;
  let lastKeyEnd = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
      lastKeyStart = start;
      lastKeyEnd = i;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) maxDepth = Math.max(maxDepth, ++depth);
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
    else if (c === 0x3a /* : */) {
      members++;
      const key = depth === 1 ? text.slice(lastKeyStart, lastKeyEnd + 1) : "";
      if (key === '"seq"' || (key.includes("\\") && JSON.parse(key) === "seq")) {
        let end = i + 1;
        while (end < text.length && !/[,}]/.test(text[end]!)) end++;
        seqLiteral = text.slice(i + 1, end).trim();
      }
    }
  }
  return { members, maxDepth, seqLiteral };
}

function countMembers(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (const v of value) n += countMembers(v);
    return n;
  }
  for (const key in value) {
    n += 1 + countMembers((value as Record<string, unknown>)[key]);
  }
  return n;
}

function isFiniteDeep(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object" || value === null) return true;
  return Object.values(value).every(isFiniteDeep);
}

/** No lone surrogate in any string or member name of `value`. */
export function isWellFormedDeep(value: unknown): boolean {
  if (typeof value === "string") return isWellFormed(value);
  if (typeof value !== "object" || value === null) return true;
  if (Array.isArray(value)) return value.every(isWellFormedDeep);
  return Object.entries(value).every(([k, v]) => isWellFormed(k) && isWellFormedDeep(v));
}

/** The engine's own `String.prototype.isWellFormed` (ES2024), where it has one. */
const nativeIsWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

/** No lone surrogate: `String.prototype.isWellFormed`, or the same test where the engine lacks it. */
export function isWellFormed(text: string): boolean {
  return nativeIsWellFormed ? nativeIsWellFormed.call(text) : !/\p{Cs}/u.test(text);
}
