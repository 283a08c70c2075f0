/**
 * Printing a report's HTML to PDF. Behind a small interface so each host prints with the Chromium
 * it has: the CLI and browser mode use the system Chromium through playwright-core (found as
 * `sightline host` finds it); the desktop app can plug in Electron's `webContents.printToPDF` with
 * the same page header and footer.
 */
import type { Browser, Page } from "playwright-core";
import { SightlineError } from "../sightlineError.js";
import { findChromium, HEADLESS_CHROMIUM_ARGS } from "../systemChromium.js";

export interface PrintRequest {
  html: string;
  /**
   * Chromium header and footer templates (self-styled HTML; `pageNumber` and `totalPages` spans
   * filled in). Absent when the page carries its own in CSS margin boxes, with its size and margins
   * in its `@page` rule.
   */
  headerHtml?: string;
  footerHtml?: string;
}

export interface ReportPrinter {
  /** The PDF bytes of `html`, A4, with the header and footer on every page and a document outline. */
  print(request: PrintRequest): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * Prints with a headless system Chromium, launched on first use and kept until `close`. Prints
 * may run side by side, each in its own page; a page is kept for the next print (a report is
 * printed in parts, and a fresh context for each costs about a second).
 */
export class ChromiumPrinter implements ReportPrinter {
  private browser: Promise<Browser> | null = null;
  private readonly idle: Page[] = [];

  constructor(private readonly executablePath: string | null = findChromium()) {}

  private launch(): Promise<Browser> {
    if (!this.executablePath) {
      throw new SightlineError(
        "not-found",
        "no Chromium was found to print the PDF (install chromium or set SIGHTLINE_CHROMIUM); HTML, JSON and CSV need none",
      );
    }
    const executablePath = this.executablePath;
    // playwright-core takes one to two seconds to load: only a print pays it, not every start of the host.
    this.browser ??= import("playwright-core").then(({ chromium }) =>
      chromium.launch({ executablePath, args: [...HEADLESS_CHROMIUM_ARGS], headless: true }),
    );
    return this.browser;
  }

  /** A page that runs no script and from which nothing leaves: every request is refused. */
  private async page(): Promise<Page> {
    const kept = this.idle.pop();
    if (kept) return kept;
    const context = await (await this.launch()).newContext({ javaScriptEnabled: false, offline: true });
    await context.route("**/*", (route) => route.abort());
    return context.newPage();
  }

  async print(request: PrintRequest): Promise<Uint8Array> {
    const page = await this.page();
    let isReusable = false;
    try {
      await page.setContent(request.html, { waitUntil: "load", timeout: 0 });
      const templates =
        request.headerHtml !== undefined || request.footerHtml !== undefined
          ? {
              format: "A4",
              displayHeaderFooter: true,
              headerTemplate: request.headerHtml ?? "<span></span>",
              footerTemplate: request.footerHtml ?? "<span></span>",
              margin: { top: "18mm", bottom: "16mm", left: "15mm", right: "15mm" },
            }
          : { preferCSSPageSize: true };
      const pdf = await page.pdf({ ...templates, printBackground: true, outline: true, tagged: false });
      isReusable = true;
      return new Uint8Array(pdf);
    } finally {
      if (isReusable && this.browser) this.idle.push(page);
      else
        await page
          .context()
          .close()
          .catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    this.idle.length = 0;
    if (browser) await (await browser).close();
  }
}
