import { parseArgs } from "node:util";
import { startLoopbackHost } from "../../host/loopbackHost.js";
import { SightlineService } from "../../services/sightlineService.js";
import { line, type CommandContext } from "../commandContext.js";
import { UsageError } from "../usage.js";

/** Serves the API on 127.0.0.1 until interrupted; prints the URL and token (as JSON with --json). */
export async function hostCommand(args: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: "string" }, json: { type: "boolean", default: false } },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError("--port must be a number from 0 to 65535");
  const service = new SightlineService(ctx.keyStore);
  const host = await startLoopbackHost({ service, port });
  if (values.json) {
    line(ctx.stdout, JSON.stringify({ url: host.url, token: host.token }));
  } else {
    line(ctx.stdout, `Sightline API on ${host.url} (127.0.0.1 only)`);
    line(ctx.stdout, `Token: ${host.token}`);
    line(ctx.stdout, "Every request needs the header  Authorization: Bearer <token>.  Ctrl-C stops.");
    line(ctx.stdout, "The workbench window (evidence board, item viewer, ledger) will open here once the UI ships;");
    line(ctx.stdout, "until then the sightline command and this API give every capability.");
  }
  const stop = async () => {
    await service.jobs.settle();
    await host.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
  return 0;
}
