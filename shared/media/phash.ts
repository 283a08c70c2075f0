/**
 * Perceptual hashes and near-duplicate groups.
 *
 * The hash is the DCT pHash computed by the `sharp-phash` package: the picture
 * (after EXIF orientation) is reduced to 32×32 greyscale, a 2-D DCT-II is taken,
 * and each of the 8×8 lowest frequencies except the DC row and column is set to
 * 1 when it is above their mean. We store the 64 bits as 16 hex digits, first
 * bit most significant. Anyone can recompute it from a derivative with the same
 * package and parameters (they are recorded in each `derivative.created` event).
 *
 * Two pictures are near-duplicates when their hashes differ in at most
 * `NEAR_DUPLICATE_THRESHOLD` of 64 bits. At 10 bits, re-encodes, resizes,
 * crops of a few percent, colour grading and messaging-app recompression
 * match; different scenes from the same camera do not (see the tests).
 */
import { BKTree } from "mnemonist";

export const PHASH_BITS = 64;
export const NEAR_DUPLICATE_THRESHOLD = 10;

const HEX16 = /^[0-9a-f]{16}$/;

export function isPhash(value: unknown): value is string {
  return typeof value === "string" && HEX16.test(value);
}

/** `sharp-phash`'s 64-character bit string as 16 hex digits. */
export function phashFromBits(bits: string): string {
  if (!/^[01]{64}$/.test(bits)) throw new Error("a pHash is 64 bits");
  let hex = "";
  for (let i = 0; i < 64; i += 4) hex += parseInt(bits.slice(i, i + 4), 2).toString(16);
  return hex;
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
