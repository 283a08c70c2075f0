import { parseArgs } from "node:util";
import { HASH_ALGORITHMS, type HashAlgorithm } from "../../../shared/ledger/events.js";
import { createCase } from "../../services/vault/caseStore.js";
import { line, type CommandContext } from "../commandContext.js";
import { inert, jsonForTerminal } from "../terminalText.js";
import { UsageError } from "../usage.js";

export async function initCommand(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      title: { type: "string" },
      examiner: { type: "string" },
      hash: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError("init takes exactly one case folder");
  const title = values.title?.trim();
  const examiner = values.examiner?.trim();
  if (!title) throw new UsageError("init needs --title");
  if (!examiner) throw new UsageError("init needs --examiner (the name that will sign this case's ledger)");
  const hashAlgorithms = parseHashList(values.hash);
  const key = await ctx.keyStore.getOrCreate(examiner);
  const caseFile = await createCase({ dir: positionals[0]!, title, key, hashAlgorithms });
  if (values.json) {
    line(ctx.stdout, jsonForTerminal({ case: caseFile, dir: positionals[0] }));
  } else {
    line(ctx.stdout, `Created case "${inert(caseFile.title)}" (${caseFile.id}) in ${inert(positionals[0]!)}`);
    line(ctx.stdout, `Examiner ${inert(key.name)}, key ${key.keyId}`);
    line(ctx.stdout, `Hashes recorded: ${caseFile.hashAlgorithms.join(", ")}`);
  }
  return 0;
}

function parseHashList(text: string | undefined): HashAlgorithm[] {
  if (!text) return ["sha256"];
  const names = text
    .split(",")
    .map((s) => s.trim().toLowerCase().replace("-", ""))
    .filter(Boolean);
  for (const name of names) {
    if (!(HASH_ALGORITHMS as readonly string[]).includes(name)) {
      throw new UsageError(`--hash: unknown algorithm "${inert(name)}" (choose from ${HASH_ALGORITHMS.join(", ")})`);
    }
  }
  return ["sha256", ...(names as HashAlgorithm[]).filter((n) => n !== "sha256")];
}
