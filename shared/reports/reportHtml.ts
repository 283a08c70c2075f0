/**
 * The report as one self-contained HTML page: the HTML format itself, and what Chromium prints
 * to PDF. No external request can leave it (a Content-Security-Policy of `default-src 'none'`,
 * images only as data: URIs, the style sheet allowed by its hash, no script at all), and every
 * string from the case is escaped and shown inert (reportHtmlParts.ts).
 */
import { gpsSourceWords } from "../text/plainWords.js";
import { formatTime } from "../text/times.js";
import type { CustodyReport, ReportGeolocation, ReportImage, ReportItem, ReportStrand } from "./reportModel.js";
import { REPORT_STYLE, esc, mono, orNot, place, reportPageStyle, rows, user, utc } from "./reportHtmlParts.js";
import { CHANNEL_WORDS, STATUS_WORDS } from "./reportWords.js";

export interface ReportHtmlOptions {
  /** data: URIs of the case images the report shows, by case path (veiled ones already blurred). */
  images: ReadonlyMap<string, string>;
  /** base64 SHA-256 of a text (for the style sheet's hash in the page's policy). */
  sha256Base64: (text: string) => string;
  /**
   * One part of the report, for printing it in pieces (electron/services/reports/reportPdf.ts):
   * the front matter (with an empty anchor per item, so the contents' links are kept), or items
   * `from` to `to` (end excluded). Absent: the whole report.
   */
  part?: { kind: "front"; pages?: ContentsPages } | { kind: "items"; from: number; to: number };
  /** "Page N of M" in the footer (default true); false when the pages are numbered after printing. */
  pageNumbers?: boolean;
}

/**
 * The page of each contents entry (by its anchor id), once the parts are printed; a front part
 * printed without it keeps the numbers' room empty, so both prints lay out the same pages.
 */
export type ContentsPages = Readonly<Record<string, number>>;

/** The contents, in order: the PDF's outline is made of the same entries (reportOutline.ts). */
export function contentsEntries(report: CustodyReport): { id: string; title: string; name?: string }[] {
  return [
    { id: "summary", title: "Summary and verification" },
    { id: "examiners", title: "Examiners" },
    { id: "reverify", title: "How to re-verify without Sightline" },
    { id: "choices", title: "The examiner's choices for this report" },
    ...report.items.map((it, i) => ({ id: itemId(i), title: `Item ${i + 1}`, name: it.names[0] ?? it.sha256 })),
  ];
}

const sizeWords = (n: number) => `${n.toLocaleString("en")} bytes`;
const itemId = (i: number) => `item-${i + 1}`;

