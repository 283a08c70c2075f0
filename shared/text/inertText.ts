/**
 * Text from files (names, EXIF strings, video tags) is hostile until shown
 * otherwise (DESIGN rule 5). For terminals and plain-text reports we make it
 * inert: control characters, bidirectional overrides and other invisible
 * formatting characters become visible `\u{…}` escapes, so a name cannot
 * rewrite a terminal line, reverse its own extension or hide a character.
 */

// C0 and C1 controls, DEL, bidi embeddings/overrides/isolates and marks,
// zero-width and other format characters, line/paragraph separators, BOM.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/gu;

/** `text` with every invisible or control character shown as `\u{XXXX}`. */
export function inertText(text: string): string {
  return text.replace(UNSAFE, (ch) => `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}}`);
}

/** True when `text` holds a character `inertText` would escape. */
export function hasUnsafeCharacters(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}
