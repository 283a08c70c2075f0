import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { parseArgs } from "node:util";
import { CollectionInputSchema, type CollectionInput } from "../../../shared/case/collection.js";
import { loadCaseState, readCaseFile } from "../../services/vault/caseStore.js";
import { canSyncFileSystem } from "../../services/vault/durableFs.js";
import type { NearDuplicateNotice } from "../../services/media/mediaStage.js";
import { importIntoCase, type ImportOutcome, type ImportProgress } from "../../services/import/importPipeline.js";
import { openWithThreads } from "../../services/import/importThreadsStart.js";
import { missedCount } from "../../services/import/importOutcomes.js";
import { notImportedPath, readNotImported, type NotImported } from "../../services/import/notImportedLog.js";
import { LedgerWriter } from "../../services/ledger/ledgerWriter.js";
import { line, type CommandContext } from "../commandContext.js";
import { formatBytes, formatDuration, inert, jsonForTerminal } from "../terminalText.js";
import { UsageError } from "../usage.js";
import { trustedExaminers } from "../../services/ledger/caseTrust.js";
import { damageWarnings, restoreOriginal, type RestoreResult } from "../../services/import/restoreOriginal.js";
import { DAMAGE_WORDS, vaultDamage } from "../../services/import/vaultDamage.js";

