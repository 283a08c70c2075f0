/**
 * What is wrong with a picture, in words, from what libvips (inside sharp) said when it stopped.
 * libvips speaks for programmers ("VipsJpeg: premature end of JPEG image"), and when it stops on
 * a warning it gives none of its own, so sharp says "Warning treated as error due to failOn
 * setting", which names our setting, not the file. The decoder's own words are kept second, for
 * whoever wants them; sharp's sentence about its setting is never shown.
 */

const SHARP_FAIL_ON = /\(?\s*warning treated as error due to failon setting\s*\)?/gi;

const CAUSES: [RegExp, string][] = [
  // libjpeg's "Corrupt JPEG data: premature end of data segment" is damage inside the file, not a cut.
  [/corrupt jpeg data/i, "part of the picture's data is corrupt"],
  [
    /premature end|unexpected end|truncated|end of (file|data|stream)|not enough data|short read/i,
    "the file ends before the picture does, as if cut short",
  ],
  [
    /exceeds pixel limit|too large|image too big/i,
    "the picture is larger than Sightline decodes (over 268 million pixels)",
  ],
  [
    /unsupported image format|not a known file format|unsupported|not supported/i,
    "its picture data is in a form the decoder does not support",
  ],
  [
    /corrupt header|bad header|invalid header|not a (jpeg|png|gif|webp)|unable to parse/i,
    "its header, which says how to read the picture, is damaged",
  ],
  [
    /crc|data check|checksum/i,
    "a checksum inside the file does not match its data (the bytes were changed or damaged)",
  ],
  [
    /corrupt|invalid|bad (huffman|data|marker)|extraneous|read error|decode error|libpng error/i,
    "part of the picture's data is corrupt",
  ],
];

/** The decoder's message without sharp's note on its setting or the "Input file" prefix; "" when nothing is left. */
export function decoderWords(message: string): string {
  return message
    .split("\n")[0]!
    .replace(SHARP_FAIL_ON, "")
    .replace(/^Input (file|buffer) (has |contains )?/i, "")
    .replace(/[\s:;,.]+$/, "")
    .trim();
}

/** What is wrong with the picture, in plain words, from the decoder's message. */
export function imageDamageWords(message: string): string {
  const said = decoderWords(message);
  const cause =
    CAUSES.find(([pattern]) => pattern.test(said))?.[1] ?? "the decoder found a fault in the picture's data";
  return said ? `${cause} (the decoder said: "${said}")` : cause;
}
