#!/usr/bin/env node
/**
 * The `sightline` command. Wires argv to the command modules and turns every
 * failure into one line on stderr and an exit code: 0 success, 1 problems
 * found or input not imported, 2 usage error. A stack trace is never the
 * message (set SIGHTLINE_DEBUG=1 to see one).
 */
import { SightlineError } from "../services/sightlineError.js";
import { defaultContext, line, type CommandContext } from "./commandContext.js";
import { inert } from "./terminalText.js";
import { USAGE, UsageError } from "./usage.js";

type Command = (args: string[], ctx: CommandContext) => Promise<number>;

// Each command's module is loaded when that command runs, not before: sharp, exifr, ffmpeg, the PDF
// and zip writers, the host's server and Chromium printing cost most of a second to load together,
// and `--help`, `ledger` or `verify` need none of them (tests/bench/cliBench.ts measures it).
const COMMANDS: Record<string, () => Promise<Command>> = {
  init: () => import("./commands/initCommand.js").then((m) => m.initCommand),
  import: () => import("./commands/importCommand.js").then((m) => m.importCommand),
  verify: () => import("./commands/verifyCommand.js").then((m) => m.verifyCommand),
  ledger: () => import("./commands/ledgerCommand.js").then((m) => m.ledgerCommand),
  inspect: () => import("./commands/inspectCommand.js").then((m) => m.inspectCommand),
  analyse: () => import("./commands/analyseCommand.js").then((m) => m.analyseCommand),
  similar: () => import("./commands/similarCommand.js").then((m) => m.similarCommand),
  timestamp: () => import("./commands/timestampCommand.js").then((m) => m.timestampCommand),
  host: () => import("./commands/hostCommand.js").then((m) => m.hostCommand),
  examiner: () => import("./commands/examinerCommand.js").then((m) => m.examinerCommand),
  export: () => import("./commands/exportCommand.js").then((m) => m.exportCommand),
  "open-bundle": () => import("./commands/openBundleCommand.js").then((m) => m.openBundleCommand),
  report: () => import("./commands/reportCommand.js").then((m) => m.reportCommand),
  exercise: () => import("./commands/exerciseCommand.js").then((m) => m.exerciseCommand),
  sample: () => import("./commands/sampleCommand.js").then((m) => m.sampleCommand),
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
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (!load) throw new UsageError(`unknown command "${inert(name)}"`);
    return await (
      await load()
    )(args, ctx);
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
  // Help, the version and an unknown name open no case, and start without loading the cache.
  if (Object.hasOwn(COMMANDS, process.argv[2] ?? "")) {
    const { writePendingCheckpoints } = await import("../services/vault/caseStateCache.js");
    await writePendingCheckpoints(2000);
  }
}
