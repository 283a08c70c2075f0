/**
 * Examiner keys: one Ed25519 key pair per examiner, made on first use and kept
 * in the user's profile (`$SIGHTLINE_HOME`, else `$XDG_CONFIG_HOME/sightline`,
 * else `~/.config/sightline`), each as `keys/<id>.json`, readable by the user
 * only.
 *
 * At rest the private key is sealed by a `KeyProtector` when the shell has one: the desktop app
 * passes Electron's safeStorage (the OS keychain) where it offers real encryption, and keys it
 * makes are stored sealed. Without one (the CLI, or a desktop without a keychain) the key is
 * stored as PKCS#8 DER, readable by the user only. A sealed key can only be used where its
 * protector is; anywhere else it is listed but cannot sign, and says why.
 */
import { generateKeyPairSync, createPrivateKey, sign } from "node:crypto";
import { mkdir, readdir, readFile, rename, writeFile, open } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { keyIdFor } from "../../../shared/ledger/keyId.js";
import type { Examiner } from "../../../shared/ledger/events.js";
import { nodeLedgerCrypto } from "../ledger/nodeLedgerCrypto.js";
import { SightlineError } from "../sightlineError.js";

/** A key that can sign ledger events. */
export interface ExaminerKey extends Examiner {
  /** Base64 Ed25519 signature of `message`. */
  sign(message: Uint8Array): string;
  /** Why this key cannot sign here (it is sealed by a protector this process does not have), if it cannot. */
  lockedBecause?: string;
}

/** Seals private keys at rest (the OS keychain, through the desktop shell). */
export interface KeyProtector {
  /** Recorded beside the sealed key, so any later run knows what can open it. */
  scheme: string;
  seal(plain: Buffer): Buffer;
  open(sealed: Buffer): Buffer;
}

interface StoredKey extends Examiner {
  /** Present when the key is stored unsealed. */
  privateKeyPkcs8?: string;
  /** Present when a protector sealed the PKCS#8 DER bytes. */
  sealed?: { scheme: string; data: string };
  created: string;
}

export function defaultProfileDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SIGHTLINE_HOME) return path.resolve(env.SIGHTLINE_HOME);
  const config = env.XDG_CONFIG_HOME || path.join(os.homedir(), ".config");
  return path.join(config, "sightline");
}

export class KeyStore {
  private readonly keysDir: string;

  constructor(
    readonly profileDir: string,
    private readonly protector: KeyProtector | null = null,
  ) {
    this.keysDir = path.join(profileDir, "keys");
  }

  /** Every key in the profile, oldest first. */
  async list(): Promise<ExaminerKey[]> {
    let names: string[];
    try {
      names = await readdir(this.keysDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const stored: StoredKey[] = [];
    for (const name of names.filter((n) => n.endsWith(".json")).sort()) {
      try {
        stored.push(JSON.parse(await readFile(path.join(this.keysDir, name), "utf8")) as StoredKey);
      } catch {
        // An unreadable key file is not a key; it is left where it is.
      }
    }
    return stored.sort((a, b) => a.created.localeCompare(b.created)).map((k) => toExaminerKey(k, this.protector));
  }

  /** The newest key made for `name`, or a new one. */
  async getOrCreate(name: string): Promise<ExaminerKey> {
    const named = (await this.list()).filter((k) => k.name === name);
    const usable = named.filter((k) => !k.lockedBecause).pop();
    if (usable) return usable;
    // Never a second key behind the examiner's back: a sealed one must be used where it opens.
    if (named[0]) throw new SightlineError("no-key", named[0].lockedBecause!);
    return this.create(name);
  }

  async create(name: string): Promise<ExaminerKey> {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const publicKeyB64 = publicKey.export({ format: "der", type: "spki" }).toString("base64");
    const pkcs8 = privateKey.export({ format: "der", type: "pkcs8" });
    const stored: StoredKey = {
      keyId: keyIdFor(publicKeyB64, nodeLedgerCrypto),
      name,
      publicKey: publicKeyB64,
      ...(this.protector
        ? { sealed: { scheme: this.protector.scheme, data: this.protector.seal(pkcs8).toString("base64") } }
        : { privateKeyPkcs8: pkcs8.toString("base64") }),
      created: new Date().toISOString(),
    };
    await mkdir(this.keysDir, { recursive: true, mode: 0o700 });
    const file = path.join(this.keysDir, `${stored.keyId.replace(/[^a-z0-9]/g, "_")}.json`);
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(stored, null, 2), { mode: 0o600 });
    const handle = await open(temp, "r");
    await handle.sync();
    await handle.close();
    await rename(temp, file);
    return toExaminerKey(stored, this.protector);
  }

  /** The first key of this profile that `examiners` trusts and that can sign here. */
  async findFor(examiners: readonly Examiner[]): Promise<ExaminerKey> {
    const ids = new Set(examiners.map((e) => e.keyId));
    const trusted = (await this.list()).filter((k) => ids.has(k.keyId));
    const key = trusted.find((k) => !k.lockedBecause);
    if (!key && trusted[0]) throw new SightlineError("no-key", trusted[0].lockedBecause!);
    if (!key) {
      throw new SightlineError(
        "no-key",
        `none of this profile's keys (${this.keysDir}) is an examiner key of this case; a case examiner must add yours`,
      );
    }
    return key;
  }
}

function toExaminerKey(stored: StoredKey, protector: KeyProtector | null): ExaminerKey {
  const examiner = { keyId: stored.keyId, name: stored.name, publicKey: stored.publicKey };
  const locked = (why: string): ExaminerKey => ({
    ...examiner,
    lockedBecause: why,
    sign: () => {
      throw new SightlineError("no-key", why);
    },
  });
  let pkcs8: Buffer;
  if (stored.sealed) {
    if (!protector || protector.scheme !== stored.sealed.scheme) {
      return locked(
        `the key of ${stored.name} is sealed by ${stored.sealed.scheme} (the desktop app's keychain) and cannot sign here; use the desktop app`,
      );
    }
    try {
      pkcs8 = protector.open(Buffer.from(stored.sealed.data, "base64"));
    } catch {
      return locked(
        `the key of ${stored.name} could not be unsealed by ${stored.sealed.scheme} (the keychain refused it)`,
      );
    }
  } else if (stored.privateKeyPkcs8) {
    pkcs8 = Buffer.from(stored.privateKeyPkcs8, "base64");
  } else {
    return locked(`the key file of ${stored.name} holds no private key`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
  } catch {
    return locked(`the key of ${stored.name} is damaged and cannot sign`);
  }
  return { ...examiner, sign: (message) => sign(null, message, privateKey).toString("base64") };
}
