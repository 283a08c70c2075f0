/**
 * Settings that belong to an examiner rather than to a case or a machine, kept in the profile
 * beside the examiner's key (`settings/<key id digits>.json`). Today: whether media is shown
 * veiled (blurred, greyscale, muted) until revealed, which is the default for everyone because
 * these cases hold footage of killings; an examiner may choose otherwise for themself.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { SightlineError } from "../sightlineError.js";

export const ExaminerSettingsSchema = z.object({
  veilMediaByDefault: z.boolean().default(true),
});
export type ExaminerSettings = z.infer<typeof ExaminerSettingsSchema>;

export class ExaminerSettingsStore {
  private readonly dir: string;

  constructor(profileDir: string) {
    this.dir = path.join(profileDir, "settings");
  }

  private fileFor(keyId: string): string {
    const digits = /^ed25519:([0-9a-f]{32})$/.exec(keyId)?.[1];
    if (!digits) throw new SightlineError("invalid-input", "not an examiner key id");
    return path.join(this.dir, `${digits}.json`);
  }

  /** The examiner's settings; the defaults when none were saved or the file is unreadable. */
  async get(keyId: string): Promise<ExaminerSettings> {
    try {
      const parsed = ExaminerSettingsSchema.safeParse(JSON.parse(await readFile(this.fileFor(keyId), "utf8")));
      if (parsed.success) return parsed.data;
    } catch (error) {
      if (error instanceof SightlineError) throw error;
    }
    return ExaminerSettingsSchema.parse({});
  }

  async set(keyId: string, patch: Partial<ExaminerSettings>): Promise<ExaminerSettings> {
    const next = ExaminerSettingsSchema.parse({ ...(await this.get(keyId)), ...patch });
    const file = this.fileFor(keyId);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, file);
    return next;
  }
}
