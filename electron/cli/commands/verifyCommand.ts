import { parseArgs } from "node:util";
import { verifyCase } from "../../services/ledger/verifyCase.js";
import { examinerTimestampAnchors } from "../../services/timestamps/tsaSettings.js";
import { line, type CommandContext } from "../commandContext.js";
import { formatBytes, inert, jsonForTerminal } from "../terminalText.js";
import { UsageError } from "../usage.js";

export async function verifyCommand(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean", default: false } },
  });
  if (positionals.length !== 1) throw new UsageError("verify takes exactly one case folder");
  const report = await verifyCase(positionals[0]!, {
    timestampAnchorsPem: await examinerTimestampAnchors(ctx.keyStore, positionals[0]!),
  });
  if (values.json) {
    line(ctx.stdout, jsonForTerminal(report));
    return report.isClean ? 0 : 1;
  }
  const out = ctx.stdout;
  line(out, `Case      ${inert(report.title)} (${report.caseId ?? "unknown id"})`);
  line(
    out,
    `Ledger    ${report.eventCount} events; head ${report.head ? `${report.head.seq} ${report.head.hash}` : "none"}`,
  );
  line(out, `Examiners ${report.examiners.map((e) => `${inert(e.name)} (${e.keyId})`).join(", ") || "none"}`);
  line(out, `Objects   ${report.objectsChecked} of ${report.itemCount} re-hashed, ${formatBytes(report.bytesChecked)}`);
  line(out, `Derived   ${report.derivativesChecked} derivatives (thumbnails, keyframes, proxies) re-hashed`);
  if (report.exportsChecked > 0) line(out, `Exports   ${report.exportsChecked} exported files re-hashed`);
  if (report.timestampsChecked > 0) {
    line(out, `Stamps    ${report.timestampsChecked} RFC 3161 timestamps of the ledger head checked`);
  }
  for (const notice of report.notices) line(out, `note      ${inert(notice.message)}`);
  if (report.isClean) {
    line(out, "Result    CLEAN: every object matches its hash, and every event its hash, chain and signature");
    return 0;
  }
  line(out, `Result    ${report.problems.length} PROBLEM${report.problems.length === 1 ? "" : "S"}`);
  for (const p of report.problems) {
    const where = p.line !== undefined ? `ledger.jsonl:${p.line}` : (p.file ?? "");
    line(out, `  ${p.code.padEnd(22)} ${inert(where).padEnd(28)} ${inert(p.message)}`);
  }
  return 1;
}