export function reportHtml(report: CustodyReport, options: ReportHtmlOptions): string {
  const style = `${REPORT_STYLE}${reportPageStyle(report, options.pageNumbers ?? true)}\n`;
  const csp = `default-src 'none'; img-src data:; style-src 'sha256-${options.sha256Base64(style)}'; base-uri 'none'; form-action 'none'`;
  const part = options.part;
  // Chromium writes a named destination only for an anchor that a link of the same page points
  // to: a part of items carries an empty link to each, so the front matter's links find them.
  const body =
    part?.kind === "items"
      ? [
          ...report.items.slice(part.from, part.to).map((it, i) => itemHtml(it, part.from + i, options.images)),
          `<div class="anchors">${report.items
            .slice(part.from, part.to)
            .map((_, i) => `<a href="#${itemId(part.from + i)}"></a>`)
            .join("")}</div>`,
        ]
      : [
          ...frontHtml(report, part?.kind === "front" ? (part.pages ?? {}) : null),
          ...(part?.kind === "front"
            ? [`<div class="anchors">${report.items.map((_, i) => `<span id="${itemId(i)}"></span>`).join("")}</div>`]
            : report.items.map((it, i) => itemHtml(it, i, options.images))),
        ];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<title>Custody report: ${esc(report.case.title)}</title>
<style>${style}</style></head>
<body>
${body.join("\n")}
</body></html>
`;
}

/** The title, contents, summary and verification, examiners, how to re-verify and the examiner's choices. */
function frontHtml(report: CustodyReport, pages: ContentsPages | null): string[] {
  const v = report.verification;
  const head = report.ledger.head;
  // Pages only in a PDF: the HTML format has none.
  const toc = contentsEntries(report).map(
    (e) =>
      `<li><a href="#${e.id}">${esc(e.title)}${e.name === undefined ? "" : `: ${user(e.name)}`}</a>${
        pages ? `<span class="pg">${pages[e.id] ?? ""}</span>` : ""
      }</li>`,
  );
  const verdict = v.isClean
    ? `<div class="box good"><strong>Verification at report time: CLEAN.</strong> Every event matches its hash, chain and signature; ${v.objectsChecked} originals (${sizeWords(v.bytesChecked)}), ${v.derivativesChecked} derivatives and ${v.exportsChecked} exports were re-hashed and match.</div>`
    : `<div class="box bad"><strong>Verification at report time: FAILED, ${v.problems.length} problem${v.problems.length === 1 ? "" : "s"}.</strong> What this report says comes from a ledger or vault that does not check out; each problem is listed below. Do not rely on it without knowing why.<ul>${v.problems
        .slice(0, 200)
        .map((p) => `<li>${mono(p.code)} ${p.line !== undefined ? `line ${p.line}: ` : ""}${esc(p.message)}</li>`)
        .join(
          "",
        )}${v.problems.length > 200 ? `<li>… and ${v.problems.length - 200} more (in the JSON twin)</li>` : ""}</ul></div>`;
  return [
    `<h1>Custody report</h1>`,
    `<p>${user(report.case.title)}</p>`,
    `<h2>Contents</h2><ol class="toc">${toc.join("")}</ol>`,
    `<section id="summary"><h2>Summary and verification</h2>`,
    rows([
      ["Case", user(report.case.title)],
      ["Case id", mono(report.case.id)],
      ["Report made", esc(utc(report.generatedAt))],
      ["By tool", `${esc(report.tool.name)} ${esc(report.tool.version)}`],
      ["Ledger head", head ? `event ${head.seq}<br>${mono(head.hash)}` : "no events"],
      ["Events", esc(report.ledger.eventCount)],
      [
        "Scope",
        report.scope.kind === "case"
          ? `the whole case: ${report.items.length} item${report.items.length === 1 ? "" : "s"}`
          : `${report.items.length} selected item${report.items.length === 1 ? "" : "s"} of the case`,
      ],
      ["Hashes kept", esc(report.case.hashAlgorithms.join(", ").toUpperCase() || "SHA-256")],
      ["Verified at", esc(utc(v.checkedAt))],
    ]),
    verdict,
    v.notices.length ? `<h3>Notices</h3><ul>${v.notices.map((n) => `<li>${esc(n.message)}</li>`).join("")}</ul>` : "",
    `</section>`,
    `<section id="examiners"><h2>Examiners</h2>`,
    report.examiners
      .map((e) =>
        rows([
          ["Name", user(e.name)],
          ["Key id", mono(e.keyId)],
          ["Key fingerprint", `SHA-256 of the public key<br>${mono(e.fingerprint)}`],
        ]),
      )
      .join(`<hr>`),
    `</section>`,
    `<section id="reverify"><h2>How to re-verify without Sightline</h2><p>${esc(report.reverification)}</p></section>`,
    `<section id="choices"><h2>The examiner's choices for this report</h2><ul>`,
    `<li>Sensitive places (geolocations marked sensitive, and every place of their item): ${
      report.choices.sensitive === "exact"
        ? "shown exactly as recorded, by the examiner's choice"
        : report.choices.sensitive === "rounded"
          ? "rounded to about 1 km; map snapshots left out"
          : "withheld; map snapshots left out"
    }.</li>`,
    `<li>Pictures of items tagged “${esc(report.choices.graphicTag)}”: ${
      report.choices.graphic === "veiled"
        ? "veiled (blurred beyond recognition; the clear picture is not in this report)"
        : "shown, by the examiner's choice"
    }.</li></ul></section>`,
  ];
}

function picture(image: ReportImage | null, images: ReadonlyMap<string, string>, what: string): string {
  if (!image) return `<p class="np">No ${esc(what)} was made for this item.</p>`;
  const uri = images.get(image.path);
  if (image.omitted || !uri)
    return `<p class="np">The ${esc(what)} is not shown: ${esc(image.omitted ?? "it could not be read")}.</p>`;
  const caption = `${image.isVeiled ? `<span class="veil">Veiled: graphic content.</span> ` : ""}${esc(what)} ${mono(image.path)}<br>SHA-256 ${mono(image.sha256)}`;
  return `<figure><img src="${esc(uri)}" alt="${esc(image.isVeiled ? `${what}, veiled` : what)}"><figcaption>${caption}</figcaption></figure>`;
}

function strand(title: string, s: ReportStrand, extra: string): string {
  const methods = s.methods.length
    ? `<p>Methods and tools: ${s.methods.map((m) => `${esc(m.name)} ${esc(m.version)}`).join("; ")}</p>`
    : "";
  const findings = s.isPerformed
    ? `<ul>${s.findings.map((f) => `<li>${user(f)}</li>`).join("")}</ul>`
    : `<p class="np">Not performed.</p>`;
  const limits = s.limits.length
    ? `<h4>Limits and confidence</h4><ul>${s.limits.map((l) => `<li>${user(l)}</li>`).join("")}</ul>`
    : "";
  return `<div class="strand"><h3>${esc(title)}</h3>${findings}${methods}${limits}${extra}</div>`;
}

