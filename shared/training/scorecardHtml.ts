/**
 * The scorecard as an HTML page, printed to PDF like the custody report (same style sheet and
 * escaping: every text from the sample, the key or the trainee goes through `esc`, so markup is
 * shown as text and control and bidi characters as visible escapes; no script, no outside request).
 */
import type { Scorecard, ScorecardInfo } from "../api/trainingContract.js";
import { REPORT_STYLE, esc, mono, rows, user } from "../reports/reportHtmlParts.js";
import { formatTime } from "../text/times.js";
import { timeTakenText } from "./durations.js";

const pts = (points: number, max: number) => `${esc(points)} / ${esc(max)}`;
/** The trainer's text, line by line: each line escaped (its line ends kept as breaks, not shown as escapes). */
const paragraphs = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => user(l))
    .join("<br>");

function table(head: string[], body: string[][]): string {
  if (body.length === 0) return `<p class="np">None in the answer key.</p>`;
  return `<table class="kv"><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join("")}</tr></thead><tbody>${body
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

export function scorecardHtml(info: ScorecardInfo, context: { caseTitle: string; head: string }): string {
  const card: Scorecard = info.scorecard;
  const title = `Scorecard: ${card.sample.title}`;
  const overview = rows([
    ["Trainee", user(card.trainee)],
    ["Sample", `${user(card.sample.title)} (${mono(card.sample.id)})`],
    ["Submitted", esc(formatTime(card.submittedAt))],
    ["Time taken", `${esc(timeTakenText(card.minutesTaken))}${card.late ? " — <strong>late</strong>" : ""}`],
    ["Hints opened", `${esc(card.hintsOpened)} (−${esc(card.hintPenalty)} points)`],
    ["Score", `<strong>${pts(card.points, card.maxPoints)}</strong>`],
    ["Answer key", mono(info.answerKeySha256)],
    ["Recorded by", `event #${esc(info.scored.seq)} ${mono(info.scored.hash)}`],
    ["Case", user(context.caseTitle)],
    ["Ledger head", mono(context.head)],
  ]);
  const locations = table(
    ["File", "Result", "Points"],
    card.locations.map((l) => [user(l.fileName), user(l.summary), pts(l.points, l.maxPoints)]),
  );
  const times = table(
    ["File", "Result", "Points"],
    card.times.map((t) => [user(t.fileName), user(t.summary), pts(t.points, t.maxPoints)]),
  );
  const traps = table(
    ["Trap", "File", "Result", "Points"],
    card.traps.map((t) => [user(t.title), user(t.fileName), user(t.summary), pts(t.points, t.maxPoints)]),
  );
  const reasoning = table(
    ["File", "Clues", "Independent matches", "Confidence stated"],
    card.reasoning.items.map((i) => [
      user(i.fileName),
      esc(i.clueCount),
      esc(i.independentMatches),
      i.confidenceStated ? "yes" : "no",
    ]),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(title)}</title><style>${REPORT_STYLE}</style></head><body>
<h1>${esc(title)}</h1>
${overview}
<h2>Where</h2>${locations}
<h2>When</h2>${times}
<h2>Traps</h2>${traps}
<h2>Reasoning</h2><p>${user(card.reasoning.summary)} ${pts(card.reasoning.points, card.reasoning.maxPoints)}</p>${reasoning}
<h2>Model answer</h2><div class="box">${paragraphs(card.modelAnswer)}</div>
</body></html>`;
}

/** The running header and footer Chromium prints on every page of the PDF. */
export function scorecardPageParts(card: Scorecard): { headerHtml: string; footerHtml: string } {
  const style = "font-size: 7pt; width: 100%; margin: 0 15mm; display: flex; justify-content: space-between;";
  return {
    headerHtml: `<div style="${style}"><span>Scorecard · <bdi dir="auto">${esc(card.sample.title.slice(0, 70))}</bdi></span><span>${esc(card.trainee.slice(0, 60))}</span></div>`,
    footerHtml: `<div style="${style}"><span>${pts(card.points, card.maxPoints)} points</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
  };
}
