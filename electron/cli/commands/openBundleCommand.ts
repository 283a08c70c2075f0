import { parseArgs } from "node:util";
import { openBundle } from "../../services/exchange/bundleReader.js";
import { line, type CommandContext } from "../commandContext.js";
import { formatBytes, inert, jsonForTerminal } from "../terminalText.js";
import { UsageError } from "../usage.js";
import { progressLine } from "./exportCommand.js";

/** `sightline open-bundle FILE.zip <case-dir>`: verify a bundle completely, then open it as a case folder. */
export async function openBundleCommand(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean", default: false } },
  });
  if (positionals.length !== 2) throw new UsageError("open-bundle takes a bundle file and a new case folder");
  const [bundle, target] = positionals as [string, string];
  const drawer = progressLine(ctx);
  const result = await openBundle({
    bundle,
    target,
    findKey: (trusted) => ctx.keyStore.findFor(trusted).catch(() => null),
    onProgress: (p) => drawer(`${p.phase} ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`),
  });
  drawer(null);
  const d = result.description;
  if (values.json) {
    line(
      ctx.stdout,
      jsonForTerminal({
        target: result.target,
        bundleSha256: result.bundleSha256,
        bundleSize: result.bundleSize,
        caseId: d.caseId,
        head: d.head,
        scope: d.scope,
        items: d.items,
        recorded: result.event ? { seq: result.event.seq, hash: result.event.hash } : null,
        notRecorded: result.notRecorded,
      }),
    );
    return 0;
  }
  line(ctx.stdout, `Opened    ${inert(result.target)}`);
  line(ctx.stdout, `Case      ${inert(d.title)} (${d.caseId})`);
  line(ctx.stdout, `From      ${inert(bundle)}, SHA-256 ${result.bundleSha256} (${formatBytes(result.bundleSize)})`);
  line(ctx.stdout, `Exported  ${d.exportedAt} by ${inert(d.exportedBy.name)} (${d.exportedBy.keyId})`);
  line(ctx.stdout, `Head      ${d.head.seq} ${d.head.hash}: compare it with the head the sender gave you`);
  line(
    ctx.stdout,
    d.scope === "case"
      ? "Checked   every file against the manifest, the ledger's chain and signatures, every original and derivative"
      : `Checked   ${d.items.length} item(s): every file against the manifest and the subset's proof against its head`,
  );
  line(
    ctx.stdout,
    result.event
      ? `Recorded  ledger event ${result.event.seq} (bundle.opened)`
      : `Note      the receipt is not in the ledger: ${inert(result.notRecorded ?? "")}`,
  );
  return 0;
}
