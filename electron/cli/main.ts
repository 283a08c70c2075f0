#!/usr/bin/env node
/**
 * The `sightline` command. Wires argv to the command modules and turns every
 * failure into one line on stderr and an exit code: 0 success, 1 problems
 * found or input not imported, 2 usage error. A stack trace is never the
 * message (set SIGHTLINE_DEBUG=1 to see one).
 */
import { SightlineError } from "../services/sightlineError.js";
import { defaultContext, line, type CommandContext } from "./commandContext.js";
import { analyseCommand } from "./commands/analyseCommand.js";
import { examinerCommand } from "./commands/examinerCommand.js";
import { exportCommand } from "./commands/exportCommand.js";
import { importCommand } from "./commands/importCommand.js";
import { initCommand } from "./commands/initCommand.js";
import { inspectCommand } from "./commands/inspectCommand.js";
import { ledgerCommand } from "./commands/ledgerCommand.js";
import { openBundleCommand } from "./commands/openBundleCommand.js";
import { similarCommand } from "./commands/similarCommand.js";
import { verifyCommand } from "./commands/verifyCommand.js";
import { inert } from "./terminalText.js";
import { USAGE, UsageError } from "./usage.js";

const COMMANDS: Record<string, (args: string[], ctx: CommandContext) => Promise<number>> = {
  init: initCommand,
  import: importCommand,
  verify: verifyCommand,
  ledger: ledgerCommand,
  inspect: inspectCommand,
  analyse: analyseCommand,
  similar: similarCommand,
  timestamp: (args, ctx) => import("./commands/timestampCommand.js").then((m) => m.timestampCommand(args, ctx)),
  // The heavy commands are loaded when used (the host's server and UI, Chromium printing, pkijs):
  // every other command starts without them, which matters most on a busy machine.
  host: (args, ctx) => import("./commands/hostCommand.js").then((m) => m.hostCommand(args, ctx)),
  examiner: examinerCommand,
  export: exportCommand,
  "open-bundle": openBundleCommand,
  report: (args, ctx) => import("./commands/reportCommand.js").then((m) => m.reportCommand(args, ctx)),
  exercise: (args, ctx) => import("./commands/exerciseCommand.js").then((m) => m.exerciseCommand(args, ctx)),
  sample: (args, ctx) => import("./commands/sampleCommand.js").then((m) => m.sampleCommand(args, ctx)),
};

export async function runCli(argv: string[], ctx: CommandContext = defaultContext()): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    line(name ? ctx.stdout : ctx.stderr, USAGE);
    return name ? 0 : 2;
  }
  if (name === "--version") {
    const { TOOL } = await import("../services/appInfo.js");
    line(ctx.stdout, `${TOOL.name} ${TOOL.version}`);
    return 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${inert(name)}"`);
    return await command(args, ctx);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      line(ctx.stderr, `sightline: ${inert((error as Error).message)}`);
      line(ctx.stderr, 'Run "sightline --help" for usage.');
      return 2;
    }
    if (error instanceof SightlineError) {
      line(ctx.stderr, `sightline: ${inert(error.message)}`);
      return 1;
    }
    line(
      ctx.stderr,
      `sightline: unexpected error: ${inert(error instanceof Error ? error.message.split("\n")[0]! : String(error))}`,
    );
    if (process.env.SIGHTLINE_DEBUG) line(ctx.stderr, String((error as Error).stack));
    return 1;
  }
}

// A closed pipe (`sightline ledger … | head`) is not an error worth a trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
});

const exitCode = await runCli(process.argv.slice(2));
if (process.argv[2] !== "host") {
  process.exitCode = exitCode;
  // A case the command changed gets its checkpoint now rather than never (the process ends first).
  const { writePendingCheckpoints } = await import("../services/vault/caseStateCache.js");
  await writePendingCheckpoints(2000);
}
