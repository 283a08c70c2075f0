/**
 * A trainer's sample made from a case: the chosen items' original bytes (read from the vault
 * without following links, and checked against their hashes), the case's reference imagery among
 * them packed as scenes and basemaps, the briefing, hints and the answers the trainer gives, in a
 * new package (samplePackage.ts), recorded in the case as `sample.authored`.
 */
import { lstat } from "node:fs/promises";
import path from "node:path";
import type { ApiOutput, ApiParsedInput } from "../../../shared/api/contract.js";
import type { CaseState, ItemState } from "../../../shared/ledger/caseState.js";
import { SAMPLE_EXTENSION } from "../../../shared/training/sampleFormat.js";
import { trustedExaminers } from "../ledger/caseTrust.js";
import { SightlineError } from "../sightlineError.js";
import { readCaseFile } from "../vault/caseStore.js";
import { assertNotFrozen } from "./exerciseFreeze.js";
import { writeSamplePackage, type SampleFileSource } from "./samplePackage.js";
import type { TrainingTools } from "./trainingTools.js";

export async function authorSample(
  tools: TrainingTools,
  input: ApiParsedInput<"authorSample">,
): Promise<ApiOutput<"authorSample">> {
  const dir = path.resolve(input.dir);
  await readCaseFile(dir);
  const state = await tools.states.get(dir);
  assertNotFrozen(state, ["sample.authored"]);
  const out = path.resolve(input.out);
  if (!out.endsWith(SAMPLE_EXTENSION)) {
    throw new SightlineError("invalid-input", `a sample package's name ends in ${SAMPLE_EXTENSION}`);
  }
  const chosen = [...new Set(input.items)];
  const files: SampleFileSource[] = [];
  const names = new Set<string>();
  for (const sha256 of chosen) {
    const item = state.items.get(sha256);
    if (!item) throw new SightlineError("not-found", `no item ${sha256} in this case`);
    files.push({ ...(await packedFile(dir, item, state)), name: uniqueName(item, names) });
  }
  const examiner = await tools.keyStore.findFor(await trustedExaminers(dir));
  const written = await writeSamplePackage({
    out,
    manifest: {
      id: input.id,
      title: input.title,
      author: examiner.name,
      createdAt: new Date().toISOString(),
      briefing: input.briefing,
      hints: input.hints,
    },
    answerKey: {
      format: "sightline-answer-key/1",
      sampleId: input.id,
      locations: input.locations,
      times: input.times,
      traps: input.traps,
      modelAnswer: input.modelAnswer,
    },
    files,
  });
  // The vault copy must be the item it claims to be: a changed object is not packed as evidence.
  for (const listed of written.manifest.files) {
    if (!chosen.includes(listed.sha256)) {
      throw new SightlineError(
        "tampered",
        `the vault copy packed as ${listed.name} does not match its item's SHA-256; run "sightline verify" (the package was written but not recorded: delete ${out})`,
      );
    }
  }
  const [event] = await tools.append(dir, [
    {
      type: "sample.authored",
      payload: {
        id: input.id,
        title: input.title,
        fileName: path.basename(out).slice(0, 255),
        sha256: written.sha256,
        size: written.size,
        manifestSha256: written.manifestSha256,
        answerKeySha256: written.answerKeySha256,
        items: chosen,
      },
    },
  ]);
  return { path: out, sha256: written.sha256, size: written.size, seq: event!.seq };
}

/** The item's vault copy (never through a link) and how it enters the sample. */
async function packedFile(dir: string, item: ItemState, state: CaseState): Promise<Omit<SampleFileSource, "name">> {
  const relative = `objects/sha256/${item.sha256.slice(0, 2)}/${item.sha256.slice(2)}`;
  const file = path.join(dir, relative);
  const info = await lstat(file).catch(() => null);
  if (!info?.isFile()) {
    throw new SightlineError(
      "tampered",
      `the vault copy of ${item.displayName} is missing or not a plain file; run "sightline verify"`,
    );
  }
  const collection = item.acquisitions[0]?.collection;
  const given = collection?.sourceUrl ?? collection?.sourceAccount ?? `the case "${state.title}"`;
  const source =
    given
      .replace(/[\u0000-\u001f\u007f]/g, " ")
      .trim()
      .slice(0, 500) || "not recorded";
  const reference = state.geo.references.get(item.sha256)?.payload;
  if (reference?.kind === "scene") return { path: file, role: "scene", source, acquiredOn: reference.acquiredOn };
  if (reference?.kind === "basemap") return { path: file, role: "basemap", source };
  return { path: file, role: "evidence", source };
}

/** The item's name as a plain sample file name (letters, digits, '.', '_', '-', spaces), unique in the package. */
function uniqueName(item: ItemState, taken: Set<string>): string {
  const plain = item.displayName
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9._ -]/g, "_")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 100);
  const base = plain.length > 0 ? plain : `item-${item.sha256.slice(0, 12)}`;
  const dot = base.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [base.slice(0, dot), base.slice(dot)] : [base, ""];
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${stem}-${n}${ext}`;
    if (!taken.has(name.toLowerCase())) {
      taken.add(name.toLowerCase());
      return name;
    }
  }
}
