/**
 * Examiner keys: one Ed25519 key pair per examiner, made on first use and kept
 * in the user's profile (`$SIGHTLINE_HOME`, else `$XDG_CONFIG_HOME/sightline`,
 * else `~/.config/sightline`), each as `keys/<id>.json`, readable by the user
 * only. Electron's safeStorage encryption of the private key is applied by the
 * desktop shell where the OS keychain offers it; the CLI stores PKCS#8 DER.
 */
import { generateKeyPairSync, createPrivateKey, sign } from "node:crypto";
import { mkdir, readdir, readFile, rename, writeFile, open } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { keyIdFor } from "../../shared/ledger/keyId.js";
import type { Examiner } from "../../shared/ledger/events.js";
import { nodeLedgerCrypto } from "./nodeLedgerCrypto.js";
import { SightlineError } from "./sightlineError.js";

/** A key that can sign ledger events. */
export interface ExaminerKey extends Examiner {
  /** Base64 Ed25519 signature of `message`. */
  sign(message: Uint8Array): string;
}

interface StoredKey extends Examiner {
  privateKeyPkcs8: string;
  created: string;
}

export function defaultProfileDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SIGHTLINE_HOME) return path.resolve(env.SIGHTLINE_HOME);
  const config = env.XDG_CONFIG_HOME || path.join(os.homedir(), ".config");
  return path.join(config, "sightline");
}

export class KeyStore {
  private readonly keysDir: string;

  constructor(readonly profileDir: string) {
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
    return stored.sort((a, b) => a.created.localeCompare(b.created)).map(toExaminerKey);
  }

  /** The newest key made for `name`, or a new one. */
  async getOrCreate(name: string): Promise<ExaminerKey> {
    const existing = (await this.list()).filter((k) => k.name === name).pop();
    return existing ?? this.create(name);
  }

  async create(name: string): Promise<ExaminerKey> {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const publicKeyB64 = publicKey.export({ format: "der", type: "spki" }).toString("base64");
    const stored: StoredKey = {
      keyId: keyIdFor(publicKeyB64, nodeLedgerCrypto),
      name,
      publicKey: publicKeyB64,
      privateKeyPkcs8: privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
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
    return toExaminerKey(stored);
  }

  /** The first key of this profile that `examiners` trusts. */
  async findFor(examiners: readonly Examiner[]): Promise<ExaminerKey> {
    const ids = new Set(examiners.map((e) => e.keyId));
    const key = (await this.list()).find((k) => ids.has(k.keyId));
    if (!key) {
      throw new SightlineError(
        "no-key",
        `none of this profile's keys (${this.keysDir}) is an examiner key of this case; a case examiner must add yours`,
      );
    }
    return key;
  }
}

function toExaminerKey(stored: StoredKey): ExaminerKey {
  const privateKey = createPrivateKey({
    key: Buffer.from(stored.privateKeyPkcs8, "base64"),
    format: "der",
    type: "pkcs8",
  });
  return {
    keyId: stored.keyId,
    name: stored.name,
    publicKey: stored.publicKey,
    sign: (message) => sign(null, message, privateKey).toString("base64"),
  };
}
