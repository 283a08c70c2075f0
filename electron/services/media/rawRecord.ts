/**
 * Turns what parsers return (Dates, typed arrays, Maps, BigInts, NaN, strings of
 * any length) into a plain JSON value that canonical JSON accepts and that
 * stays small: a crafted 10 MB XMP block is cut, never copied into the ledger.
 * Binary values are summarised by size and SHA-256 so they can still be matched
 * against the original bytes.
 */
import { createHash } from "node:crypto";
import { RAW_LIMITS } from "../../../shared/media/metadata.js";
import { hasUnsafeCharacters } from "../../../shared/text/inertText.js";

export interface RawConversion {
  value: Record<string, unknown>;
  truncated: boolean;
  /** Paths (e.g. `ifd0.Make`) of strings holding control/bidi characters or markup. */
  suspicious: string[];
}

const MARKUP = /<\s*\/?\s*(script|img|iframe|svg|object|embed|a|style|link|meta|body|html)\b|on\w+\s*=|javascript:/i;

/** True when a metadata string looks crafted: invisible controls, bidi overrides or HTML. */
export function isSuspiciousText(text: string): boolean {
  if (MARKUP.test(text)) return true;
  // An XMP packet header carries a byte-order mark by standard: `<?xpacket begin='\ufeff' …`.
  text = text.replace(/(<\?xpacket\s+begin=["'])\ufeff/g, "$1");
  if (!hasUnsafeCharacters(text.replace(/[\t\n\r]/g, " "))) return false;
  // Short binary fields (IPTC's record version "\0\x04") are data, not text; only flag controls mixed into text.
  return BIDI.test(text) || /[\p{L}\p{N}]/u.test(text);
}

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

export function toRawRecord(input: Record<string, unknown>, limits = RAW_LIMITS): RawConversion {
  let budget = limits.maxTotalChars;
  let truncated = false;
  const suspicious: string[] = [];

  const cut = (s: string, where: string): string => {
    // Strings are checked whole (before cutting) so a payload hidden past the cut still counts.
    if (isSuspiciousText(s) && suspicious.length < 50) suspicious.push(where);
    const max = Math.min(limits.maxStringChars, Math.max(0, budget));
    if (s.length > max) {
      truncated = true;
      s = `${s.slice(0, max)}…[${s.length - max} more characters not recorded]`;
    }
    budget -= s.length;
    return s;
  };

  const convert = (v: unknown, depth: number, where: string): unknown => {
    if (budget <= 0) {
      truncated = true;
      return null;
    }
    if (v === null || v === undefined) return null;
    if (typeof v === "string") return cut(v, where);
    if (typeof v === "boolean") return v;
    if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
    if (typeof v === "bigint") return v.toString();
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) {
      const bytes = v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      // Short numeric arrays (a version, a rational) read better as numbers than as a digest.
      if (bytes.length <= 16 && !(v instanceof Uint8Array || v instanceof ArrayBuffer)) {
        return Array.from(v as unknown as ArrayLike<number>, (n) => convert(n, depth + 1, where));
      }
      budget -= 100;
      return { binaryBytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
    }
    if (depth >= limits.maxDepth) {
      truncated = true;
      return null;
    }
    if (Array.isArray(v)) {
      if (v.length > limits.maxArrayItems) truncated = true;
      return v.slice(0, limits.maxArrayItems).map((x, i) => convert(x, depth + 1, `${where}[${i}]`));
    }
    if (v instanceof Map) return convert(Object.fromEntries(v), depth, where);
    if (typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (budget <= 0) {
          truncated = true;
          break;
        }
        const key = cut(k, where ? `${where}.${k}` : k);
        out[key] = convert(x, depth + 1, where ? `${where}.${k}` : k);
      }
      return out;
    }
    return String(v);
  };

  const value = convert(input, 0, "") as Record<string, unknown>;
  return { value, truncated, suspicious };
}
