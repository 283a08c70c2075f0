/**
 * Printing a report's HTML to PDF. Behind a small interface so each host prints with the Chromium
 * it has: the CLI and browser mode use the system Chromium through playwright-core (found as
 * `sightline host` finds it); the desktop app can plug in Electron's `webContents.printToPDF` with
 * the same page header and footer.
 */
import { chromium, type Browser } from "playwright-core";
import { SightlineError } from "../sightlineError.js";
import { findChromium } from "../systemChromium.js";

export interface PrintRequest {
  html: string;
  /** Chromium header and footer templates (self-styled HTML; `pageNumber` and `totalPages` spans filled in). */
  headerHtml: string;
  footerHtml: string;
}

export interface ReportPrinter {
  /** The PDF bytes of `html`, A4, with the header and footer on every page and a document outline. */
  print(request: PrintRequest): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** No GPU, no sandbox (root in CI), and no background connections: the page makes no request at all. */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Prints with a headless system Chromium, launched on first use and kept until `close`. */
export class ChromiumPrinter implements ReportPrinter {
  private browser: Promise<Browser> | null = null;

  constructor(private readonly executablePath: string | null = findChromium()) {}

  private launch(): Promise<Browser> {
    if (!this.executablePath) {
      throw new SightlineError(
        "not-found",
        "no Chromium was found to print the PDF (install chromium or set SIGHTLINE_CHROMIUM); HTML, JSON and CSV need none",
      );
    }
    this.browser ??= chromium.launch({ executablePath: this.executablePath, args: CHROMIUM_ARGS, headless: true });
    return this.browser;
  }

  async print(request: PrintRequest): Promise<Uint8Array> {
    const browser = await this.launch();
    // No script runs in the report, and nothing leaves the page: every request is refused.
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    try {
      await context.route("**/*", (route) => route.abort());
      const page = await context.newPage();
      await page.setContent(request.html, { waitUntil: "load", timeout: 0 });
      const pdf = await page.pdf({
        format: "A4",
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: request.headerHtml,
        footerTemplate: request.footerHtml,
        margin: { top: "18mm", bottom: "16mm", left: "15mm", right: "15mm" },
        outline: true,
        tagged: false,
      });
      return new Uint8Array(pdf);
    } finally {
      await context.close();
    }
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    if (browser) await (await browser).close();
  }
}
