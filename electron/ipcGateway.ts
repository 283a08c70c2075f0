/**
 * The IPC transport of the API: the only code that touches `ipcMain`
 * (STYLE rule 3). One channel for calls, one for pushed events; a call is
 * answered only when it comes from the main frame of one of our windows showing
 * our own page, and goes through the same dispatcher as the loopback host.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from "electron";
import { fail } from "../shared/api/result.js";
import { dispatch } from "./services/apiDispatch.js";
import type { SightlineService } from "./services/sightlineService.js";

export const IPC_INVOKE_CHANNEL = "sightline:invoke";
export const IPC_EVENT_CHANNEL = "sightline:event";

export function registerIpcGateway(
  ipcMain: IpcMain,
  service: SightlineService,
  isAppUrl: (url: string) => boolean,
  windows: () => WebContents[],
): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    const frame = event.senderFrame;
    if (!frame || frame !== event.sender.mainFrame || !isAppUrl(frame.url)) {
      return fail("unauthorized", "IPC calls are accepted only from Sightline's own page");
    }
    if (typeof method !== "string") return fail("invalid-input", "the method name must be a string");
    return dispatch(service, method, input);
  });
  const unsubscribe = service.onEvent((event) => {
    for (const contents of windows()) if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, event);
  });
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    unsubscribe();
  };
}
