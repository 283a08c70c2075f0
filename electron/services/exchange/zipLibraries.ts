/**
 * yazl (writing) and yauzl (reading) zip files, loaded in one place.
 *
 * yazl computes each entry's CRC-32 with buffer-crc32, a table-driven JavaScript loop that runs
 * at about 170 MB/s here: a bundle of media would be written at a fifth of the disk's speed.
 * It offers no option for another CRC, so before it is loaded its `buffer-crc32` is replaced in
 * Node's module cache by Node's own `zlib.crc32` (the same CRC-32, ISO-HDLC polynomial, in
 * zlib's SIMD code, ~3 GB/s) behind the one call yazl makes, `unsigned(buffer, previous)`.
 */
import { Module, createRequire } from "node:module";
import { crc32 } from "node:zlib";
import type yauzlTypes from "yauzl";
import type yazlTypes from "yazl";

const require = createRequire(import.meta.url);
const yazlPath = require.resolve("yazl");
const crcPath = createRequire(yazlPath).resolve("buffer-crc32");
if (!require.cache[crcPath]) {
  const fast = new Module(crcPath);
  fast.filename = crcPath;
  fast.loaded = true;
  fast.exports = {
    unsigned: (data: Buffer, previous?: number) => crc32(data, previous ?? 0),
  };
  require.cache[crcPath] = fast;
}

const yazl = require("yazl") as typeof yazlTypes;
const yauzl = require("yauzl") as typeof yauzlTypes;

export { yauzl, yazl };
