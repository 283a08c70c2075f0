/**
 * `sightline report <case-dir> --format pdf|html|json|csv [--items SHA256,...]
 *  [--sensitive rounded|withheld|exact] [--graphic veiled|shown] [--timestamp] --out FILE`
 *
 * Verifies the case, makes its custody report, keeps a copy in the case's exports/ recorded by a
 * `report.generated` event, and writes the report to FILE (never over an existing file, never
 * inside the case). A case that fails verification still gets its report, which says so on every
 * page; the exit code is then 1. With --timestamp, the ledger head after the report's event (so the
 * report's SHA-256) is timestamped by the examiner's time-stamping authorities, as `sightline
 * timestamp` does; a request no authority answers is queued and the exit code is 1.
 */
import { constants } from "node:fs";
import { lstat, open, realpath, unlink } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import type { TimestampOutcome } from "../../../shared/api/timestampContract.js";
import {
  REPORT_FORMATS,
  REPORT_GRAPHIC,
  REPORT_SENSITIVE,
  type ReportFormat,
  type ReportGraphic,
  type ReportSensitive,
} from "../../../shared/reports/reportModel.js";
import { ChromiumPrinter, type ReportPrinter } from "../../services/reports/reportPrinter.js";
import { generateReport } from "../../services/reports/reportService.js";
import { SightlineError, describeIoError } from "../../services/sightlineError.js";
import { line, type CommandContext } from "../commandContext.js";
import { inert, jsonForTerminal } from "../terminalText.js";
import { UsageError } from "../usage.js";
import { cliTimestampService, describe } from "./timestampCommand.js";

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string, fallback?: T): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (value === undefined || !allowed.includes(value as T)) {
    throw new UsageError(`${option} must be one of ${allowed.join(", ")}`);
  }
  return value as T;
}

function itemList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = items.find((s) => !/^[0-9a-f]{64}$/.test(s));
  if (items.length === 0 || bad !== undefined) {
    throw new UsageError(
      `--items takes SHA-256 digests separated by commas${bad ? `; "${inert(bad.slice(0, 80))}" is not one` : ""}`,
    );
  }
  return [...new Set(items)];
}

