/** Perceptual-hash arithmetic and near-duplicate grouping. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  NEAR_DUPLICATE_THRESHOLD,
  PhashIndex,
  hammingDistance,
  nearDuplicateGroups,
  phashFromBits,
  type HashedPicture,
} from "../../shared/media/phash.js";

const item = (n: number) => n.toString(16).padStart(64, "0");
const pic = (itemN: number, phash: string, t: number | null = null): HashedPicture => ({
  itemSha256: item(itemN),
  phash,
  timestampS: t,
  derivativeSha256: item(1000 + itemN),
});
/** `base` with its lowest `bits` bits flipped. */
const flip = (base: string, bits: number): string => {
  let v = BigInt(`0x${base}`);
  for (let i = 0; i < bits; i++) v ^= 1n << BigInt(i * 3);
  return v.toString(16).padStart(16, "0");
};

describe("pHash", () => {
  test("bit strings become 16 hex digits, first bit most significant", () => {
    assert.equal(phashFromBits("1".padEnd(64, "0")), "8000000000000000");
    assert.equal(phashFromBits("0".repeat(60) + "1111"), "000000000000000f");
    assert.throws(() => phashFromBits("101"));
  });
  test("Hamming distance counts differing bits across both halves", () => {
    assert.equal(hammingDistance("0000000000000000", "ffffffffffffffff"), 64);
    assert.equal(hammingDistance("8000000000000001", "0000000000000000"), 2);
    assert.equal(hammingDistance("0123456789abcdef", "0123456789abcdef"), 0);
    assert.equal(hammingDistance("a5a5a5a5a5a5a5a5", flip("a5a5a5a5a5a5a5a5", 7)), 7);
  });
  test("the index finds pictures of other items within the threshold, closest first", () => {
    const base = "f0e1d2c3b4a59687";
    const index = new PhashIndex([pic(1, flip(base, 3)), pic(2, flip(base, 9)), pic(3, flip(base, 20)), pic(4, base)]);
    const found = index.matches(pic(4, base));
    assert.deepEqual(
      found.map((m) => [m.match.itemSha256, m.distance]),
      [
        [item(1), 3],
        [item(2), 9],
      ],
      "its own item is not a match, and 20 bits is beyond the threshold",
    );
    assert.equal(index.matches(pic(5, base), 2).length, 1, "a stricter threshold keeps only the exact copy");
  });
  test("groups join items transitively and keep each pair's closest frames", () => {
    const a = "0000000000000000";
    const groups = nearDuplicateGroups([
      pic(1, a),
      pic(2, flip(a, 8), 12.5),
      pic(2, flip(a, 2), 30),
      pic(3, flip(flip(a, 2), 9)),
      pic(4, "ffffffffffffffff"),
      pic(5, "fffffffffffffff0"),
      pic(6, "0f0f0f0f0f0f0f0f"),
    ]);
    assert.equal(groups.length, 2);
    assert.deepEqual(groups[0]!.items, [item(1), item(2), item(3)]);
    const link12 = groups[0]!.links.find(
      (l) => [l.picture.itemSha256, l.match.itemSha256].sort().join() === [item(1), item(2)].join(),
    )!;
    assert.equal(link12.distance, 2, "the closest frame of item 2 (at 30 s) links it to item 1");
    assert.deepEqual(groups[1]!.items, [item(4), item(5)]);
    assert.ok(NEAR_DUPLICATE_THRESHOLD >= 8 && NEAR_DUPLICATE_THRESHOLD <= 12);
  });
});
