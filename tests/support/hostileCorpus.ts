/**
 * Files made to break readers: empty, truncated, mislabelled, corrupt, huge metadata, and text a
 * viewer must show inert. Each says in one sentence what it does to a reader.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { exiftool, makeJpeg, makeVideo, mulberry32, writePicture } from "./mediaCorpus.js";

export interface HostileFile {
  /** Short stable id, e.g. `zero-byte`. */
  name: string;
  file: string;
  /** What the file does to a reader, in one sentence. */
  why: string;
}

// ---------------------------------------------------------------------------------------------
// Hostile files

/**
 * Strings a viewer must show inert: markup, terminal escapes, a bell and right-to-left overrides.
 * The XMP ones hold markup and a bidi override only: XML 1.0 cannot carry C0 controls (exiftool
 * writes them as "."), and the EXIF ones stay alone as the file's Make/Model/Software.
 */
export const HOSTILE_STRINGS = {
  make: "<img src=x onerror=alert(1)>",
  model: "<script>alert(1)</script>\u0007",
  software: "\u001b[31mRED\u001b[0m \u202eexe.gpj",
  description: "caption \u202egpj.exe <b>bold</b>",
  xmpTitle: '<script>alert("xmp")</script>\u202e',
  /** Markup alone, which XML stores as `&lt;…&gt;`: a reader must decode it to see it. */
  xmpMarkup: "<script>alert(document.domain)</script>",
  /** Every character XML escapes, in the field `software` falls back to when EXIF has none. */
  creatorTool: `Tom & Jerry's "Editor" <2.0>`,
} as const;

/** The name of the hostile file whose name is the attack (a JPEG whose real extension is `.exe`). */
export const HOSTILE_NAME = "<img src=x onerror=alert(1)>\u202egpj.exe";

/** Index of the first byte of the JPEG segment `marker` whose payload starts with `signature`. */
function jpegSegment(bytes: Buffer, marker: number, signature = ""): { start: number; length: number } {
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const length = bytes.readUInt16BE(at + 2);
    const payload = bytes.subarray(at + 4, at + 4 + signature.length).toString("latin1");
    if (bytes[at + 1] === marker && payload === signature) return { start: at, length: length + 2 };
    if (bytes[at + 1] === 0xda) break;
    at += 2 + length;
  }
  throw new Error(`JPEG segment 0x${marker.toString(16)} "${signature}" not found`);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** `png` with an uncompressed iTXt `XML:com.adobe.xmp` chunk holding `xmp`, placed right after IHDR. */
function withPngXmp(png: Buffer, xmp: string): Buffer {
  const data = Buffer.concat([Buffer.from("XML:com.adobe.xmp\0\0\0\0\0", "latin1"), Buffer.from(xmp, "utf8")]);
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write("iTXt", 4, "latin1");
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  const afterIhdr = 8 + 12 + png.readUInt32BE(8);
  return Buffer.concat([png.subarray(0, afterIhdr), chunk, png.subarray(afterIhdr)]);
}

