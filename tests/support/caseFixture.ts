/** A real case made with the real CLI, for tests that then inspect or tamper with it. */
import path from "node:path";
import { runCli } from "./cli.js";
import { tempDir, writeRandomFile } from "./fixtures.js";
import assert from "node:assert/strict";

export interface CaseFixture {
  root: string;
  home: string;
  caseDir: string;
  mediaDir: string;
}

/**
 * A case with `files` random media files (sizes in bytes) imported from one folder.
 * `analyse: false` imports with `--no-analyse`, so the ledger holds only case.created and
 * one item.imported per file: what the ledger-mechanics tests count lines of.
 */
export async function makeImportedCase(
  sizes: number[] = [200_000, 150_000, 90_000],
  { analyse = true }: { analyse?: boolean } = {},
): Promise<CaseFixture> {
  const root = await tempDir();
  const home = path.join(root, "home");
  const caseDir = path.join(root, "case");
  const mediaDir = path.join(root, "media");
  for (const [i, size] of sizes.entries()) await writeRandomFile(path.join(mediaDir, `clip-${i}.mp4`), size);
  const init = await runCli(["init", caseDir, "--title", "Fixture case", "--examiner", "A. Analyst"], home);
  assert.equal(init.code, 0, init.stderr);
  const imported = await runCli(
    [
      "import",
      caseDir,
      mediaDir,
      "--source-url",
      "https://t.me/example/1",
      "--collected-at",
      "2026-02-16T09:12:00+01:00",
      "--method",
      "saved from the channel",
      ...(analyse ? [] : ["--no-analyse"]),
    ],
    home,
  );
  assert.equal(imported.code, 0, imported.stderr + imported.stdout);
  return { root, home, caseDir, mediaDir };
}
