/**
 * The scale benchmark's files: up to 100,000 files of 4 KB to 200 KB, sizes and bytes drawn from a
 * seed, in folders of 1,000 (`d000/f000000.bin`, …), kept in a cache folder under the system's
 * temporary folder keyed by the seed, so later runs reuse them. A folder is written under a
 * temporary name and renamed when complete, so an interrupted run leaves no half folder behind.
 *
 * The bytes come from AES-256-CTR keyed by the seed (a fast, standard, seedable stream; Node has
 * no seeded generator of its own): file n starts with its own number, so no two are the same.
 */
import { createCipheriv, createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const FILES_PER_FOLDER = 1000;
const MIN_SIZE = 4 * 1024;
const MAX_SIZE = 200 * 1024;
const POOL = 64 * 1024 * 1024;

export interface ScaleSet {
  root: string;
  /** The folders holding the first `count` files, in order. */
  folders: string[];
  count: number;
  bytes: number;
}

/** A keystream of `bytes` bytes, the same for the same seed and label. */
function stream(seed: string, label: string, bytes: number): Buffer {
  const key = createHash("sha256").update(`${seed}/${label}`).digest();
  const cipher = createCipheriv("aes-256-ctr", key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.alloc(bytes)), cipher.final()]);
}

/** The sizes of all files of the set, drawn from the seed. */
function sizes(seed: string, count: number): number[] {
  const draws = stream(seed, "sizes", count * 4);
  return Array.from({ length: count }, (_, i) => MIN_SIZE + (draws.readUInt32LE(i * 4) % (MAX_SIZE - MIN_SIZE + 1)));
}

/** The first `count` files of the seeded set (a multiple of 1,000), writing the folders not yet cached. */
export function scaleSet(count: number, seed = process.env.BENCH_SEED ?? "sightline-scale-1"): ScaleSet {
  const root = path.join(os.tmpdir(), "sightline-bench-data", `import-scale-${seed.replace(/[^\w-]/g, "_")}`);
  const folderCount = Math.ceil(count / FILES_PER_FOLDER);
  const all = sizes(seed, folderCount * FILES_PER_FOLDER);
  let pool: Buffer | null = null;
  const folders: string[] = [];
  for (let d = 0; d < folderCount; d++) {
    const folder = path.join(root, `d${String(d).padStart(3, "0")}`);
    folders.push(folder);
    if (existsSync(folder)) continue;
    pool ??= stream(seed, "bytes", POOL);
    const partial = `${folder}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    for (let i = d * FILES_PER_FOLDER; i < (d + 1) * FILES_PER_FOLDER; i++) {
      const size = all[i]!;
      const at = (i * 7919 * 64) % (POOL - size);
      const bytes = Buffer.from(pool.subarray(at, at + size));
      bytes.writeUInt32LE(i, 0);
      writeFileSync(path.join(partial, `f${String(i).padStart(6, "0")}.bin`), bytes);
    }
    renameSync(partial, folder);
  }
  return { root, folders, count: folderCount * FILES_PER_FOLDER, bytes: all.reduce((n, s) => n + s, 0) };
}
