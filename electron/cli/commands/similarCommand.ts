import { parseArgs } from "node:util";
import { NEAR_DUPLICATE_THRESHOLD } from "../../../shared/media/phash.js";
import { findNearDuplicateGroups } from "../../../shared/media/nearDuplicates.js";
import { loadCaseState, readCaseFile } from "../../services/vault/caseStore.js";
import { line, type CommandContext } from "../commandContext.js";
import { inert, jsonForTerminal } from "../terminalText.js";
import { UsageError } from "../usage.js";

function at(seconds: number | null): string {
  if (seconds === null) return "";
  const m = Math.floor(seconds / 60);
  return ` @ ${String(m).padStart(2, "0")}:${(seconds - m * 60).toFixed(1).padStart(4, "0")}`;
}

/** `sightline similar`: near-duplicate groups of the case's pictures and video frames. */
export async function similarCommand(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { threshold: { type: "string" }, json: { type: "boolean", default: false } },
  });
  if (positionals.length !== 1) throw new UsageError("similar takes exactly one case folder");
  const threshold = values.threshold === undefined ? NEAR_DUPLICATE_THRESHOLD : Number(values.threshold);
  if (!Number.isInteger(threshold) || threshold < 0 || threshold > 32) {
    throw new UsageError("--threshold is a whole number of bits from 0 to 32");
  }
  const dir = positionals[0]!;
  await readCaseFile(dir);
  const groups = findNearDuplicateGroups(await loadCaseState(dir), threshold);
  if (values.json) {
    line(ctx.stdout, jsonForTerminal({ threshold, groups }));
    return 0;
  }
  const names = new Map(groups.flatMap((g) => g.items.map((i) => [i.sha256, i.name] as const)));
  line(
    ctx.stdout,
    `${groups.length} group${groups.length === 1 ? "" : "s"} of near-duplicates (pHash within ${threshold} of 64 bits)`,
  );
  groups.forEach((g, i) => {
    line(ctx.stdout, `\ngroup ${i + 1}: ${g.items.length} items`);
    for (const item of g.items) line(ctx.stdout, `  ${item.sha256.slice(0, 16)}  ${inert(item.name)}`);
    for (const l of g.links) {
      line(
        ctx.stdout,
        `  ${inert(names.get(l.a) ?? l.a)}${at(l.aAtS)}  ~  ${inert(names.get(l.b) ?? l.b)}${at(l.bAtS)}  (${l.distance} bits)`,
      );
    }
  });
  return 0;
}
