/** A real case for the exchange tests, made with the real CLI: a hostile title, two random files and a picture. */
import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { runCli } from "./cli.js";
import { tempDir, writeRandomFile } from "./fixtures.js";

export const HOSTILE_TITLE = "Kidal <script>alert(1)</script> \u202efdp.exe";

/** A case with a hostile title, two random files and a picture (which gets a thumbnail). */
export async function makeExchangeCase(): Promise<{ root: string; home: string; caseDir: string; items: string[] }> {
  const root = await tempDir("sightline-exchange-");
  const home = path.join(root, "home");
  const caseDir = path.join(root, "case");
  const media = path.join(root, "media");
  await mkdir(media);
  await writeRandomFile(path.join(media, "clip.mp4"), 150_000);
  await writeRandomFile(path.join(media, "doc.bin"), 40_000);
  await sharp({ create: { width: 96, height: 64, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .png()
    .toFile(path.join(media, "photo.png"));
  const init = await runCli(
    ["init", caseDir, "--title", HOSTILE_TITLE, "--examiner", "A. Analyst", "--hash", "md5,sha1"],
    home,
  );
  assert.equal(init.code, 0, init.stderr);
  const imported = await runCli(["import", caseDir, media, "--method", "saved from the channel"], home);
  assert.equal(imported.code, 0, imported.stderr);
  const ledger = await readLedger(caseDir);
  const items = ledger.filter((e) => e.type === "item.imported").map((e) => e.payload.sha256 as string);
  return { root, home, caseDir, items };
}

export async function readLedger(caseDir: string): Promise<any[]> {
  const text = await readFile(path.join(caseDir, "ledger.jsonl"), "utf8");
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}