/** An XMP packet of about `bytes` bytes: a 20,000-item keyword bag and a description that fills the rest. */
function hugeXmp(bytes: number): string {
  const subjects = Array.from({ length: 20_000 }, (_, i) => `<rdf:li>keyword-${i}</rdf:li>`).join("");
  const filler = "smoke over the road north of the market ";
  const description = filler.repeat(Math.max(0, Math.ceil((bytes - subjects.length) / filler.length)));
  return (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">' +
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""' +
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">' +
    "<xmp:CreatorTool>Sightline hostile corpus</xmp:CreatorTool>" +
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${description}</rdf:li></rdf:Alt></dc:description>` +
    `<dc:subject><rdf:Bag>${subjects}</rdf:Bag></dc:subject>` +
    '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
  );
}

function xorRange(bytes: Buffer, start: number, length: number): Buffer {
  const out = Buffer.from(bytes);
  for (let i = start; i < start + length; i++) out[i] = out[i]! ^ 0xff;
  return out;
}

function withBytes(bytes: Buffer, start: number, replacement: Buffer): Buffer {
  const out = Buffer.from(bytes);
  replacement.copy(out, start);
  return out;
}

/**
 * Files that try to break a reader or fool the person reading its output, each with the reason.
 * All are generated; the one made from a name (`name-attack`) falls back to a name without `<>` where
 * the file system refuses them.
 */
export async function makeHostileCorpus(dir: string): Promise<HostileFile[]> {
  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(path.join(os.tmpdir(), "sightline-hostile-"));
  try {
    const base = path.join(work, "base.jpg");
    const other = path.join(work, "other.jpg");
    const png = path.join(work, "picture.png");
    const mp4 = path.join(work, "clip.mp4");
    await Promise.all([
      makeJpeg(base, { width: 320, height: 240, seed: 21, exif: true }),
      makeJpeg(other, { width: 160, height: 120, seed: 99 }),
      writePicture(png, "png", 320, 240, 22),
      makeVideo(mp4, { durationS: 2, creationTime: "2026-02-16T08:12:44Z" }),
    ]);
    const baseBytes = await readFile(base);
    const out: HostileFile[] = [];
    const add = async (name: string, fileName: string, why: string, make: (file: string) => Promise<void>) => {
      const file = path.join(dir, fileName);
      await make(file);
      out.push({ name, file, why });
    };
    const bytes = (data: Buffer | string) => (file: string) => writeFile(file, data);
    const jpegWith = (args: string[]) => async (file: string) => {
      await copyFile(base, file);
      await exiftool([...args, file]);
    };

    const sos = jpegSegment(baseBytes, 0xda);
    const entropyStart = sos.start + sos.length;
    const entropyMiddle = entropyStart + Math.floor((baseBytes.length - 2 - entropyStart) / 2);
    const exif = jpegSegment(baseBytes, 0xe1, "Exif\0\0");
    const mp4Bytes = await readFile(mp4);

    await Promise.all([
      add("zero-byte", "empty.jpg", "zero bytes named .jpg", bytes("")),
      add("truncated-jpeg", "truncated.jpg", "the first half of a JPEG: EXIF intact, scan cut off", (file) =>
        writeFile(file, baseBytes.subarray(0, Math.floor(baseBytes.length / 2))),
      ),
      add(
        "corrupt-entropy",
        "corrupt-entropy.jpg",
        "64 bytes mid-scan flipped to FF 00 pairs: 256 one-bits, for which no JPEG Huffman table has a code",
        (file) => writeFile(file, withBytes(baseBytes, entropyMiddle, Buffer.from("ff00".repeat(32), "hex"))),
      ),
      add("corrupt-exif", "corrupt-exif.jpg", "APP1 EXIF: TIFF header and IFD0 start (16 bytes) inverted", (f) =>
        writeFile(f, xorRange(baseBytes, exif.start + 10, 16)),
      ),
      add("png-as-jpg", "png-named.jpg", "a PNG named .jpg", (file) => copyFile(png, file)),
      add("mp4-as-jpg", "video-named.jpg", "an MP4 named .jpg", (file) => copyFile(mp4, file)),
      add("random-as-mp4", "random.mp4", "64 KB of (seeded) random bytes named .mp4", (file) => {
        const rand = mulberry32(4242);
        return writeFile(file, Buffer.from(Array.from({ length: 65_536 }, () => Math.floor(rand() * 256))));
      }),
      add("text-as-png", "text.png", "plain text named .png", bytes("This is not a picture.\nIt is a note.\n")),
      add("truncated-mp4", "truncated.mp4", "the first 30% of an MP4 whose moov box is at the end", (file) =>
        writeFile(file, mp4Bytes.subarray(0, Math.floor(mp4Bytes.length * 0.3))),
      ),
      add(
        "huge-xmp",
        "huge-xmp.png",
        "a PNG with a ~10 MB XMP packet in one iTXt chunk (a JPEG APP1 segment holds at most 64 KB)",
        async (file) => writeFile(file, withPngXmp(await readFile(png), hugeXmp(10 * 1024 * 1024))),
      ),
      add(
        "markup-metadata",
        "markup-metadata.jpg",
        "markup, terminal escapes, a bell and RLO overrides in Make, Model, Software, ImageDescription and XMP",
        jpegWith([
          "-XMP-xmp:CreatorTool=",
          `-EXIF:Make=${HOSTILE_STRINGS.make}`,
          `-EXIF:Model=${HOSTILE_STRINGS.model}`,
          `-EXIF:Software=${HOSTILE_STRINGS.software}`,
          `-EXIF:ImageDescription=${HOSTILE_STRINGS.description}`,
          `-XMP-dc:Title=${HOSTILE_STRINGS.xmpTitle}`,
          `-XMP-dc:Description=${HOSTILE_STRINGS.description}`,
        ]),
      ),
      add(
        "xmp-markup",
        "xmp-markup.jpg",
        "markup only in XMP dc:title, and & ' \" < > in CreatorTool (no EXIF Software), all stored as XML entities",
        jpegWith([
          "-EXIF:Software=",
          `-XMP-xmp:CreatorTool=${HOSTILE_STRINGS.creatorTool}`,
          `-XMP-dc:Title=${HOSTILE_STRINGS.xmpMarkup}`,
        ]),
      ),
      add(
        "gps-zero",
        "gps-zero.jpg",
        "GPS tags present and exactly 0, 0",
        jpegWith(["-GPSLatitude=0", "-GPSLongitude=0"]),
      ),
      add(
        "photoshop",
        "photoshop.jpg",
        'Software "Adobe Photoshop 25.0 (Windows)"',
        jpegWith(["-XMP-xmp:CreatorTool=", "-EXIF:Software=Adobe Photoshop 25.0 (Windows)"]),
      ),
      add(
        "thumbnail-mismatch",
        "thumbnail-mismatch.jpg",
        "the EXIF thumbnail is a different picture",
        jpegWith([`-ThumbnailImage<=${other}`]),
      ),
    ]);
    // After every exiftool run, which would reset it: modified 2025-06-01, captured 2026-02-16.
    await add(
      "captured-after-modified",
      "future-capture.jpg",
      "DateTimeOriginal 2026-02-16T09:12:44+01:00, modification time 2025-06-01T00:00:00Z",
      async (file) => {
        await copyFile(base, file);
        const mtime = new Date("2025-06-01T00:00:00Z");
        await utimes(file, mtime, mtime);
      },
    );
    // Windows refuses `<>` in names: there the markup becomes `_` and the bidi override stays.
    let named = path.join(dir, HOSTILE_NAME);
    await copyFile(base, named).catch(async () => {
      named = path.join(dir, HOSTILE_NAME.replace(/[<>:"/\\|?*]/g, "_"));
      await copyFile(base, named);
    });
    out.push({
      name: "name-attack",
      file: named,
      why: "markup and an RLO override in the name, which shows as …exe.jpg; a JPEG whose real extension is .exe",
    });
    return out.sort((a, b) => a.name.localeCompare(b.name));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
