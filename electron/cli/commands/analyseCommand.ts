import { parseArgs } from "node:util";
import { loadCaseState } from "../../services/vault/caseStore.js";
import { syncFileSystem } from "../../services/vault/durableFs.js";
import { LedgerWriter } from "../../services/ledger/ledgerWriter.js";
import { removeLeftovers } from "../../services/media/derivativeStore.js";
import { MediaStage } from "../../services/media/mediaStage.js";
import { line, type CommandContext } from "../commandContext.js";
import { inert, jsonForTerminal } from "../terminalText.js";
import { UsageError } from "../usage.js";
import { trustedExaminers } from "../../services/ledger/caseTrust.js";

/**
 * `sightline analyse`: runs the media stage for every item that has no
 * `metadata.extracted` event yet: items imported with --no-analyse, or whose
 * analysis was interrupted (a killed process, a cancelled import).
 */
export async function analyseCommand(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean", default: false } },
  });
  if (positionals.length !== 1) throw new UsageError("analyse takes exactly one case folder");
  const caseDir = positionals[0]!;
  const key = await ctx.keyStore.findFor(await trustedExaminers(caseDir));
  const writer = await LedgerWriter.open(caseDir, { key });
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on("SIGINT", onSigint);
  let summary;
  try {
    await removeLeftovers(caseDir);
    const state = await loadCaseState(caseDir);
    const stage = new MediaStage({
      writer,
      state,
      canSyncFileSystem: await syncFileSystem(caseDir),
      signal: controller.signal,
      onNearDuplicate: (notice) => {
        if (values.json) return;
        for (const m of notice.matches.slice(0, 5)) {
          line(
            ctx.stdout,
            `near-duplicate ${inert(notice.displayPath)} looks like ${inert(m.displayName)} (${m.distance} of 64 bits differ)`,
          );
        }
      },
    });
    for (const item of state.items.values()) {
      if (item.metadata) continue;
      const first = item.acquisitions[0]!;
      stage.add({
        sha256: item.sha256,
        objectPath: item.objectPath,
        originalName: item.displayName,
        displayPath: item.displayName,
        modifiedAt: new Date(first.source.fileTimes.modified),
      });
    }
    summary = await stage.finish();
  } finally {
    process.off("SIGINT", onSigint);
    await writer.close();
  }
  if (values.json) {
    line(ctx.stdout, jsonForTerminal({ ...summary, head: writer.currentHead }));
  } else {
    for (const a of summary.analysed) {
      line(
        ctx.stdout,
        `analysed   ${a.sha256.slice(0, 16)}  ${inert(a.displayPath)} (${a.kind}, ${a.derivatives} derivatives)`,
      );
      for (const w of a.warnings) line(ctx.stdout, `           warning ${w.code}: ${inert(w.message)}`);
    }
    for (const s of summary.skipped) line(ctx.stdout, `not analysed ${inert(s.displayPath)}: ${inert(s.reason)}`);
    line(
      ctx.stdout,
      `${summary.analysed.length} analysed, ${summary.skipped.length} left; ledger head ${writer.currentHead.seq} ${writer.currentHead.hash}`,
    );
  }
  return summary.skipped.length > 0 ? 1 : 0;
}
