/**
 * The workbench's own store of what a trainee must not read before submitting: each exercise's
 * answer key and hint texts, kept under the examiner profile (`<profile>/training/<key sha256>.json`),
 * never in a case folder and so never reachable through the case's files. The trainee's case holds
 * only the key's SHA-256 (`exercise.started`); the key is read back, and its hash checked against
 * that, when the work is scored. A store file someone edited is refused, never trusted.
 */
import { constants } from "node:fs";
import { mkdir, open, readFile, rename } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { HintSchema, type AnswerKey, type Hint, type SampleManifest } from "../../../shared/training/sampleFormat.js";
import { SightlineError, describeIoError } from "../sightlineError.js";
import { parseAnswerKey, sha256Of } from "./samplePackage.js";

const StoredExerciseSchema = z.strictObject({
  format: z.literal("sightline-exercise-store/1"),
  /** The package's manifest, as packed (the key is checked against it again when read). */
  manifest: z.string().max(4 * 1024 * 1024),
  /** The answer key's bytes as packed, as UTF-8 text. */
  answerKey: z.string().max(16 * 1024 * 1024),
  hints: z.array(HintSchema).max(20),
});

export class ExerciseStore {
  private readonly dir: string;

  constructor(profileDir: string) {
    this.dir = path.join(profileDir, "training");
  }

  private file(answerKeySha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(answerKeySha256))
      throw new SightlineError("invalid-input", "not an answer key's SHA-256");
    return path.join(this.dir, `${answerKeySha256}.json`);
  }

  /** Keeps the key and hints of a package (written whole or not at all; a second start of the same sample rewrites the same bytes). */
  async keep(manifestBytes: Buffer, answerKeyBytes: Buffer, hints: readonly Hint[]): Promise<string> {
    const sha256 = sha256Of(answerKeyBytes);
    const body = JSON.stringify({
      format: "sightline-exercise-store/1",
      manifest: manifestBytes.toString("utf8"),
      answerKey: answerKeyBytes.toString("utf8"),
      hints,
    });
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const temp = `${this.file(sha256)}.${process.pid}.${Date.now()}.tmp`;
      const handle = await open(
        temp,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        0o600,
      );
      try {
        await handle.writeFile(body);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file(sha256));
    } catch (error) {
      throw new SightlineError(
        "io-error",
        `cannot keep the exercise's answer key in the workbench's store: ${describeIoError(error)}`,
      );
    }
    return sha256;
  }

  private async read(answerKeySha256: string): Promise<z.infer<typeof StoredExerciseSchema>> {
    let text: string;
    try {
      text = await readFile(this.file(answerKeySha256), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new SightlineError(
          "not-found",
          "this exercise's answer key is not in this workbench's store (was the exercise started on another computer or profile?); open the sample again on the trainer's workbench to score it",
        );
      }
      throw new SightlineError("io-error", `cannot read the exercise's answer key: ${describeIoError(error)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw tampered();
    }
    const parsed = StoredExerciseSchema.safeParse(json);
    if (!parsed.success) throw tampered();
    return parsed.data;
  }

  /** The hints of an exercise (their titles are checked against the case's record by the caller). */
  async hints(answerKeySha256: string): Promise<Hint[]> {
    return (await this.read(answerKeySha256)).hints;
  }

  /**
   * The answer key, only if its bytes still have the hash the case recorded: a key changed in the
   * store is refused with a clear message, and nothing is scored.
   */
  async answerKey(answerKeySha256: string): Promise<AnswerKey> {
    const stored = await this.read(answerKeySha256);
    const bytes = Buffer.from(stored.answerKey, "utf8");
    if (sha256Of(bytes) !== answerKeySha256) {
      throw new SightlineError(
        "tampered",
        "the answer key kept for this exercise has been changed: its SHA-256 is not the one the case recorded when the exercise started, so the work cannot be scored against it; nothing was scored",
      );
    }
    let manifest: SampleManifest;
    try {
      manifest = JSON.parse(stored.manifest) as SampleManifest;
    } catch {
      throw tampered();
    }
    return parseAnswerKey(bytes, manifest);
  }
}

function tampered(): SightlineError {
  return new SightlineError(
    "tampered",
    "the workbench's store of this exercise's answer key is damaged or was edited; nothing was read from it",
  );
}
