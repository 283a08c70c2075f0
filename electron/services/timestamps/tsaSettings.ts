/**
 * The time-stamping authorities an examiner uses, kept in the profile beside their key
 * (`timestamp-authorities/<key id digits>.json`, readable by the user only), never in a case:
 * each one's URL, a name, and the trust anchors (PEM certificates) its tokens must chain to.
 * Another examiner checking the same case trusts their own anchors, not these.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { TsaUrlSchema } from "../../../shared/ledger/timestampEvents.js";
import type { KeyStore } from "../examiners/keyStore.js";
import { trustedExaminers } from "../ledger/caseTrust.js";
import { SightlineError } from "../sightlineError.js";

export const StoredTsaSchema = z.object({
  url: TsaUrlSchema,
  name: z.string().max(200),
  /** PEM text of one or more certificates. */
  anchorsPem: z.string().max(200_000),
});
export type StoredTsa = z.infer<typeof StoredTsaSchema>;

const FileSchema = z.object({ authorities: z.array(StoredTsaSchema).max(20) });

export const MAX_TSAS = 20;

export class TsaSettingsStore {
  private readonly dir: string;

  constructor(profileDir: string) {
    this.dir = path.join(profileDir, "timestamp-authorities");
  }

  private fileFor(keyId: string): string {
    const digits = /^ed25519:([0-9a-f]{32})$/.exec(keyId)?.[1];
    if (!digits) throw new SightlineError("invalid-input", "not an examiner key id");
    return path.join(this.dir, `${digits}.json`);
  }

  /** The examiner's authorities, in the order they are tried; none when nothing was saved or the file is unreadable. */
  async list(keyId: string): Promise<StoredTsa[]> {
    try {
      const parsed = FileSchema.safeParse(JSON.parse(await readFile(this.fileFor(keyId), "utf8")));
      return parsed.success ? parsed.data.authorities : [];
    } catch (error) {
      if (error instanceof SightlineError) throw error;
      return [];
    }
  }

  /** Adds an authority or replaces the one with the same URL; its anchors must read as certificates. */
  async save(keyId: string, tsa: StoredTsa): Promise<StoredTsa[]> {
    const parsed = StoredTsaSchema.safeParse(tsa);
    if (!parsed.success) throw new SightlineError("invalid-input", parsed.error.issues[0]?.message ?? "invalid");
    // pkijs only when anchors are saved: reading the list (as verify does) needs none of it.
    const { certificatesOfPem, TimestampFault } = await import("./rfc3161.js");
    try {
      certificatesOfPem(parsed.data.anchorsPem);
    } catch (error) {
      if (error instanceof TimestampFault) {
        throw new SightlineError("invalid-input", `the trust anchors cannot be read: ${error.message}`);
      }
      throw error;
    }
    const others = (await this.list(keyId)).filter((t) => t.url !== parsed.data.url);
    if (others.length >= MAX_TSAS)
      throw new SightlineError("invalid-input", `at most ${MAX_TSAS} authorities are kept`);
    const next = [...others, parsed.data];
    await this.write(keyId, next);
    return next;
  }

  async remove(keyId: string, url: string): Promise<StoredTsa[]> {
    const next = (await this.list(keyId)).filter((t) => t.url !== url);
    await this.write(keyId, next);
    return next;
  }

  private async write(keyId: string, authorities: StoredTsa[]): Promise<void> {
    const file = this.fileFor(keyId);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ authorities }, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, file);
  }
}

/** The trust anchors (PEM texts) of every authority the examiner signing in this case configured; none when the profile has no key for it. */
export async function examinerTimestampAnchors(keyStore: KeyStore, dir: string): Promise<string[]> {
  try {
    const key = await keyStore.findFor(await trustedExaminers(dir));
    return (await new TsaSettingsStore(keyStore.profileDir).list(key.keyId)).map((t) => t.anchorsPem);
  } catch {
    return [];
  }
}
