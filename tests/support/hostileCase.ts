/**
 * Hostile case folders for the writer and verify tests: a real case made by the CLI (a JPEG, so a
 * thumbnail derivative exists, and a file no parser reads), copied per test with `cp -a`, then
 * changed with plain file operations or given events hashed by the documented rule and signed with
 * the examiner's own key from the test profile, exactly as someone holding the folder (and, where
 * said, the key) could. Also: snapshots of files outside the case, and a CLI run with a deadline.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { createHash, createPrivateKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import { appendFile, chmod, lstat, readFile, readdir, readlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { before } from "node:test";
import { eventHash } from "../../shared/ledger/eventHash.js";
import { nodeLedgerCrypto } from "../../electron/services/ledger/nodeLedgerCrypto.js";
import { CLI, REPO_ROOT, runCli, type CliResult } from "./cli.js";
import { tempDir, writeRandomFile } from "./fixtures.js";
import { makeJpeg } from "./mediaCorpus.js";

export interface Signer {
  keyId: string;
  name: string;
  publicKey: string;
  privateKey: KeyObject;
}

export interface HostileBase {
  home: string;
  caseDir: string;
  /** The folder the media were imported from. */
  mediaDir: string;
  examiner: Signer;
  /** Case-relative paths: the JPEG's object and thumbnail, and the unparsed file's object. */
  jpegObject: string;
  thumbnail: string;
  otherObject: string;
}

/** init + import of one JPEG (analysed: metadata and a thumbnail) and one file no parser reads. */
export async function makeHostileBase(): Promise<HostileBase> {
  const root = await tempDir();
  const home = path.join(root, "home");
  const caseDir = path.join(root, "case");
  const mediaDir = path.join(root, "media");
  await makeJpeg(path.join(mediaDir, "photo.jpg"), { width: 96, height: 64, seed: 7 });
  await writeRandomFile(path.join(mediaDir, "blob.bin"), 20_000);
  const init = await runCli(["init", caseDir, "--title", "Hostile base", "--examiner", "A. Analyst"], home);
  assert.equal(init.code, 0, init.stderr);
  const imported = await runCli(["import", caseDir, mediaDir, "--source-url", "https://t.me/example/1"], home);
  assert.equal(imported.code, 0, imported.stderr + imported.stdout);
  const events = (await ledgerLines(caseDir)).map((l) => JSON.parse(l));
  const items = events.filter((e) => e.type === "item.imported");
  const jpeg = items.find((e) => e.payload.source.originalName === "photo.jpg")!;
  const other = items.find((e) => e.payload.source.originalName === "blob.bin")!;
  const thumb = events.find((e) => e.type === "derivative.created" && e.payload.parent === jpeg.payload.sha256);
  assert.ok(thumb, "the JPEG got a thumbnail");
  return {
    home,
    caseDir,
    mediaDir,
    examiner: await profileSigner(home),
    jpegObject: jpeg.payload.objectPath,
    thumbnail: thumb.payload.path,
    otherObject: other.payload.objectPath,
  };
}

/** The examiner's key as the CLI stored it in the profile (keyStore.ts: keys/<id>.json, PKCS#8 unsealed). */
export async function profileSigner(home: string): Promise<Signer> {
  const keysDir = path.join(home, "keys");
  const [file] = (await readdir(keysDir)).filter((n) => n.endsWith(".json"));
  const stored = JSON.parse(await readFile(path.join(keysDir, file!), "utf8"));
  return {
    keyId: stored.keyId,
    name: stored.name,
    publicKey: stored.publicKey,
    privateKey: createPrivateKey({ key: Buffer.from(stored.privateKeyPkcs8, "base64"), format: "der", type: "pkcs8" }),
  };
}

/** A fresh Ed25519 key, its key id computed as docs/LEDGER.md says. */
export function newSigner(name: string): Signer {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const spki = publicKey.export({ format: "der", type: "spki" }).toString("base64");
  const keyId = `ed25519:${createHash("sha256").update(spki).digest("hex").slice(0, 32)}`;
  return { keyId, name, publicKey: spki, privateKey };
}

/** A copy of the base case (modes, links and times kept) in a new temporary folder; returns the copy's path. */
export async function copyCase(base: HostileBase): Promise<string> {
  const caseDir = path.join(await tempDir(), "case");
  execFileSync("cp", ["-a", base.caseDir, caseDir]);
  return caseDir;
}

export const ledgerOf = (caseDir: string) => path.join(caseDir, "ledger.jsonl");

/** The ledger's complete lines, without line ends; [0] is line 1. */
export async function ledgerLines(caseDir: string): Promise<string[]> {
  return (await readFile(ledgerOf(caseDir), "utf8")).split("\n").slice(0, -1);
}

export async function rewriteLine(caseDir: string, line: number, edit: (text: string) => string): Promise<void> {
  const lines = await ledgerLines(caseDir);
  const edited = edit(lines[line - 1]!);
  assert.notEqual(edited, lines[line - 1], "the edit must change the line");
  lines[line - 1] = edited;
  await writeFile(ledgerOf(caseDir), lines.join("\n") + "\n");
}

/** Line numbers (1-based) of the events of `type`. */
export async function linesOfType(caseDir: string, type: string): Promise<number[]> {
  return (await ledgerLines(caseDir)).flatMap((l, i) => (JSON.parse(l).type === type ? [i + 1] : []));
}

export async function payloadAt(caseDir: string, line: number): Promise<Record<string, any>> {
  return JSON.parse((await ledgerLines(caseDir))[line - 1]!).payload;
}

