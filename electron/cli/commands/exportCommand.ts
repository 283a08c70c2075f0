import { parseArgs } from "node:util";
import { trustedExaminers } from "../../services/ledger/caseTrust.js";
import { exportBag } from "../../services/exchange/bagitWriter.js";
import { exportBundle, type ExportProgress } from "../../services/exchange/bundleWriter.js";
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
  const what = items ? { items } : {};
  if (values.bundle !== undefined) {
    const outFile = values.bundle;
    return runExport(
      ctx,
      values.json,
      "bundle.exported",
      (onProgress) => exportBundle({ caseDir, outFile, key, ...what, onProgress }),
      (result) => [
        `Bundle    ${inert(result.file)}`,
        `SHA-256   ${result.sha256} (${formatBytes(result.size)})`,
        `Holds     ${items ? `${items.length} item(s) with their proof` : "the whole case"}: ${result.fileCount} files, ${formatBytes(result.payloadBytes)}`,
      ],
    );
  }
  const bagDir = values.bagit!;
  return runExport(
    ctx,
    values.json,
    "bag.exported",
    (onProgress) => exportBag({ caseDir, bagDir, key, ...what, onProgress }),
    (result) => [`Bag       ${inert(result.bagDir)}`, `Payload   ${result.payloadOxum} (bytes.files)`],
  );
}

/** Runs an export with its progress drawn on a terminal's line (cleared once it is done), and prints its result. */
async function runExport<R extends Exported>(
  ctx: CommandContext,
  isJson: boolean | undefined,
  eventType: string,
  run: (onProgress: (p: ExportProgress) => void) => Promise<R>,
  lines: (result: R) => string[],
): Promise<number> {
  const drawer = progressLine(ctx);
  const result = await run((p) =>
    drawer(`${p.filesDone}/${p.filesTotal} files, ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`),
  );
  drawer(null);
  return printExport(ctx, isJson, result, eventType, lines);
}

/** What every export answers: the ledger's head it holds, and the event that records it. */
type Exported = { head: { seq: number; hash: string }; event: { seq: number; hash: string } };

/**
 * An export's result on stdout: as JSON with --json (its event by number and hash), else as its
 * own `lines` and then the head it holds and the event (of `eventType`) that records it.
 */
function printExport<R extends Exported>(
  ctx: CommandContext,
  isJson: boolean | undefined,
  result: R,
  eventType: string,
  lines: (result: R) => string[],
): number {
  if (isJson) {
    line(ctx.stdout, jsonForTerminal({ ...result, event: { seq: result.event.seq, hash: result.event.hash } }));
    return 0;
  }
  for (const text of lines(result)) line(ctx.stdout, text);
  line(ctx.stdout, `Head      ${result.head.seq} ${result.head.hash}`);
  line(ctx.stdout, `Recorded  ledger event ${result.event.seq} (${eventType})`);
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
  return printExport(ctx, values.json, result, "uco.exported", () => [
    `CASE/UCO  ${inert(result.file)} (CASE 1.4.0, UCO 1.4.0 JSON-LD)`,
    ...(values.out !== undefined ? [`Kept as   ${inert(result.casePath)} in the case`] : []),
    `SHA-256   ${result.sha256} (${formatBytes(result.size)})`,
    `Holds     ${result.itemCount} items as observables, ${result.actionCount} investigative actions`,
  ]);
}
