/**
 * The WHATWG text codecs, which Node, Electron and every browser provide as globals. Declared
 * here because shared/ compiles without DOM or Node types (STYLE rule 1); only the members
 * shared code uses are listed.
 */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
