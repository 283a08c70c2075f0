/**
 * The desktop app prints reports with the Chromium it already runs (`webContents.printToPDF`)
 * instead of launching the system one: a hidden window per print, in a session of its own where
 * every request but the page's own data: URLs is cancelled, with scripts off. The page carries its
 * size, margins, running header and footer in its `@page` rule (shared/reports/reportHtmlParts.ts);
 * a request with Chromium header and footer templates (the training scorecard) gets them here.
 *
 * Thin on purpose: it only adapts Electron to the ReportPrinter interface, and is not run by the
 * tests (they have no Electron); the CLI and browser mode print through reportPrinter.ts, which is.
 */
import { BrowserWindow, session } from "electron";
import type { PrintRequest, ReportPrinter } from "./services/reports/reportPrinter.js";

const PARTITION = "sightline-report-print";
const MM_PER_INCH = 25.4;

export class ElectronPrinter implements ReportPrinter {
  private readonly windows = new Set<BrowserWindow>();

  constructor() {
    const printing = session.fromPartition(PARTITION);
    printing.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !details.url.startsWith("data:") }));
    printing.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  }

  async print(request: PrintRequest): Promise<Uint8Array> {
    const window = new BrowserWindow({
      show: false,
      webPreferences: { partition: PARTITION, javascript: false, sandbox: true, contextIsolation: true },
    });
    this.windows.add(window);
    try {
      window.webContents.setWindowOpenHandler(() => ({ action: "deny" }));
      await window.loadURL(
        `data:text/html;charset=utf-8;base64,${Buffer.from(request.html, "utf8").toString("base64")}`,
      );
      const templates =
        request.headerHtml !== undefined || request.footerHtml !== undefined
          ? {
              pageSize: "A4" as const,
              displayHeaderFooter: true,
              headerTemplate: request.headerHtml ?? "<span></span>",
              footerTemplate: request.footerHtml ?? "<span></span>",
              margins: {
                top: 18 / MM_PER_INCH,
                bottom: 16 / MM_PER_INCH,
                left: 15 / MM_PER_INCH,
                right: 15 / MM_PER_INCH,
              },
            }
          : { preferCSSPageSize: true };
      const pdf = await window.webContents.printToPDF({ ...templates, printBackground: true });
      return new Uint8Array(pdf);
    } finally {
      this.windows.delete(window);
      window.destroy();
    }
  }

  async close(): Promise<void> {
    for (const window of this.windows) window.destroy();
    this.windows.clear();
  }
}
