import { parseArgs } from "node:util";
import { trustedExaminers } from "../../services/ledger/caseTrust.js";
import { exportBag } from "../../services/exchange/bagitWriter.js";
import { exportBundle } from "../../services/exchange/bundleWriter.js";
import { exportCaseUco } from "../../services/exchange/caseUcoExport.js";
import { line, type CommandContext } from "../commandContext.js";
import { formatBytes, inert, jsonForTerminal } from "../terminalText.js";
import { UsageError } from "../usage.js";

/** `sightline export <case-dir> --bundle FILE.zip | --bagit DIR [--items SHA256,...]`. */
export async function exportCommand(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      bundle: { type: "string" },
      bagit: { type: "string" },
      items: { type: "string" },
      format: { type: "string" },
      out: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError("export takes exactly one case folder");
  if (values.format !== undefined) return caseUcoBranch(positionals[0]!, values, ctx);
  const targets = [values.bundle, values.bagit].filter((v) => v !== undefined);
  if (targets.length !== 1) throw new UsageError("export needs one of --bundle FILE.zip or --bagit DIR");
  const caseDir = positionals[0]!;
  const items = values.items === undefined ? undefined : parseItems(values.items);
  const key = await ctx.keyStore.findFor(await trustedExaminers(caseDir));
  const drawer = progressLine(ctx);
  if (values.bundle !== undefined) {
    const result = await exportBundle({
      caseDir,
      outFile: values.bundle,
      key,
      ...(items ? { items } : {}),
      onProgress: (p) =>
        drawer(`${p.filesDone}/${p.filesTotal} files, ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`),
    });
    drawer(null);
    if (values.json) {
      line(ctx.stdout, jsonForTerminal({ ...result, event: { seq: result.event.seq, hash: result.event.hash } }));
      return 0;
    }
    line(ctx.stdout, `Bundle    ${inert(result.file)}`);
    line(ctx.stdout, `SHA-256   ${result.sha256} (${formatBytes(result.size)})`);
    line(
      ctx.stdout,
      `Holds     ${items ? `${items.length} item(s) with their proof` : "the whole case"}: ${result.fileCount} files, ${formatBytes(result.payloadBytes)}`,
    );
    line(ctx.stdout, `Head      ${result.head.seq} ${result.head.hash}`);
    line(ctx.stdout, `Recorded  ledger event ${result.event.seq} (bundle.exported)`);
    return 0;
  }
  const result = await exportBag({
    caseDir,
    bagDir: values.bagit!,
    key,
    ...(items ? { items } : {}),
    onProgress: (p) =>
      drawer(`${p.filesDone}/${p.filesTotal} files, ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`),
  });
  drawer(null);
  if (values.json) {
    line(ctx.stdout, jsonForTerminal({ ...result, event: { seq: result.event.seq, hash: result.event.hash } }));
    return 0;
  }
  line(ctx.stdout, `Bag       ${inert(result.bagDir)}`);
  line(ctx.stdout, `Payload   ${result.payloadOxum} (bytes.files)`);
  line(ctx.stdout, `Head      ${result.head.seq} ${result.head.hash}`);
  line(ctx.stdout, `Recorded  ledger event ${result.event.seq} (bag.exported)`);
  return 0;
}

function parseItems(text: string): string[] {
  const items = text
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError("--items needs at least one SHA-256");
  const bad = items.find((s) => !/^[0-9a-f]{64}$/.test(s));
  if (bad !== undefined) throw new UsageError(`--items: "${inert(bad.slice(0, 80))}" is not a SHA-256 (64 hex digits)`);
  return items;
}

/** A progress line redrawn on stderr when it is a terminal; null clears it. */
export function progressLine(ctx: CommandContext): (text: string | null) => void {
  let last = 0;
  return (text) => {
    if (!ctx.isInteractive) return;
    if (text === null) {
      ctx.stderr.write("\r\x1b[K");
      return;
    }
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    ctx.stderr.write(`\r\x1b[K${text}`);
  };
}

/**
 * `--format case-uco [--out FILE.jsonld]`: the case as CASE/UCO JSON-LD, kept in the case's exports/
 * and, with --out, copied outside it too (services/exchange/caseUcoExport.ts).
 */
async function caseUcoBranch(
  caseDir: string,
  values: { format?: string; out?: string; bundle?: string; bagit?: string; items?: string; json?: boolean },
  ctx: CommandContext,
): Promise<number> {
  if (values.format !== "case-uco") throw new UsageError('--format takes "case-uco"');
  if (values.bundle !== undefined || values.bagit !== undefined || values.items !== undefined) {
    throw new UsageError("--format case-uco exports the whole case, without --bundle, --bagit or --items");
  }
  const key = await ctx.keyStore.findFor(await trustedExaminers(caseDir));
  const result = await exportCaseUco({ caseDir, key, ...(values.out !== undefined ? { outFile: values.out } : {}) });
  if (values.json) {
    line(ctx.stdout, jsonForTerminal({ ...result, event: { seq: result.event.seq, hash: result.event.hash } }));
    return 0;
  }
  line(ctx.stdout, `CASE/UCO  ${inert(result.file)} (CASE 1.4.0, UCO 1.4.0 JSON-LD)`);
  if (values.out !== undefined) line(ctx.stdout, `Kept as   ${inert(result.casePath)} in the case`);
  line(ctx.stdout, `SHA-256   ${result.sha256} (${formatBytes(result.size)})`);
  line(ctx.stdout, `Holds     ${result.itemCount} items as observables, ${result.actionCount} investigative actions`);
  line(ctx.stdout, `Head      ${result.head.seq} ${result.head.hash}`);
  line(ctx.stdout, `Recorded  ledger event ${result.event.seq} (uco.exported)`);
  return 0;
}
