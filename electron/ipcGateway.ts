/**
 * The IPC transport of the API: the only code that touches `ipcMain`
 * (STYLE rule 3). One channel for calls, one for pushed events, one for reading a
 * case file's bytes (the IPC counterpart of the loopback host's `/files`); a call
 * is answered only when it comes from the main frame of one of our windows
 * showing our own page. Calls go through the same dispatcher as the loopback
 * host; file reads through the same allow-list of case paths.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from "electron";
import { fail, ok, type Result } from "../shared/api/result.js";
import { dispatch } from "./services/apiDispatch.js";
import { readCaseFile } from "./services/vault/caseFileAccess.js";
import { SightlineError } from "./services/sightlineError.js";
import type { SightlineService } from "./services/sightlineService.js";

export const IPC_INVOKE_CHANNEL = "sightline:invoke";
export const IPC_EVENT_CHANNEL = "sightline:event";
export const IPC_READ_FILE_CHANNEL = "sightline:read-case-file";

export function registerIpcGateway(
  ipcMain: IpcMain,
  service: SightlineService,
  isAppUrl: (url: string) => boolean,
  windows: () => WebContents[],
): () => void {
  const isFromOurPage = (event: IpcMainInvokeEvent) => {
    const frame = event.senderFrame;
    return !!frame && frame === event.sender.mainFrame && isAppUrl(frame.url);
  };
  const refused = () => fail("unauthorized", "IPC calls are accepted only from Sightline's own page");

  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    if (!isFromOurPage(event)) return refused();
    if (typeof method !== "string") return fail("invalid-input", "the method name must be a string");
    return dispatch(service, method, input);
  });
  ipcMain.handle(
    IPC_READ_FILE_CHANNEL,
    async (event: IpcMainInvokeEvent, dir: unknown, casePath: unknown): Promise<Result<Uint8Array>> => {
      if (!isFromOurPage(event)) return refused();
      try {
        return ok(await readCaseFile(dir, casePath));
      } catch (error) {
        if (error instanceof SightlineError) return fail(error.code, error.message);
        return fail("internal", `reading a case file failed unexpectedly: ${String(error).split("\n")[0]}`);
      }
    },
  );
  const unsubscribe = service.onEvent((event) => {
    for (const contents of windows()) if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, event);
  });
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    ipcMain.removeHandler(IPC_READ_FILE_CHANNEL);
    unsubscribe();
  };
}
