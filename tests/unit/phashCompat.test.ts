/** Sightline's pHash is sharp-phash's, bit for bit, so anyone can recompute a recorded hash with the package. */
import assert from "node:assert/strict";
import { test } from "node:test";
import sharp from "sharp";
import sharpPhash from "sharp-phash";
import { phashOf } from "../../electron/services/media/imagePixels.js";
import { phashFromBits } from "../../shared/media/phash.js";
import { picturePixels } from "../support/mediaCorpus.js";

// sharp-phash is CommonJS (`module.exports = phash`); its typings describe an ES default export.
const reference = sharpPhash as unknown as typeof sharpPhash.default;

test("the same 64 bits as sharp-phash on 40 different pictures, encoded and raw", async () => {
  for (let seed = 1; seed <= 40; seed++) {
    const [width, height] = seed % 2 ? [320, 240] : [180, 320];
    const raw = { width, height, channels: 3 as const };
    const pixels = picturePixels(width, height, seed);
    const jpeg = await sharp(pixels, { raw }).jpeg({ quality: 80 }).toBuffer();
    assert.equal(await phashOf(jpeg), phashFromBits(await reference(jpeg)), `seed ${seed}, JPEG`);
    assert.equal(await phashOf(pixels, raw), phashFromBits(await reference(pixels, { raw })), `seed ${seed}, raw`);
  }
});
