import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import type { LedgerEvent } from "../../../shared/ledger/events.js";
import { readCaseFile } from "../../services/vault/caseStore.js";
import { SightlineError, describeIoError } from "../../services/sightlineError.js";
import { line, type CommandContext } from "../commandContext.js";
import { inert, jsonForTerminal } from "../terminalText.js";
import { UsageError } from "../usage.js";

/** Prints the ledger as it is; `verify` is what checks it. Unreadable lines are shown as such. */
export async function ledgerCommand(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean", default: false } },
  });
  if (positionals.length !== 1) throw new UsageError("ledger takes exactly one case folder");
  const caseDir = positionals[0]!;
  const caseFile = await readCaseFile(caseDir);
  let text: string;
  try {
    text = await readFile(path.join(caseDir, CASE_PATHS.ledger), "utf8");
  } catch (error) {
    throw new SightlineError("io-error", `cannot read the ledger: ${describeIoError(error)}`);
  }
  const names = new Map(caseFile.examiners.map((e) => [e.keyId, e.name]));
  const rows = text
    .split("\n")
    .filter(Boolean)
    .map((raw, i): { line: number; event: LedgerEvent | null } => {
      try {
        return { line: i + 1, event: JSON.parse(raw) as LedgerEvent };
      } catch {
        return { line: i + 1, event: null };
      }
    });
  if (values.json) {
    line(
      ctx.stdout,
      jsonForTerminal({
        caseId: caseFile.id,
        title: caseFile.title,
        events: rows.map((r) => r.event ?? { line: r.line, unreadable: true }),
      }),
    );
    return rows.some((r) => !r.event) ? 1 : 0;
  }
  for (const { line: n, event } of rows) {
    if (!event) {
      line(ctx.stdout, `line ${n}: not readable as an event (run "sightline verify")`);
      continue;
    }
    const who = inert(names.get(event.actor) ?? String(event.actor));
    line(
      ctx.stdout,
      `${String(event.seq).padStart(5)}  ${inert(String(event.ts))}  ${who.padEnd(16)}  ${inert(String(event.type)).padEnd(16)}  ${summarise(event)}`,
    );
  }
  return rows.some((r) => !r.event) ? 1 : 0;
}

function summarise(event: LedgerEvent): string {
  const p = event.payload as Record<string, any>;
  switch (event.type) {
    case "case.created":
      return `"${inert(String(p.title))}" (${inert(String(p.caseId))})`;
    case "examiner.added":
      return `${inert(String(p.examiner?.name))} ${inert(String(p.examiner?.keyId))}`;
    case "item.imported":
      return `${inert(String(p.source?.originalName))} sha256:${inert(String(p.sha256)).slice(0, 16)} ${p.isNewObject ? "stored" : "acquired again"}`;
    case "ledger.recovered":
      return `unfinished line of ${Number(p.tornBytes)} bytes moved to ${inert(String(p.savedAs))}`;
    default:
      return "";
  }
}
