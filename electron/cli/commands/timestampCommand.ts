/**
 * `sightline timestamp <case-dir>`: an RFC 3161 timestamp of the ledger head from the examiner's
 * time-stamping authorities (stored in the case, named in a ledger event), or a queued request
 * when none answers; `--send-pending` sends queued ones; `--list` shows the case's timestamps;
 * `--add-tsa URL --anchors FILE.pem`, `--remove-tsa URL` and `--authorities` manage the
 * authorities in the examiner's profile.
 */
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { TimestampOutcome } from "../../../shared/api/timestampContract.js";
import type { EventDraft } from "../../../shared/ledger/events.js";
import { trustedExaminers } from "../../services/ledger/caseTrust.js";
import { LedgerWriter } from "../../services/ledger/ledgerWriter.js";
import { SightlineError, describeIoError } from "../../services/sightlineError.js";
import { TimestampService } from "../../services/timestamps/timestampService.js";
import { CaseStateCache } from "../../services/vault/caseStateCache.js";
import { line, type CommandContext } from "../commandContext.js";
import { inert, jsonForTerminal } from "../terminalText.js";
import { UsageError } from "../usage.js";

const MAX_ANCHORS_BYTES = 200_000;

/** The timestamp service as a command runs it: each append opens the case's writer with this profile's key. */
export function cliTimestampService(ctx: CommandContext, timeoutMs: number): TimestampService {
  return new TimestampService({
    keyStore: ctx.keyStore,
    states: new CaseStateCache(),
    append: async (caseDir: string, drafts: EventDraft[]) => {
      const writer = await LedgerWriter.open(caseDir, {
        key: await ctx.keyStore.findFor(await trustedExaminers(caseDir)),
      });
      try {
        return await writer.append(drafts);
      } finally {
        await writer.close();
      }
    },
    exchange: { timeoutMs },
  });
}

export async function timestampCommand(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      tsa: { type: "string" },
      "send-pending": { type: "boolean", default: false },
      list: { type: "boolean", default: false },
      "add-tsa": { type: "string" },
      anchors: { type: "string" },
      name: { type: "string" },
      "remove-tsa": { type: "string" },
      authorities: { type: "boolean", default: false },
      timeout: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError("timestamp takes exactly one case folder");
  const dir = positionals[0]!;
  const timeoutS = values.timeout === undefined ? 30 : Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 600) {
    throw new UsageError("--timeout is a number of seconds from 0 to 600");
  }
  const service = cliTimestampService(ctx, timeoutS * 1000);
  const out = ctx.stdout;
  const print = (value: unknown) => line(out, jsonForTerminal(value));

  if (values["add-tsa"] !== undefined) {
    if (values.anchors === undefined)
      throw new UsageError("--add-tsa needs --anchors FILE.pem (the authority's CA certificates)");
    const list = await service.saveTimestampAuthority({
      dir,
      url: values["add-tsa"],
      name: values.name ?? "",
      anchorsPem: await readAnchors(values.anchors),
    });
    if (values.json) print(list);
    else
      line(
        out,
        `Added     ${inert(values["add-tsa"])}; this examiner now uses ${list.length} authorit${list.length === 1 ? "y" : "ies"}`,
      );
    return 0;
  }
  if (values["remove-tsa"] !== undefined) {
    const list = await service.removeTimestampAuthority({ dir, url: values["remove-tsa"] });
    if (values.json) print(list);
    else line(out, `Removed   ${inert(values["remove-tsa"])}; ${list.length} left`);
    return 0;
  }
  if (values.authorities) {
    const list = await service.timestampAuthorities({ dir });
    if (values.json) return (print(list), 0);
    if (list.length === 0) line(out, "No time-stamping authority is configured for this examiner.");
    for (const t of list) {
      line(out, `${inert(t.name)}  ${inert(t.url)}`);
      for (const a of t.anchors) line(out, `  anchor  ${inert(a.subject)}  sha256 ${a.sha256}  until ${a.notAfter}`);
    }
    return 0;
  }
  if (values.list) {
    const list = await service.listTimestamps({ dir });
    if (values.json) return (print(list), 0);
    if (list.length === 0) line(out, "This case has no timestamp yet.");
    for (const t of list) {
      line(
        out,
        t.status === "recorded"
          ? `event ${t.ref.seq}  head ${t.head.seq} ${t.head.hash}  granted ${t.genTime} by ${inert(t.tsaName)}  ${t.tokenPath}`
          : `event ${t.ref.seq}  head ${t.head.seq} ${t.head.hash}  PENDING (not sent: ${inert(t.reason)})`,
      );
    }
    return 0;
  }
  if (values["send-pending"]) {
    const outcomes = await service.sendPendingTimestamps({ dir });
    if (values.json) print(outcomes);
    else if (outcomes.length === 0) line(out, "No queued timestamp request to send.");
    else outcomes.forEach((o) => describe(ctx, o));
    return outcomes.every((o) => o.status === "recorded") ? 0 : 1;
  }
  const outcome = await service.timestampLedger({ dir, ...(values.tsa !== undefined ? { tsaUrl: values.tsa } : {}) });
  if (values.json) print(outcome);
  else describe(ctx, outcome);
  return outcome.status === "recorded" ? 0 : 1;
}

export function describe(ctx: CommandContext, o: TimestampOutcome): void {
  if (o.status === "recorded") {
    line(ctx.stdout, `Timestamp head ${o.head.seq} ${o.head.hash}`);
    line(ctx.stdout, `Granted   ${o.genTime} by ${inert(o.tsaName)} (${inert(o.tsaUrl)})`);
    line(ctx.stdout, `Token     ${o.tokenPath}, recorded as event ${o.ref.seq}`);
  } else {
    line(ctx.stdout, `QUEUED    head ${o.head.seq} ${o.head.hash}: ${inert(o.reason)}`);
    line(
      ctx.stdout,
      `          recorded as pending request ${o.ref.seq}; send it with "sightline timestamp --send-pending"`,
    );
  }
}

async function readAnchors(file: string): Promise<string> {
  // Never waiting on a FIFO given as the file: O_NONBLOCK, then the regular-file check refuses it.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: unknown) => {
    throw new SightlineError("invalid-input", `cannot read the anchors file: ${describeIoError(error)}`);
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new SightlineError("invalid-input", "the anchors file is not a regular file");
    if (info.size > MAX_ANCHORS_BYTES) {
      throw new SightlineError("invalid-input", `the anchors file is larger than ${MAX_ANCHORS_BYTES} bytes`);
    }
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}