export async function importCommand(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      "source-url": { type: "string" },
      "source-account": { type: "string" },
      "collected-at": { type: "string" },
      "collected-at-zone": { type: "string" },
      method: { type: "string" },
      note: { type: "string" },
      "no-analyse": { type: "boolean", default: false },
      restore: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  if (positionals.length < 2) throw new UsageError("import needs a case folder and at least one file or folder");
  const [caseDir, ...paths] = positionals as [string, ...string[]];
  const given: Record<string, string | undefined> = {
    sourceUrl: values["source-url"],
    sourceAccount: values["source-account"],
    collectedAt: values["collected-at"],
    collectedAtZone: values["collected-at-zone"],
    method: values.method,
    note: values.note,
  };
  const parsed = CollectionInputSchema.safeParse(
    Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
  );
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? "invalid collection record");
  const collection: CollectionInput = parsed.data;

  // Started first, so that they start while the case is checked, opened and replayed.
  const {
    threads,
    opened: { caseFile, writer },
  } = await openWithThreads(paths, async () => {
    // The folder's shape and its trusted keys first: a writer reads nothing else of a case until they hold.
    const key = await ctx.keyStore.findFor(await trustedExaminers(caseDir, { allowDamagedObjects: values.restore }));
    const caseFile = await readCaseFile(caseDir);
    return { caseFile, writer: await LedgerWriter.open(caseDir, { key, isRestoring: values.restore }) };
  });
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    line(ctx.stderr, "\ncancelling: files already read are kept; press Ctrl-C again to stop at once");
  };
  process.on("SIGINT", onSigint);
  const drawer = ctx.isInteractive ? progressDrawer(ctx.stderr) : null;
  // Near-duplicates are announced as they are found, not left for someone to stumble on.
  const announce = (notice: NearDuplicateNotice) => {
    if (values.json) return;
    drawer?.clear();
    for (const m of notice.matches.slice(0, 5)) line(ctx.stdout, describeNearDuplicate(notice, m));
  };
  let report;
  // Every file not imported is printed, however many: the import keeps them in a list on disk.
  const listId = randomUUID();
  const restores: (RestoreResult | { sha256: string; error: string })[] = [];
  try {
    const state = await loadCaseState(caseDir);
    // The media stage (sharp, exifr, ffmpeg, file-type) is loaded only when the import analyses.
    const media = values["no-analyse"]
      ? undefined
      : new (await import("../../services/media/mediaStage.js")).MediaStage({
          writer,
          // Read by the stage only as it starts, so the one replay serves both.
          state,
          canSyncFileSystem: await canSyncFileSystem(),
          signal: controller.signal,
          onNearDuplicate: announce,
        });
    report = await importIntoCase(writer, caseFile, {
      paths,
      collection,
      notImportedId: listId,
      signal: controller.signal,
      ...(media ? { media } : {}),
      ...(drawer ? { onProgress: drawer.draw } : {}),
      ...(threads ? { threadsToStop: threads } : {}),
      // The command line re-reads a duplicate's vault copy: it has no recorded verification to go by.
      damageOf: (sha256) => vaultDamage(caseDir, state, sha256, { rehash: true }),
    });
    // --restore: each damaged vault copy is restored from the file just acquired (restoreOriginal.ts).
    for (const o of values.restore ? report.outcomes : []) {
      if (!("damaged" in o) || !o.damaged) continue;
      const now = await loadCaseState(caseDir);
      restores.push(
        await restoreOriginal(writer, caseFile, now, o.sha256, o.seq).catch((error: unknown) => ({
          sha256: o.sha256,
          error: error instanceof Error ? error.message : String(error),
        })),
      );
    }
    if (restores.length > 0) report.head = writer.currentHead;
  } finally {
    drawer?.clear();
    process.off("SIGINT", onSigint);
    // The case's lock is released whatever the threads do as they stop.
    await threads?.close().catch(() => undefined);
    await writer.close();
  }

  const count = (status: ImportOutcome["status"]) => report.counts[status];
  const hasProblems = missedCount(report.counts) > 0 || restores.some((r) => "error" in r);
  const listFile = notImportedPath(listId);
  // With the full list, the bounded one gives only the files that came in; without it (it could
  // not be kept: a warning says why), the bounded list is all there is.
  const isListed = report.hasNotImportedList;
  const hasList = isListed && missedCount(report.counts) > 0;
  const listed = isListed ? report.outcomes.filter((o) => !("reason" in o)) : report.outcomes;
  const leftOff = isListed ? count("imported") + count("duplicate") - listed.length : report.outcomesLeftOff;
  try {
    if (values.json) {
      const head = jsonForTerminal({
        outcomes: report.outcomes,
        counts: report.counts,
        outcomesLeftOff: report.outcomesLeftOff,
        warnings: report.warnings,
        isCancelled: report.isCancelled,
        head: report.head,
        media: report.media,
        restores,
      });
      // The files not imported are written out a page at a time, not gathered first.
      ctx.stdout.write(`${head.slice(0, -2)},\n  "notImported": [`);
      let separator = "\n    ";
      for (const o of hasList ? pages(listFile) : []) {
        ctx.stdout.write(separator + jsonForTerminal(o).replaceAll("\n", "\n    "));
        separator = ",\n    ";
      }
      line(ctx.stdout, `${separator === "\n    " ? "" : "\n  "}]\n}`);
    } else {
      if (hasList) for (const o of pages(listFile)) line(ctx.stdout, describeOutcome({ ...o }));
      const analysed = new Map((report.media?.analysed ?? []).map((a) => [a.sha256, a]));
      for (const outcome of listed) {
        line(ctx.stdout, describeOutcome(outcome));
        if (outcome.status !== "imported") continue;
        for (const w of analysed.get(outcome.sha256)?.warnings ?? []) {
          line(ctx.stdout, `           warning ${w.code}: ${inert(w.message)}`);
        }
      }
      if (leftOff > 0) {
        line(ctx.stdout, `and ${leftOff} more not listed here (each acquisition is in the ledger)`);
      }
      for (const r of restores) line(ctx.stdout, describeRestore(r));
      for (const s of report.media?.skipped ?? [])
        line(ctx.stdout, `not analysed ${inert(s.displayPath)}: ${inert(s.reason)}`);
      line(
        ctx.stdout,
        `${count("imported")} imported, ${count("duplicate")} already in the case, ${count("refused")} refused, ${count("failed")} failed` +
          (report.isCancelled ? `, ${count("cancelled")} cancelled` : "") +
          `; ledger head ${report.head.seq} ${report.head.hash}`,
      );
    }
  } finally {
    // Printed: the command line leaves no list behind.
    await rm(listFile, { force: true }).catch(() => undefined);
  }
  for (const warning of [...report.warnings, ...(values.restore ? [] : damageWarnings(report.outcomes))])
    line(ctx.stderr, `warning: ${warning}`);
  return hasProblems ? 1 : 0;
}

