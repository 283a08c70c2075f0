/**
 * The inputs of the media benchmark: tagged JPEGs, 12-megapixel photos and a long 1080p video,
 * all generated here (nothing is downloaded). Making them takes minutes, so each set is cached
 * under os.tmpdir()/sightline-bench-data/ in a folder named by its parameters and reused by later
 * runs. A set is made under a temporary name and renamed when complete, so an interrupted run
 * leaves nothing a later run would trust.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { makeJpeg, makeJpegFolder, mulberry32 } from "../support/mediaCorpus.js";

const run = promisify(execFile);

export const BENCH_DATA_DIR = path.join(os.tmpdir(), "sightline-bench-data");
/** Bump when a generator here changes what it writes, so old caches are not reused. */
const GENERATOR_VERSION = 1;

/** The folder of input set `name`, made by `make` (into an empty folder) unless it is cached. */
async function cached(name: string, make: (dir: string) => Promise<void>): Promise<{ dir: string; isNew: boolean }> {
  const dir = path.join(BENCH_DATA_DIR, `${name}-g${GENERATOR_VERSION}`);
  if (existsSync(dir)) return { dir, isNew: false };
  const partial = `${dir}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    await make(partial);
    await rename(partial, dir);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  return { dir, isNew: true };
}

async function jpegsIn(dir: string): Promise<string[]> {
  return (await readdir(dir))
    .filter((n) => n.endsWith(".jpg"))
    .sort()
    .map((n) => path.join(dir, n));
}

/** `count` distinct 640×480 JPEGs carrying `JPEG_TAGS` in EXIF, GPS, XMP and IPTC (mediaCorpus's folder). */
export async function taggedJpegFolder(count: number): Promise<{ dir: string; files: string[]; isNew: boolean }> {
  const { dir, isNew } = await cached(`tagged-jpeg-640x480-n${count}`, async (out) => {
    await makeJpegFolder(out, count, { width: 640, height: 480, exif: true, quality: 85, seed: 1000 });
  });
  return { dir, files: await jpegsIn(dir), isNew };
}

// ---------------------------------------------------------------------------------------------
// Camera-sized photos

const NOISE_BITS = 20;
/** Roughly Gaussian sensor noise (sum of three uniforms, sigma 8 levels), shared by every photo. */
const NOISE = (() => {
  const rand = mulberry32(7);
  const table = new Int8Array(1 << NOISE_BITS);
  for (let i = 0; i < table.length; i++) table[i] = Math.round((rand() + rand() + rand() - 1.5) * 16);
  return table;
})();

/**
 * RGB pixels that compress like a photo: a smooth two-colour gradient with slow waves (sky, light
 * falloff), a dozen shaded discs and boxes (objects with edges), and mild sensor noise, which is
 * what makes a 12-megapixel JPEG at quality 90 weigh megabytes. Written with flat loops over
 * typed arrays, since the per-pixel arrays of mediaCorpus's `picturePixels` take seconds at this size.
 */
export function photoPixels(width: number, height: number, seed: number): Buffer {
  const rand = mulberry32(seed);
  const bytes = Buffer.allocUnsafe(width * height * 3);
  // Clamped, so a shaded colour past 0 or 255 saturates instead of wrapping round.
  const px = new Uint8ClampedArray(bytes.buffer, bytes.byteOffset, bytes.length);
  const from = [rand() * 255, rand() * 255, rand() * 255];
  const to = [rand() * 255, rand() * 255, rand() * 255];
  const angle = rand() * 2 * Math.PI;
  const [dx, dy] = [Math.cos(angle) / width, Math.sin(angle) / height];
  const [fx, fy, phase] = [(2 + rand() * 3) * 2 * Math.PI, (1 + rand() * 2) * 2 * Math.PI, rand() * 2 * Math.PI];
  const waveX = Float32Array.from({ length: width }, (_, x) => 18 * Math.sin((x / width) * fx));
  const waveY = Float32Array.from({ length: height }, (_, y) => 14 * Math.sin((y / height) * fy + phase));
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    const wy = waveY[y]!;
    for (let x = 0; x < width; x++) {
      let t = (x - width / 2) * dx + (y - height / 2) * dy + 0.5;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const w = waveX[x]! + wy;
      const i = row + x * 3;
      px[i] = from[0]! + (to[0]! - from[0]!) * t + w;
      px[i + 1] = from[1]! + (to[1]! - from[1]!) * t + w;
      px[i + 2] = from[2]! + (to[2]! - from[2]!) * t - w;
    }
  }
  const shapes = 8 + Math.floor(rand() * 8);
  for (let s = 0; s < shapes; s++) {
    const isDisc = rand() < 0.5;
    const [cx, cy] = [rand() * width, rand() * height];
    const [rx, ry] = [(0.03 + rand() * 0.15) * width, (0.03 + rand() * 0.15) * height];
    const rgb = [rand() * 200, rand() * 200, rand() * 200];
    for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(height, cy + ry); y++) {
      const v = (y - cy) / ry;
      for (let x = Math.max(0, Math.floor(cx - rx)); x < Math.min(width, cx + rx); x++) {
        const u = (x - cx) / rx;
        const d = u * u + v * v;
        if (isDisc && d > 1) continue;
        // Shaded, lit from the top left, so the inside is not flat either.
        const light = 55 * (1 - d) - 20 * (u + v);
        const i = (y * width + x) * 3;
        px[i] = rgb[0]! + light;
        px[i + 1] = rgb[1]! + light;
        px[i + 2] = rgb[2]! + light;
      }
    }
  }
  const mask = (1 << NOISE_BITS) - 1;
  const offset = Math.floor(rand() * mask);
  for (let i = 0; i < px.length; i++) px[i] = px[i]! + NOISE[(i + offset) & mask]!;
  return bytes;
}

/**
 * `count` distinct camera-sized JPEGs (`IMG_0001.jpg`…) at `quality`, each with the EXIF, GPS, XMP
 * and IPTC of mediaCorpus's `JPEG_TAGS` and a 160×120 EXIF thumbnail of its own picture, as
 * cameras write. The tags go in with two exiftool processes over the whole folder.
 */
export async function photoFolder(
  count: number,
  width: number,
  height: number,
  quality: number,
  onProgress?: (done: number) => void,
): Promise<{ dir: string; files: string[]; isNew: boolean }> {
  const { dir, isNew } = await cached(`photo-${width}x${height}-q${quality}-n${count}`, async (out) => {
    const work = await mkdtemp(path.join(os.tmpdir(), "sightline-photo-"));
    try {
      const names = Array.from({ length: count }, (_, i) => `IMG_${String(i + 1).padStart(4, "0")}`);
      let encoding: Promise<unknown> = Promise.resolve();
      for (const [i, name] of names.entries()) {
        const raw = { width, height, channels: 3 as const };
        const pixels = photoPixels(width, height, 5000 + i);
        // Encoding runs on libvips threads while the next picture's pixels are drawn here.
        await encoding;
        encoding = Promise.all([
          sharp(pixels, { raw })
            .jpeg({ quality })
            .toFile(path.join(out, `${name}.jpg`)),
          sharp(pixels, { raw })
            .resize(160, 120)
            .jpeg({ quality: 75 })
            .toFile(path.join(work, `${name}.jpg`)),
        ]);
        onProgress?.(i + 1);
      }
      await encoding;
      const template = path.join(work, "template", "tags.jpg");
      await makeJpeg(template, { width: 16, height: 16, exif: true });
      const argFile = path.join(work, "files.txt");
      await writeFile(argFile, names.map((n) => path.join(out, `${n}.jpg`)).join("\n") + "\n");
      const exiftool = (args: string[]) =>
        run("exiftool", ["-overwrite_original", "-q", "-q", ...args, "-@", argFile], { maxBuffer: 16 << 20 });
      await exiftool(["-tagsFromFile", template, "-all:all"]);
      await exiftool([`-ThumbnailImage<=${work}/%f.jpg`]);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
  return { dir, files: await jpegsIn(dir), isNew };
}

// ---------------------------------------------------------------------------------------------
// Video

/**
 * Scene sources, drawn at `size` and scaled to the frame. mandelbrot is slow at full size (about
 * 6 frames/s at 1080p here), so it and `life` are drawn small and scaled up.
 */
const SCENES = [
  { source: "testsrc2", size: "1920x1080" },
  { source: "mandelbrot", size: "480x270" },
  { source: "smptehdbars", size: "1920x1080" },
  { source: "life=mold=10:ratio=0.3:life_color=#e0c020:death_color=#203060", size: "480x270" },
];

/**
 * A 1080p30 H.264 MP4 (libx264 -preset veryfast, its default GOP and scene-cut keyframes) of
 * `durationS` seconds, in scenes of `sceneS` seconds that cycle through `SCENES` with a different
 * hue each, so there are real cuts for a scene detector and for the encoder's keyframes.
 */
export async function sceneVideo(
  durationS: number,
  sceneS = 20,
): Promise<{ file: string; durationS: number; isNew: boolean }> {
  const scenes = Math.max(1, Math.round(durationS / sceneS));
  const { dir, isNew } = await cached(`video-1920x1080-30fps-${durationS}s-${scenes}scenes`, async (out) => {
    const args = ["-v", "error", "-nostdin", "-y"];
    const chains: string[] = [];
    for (let i = 0; i < scenes; i++) {
      const { source, size } = SCENES[i % SCENES.length]!;
      const [name, options] = source.split(/=(.*)/s);
      const input = `${name}=size=${size}:rate=30${options ? `:${options}` : ""}`;
      args.push("-t", String(durationS / scenes), "-f", "lavfi", "-i", input);
      chains.push(`[${i}:v]scale=1920:1080,setsar=1,format=yuv420p,hue=h=${(i * 97) % 360}[s${i}]`);
    }
    const inputs = chains.map((_, i) => `[s${i}]`).join("");
    args.push("-filter_complex", `${chains.join(";")};${inputs}concat=n=${scenes}:v=1:a=0[v]`, "-map", "[v]");
    args.push("-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-r", "30");
    await run("ffmpeg", [...args, path.join(out, "scenes.mp4")], { maxBuffer: 16 << 20 });
  });
  return { file: path.join(dir, "scenes.mp4"), durationS, isNew };
}