function geolocationHtml(g: ReportGeolocation, images: ReadonlyMap<string, string>): string {
  const pairs: [string, string][] = [
    ["Proposed", `${esc(utc(g.at))} by ${user(g.examiner)} (event ${g.ref.seq})`],
    ["State", g.isCurrent ? "current" : `replaced by event ${g.replacedBy?.seq}`],
  ];
  if (g.outcome === "located") {
    pairs.push(["Place", place(g.place)], ["Precision", esc(g.precision)], ["Confidence", esc(g.confidence)]);
  } else pairs.push(["Outcome", `cannot be geolocated: ${user(g.cannotReason)}`]);
  if (g.isSensitive) pairs.push(["Sensitive", "yes: the place could expose a witness"]);
  pairs.push(["Method", `<span class="note">${user(g.method || "not stated")}</span>`]);
  const claims = g.claims.map(
    (c) =>
      `<li>${esc(c.source)}: ${user(c.detail)}${c.placeName ? `; place ${user(c.placeName)}` : ""}${c.location ? `; ${place(c.location)}` : ""}${c.time ? `; time ${esc(c.time)}` : ""}</li>`,
  );
  const clues = g.clues.map(
    (c) => `<li>${user(c.what)}: ${esc(c.frame)}; on the map ${place(c.map)}; layer ${user(c.layer)}</li>`,
  );
  const elim = g.eliminated.map((e) => `<li>${user(e.place)}: ${user(e.why)}</li>`);
  const reviews = g.reviews.map(
    (r) =>
      `<li>${esc(utc(r.at))} ${user(r.examiner)} ${r.verdict === "agree" ? "agrees" : "disagrees"}: ${user(r.reason)}</li>`,
  );
  return `<div class="box"><h4>Geolocation (event ${g.ref.seq})</h4>${rows(pairs)}${
    claims.length ? `<p>Claims</p><ul>${claims.join("")}</ul>` : ""
  }${clues.length ? `<p>Clues</p><ul>${clues.join("")}</ul>` : ""}${elim.length ? `<p>Places eliminated</p><ul>${elim.join("")}</ul>` : ""}<p>Reviews</p>${
    reviews.length ? `<ul>${reviews.join("")}</ul>` : `<p class="np">No review by a second examiner.</p>`
  }${g.snapshot ? picture(g.snapshot, images, "map snapshot") : ""}${g.snapshotResampling
    .map((line) => `<p>${esc(line)}</p>`)
    .join("")}</div>`;
}