/** Every entry of a list of files not imported, read a page at a time. */
function* pages(file: string): Generator<NotImported> {
  for (let cursor: number | null = 0; cursor !== null;) {
    const page = readNotImported(file, cursor, 1000);
    yield* page.outcomes;
    cursor = page.next;
  }
}

function timeIn(seconds: number | null): string {
  if (seconds === null) return "";
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return ` at ${String(m).padStart(2, "0")}:${s.toFixed(1).padStart(4, "0")}`;
}

function describeNearDuplicate(notice: NearDuplicateNotice, m: NearDuplicateNotice["matches"][number]): string {
  return (
    `near-duplicate ${inert(notice.displayPath)}${timeIn(m.atS)} looks like ${inert(m.displayName)}${timeIn(m.matchAtS)}` +
    ` (${m.sha256.slice(0, 16)}, ${m.distance} of 64 bits differ)`
  );
}

function describeOutcome(outcome: ImportOutcome): string {
  const name = inert(outcome.displayPath);
  switch (outcome.status) {
    case "imported":
      return `imported   ${outcome.sha256.slice(0, 16)}  ${name}`;
    case "duplicate":
      return outcome.damaged
        ? `damaged    ${outcome.sha256.slice(0, 16)}  ${name}: the case holds these bytes, but ${DAMAGE_WORDS[outcome.damaged]}; acquisition recorded, vault copy left as it is (import with --restore to restore it from this file)`
        : `duplicate  ${outcome.sha256.slice(0, 16)}  ${name} (same bytes already in the case; acquisition recorded)`;
    default:
      return `${outcome.status.padEnd(10)} ${name}: ${inert(outcome.reason)}`;
  }
}

function describeRestore(r: RestoreResult | { sha256: string; error: string }): string {
  if ("error" in r) return `not restored ${r.sha256.slice(0, 16)}: ${inert(r.error)}`;
  const aside = r.setAside ? `the damaged copy is kept at ${r.setAside}` : "nothing was there to keep";
  return `restored   ${r.sha256.slice(0, 16)}  vault copy restored from this file (ledger entry ${r.seq}); ${aside}`;
}

function progressDrawer(stream: NodeJS.WritableStream) {
  const started = Date.now();
  let drawn = false;
  return {
    draw(p: ImportProgress) {
      if (p.phase === "analysing") {
        stream.write(`\r\x1b[Kanalysing: metadata, thumbnails and keyframes of ${p.analysing} item(s) left`);
        drawn = true;
        return;
      }
      const seconds = (Date.now() - started) / 1000;
      const rate = seconds > 0 ? p.bytesDone / seconds : 0;
      const left = rate > 0 ? (p.bytesTotal - p.bytesDone) / rate : Number.NaN;
      const pct = p.bytesTotal > 0 ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 0;
      const current = p.currentFile ? inert(p.currentFile).slice(-40) : "";
      // While the folders are still walked the totals are what was found so far: no share or time left yet.
      const tail =
        p.isScanComplete === false
          ? `${p.filesDone} of ${p.filesTotal} files found so far, ${formatBytes(p.bytesDone)}, ${formatBytes(rate)}/s`
          : `${p.filesDone}/${p.filesTotal} files, ${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)} (${pct}%), ${formatBytes(rate)}/s, ${formatDuration(left)} left`;
      stream.write(`\r\x1b[K${p.phase} ${tail} ${current}`);
      drawn = true;
    },
    clear() {
      if (drawn) stream.write("\r\x1b[K");
    },
  };
}
