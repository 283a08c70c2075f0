/**
 * Perceptual hashes and near-duplicate groups.
 *
 * The hash is the DCT pHash of the `sharp-phash` package, bit for bit: the
 * picture (after EXIF orientation) is reduced by sharp to 32×32 greyscale, a
 * 2-D DCT-II is taken, and each of the 8×8 lowest frequencies except the DC row
 * and column is set to 1 when it is above their mean. We store the 64 bits as
 * 16 hex digits, first bit most significant. Anyone can recompute it from a
 * derivative with `sharp-phash` (the parameters are in each `derivative.created`
 * event); a test checks the two agree.
 *
 * `dctPhashBits` computes only the 64 coefficients the hash uses, with a
 * separable DCT (about 12 thousand multiplications instead of the package's
 * million, which took 8 ms a picture on the import's main thread).
 *
 * Two pictures are near-duplicates when their hashes differ in at most
 * `NEAR_DUPLICATE_THRESHOLD` of 64 bits. At 10 bits, re-encodes, resizes,
 * crops of a few percent, colour grading and messaging-app recompression
 * match; different scenes from the same camera do not (see the tests).
 */
import { BKTree } from "mnemonist";

export const NEAR_DUPLICATE_THRESHOLD = 10;

/** `sharp-phash`'s 64-character bit string as 16 hex digits. */
export function phashFromBits(bits: string): string {
  if (!/^[01]{64}$/.test(bits)) throw new Error("a pHash is 64 bits");
  let hex = "";
  for (let i = 0; i < 64; i += 4) hex += parseInt(bits.slice(i, i + 4), 2).toString(16);
  return hex;
}

const N = 32;
const LOW = 8;
/** COS[k][n] = cos((2k+1)·n·π / 2N), as sharp-phash tabulates it. */
const COS: number[][] = Array.from({ length: N }, (_, k) =>
  Array.from({ length: N }, (_, n) => Math.cos(((2 * k + 1) / (2 * N)) * n * Math.PI)),
);

/**
 * sharp-phash's 64-bit string from 32×32 greyscale pixels (row-major, one byte each),
 * computing only the coefficients 1..8 × 1..8 that the hash reads.
 */
export function dctPhashBits(pixels: Uint8Array): string {
  if (pixels.length !== N * N) throw new Error("a pHash sample is 32×32 greyscale");
  // sharp-phash indexes s[x][y] = pixels[N*y + x] and sums F[u][v] = Σx Σy COS[x][u]·COS[y][v]·s[x][y].
  const g = new Float64Array(LOW * N); // g[u][y] = Σx COS[x][u]·s[x][y]
  for (let u = 1; u <= LOW; u++) {
    for (let y = 0; y < N; y++) {
      let sum = 0;
      for (let x = 0; x < N; x++) sum += COS[x]![u]! * pixels[N * y + x]!;
      g[(u - 1) * N + y] = sum;
    }
  }
  const f = new Float64Array(LOW * LOW);
  let total = 0;
  for (let u = 0; u < LOW; u++) {
    for (let v = 1; v <= LOW; v++) {
      let sum = 0;
      for (let y = 0; y < N; y++) sum += COS[y]![v]! * g[u * N + y]!;
      f[u * LOW + v - 1] = sum / 4;
      total += sum / 4;
    }
  }
  const mean = total / (LOW * LOW);
  let bits = "";
  for (let i = 0; i < LOW * LOW; i++) bits += f[i]! > mean ? "1" : "0";
  return bits;
}

function popcount32(n: number): number {
  n = n - ((n >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Number of differing bits between two 16-hex-digit hashes. */
export function hammingDistance(a: string, b: string): number {
  const hi = (parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) >>> 0;
  const lo = (parseInt(a.slice(8, 16), 16) ^ parseInt(b.slice(8, 16), 16)) >>> 0;
  return popcount32(hi) + popcount32(lo);
}

/** One hashed picture: an image item, or a frame of a video item. */
export interface HashedPicture {
  /** The item (original) it belongs to. */
  itemSha256: string;
  phash: string;
  /** Seconds into the video for a keyframe; null for a still image. */
  timestampS: number | null;
  /** The derivative the hash was computed from. */
  derivativeSha256: string;
}

export interface NearDuplicateMatch {
  picture: HashedPicture;
  match: HashedPicture;
  distance: number;
}

export interface NearDuplicateGroup {
  /** Items in the group, sorted. */
  items: string[];
  /** The closest pair for each linked pair of items, sorted by distance. */
  links: NearDuplicateMatch[];
}

/** Announced when an imported item looks like one already in the case. */
export interface NearDuplicateNotice {
  sha256: string;
  displayPath: string;
  matches: {
    sha256: string;
    displayName: string;
    distance: number;
    /** Where in this item (seconds into a video), or null for a still. */
    atS: number | null;
    /** Where in the matching item. */
    matchAtS: number | null;
  }[];
}

/** An index of pictures that answers "what is within `threshold` bits of this?" without comparing every pair. */
export class PhashIndex {
  private readonly tree = new BKTree<HashedPicture>((a, b) => hammingDistance(a.phash, b.phash));

  constructor(pictures: Iterable<HashedPicture> = []) {
    for (const p of pictures) this.add(p);
  }

  get size(): number {
    return this.tree.size;
  }

  add(picture: HashedPicture): void {
    this.tree.add(picture);
  }

  /** Pictures of other items within `threshold` bits of `picture`, closest first. */
  matches(picture: HashedPicture, threshold = NEAR_DUPLICATE_THRESHOLD): NearDuplicateMatch[] {
    if (this.tree.size === 0) return [];
    return this.tree
      .search(threshold, picture)
      .filter((hit) => hit.item.itemSha256 !== picture.itemSha256)
      .map((hit) => ({ picture, match: hit.item, distance: hit.distance }))
      .sort((x, y) => x.distance - y.distance || x.match.itemSha256.localeCompare(y.match.itemSha256));
  }
}

/** Groups of items linked by at least one pair of near-duplicate pictures (transitively). */
export function nearDuplicateGroups(
  pictures: readonly HashedPicture[],
  threshold = NEAR_DUPLICATE_THRESHOLD,
): NearDuplicateGroup[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    let node = x;
    while (node !== root) {
      const next = parent.get(node)!;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  for (const p of pictures) parent.set(p.itemSha256, p.itemSha256);

  const best = new Map<string, NearDuplicateMatch>();
  const index = new PhashIndex();
  for (const picture of pictures) {
    for (const m of index.matches(picture, threshold)) {
      const [a, b] = [picture.itemSha256, m.match.itemSha256].sort() as [string, string];
      const key = `${a}:${b}`;
      const prior = best.get(key);
      if (!prior || m.distance < prior.distance) best.set(key, m);
      parent.set(find(a), find(b));
    }
    index.add(picture);
  }

  const groups = new Map<string, NearDuplicateGroup>();
  for (const [key, link] of best) {
    const root = find(key.slice(0, 64));
    let g = groups.get(root);
    if (!g) groups.set(root, (g = { items: [], links: [] }));
    g.links.push(link);
  }
  for (const item of parent.keys()) groups.get(find(item))?.items.push(item);
  return [...groups.values()]
    .map((g) => ({
      items: [...new Set(g.items)].sort(),
      links: g.links.sort((x, y) => x.distance - y.distance),
    }))
    .sort((x, y) => y.items.length - x.items.length || x.items[0]!.localeCompare(y.items[0]!));
}