/** The path is inside `root` (or is it), both resolved through any links. */
async function isInside(file: string, root: string): Promise<boolean> {
  const realRoot = await realpath(root).catch(() => path.resolve(root));
  const realParent = await realpath(path.dirname(file)).catch(() => path.resolve(path.dirname(file)));
  const relative = path.relative(realRoot, path.join(realParent, path.basename(file)));
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/** Refuses an --out that exists, is a folder, or lies inside the case, before any work is done. */
async function checkOut(out: string, caseDir: string): Promise<void> {
  const existing = await lstat(out).catch(() => null);
  if (existing?.isDirectory()) throw new UsageError(`--out ${inert(out)} is a folder; give a file name`);
  if (existing) throw new SightlineError("invalid-input", `${out} already exists; a report never replaces a file`);
  const parent = await lstat(path.dirname(out)).catch(() => null);
  if (!parent?.isDirectory()) throw new SightlineError("invalid-input", `the folder of ${out} does not exist`);
  if (await isInside(out, caseDir)) {
    throw new SightlineError(
      "invalid-input",
      `${out} is inside the case folder, where nothing but Sightline writes (a copy of the report is kept in its exports/); choose a file outside it`,
    );
  }
}

export async function reportCommand(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: "string" },
      items: { type: "string" },
      sensitive: { type: "string" },
      graphic: { type: "string" },
      out: { type: "string" },
      timestamp: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError("report takes exactly one case folder");
  const format: ReportFormat = oneOf(values.format, REPORT_FORMATS, "--format");
  const sensitive: ReportSensitive = oneOf(values.sensitive, REPORT_SENSITIVE, "--sensitive", "rounded");
  const graphic: ReportGraphic = oneOf(values.graphic, REPORT_GRAPHIC, "--graphic", "veiled");
  if (!values.out) throw new UsageError("--out FILE is required");
  const caseDir = path.resolve(positionals[0]!);
  const out = path.resolve(values.out);
  const items = itemList(values.items);
  await checkOut(out, caseDir);
  const stamper = values.timestamp ? cliTimestampService(ctx, 30_000) : null;
  if (stamper && (await stamper.timestampAuthorities({ dir: caseDir })).length === 0) {
    throw new SightlineError(
      "invalid-input",
      "--timestamp needs a time-stamping authority for this examiner (sightline timestamp --add-tsa URL --anchors FILE.pem); no report was made",
    );
  }

  let printer: ReportPrinter | null = null;
  const outcome = await generateReport(
    { dir: caseDir, format, ...(items ? { items } : {}), choices: { sensitive, graphic } },
    {
      keyStore: ctx.keyStore,
      printer: () => (printer ??= new ChromiumPrinter()),
      onProgress: (phase) => {
        if (ctx.isInteractive) ctx.stderr.write(`\r${phase}…          `);
      },
    },
  ).finally(() => printer?.close());
  if (ctx.isInteractive) ctx.stderr.write("\r");
  for (const warning of outcome.warnings) ctx.stderr.write(`sightline: ${warning}\n`);

  // Exclusive create, never through a link: an existing file is never replaced.
  const handle = await open(
    out,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
    0o644,
  ).catch((error: unknown) => {
    throw new SightlineError("io-error", `cannot write ${out}: ${describeIoError(error)}`);
  });
  try {
    await handle.writeFile(outcome.bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(out).catch(() => undefined);
    throw new SightlineError("io-error", `cannot write ${out}: ${describeIoError(error)}`);
  }
  await handle.close();

  let timestamp: TimestampOutcome | null = null;
  if (stamper && outcome.seq === null) {
    ctx.stderr.write("sightline: the report was not recorded in the case, so its head was not timestamped\n");
  } else if (stamper && outcome.hash !== null && outcome.seq !== null) {
    // The event that recorded the report, even if another writer has moved the ledger on since.
    timestamp = await stamper.timestampLedger({ dir: caseDir }, { seq: outcome.seq, hash: outcome.hash });
  }

  const summary = {
    out,
    format,
    sha256: outcome.sha256,
    size: outcome.bytes.length,
    items: outcome.itemCount,
    head: outcome.head,
    isClean: outcome.isClean,
    problemCount: outcome.problemCount,
    recorded: outcome.seq !== null ? { seq: outcome.seq, casePath: outcome.casePath } : null,
    notRecorded: outcome.notRecorded,
    warnings: outcome.warnings,
    ...(stamper ? { timestamp } : {}),
  };
  if (values.json) line(ctx.stdout, jsonForTerminal(summary));
  else {
    line(
      ctx.stdout,
      `Report    ${inert(out)} (${format.toUpperCase()}, ${outcome.bytes.length} bytes, ${outcome.itemCount} items)`,
    );
    line(ctx.stdout, `SHA-256   ${outcome.sha256}`);
    line(ctx.stdout, `Covers    ledger head ${outcome.head ? `${outcome.head.seq} ${outcome.head.hash}` : "none"}`);
    line(
      ctx.stdout,
      outcome.seq !== null
        ? `Recorded  event ${outcome.seq}; a copy is kept in the case as ${outcome.casePath}`
        : `Recorded  NOT recorded in the ledger: ${inert(outcome.notRecorded ?? "unknown reason")}`,
    );
    line(
      ctx.stdout,
      outcome.isClean
        ? "Verified  CLEAN at report time"
        : `Verified  FAILED at report time: ${outcome.problemCount} problem(s), listed in the report`,
    );
  }
  if (timestamp && !values.json) describe(ctx, timestamp);
  return outcome.isClean && (!stamper || timestamp?.status === "recorded") ? 0 : 1;
}
