/**
 * A zip writer for tests that can lie: any entry name (`../x`, `/etc/x`, `C:\x`, duplicates),
 * any Unix mode in the external attributes (links, FIFOs, devices), sizes in the headers that
 * differ from the data, deflated data that inflates to gigabytes. yazl (what Sightline writes
 * bundles with) refuses to write such things, which is right for it and why this exists: the
 * hostile-bundle tests need the exact bytes an attacker would send. Classic zip only (no ZIP64):
 * every lie here fits in 32-bit fields.
 */
import { deflateRawSync, constants as zlibConstants } from "node:zlib";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// buffer-crc32 is a dependency of yazl; a CRC is checked by no one here but must be plausible.
const crc32 = require("buffer-crc32") as { unsigned(data: Buffer, previous?: number): number };

export interface HostileEntry {
  /** Written as these bytes, UTF-8 flagged. */
  name: string;
  data?: Buffer;
  /** 0 stored (default), 8 deflated (the data is compressed here unless `raw` is given). */
  method?: 0 | 8;
  /** Bytes written as the entry's data instead of (compressed) `data`. */
  raw?: Buffer;
  /** Unix mode for the external attributes, e.g. 0o120777 for a symbolic link. */
  mode?: number;
  /** What the headers claim, when it is not the truth. */
  claimedSize?: number;
  claimedCompressedSize?: number;
}

/** The bytes of a zip file holding `entries` as given, lies included. */
export function hostileZip(entries: readonly HostileEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const data = entry.data ?? Buffer.alloc(0);
    const method = entry.method ?? 0;
    const body = entry.raw ?? (method === 8 ? deflateRawSync(data) : data);
    const crc = crc32.unsigned(data);
    const size = entry.claimedSize ?? data.length;
    const compressed =
      entry.claimedCompressedSize ?? (entry.claimedSize !== undefined && method === 0 ? size : body.length);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    parts.push(local, name, body);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(0x0800, 8);
    record.writeUInt16LE(method, 10);
    record.writeUInt32LE(0, 12);
    record.writeUInt32LE(crc, 16);
    record.writeUInt32LE(compressed, 20);
    record.writeUInt32LE(size, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt16LE(0, 30); // extra
    record.writeUInt16LE(0, 32); // comment
    record.writeUInt16LE(0, 34); // disk
    record.writeUInt16LE(0, 36); // internal attributes
    record.writeUInt32LE(((entry.mode ?? 0o100644) << 16) >>> 0, 38);
    record.writeUInt32LE(offset, 42);
    central.push(record, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

/**
 * Raw deflate data that inflates to `gib` GiB of zeros, made without holding them: one
 * compressed 64 MiB block of zeros, flushed to a byte boundary and not final, repeated (each
 * copy refers only to zeros), then an empty final block.
 */
export function deflatedZeros(gib: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(64 * 1024 * 1024), {
    level: 9,
    finishFlush: zlibConstants.Z_SYNC_FLUSH,
  });
  const copies = gib * 16;
  return Buffer.concat([...Array.from({ length: copies }, () => block), Buffer.from([0x03, 0x00])]);
}

/** The entries of a zip file, read whole (test bundles are small). */
export async function zipEntries(file: string): Promise<{ name: string; data: Buffer }[]> {
  const yauzl = (await import("yauzl")).default;
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const out: { name: string; data: Buffer }[] = [];
      zip.on("entry", (entry: { fileName: string }) => {
        zip.openReadStream(entry as never, (err, stream) => {
          if (err) return reject(err);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            out.push({ name: entry.fileName, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(out));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

/**
 * A bundle's entries with SHA256SUMS and bundle.json made to agree with the others again, as a
 * forger who knows the format would: what is left to catch the change is the case itself.
 */
export function withManifestRecomputed(entries: readonly { name: string; data: Buffer }[]): HostileEntry[] {
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  const others = entries.filter((e) => e.name !== "SHA256SUMS" && e.name !== "bundle.json");
  const files = others.map((e) => ({
    path: e.name,
    size: e.data.length,
    sha256: createHash("sha256").update(e.data).digest("hex"),
  }));
  const description = JSON.parse(entries.find((e) => e.name === "bundle.json")!.data.toString("utf8"));
  description.files = files;
  return [
    ...others.map((e) => ({ name: e.name, data: e.data })),
    { name: "SHA256SUMS", data: Buffer.from(files.map((f) => `${f.sha256}  ${f.path}\n`).join("")) },
    { name: "bundle.json", data: Buffer.from(JSON.stringify(description)) },
  ];
}
