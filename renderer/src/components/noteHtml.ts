/**
 * A note's Markdown as HTML the item view may insert: raw HTML in the note stays text, DOMPurify
 * keeps only formatting tags, and a link never takes the workbench away from itself. It opens in
 * a new tab without a handle back (browser mode), or is offered to the system browser after the
 * examiner confirms (the desktop shell refuses every navigation and window; see electron/main.ts).
 * Only absolute http(s) links stay links; any other address is dropped and its text kept.
 */
import DOMPurify from "dompurify";
import { Marked } from "marked";

const escapeHtml = (t: string) =>
  t.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

// Raw HTML in a note is shown as the text it is, never parsed: a note quoting `<img onerror=…>` stays a quote.
const markdown = new Marked({ renderer: { html: ({ text }) => escapeHtml(text) } });

const notes = DOMPurify();
notes.addHook("afterSanitizeAttributes", (node) => {
  if (node.nodeName !== "A") return;
  const href = node.getAttribute("href") ?? "";
  if (!/^https?:\/\//i.test(href)) {
    node.removeAttribute("href");
    return;
  }
  node.setAttribute("target", "_blank");
  node.setAttribute("rel", "noopener noreferrer");
});

export function noteHtml(text: string): string {
  return notes.sanitize(markdown.parse(text, { async: false }) as string, {
    ALLOWED_TAGS: ["p", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "a", "h3", "h4", "br", "hr"],
    ALLOWED_ATTR: ["href"],
  });
}