function itemHtml(it: ReportItem, i: number, images: ReadonlyMap<string, string>): string {
  const m = it.metadata;
  // The picture beside what the item is, the hashes full width below (a hash is never broken).
  const identity = `<div class="top">${picture(it.picture, images, it.kind === "video" ? "poster frame" : "thumbnail")}${rows(
    [
      ["Names", it.names.map(user).join("<br>")],
      ["Size", sizeWords(it.size)],
      ["Type", it.mime ? `${esc(it.mime)} (${esc(it.kind)})` : `<span class="nr">not read</span>`],
      ["Status", esc(STATUS_WORDS[it.status] ?? it.status)],
      ["Tags", it.tags.length ? it.tags.map(esc).join(", ") : "none"],
    ],
  )}</div>${rows([
    ["SHA-256", mono(it.sha256)],
    ...(it.md5 ? ([["MD5", mono(it.md5)]] as [string, string][]) : []),
    ...(it.sha1 ? ([["SHA-1", mono(it.sha1)]] as [string, string][]) : []),
  ])}`;
  const acquisitions = it.acquisitions
    .map(
      (a) =>
        `<div class="box"><h4>Acquisition (event ${a.seq})${a.isFirst ? "" : ": the same bytes again"}</h4>${rows([
          ["When", `${esc(utc(a.at))} by ${user(a.examiner)}`],
          ["From", `${user(a.path)}${CHANNEL_WORDS[a.channel]}`],
          ["Name", user(a.originalName)],
          ["File modified", orNot(a.fileModified)],
          ["Source URL", orNot(a.sourceUrl)],
          ["Source account", orNot(a.sourceAccount)],
          ["Collected at", orNot(a.collectedAt)],
          ["Method", orNot(a.method)],
          ...(a.note ? ([["Note", user(a.note)]] as [string, string][]) : []),
          ["Tool", `${esc(a.tool.name)} ${esc(a.tool.version)}`],
          ["Machine", `${user(a.host)} · ${user(a.user)} · ${esc(a.platform)}`],
          ["Not recorded", a.notRecorded.length ? esc(a.notRecorded.join("; ")) : "nothing left out"],
        ])}</div>`,
    )
    .join("");
  const metadata = m
    ? rows([
        [
          "Capture time",
          m.capturedAt
            ? `${user(formatTime(m.capturedAt))} (from ${esc(m.capturedAtSource)})`
            : `<span class="nr">none in the file</span>`,
        ],
        ["GPS in the file", m.gps ? `${place(m.gps)}, read from ${user(gpsSourceWords(m.gpsSource))}` : "none"],
        ["Camera", orNot(m.camera)],
        ["Software", orNot(m.software)],
        ["Dimensions", orNot(m.dimensions)],
        ...(m.durationS !== null ? ([["Duration", `${esc(m.durationS)} s`]] as [string, string][]) : []),
        ["Codecs", esc(m.codecs.join(", ") || "none named")],
        ["Read by", esc(m.tools.map((t) => `${t.name} ${t.version}`).join(", "))],
      ])
    : `<p class="np">The file's metadata was not read.</p>`;
  const warnings = it.warnings.length
    ? `<h4>Warnings</h4><ul>${it.warnings.map((w) => `<li>${user(w.message)} <span class="m">(${esc(w.code)})</span></li>`).join("")}</ul>`
    : `<p>No warnings.</p>`;
  const derivatives = it.derivatives.length
    ? `<h4>Derivatives</h4><ul>${it.derivatives.map((d) => `<li>${esc(d.role)} ${mono(d.path)}, ${sizeWords(d.size)}, by ${esc(d.tool.name)} ${esc(d.tool.version)}<br>SHA-256 ${mono(d.sha256)}</li>`).join("")}</ul>`
    : "";
  const chronos = it.chronolocations.map(
    (c) =>
      `<div class="box"><h4>Chronolocation (event ${c.ref.seq})${c.isCurrent ? "" : ", replaced"}</h4>${rows([
        ["Recorded", `${esc(utc(c.at))} by ${user(c.examiner)}`],
        ["Date and place", `${esc(c.date)}, ${place(c.place)}`],
        [
          "Window",
          c.window ? `${esc(utc(c.window.from))} to ${esc(utc(c.window.to))}` : "not narrowed by the evidence",
        ],
        [
          "Shadows",
          c.shadows
            .map((s) => `${user(s.what)}: sun ${s.elevationDeg.toFixed(1)}° high (shadow/height ${s.ratio.toFixed(2)})`)
            .join("<br>") || "none measured",
        ],
        ["Sun model", `${esc(c.sunModel.name)} ${esc(c.sunModel.version)}`],
        ["Method", `<span class="note">${user(c.method || "not stated")}</span>`],
      ])}</div>`,
  );
  const status = it.statusHistory.length
    ? `<ul>${it.statusHistory.map((s) => `<li>${esc(utc(s.at))} ${user(s.examiner)}: ${esc(STATUS_WORDS[s.from] ?? s.from)} → ${esc(STATUS_WORDS[s.to] ?? s.to)}. Reason: ${user(s.reason)}</li>`).join("")}</ul>`
    : `<p class="np">Never changed: ${esc(STATUS_WORDS[it.status] ?? it.status)} since import.</p>`;
  const notes = it.notes.length
    ? it.notes
        .map(
          (n) =>
            `<div class="box"><div class="m">${esc(utc(n.at))} ${user(n.examiner)} (event ${n.seq})</div><div class="note" dir="auto">${esc(n.text)}</div></div>`,
        )
        .join("")
    : `<p class="np">No notes.</p>`;
  const timeline = it.timeline
    .map(
      (t) =>
        `<div class="tl"><strong>${esc(t.title)}</strong> <span class="m">event ${t.seq} · ${esc(utc(t.at))} · ${user(t.examiner)} · ${esc(t.type)}</span>${t.detail ? `<div>${user(t.detail)}</div>` : ""}<div class="m">hash ${mono(t.hash)}</div></div>`,
    )
    .join("");
  return `<section class="item" id="${itemId(i)}"><h2>Item ${i + 1}: ${user(it.names[0] ?? it.sha256)}</h2>
${identity}
${strand("Source analysis: where the file came from", it.strands.source, acquisitions)}
${strand("Technical analysis: metadata, hashes, derivatives", it.strands.technical, `<h4>Metadata</h4>${metadata}${warnings}${derivatives}`)}
${strand("Content analysis: where and when", it.strands.content, it.geolocations.map((g) => geolocationHtml(g, images)).join("") + chronos.join(""))}
<h3>Status history</h3>${status}
<h3>Notes</h3>${notes}
<h3>Custody timeline</h3>${timeline}
</section>`;
}
