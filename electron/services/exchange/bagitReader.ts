/**
 * Reads and validates a BagIt bag (RFC 8493) as a recipient would: bagit.txt, bag-info.txt,
 * every payload manifest and tag manifest, each file re-hashed, no file missing from the payload
 * and none in it that no manifest lists, Payload-Oxum against the payload. Nothing is followed:
 * a link or special file in the bag is a problem, never opened. Every problem is reported, not
 * only the first.
 */
import { createHash } from "node:crypto";
import { constants, createReadStream } from "node:fs";
import { lstat, open, readdir } from "node:fs/promises";
import path from "node:path";

export interface BagValidation {
  isValid: boolean;
  problems: string[];
  info: Map<string, string[]>;
  payloadFiles: number;
  payloadBytes: number;
}

const ALGORITHMS = ["sha512", "sha256", "sha1", "md5"] as const;

export async function validateBag(bagDir: string): Promise<BagValidation> {
  const problems: string[] = [];
  const info = new Map<string, string[]>();
  const result = (): BagValidation => ({
    isValid: problems.length === 0,
    problems,
    info,
    payloadFiles: payload.size,
    payloadBytes: [...payload.values()].reduce((n, s) => n + s, 0),
  });
  const payload = new Map<string, number>();
  const declaration = await readTag(bagDir, "bagit.txt");
  if (declaration === null) {
    problems.push("bagit.txt is missing or not a regular file");
    return result();
  }
  const declared = parseTagFile(declaration);
  if (!declared.get("BagIt-Version")?.length) problems.push("bagit.txt has no BagIt-Version");
  if (declared.get("Tag-File-Character-Encoding")?.[0]?.toUpperCase() !== "UTF-8") {
    problems.push("bagit.txt does not declare Tag-File-Character-Encoding: UTF-8");
  }
  const bagInfo = await readTag(bagDir, "bag-info.txt");
  if (bagInfo !== null) for (const [k, v] of parseTagFile(bagInfo)) info.set(k, v);

  await walkPayload(bagDir, "data", payload, problems);
  let foundManifest = false;
  for (const algorithm of ALGORITHMS) {
    const text = await readTag(bagDir, `manifest-${algorithm}.txt`);
    if (text === null) continue;
    foundManifest = true;
    const listed = parseManifest(text, `manifest-${algorithm}.txt`, problems);
    for (const file of payload.keys()) {
      if (!listed.has(file)) problems.push(`${file} is in the payload but not in manifest-${algorithm}.txt`);
    }
    for (const [file, digest] of listed) {
      if (!file.startsWith("data/")) {
        problems.push(`manifest-${algorithm}.txt lists ${JSON.stringify(file)}, which is not in data/`);
      } else if (!payload.has(file)) {
        problems.push(`${file} is listed in manifest-${algorithm}.txt but missing from the payload`);
      } else if ((await digestOf(bagDir, file, algorithm)) !== digest) {
        problems.push(`${file} does not match its ${algorithm} in manifest-${algorithm}.txt`);
      }
    }
  }
  if (!foundManifest) problems.push("the bag has no payload manifest (manifest-<algorithm>.txt)");

  const oxum = info.get("Payload-Oxum")?.[0];
  if (oxum !== undefined) {
    const match = /^(\d+)\.(\d+)$/.exec(oxum);
    const bytes = [...payload.values()].reduce((n, s) => n + s, 0);
    if (!match) problems.push(`Payload-Oxum ${JSON.stringify(oxum)} is not <bytes>.<files>`);
    else if (Number(match[1]) !== bytes || Number(match[2]) !== payload.size) {
      problems.push(`Payload-Oxum says ${oxum} but the payload holds ${bytes}.${payload.size}`);
    }
  }

  for (const algorithm of ALGORITHMS) {
    const name = `tagmanifest-${algorithm}.txt`;
    const text = await readTag(bagDir, name);
    if (text === null) continue;
    for (const [file, digest] of parseManifest(text, name, problems)) {
      if (file.startsWith("data/") || file.split("/").includes("..")) {
        problems.push(`${name} lists ${JSON.stringify(file)}, which is not a tag file`);
      } else if ((await digestOf(bagDir, file, algorithm)) !== digest) {
        problems.push(`the tag file ${file} does not match its ${algorithm} in ${name}`);
      }
    }
  }
  return result();
}

/** `Label: value` lines; a line starting with white space continues the value before. */
export function parseTagFile(text: string): Map<string, string[]> {
  const tags = new Map<string, string[]>();
  let last: { label: string; index: number } | null = null;
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    if (line === "") continue;
    if (/^\s/.test(line) && last) {
      const values = tags.get(last.label)!;
      values[last.index] = `${values[last.index]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const label = line.slice(0, colon).trim();
    const values = tags.get(label) ?? tags.set(label, []).get(label)!;
    values.push(line.slice(colon + 1).trim());
    last = { label, index: values.length - 1 };
  }
  return tags;
}

function parseManifest(text: string, name: string, problems: string[]): Map<string, string> {
  const listed = new Map<string, string>();
  for (const [index, line] of text.replace(/\r\n?/g, "\n").split("\n").entries()) {
    if (line === "") continue;
    const match = /^([0-9a-fA-F]+)\s+(.+)$/.exec(line);
    if (!match) {
      problems.push(`line ${index + 1} of ${name} is not "<digest> <path>"`);
      continue;
    }
    // RFC 8493 §2.1.3: CR, LF and % in a path are percent-encoded.
    const file = match[2]!.replace(/%0A/gi, "\n").replace(/%0D/gi, "\r").replace(/%25/g, "%");
    if (file.split("/").includes("..") || file.startsWith("/")) {
      problems.push(`${name} lists ${JSON.stringify(file)}, which leaves the bag`);
      continue;
    }
    listed.set(file, match[1]!.toLowerCase());
  }
  return listed;
}

async function walkPayload(bagDir: string, relative: string, payload: Map<string, number>, problems: string[]) {
  let entries;
  try {
    entries = await readdir(path.join(bagDir, relative), { withFileTypes: true });
  } catch {
    if (relative === "data") problems.push("the bag has no data/ folder");
    return;
  }
  for (const entry of entries) {
    const child = `${relative}/${entry.name}`;
    const info = await lstat(path.join(bagDir, child));
    if (info.isDirectory()) await walkPayload(bagDir, child, payload, problems);
    else if (info.isFile()) payload.set(child, info.size);
    else problems.push(`${child} is ${info.isSymbolicLink() ? "a symbolic link" : "not a regular file"}; not followed`);
  }
}

async function readTag(bagDir: string, name: string): Promise<string | null> {
  try {
    const handle = await open(
      path.join(bagDir, name),
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
    );
    try {
      const info = await handle.stat();
      if (!info.isFile() || info.size > 512 * 1024 * 1024) return null;
      return (await handle.readFile()).toString("utf8");
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

async function digestOf(bagDir: string, file: string, algorithm: string): Promise<string | null> {
  const full = path.join(bagDir, ...file.split("/"));
  const info = await lstat(full).catch(() => null);
  if (!info?.isFile()) return null;
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(full, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
