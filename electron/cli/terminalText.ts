/** Printing for terminals: everything that came from a file is made inert first (DESIGN rule 5). */
import { inertText } from "../../shared/text/inertText.js";

/** Characters JSON.stringify leaves raw that can still steer a terminal; escaped as \uXXXX (same JSON value). */

const RAW_UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

/** One JSON document, pretty-printed, with every invisible or control character escaped. */
export function jsonForTerminal(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    RAW_UNSAFE_IN_JSON,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

export const inert = inertText;

export { formatBytes, formatDuration } from "../../shared/text/units.js";
