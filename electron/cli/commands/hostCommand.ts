import { parseArgs } from "node:util";
import { startLoopbackHost } from "../../host/loopbackHost.js";
import { SightlineService } from "../../services/sightlineService.js";
import { writePendingCheckpoints } from "../../services/vault/caseStateCache.js";
import { describeIoError } from "../../services/sightlineError.js";
import { findChromium } from "../../services/systemChromium.js";
import { line, type CommandContext } from "../commandContext.js";
import { UsageError } from "../usage.js";
import { filesOfWindow, openAppWindow, type AppWindow } from "../appWindow.js";

/**
 * Serves the API and the workbench UI on 127.0.0.1 until interrupted. With --open,
 * opens the UI in Chromium's app mode (a window without browser chrome), or
 * prints the address when no Chromium is found. The printed address carries the token in its
 * #fragment, which the browser never sends over the network; the window gets a one-time launch
 * code instead, never on its command line (see appWindow.ts).
 */
export async function hostCommand(args: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string" },
      open: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError("--port must be a number from 0 to 65535");
  // Files dropped or picked in the window opened below are imported by their paths (host/windowFiles.ts).
  let window: AppWindow | null = null;
  const service = new SightlineService(ctx.keyStore, undefined, values.open ? filesOfWindow(() => window) : null);
  const host = await startLoopbackHost({
    service,
    port,
    onLaunchCodeRedeemed: () => line(ctx.stderr, "The workbench window has signed in; its launch code is now void."),
  });
  const appUrl = `${host.url}/#token=${host.token}`;
  if (values.json) {
    line(ctx.stdout, JSON.stringify({ url: host.url, token: host.token, appUrl }));
  } else {
    line(ctx.stdout, `Sightline on ${host.url} (127.0.0.1 only). Ctrl-C stops.`);
    line(ctx.stdout, `Workbench:  ${appUrl}`);
    line(ctx.stdout, `API token:  ${host.token}  (header  Authorization: Bearer <token>)`);
  }
  if (values.open) {
    const chromium = findChromium();
    if (!chromium) {
      line(ctx.stderr, "No Chromium found (set SIGHTLINE_CHROMIUM): open the Workbench address above in a browser.");
    } else {
      window = openAppWindow(chromium, host.url, host.issueLaunchCode(), (message) => line(ctx.stderr, message));
    }
  }
  const stop = async () => {
    let code = 0;
    await window?.close().catch((error: unknown) => {
      code = 1;
      line(ctx.stderr, `The workbench window's temporary folder could not be removed: ${describeIoError(error)}`);
    });
    await service.jobs.settle();
    await host.close();
    await writePendingCheckpoints(2000);
    process.exit(code);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
  return 0;
}