/**
 * Appends an event chained to the last line, hashed with the product's own eventHash (RFC 8785)
 * and signed by `by`, so that only the rule under test can fail; returns its line.
 */
export async function appendEvent(
  caseDir: string,
  type: string,
  payload: Record<string, unknown>,
  by: Signer,
): Promise<number> {
  const lines = await ledgerLines(caseDir);
  const last = JSON.parse(lines[lines.length - 1]!);
  const unsigned = {
    seq: last.seq + 1,
    id: randomUUID(),
    ts: new Date().toISOString(),
    actor: by.keyId,
    type,
    payload,
    prev: last.hash,
  };
  const hash = eventHash(unsigned, nodeLedgerCrypto);
  const sig = sign(null, Buffer.from(hash, "hex"), by.privateKey).toString("base64");
  await appendFile(ledgerOf(caseDir), JSON.stringify({ ...unsigned, hash, sig }) + "\n");
  return lines.length + 1;
}

/** Flips one bit of a read-only vault file (made writable first, as anyone holding the folder can). */
export async function flipByte(caseDir: string, relative: string, at = 100): Promise<void> {
  const file = path.join(caseDir, relative);
  await chmod(file, 0o600);
  const bytes = await readFile(file);
  bytes[at] = bytes[at]! ^ 0x01;
  await writeFile(file, bytes);
}

export function mkfifo(file: string): void {
  execFileSync("mkfifo", [file]);
}

/**
 * Every entry below `dir` (and `dir` itself) as `path type mode content`, never following a link and
 * never opening anything but a regular file: what must be identical before and after a hostile run.
 */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const visit = async (full: string, relative: string) => {
    const info = await lstat(full);
    const mode = (info.mode & 0o7777).toString(8);
    if (info.isSymbolicLink()) out.set(relative, `link ${mode} -> ${await readlink(full)}`);
    else if (info.isFile())
      out.set(
        relative,
        `file ${mode} ${createHash("sha256")
          .update(await readFile(full))
          .digest("hex")}`,
      );
    else if (info.isDirectory()) {
      out.set(relative, `dir ${mode}`);
      for (const name of (await readdir(full)).sort()) await visit(path.join(full, name), `${relative}/${name}`);
    } else out.set(relative, `special ${mode}`);
  };
  await visit(dir, ".");
  return out;
}

export async function assertUnchanged(dir: string, before: Map<string, string>, what: string): Promise<void> {
  assert.deepEqual(Object.fromEntries(await snapshot(dir)), Object.fromEntries(before), `${what} changed`);
}

/** Runs the CLI, killing it (and failing) if it has not finished within `ms`. */
export function runCliWithin(args: string[], home: string, ms: number): Promise<CliResult & { timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, CI: "1", SIGHTLINE_HOME: home },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, ms);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** stderr is exactly one line, beginning "sightline: ", and not an unexpected error. */
export function assertOneLine(stderr: string): string {
  const lines = stderr.split("\n").filter((l) => l !== "");
  assert.equal(lines.length, 1, `one line on stderr, got:\n${stderr}`);
  assert.match(lines[0]!, /^sightline: /);
  assert.doesNotMatch(lines[0]!, /unexpected error/);
  return lines[0]!;
}

/** Provenance given with every import into a hostile copy. */
export const COLLECTION_ARGS = [
  "--source-url",
  "https://t.me/example/2",
  "--collected-at",
  "2026-02-16T09:12:00Z",
  "--method",
  "m",
];

/** A small file beside the base case, for writers to import into hostile copies of it. */
export async function newFileBeside(base: HostileBase): Promise<string> {
  const file = path.join(path.dirname(base.caseDir), "new.bin");
  await writeFile(file, "a file imported into the hostile copy");
  return file;
}

/** `sightline import <caseDir> <file>`, bounded in time: a FIFO must never make it hang (the bound is
 * a hang guard, generous for a loaded machine, not a speed check). */
export async function importWithin(home: string, caseDir: string, file: string) {
  const result = await runCliWithin(["import", caseDir, file, ...COLLECTION_ARGS], home, 120_000);
  assert.equal(result.timedOut, false, "import must not hang");
  return result;
}

/** An outside folder holding a victim file (0600) that nothing Sightline does may touch. */
export async function outsideWithVictim(): Promise<{ dir: string; victim: string }> {
  const dir = await tempDir("sightline-outside-");
  const victim = path.join(dir, "victim.txt");
  await writeFile(victim, "the victim's own bytes\n", { mode: 0o600 });
  await chmod(victim, 0o600);
  return { dir, victim };
}

/**
 * The set-up the hostile writer test files share: before their tests, the base case and a new file
 * beside it; `importInto(caseDir)` imports that file into a hostile copy, with the hang guard.
 */
export function hostileSuite(): {
  readonly base: HostileBase;
  readonly newFile: string;
  importInto: (caseDir: string) => ReturnType<typeof importWithin>;
} {
  let made: { base: HostileBase; newFile: string } | null = null;
  before(async () => {
    const base = await makeHostileBase();
    made = { base, newFile: await newFileBeside(base) };
  });
  const ready = () => {
    assert.ok(made, "the hostile base is made before the tests");
    return made;
  };
  return {
    get base() {
      return ready().base;
    },
    get newFile() {
      return ready().newFile;
    },
    importInto: (caseDir) => importWithin(ready().base.home, caseDir, ready().newFile),
  };
}
